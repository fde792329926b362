import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// A file in a bubble: an icon by kind, the sanitised name, size and type; Download, then Open and
// Save as. Executables carry a warning sign and the view asks before opening them. Nothing ever
// opens by itself.
Pane {
    id: root

    required property var attachment
    required property var controller
    property string clientId: ""

    signal openRequested(string blobId, bool dangerous)
    signal saveRequested(string blobId)

    readonly property string blobId: root.attachment.blobId ?? ""
    readonly property bool pending: root.attachment.pending ?? false
    readonly property bool dangerous: root.attachment.dangerous ?? false
    readonly property var transfer: root.controller
        ? (root.controller.transfers[root.pending ? root.clientId : root.blobId] ?? null) : null
    readonly property bool available: !root.pending && !!root.controller
        && ((root.transfer !== null && root.transfer.state === "done") || root.controller.isAvailable(root.blobId))
    readonly property string transferState: root.transfer === null ? "idle" : root.transfer.state
    //! Past the server's media retention: shown as expired, never downloaded, no retry. (A
    //! scripted controller in a test may have no isExpired.)
    readonly property bool expired: !root.pending && !!root.controller
        && (root.transferState === "expired"
            || (typeof root.controller.isExpired === "function" && root.controller.isExpired(root.blobId)))

    function iconFor(kind) {
        if (root.dangerous)
            return "\u26A0"
        switch (kind) {
        case "video": return "\uD83C\uDFAC"
        case "audio": case "voice": return "\uD83C\uDFB5"
        case "image": return "\uD83D\uDDBC"
        default: return "\uD83D\uDCC4"
        }
    }

    padding: 8
    background: Rectangle {
        radius: 8
        color: Material.theme === Material.Dark ? "#22ffffff" : "#0d000000"
        border.width: root.dangerous ? 1 : 0
        border.color: "#e53935"
    }

    RowLayout {
        spacing: 10

        Rectangle {
            Layout.preferredWidth: 44
            Layout.preferredHeight: 44
            radius: 22
            color: root.dangerous ? "#e53935" : Material.accentColor

            Label {
                anchors.centerIn: parent
                visible: !ring.visible
                text: root.iconFor(root.attachment.kind)
                textFormat: Text.PlainText
                font.pixelSize: 20
                color: "white"
            }
            ProgressRing {
                id: ring
                objectName: "fileProgress"
                anchors.fill: parent
                visible: root.pending ? root.transferState !== "done" : root.transferState === "running" || root.transferState === "failed"
                state_: root.pending && root.transferState === "idle" ? "running" : root.transferState
                value: root.transfer !== null && root.transfer.total > 0 ? root.transfer.done / root.transfer.total : -1
                onCancelRequested: root.controller.cancel(root.pending ? root.clientId : root.blobId)
                onRetryRequested: root.controller.retry(root.pending ? root.clientId : root.blobId)
                onDownloadRequested: root.controller.download(root.blobId)
            }
        }

        ColumnLayout {
            spacing: 2
            Layout.maximumWidth: 220

            Label {
                objectName: "fileName"
                Layout.fillWidth: true
                text: root.attachment.name || qsTr("Unnamed file")
                textFormat: Text.PlainText
                elide: Text.ElideMiddle
                font.bold: true
            }
            Label {
                objectName: "fileDetails"
                Layout.fillWidth: true
                text: Qt.locale().formattedDataSize(root.attachment.size ?? 0) + " · " + (root.attachment.mime ?? "")
                textFormat: Text.PlainText
                elide: Text.ElideRight
                font.pixelSize: 11
                color: Material.hintTextColor
            }
            ExpiredLabel {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                visible: root.expired && !root.available
                text: qsTr("This file has expired")
            }
            Label {
                objectName: "dangerousLabel"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                visible: root.dangerous
                text: qsTr("Program or script: may harm this computer")
                font.pixelSize: 11
                color: "#e53935"
            }
            RowLayout {
                spacing: 0
                visible: !root.pending

                Button {
                    objectName: "fileDownloadButton"
                    flat: true
                    visible: !root.available && !root.expired && root.transferState !== "running"
                    text: qsTr("Download")
                    onClicked: root.controller.download(root.blobId)
                }
                Button {
                    objectName: "fileOpenButton"
                    flat: true
                    visible: root.available
                    text: qsTr("Open")
                    onClicked: root.openRequested(root.blobId, root.dangerous)
                }
                Button {
                    objectName: "fileSaveButton"
                    flat: true
                    visible: root.available
                    text: qsTr("Save as…")
                    onClicked: root.saveRequested(root.blobId)
                }
            }
        }
    }
}
