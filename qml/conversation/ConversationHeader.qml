pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Conversation

import Messenger.Components

// The open conversation's header: avatar, name, presence or member count (or who is typing), the
// disappearing-messages mark, the group info button and the chat's menu button.
ToolBar {
    id: bar
    //! The open conversation's controller, or null.
    property ConversationController controller: null

    //! The name or the ⓘ of a group: its info panel.
    signal infoRequested()
    //! ⋮: the chat's menu, under `button`.
    signal menuRequested(Item button)

    visible: !!bar.controller
    Material.background: Material.theme === Material.Dark ? "#263238" : "#f5f5f5"
    Material.foreground: Material.theme === Material.Dark ? "white" : "black"

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        spacing: 12

        Avatar {
            objectName: "headerAvatar"
            initials: bar.controller ? bar.controller.initials : ""
            source: bar.controller && bar.controller.avatarBlob.length > 0 ? "image://avatar/" + bar.controller.avatarBlob : ""
            color: bar.controller && bar.controller.avatarColor.length > 0 ? bar.controller.avatarColor : "#607d8b"
            presence: bar.controller && !bar.controller.isGroup ? bar.controller.presence : ""
            Layout.preferredWidth: 36
            Layout.preferredHeight: 36
        }
        ColumnLayout {
            spacing: 0
            Layout.fillWidth: true
            // A group's header opens its info, as the info button does.
            TapHandler {
                objectName: "headerTap"
                enabled: !!bar.controller && bar.controller.isGroup
                onTapped: bar.infoRequested()
            }
            HoverHandler {
                enabled: !!bar.controller && bar.controller.isGroup
                cursorShape: Qt.PointingHandCursor
            }
            Label {
                objectName: "headerName"
                text: bar.controller ? bar.controller.name : ""
                textFormat: Text.PlainText
                font.bold: true
                font.pixelSize: 16
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                objectName: "headerSubtitle"
                readonly property bool typing: !!bar.controller && bar.controller.typing.length > 0
                text: !bar.controller ? "" : typing ? bar.controller.typing : bar.controller.subtitle
                textFormat: Text.PlainText
                font.pixelSize: 12
                font.italic: typing
                color: typing || (bar.controller && bar.controller.presence === "online")
                       ? Material.accentColor : Material.hintTextColor
                Layout.fillWidth: true
            }
        }
        Label {
            objectName: "timerMark"
            visible: !!bar.controller && bar.controller.disappearSeconds > 0
            text: "\u23F1 " + bar.timerText(bar.controller ? bar.controller.disappearSeconds : 0)
            textFormat: Text.PlainText
            font.pixelSize: 12
            color: Material.hintTextColor
            Accessible.name: qsTr("Disappearing messages: %1").arg(text)
        }
        ToolButton {
            objectName: "groupInfoButton"
            visible: !!bar.controller && bar.controller.isGroup
            Layout.rightMargin: 4
            // An "i" in a circle: fonts without U+24D8 show a box instead.
            contentItem: Item {
                implicitWidth: 24
                implicitHeight: 24
                Rectangle {
                    anchors.centerIn: parent
                    width: 22
                    height: 22
                    radius: 11
                    color: "transparent"
                    border.width: 2
                    border.color: parent.parent.Material.foreground
                    Text {
                        anchors.centerIn: parent
                        text: "i"
                        font.bold: true
                        font.pixelSize: 14
                        color: parent.border.color
                    }
                }
            }
            onClicked: bar.infoRequested()
            Accessible.name: qsTr("Group info")
            ToolTip.visible: hovered
            ToolTip.delay: 500
            ToolTip.text: qsTr("Group info")
        }
        ToolButton {
            id: menuButton
            objectName: "conversationMenuButton"
            text: "\u22EE"
            font.pixelSize: 20
            Layout.rightMargin: 4
            Accessible.name: qsTr("Chat options")
            onClicked: bar.menuRequested(menuButton)
        }
    }

    //! "5 minutes", "1 hour", "1 day", "1 week"; other values in the largest unit that fits.
    function timerText(seconds) {
        const units = [[604800, qsTr("1 week"), qsTr("%1 weeks")], [86400, qsTr("1 day"), qsTr("%1 days")],
                       [3600, qsTr("1 hour"), qsTr("%1 hours")], [60, qsTr("1 minute"), qsTr("%1 minutes")]]
        for (const unit of units) {
            if (seconds >= unit[0] && seconds % unit[0] === 0) {
                const count = seconds / unit[0]
                return count === 1 ? unit[1] : unit[2].arg(count)
            }
        }
        return qsTr("%1 seconds").arg(seconds)
    }
}
