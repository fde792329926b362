pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// Above the composer while attachments are chosen: a preview of each (thumbnail or icon, name,
// size, ✕ to remove), "Send as file", and what the user must know (a limit, metadata that stays).
// The composer's text is the caption.
Pane {
    id: root

    required property var controller
    readonly property var drafts: root.controller ? root.controller.drafts : []

    visible: root.drafts.length > 0 || (!!root.controller && root.controller.problem.length > 0)
    padding: 8
    topPadding: 6
    bottomPadding: 0

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

        ListView {
            id: list
            objectName: "attachStripList"
            Layout.fillWidth: true
            Layout.preferredHeight: root.drafts.length > 0 ? 84 : 0
            orientation: ListView.Horizontal
            spacing: 8
            clip: true
            model: root.drafts

            delegate: Rectangle {
                id: draft
                required property var modelData
                objectName: "draft_" + draft.modelData.id
                width: 190
                height: 80
                radius: 8
                color: Material.theme === Material.Dark ? "#22ffffff" : "#11000000"
                border.width: draft.modelData.error ? 1 : 0
                border.color: "#e53935"

                Image {
                    id: preview
                    x: 6
                    y: 6
                    width: 68
                    height: 68
                    source: draft.modelData.thumbUrl
                    fillMode: Image.PreserveAspectCrop
                    visible: draft.modelData.thumbUrl.length > 0
                }
                Label {
                    anchors.centerIn: preview
                    visible: !preview.visible
                    text: draft.modelData.ready ? "\uD83D\uDCC4" : "…"
                    textFormat: Text.PlainText
                    font.pixelSize: 28
                }
                Column {
                    x: 80
                    y: 8
                    width: parent.width - 84
                    spacing: 2
                    Label {
                        width: parent.width
                        text: draft.modelData.name
                        textFormat: Text.PlainText
                        elide: Text.ElideMiddle
                        font.pixelSize: 12
                    }
                    Label {
                        width: parent.width
                        text: draft.modelData.error ? qsTr("Cannot be sent")
                              : draft.modelData.ready ? Qt.locale().formattedDataSize(draft.modelData.size) : qsTr("Preparing…")
                        textFormat: Text.PlainText
                        font.pixelSize: 11
                        color: draft.modelData.error ? "#e53935" : Material.hintTextColor
                    }
                }
                RoundButton {
                    objectName: "removeDraftButton"
                    anchors.right: parent.right
                    anchors.bottom: parent.bottom
                    width: 30
                    height: 30
                    padding: 0
                    flat: true
                    text: "\u2715"
                    font.pixelSize: 12
                    Accessible.name: qsTr("Remove %1").arg(draft.modelData.name)
                    onClicked: root.controller.removeDraft(draft.modelData.id)
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            visible: root.drafts.length > 0
            CheckBox {
                objectName: "sendAsFileBox"
                text: qsTr("Send as file (original, with its metadata)")
                checked: !!root.controller && root.controller.sendAsFile
                onToggled: root.controller.sendAsFile = checked
            }
            Item { Layout.fillWidth: true }
        }

        Label {
            objectName: "attachProblem"
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.controller ? root.controller.problem : ""
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: "#e53935"
            font.pixelSize: 12
        }
    }
}
