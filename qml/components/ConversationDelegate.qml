import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

import "Formats.js" as Formats

// One row of the conversation list. The required properties are ConversationListModel's roles.
ItemDelegate {
    id: root

    required property var conversationId
    required property string kind
    required property string name
    required property string initials
    required property string avatarColor
    required property string lastMessage
    required property string lastMessageSender
    required property var lastActivity
    required property int unreadCount
    required property string peerPresence
    required property string typing
    required property bool muted
    required property bool pinned
    required property bool pending
    //! The composer's unsent text in this conversation: shown instead of the last message.
    required property string draft
    //! Unread messages that mention the user: an "@" badge (ConversationListModel's
    //! unreadMentions; the list passes it on).
    property int unreadMentions: 0
    //! The picture's blob (the peer's for a direct chat, the group's), when it is on this device
    //! (ConversationListModel's avatarBlob); empty: the initials.
    property string avatarBlob

    property bool selected: false

    // The unread count in a pill. A component of its own: its ids inside contentItem would make
    // that deferred assignment immediate.
    component UnreadBadge: Rectangle {
        id: badge
        property int count
        radius: height / 2
        implicitHeight: 20
        implicitWidth: Math.max(20, countText.implicitWidth + 10)

        Text {
            id: countText
            anchors.centerIn: parent
            text: badge.count > 99 ? "99+" : badge.count
            textFormat: Text.PlainText
            color: "white"
            font.pixelSize: 11
            font.bold: true
        }
    }

    highlighted: selected
    padding: 8
    leftPadding: 12
    rightPadding: 12

    contentItem: RowLayout {
        spacing: 12

        Avatar {
            objectName: "conversationAvatar"
            initials: root.initials
            color: root.avatarColor
            source: root.avatarBlob.length > 0 ? "image://avatar/" + root.avatarBlob : ""
            presence: root.kind === "direct" ? root.peerPresence : ""
            Layout.preferredWidth: 44
            Layout.preferredHeight: 44
        }

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2

            RowLayout {
                Layout.fillWidth: true
                spacing: 4

                Label {
                    objectName: "nameLabel"
                    text: root.name
                    textFormat: Text.PlainText
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "mutedMark"
                    visible: root.muted
                    text: qsTr("muted")
                    font.pixelSize: 10
                    color: Material.hintTextColor
                }
                Label {
                    objectName: "pinnedMark"
                    visible: root.pinned
                    text: "\u2605"
                    color: Material.accentColor
                    Accessible.name: qsTr("Pinned")
                }
                Label {
                    objectName: "timeLabel"
                    text: Formats.listTime(root.lastActivity)
                    textFormat: Text.PlainText
                    font.pixelSize: 12
                    color: root.unreadCount > 0 ? Material.accentColor : Material.hintTextColor
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: 4

                Label {
                    objectName: "previewLabel"
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    maximumLineCount: 1
                    font.italic: root.typing.length > 0
                    color: root.typing.length > 0 ? Material.accentColor
                         : root.draft.length > 0 && !root.selected ? "#e53935" : Material.hintTextColor
                    text: root.typing.length > 0 ? root.typing
                        : root.draft.length > 0 && !root.selected ? qsTr("Draft: %1").arg(root.draft)
                        : root.kind === "group" && root.lastMessageSender.length > 0
                          ? qsTr("%1: %2").arg(root.lastMessageSender).arg(root.lastMessage)
                          : root.lastMessage
                }
                Rectangle {
                    objectName: "mentionBadge"
                    visible: root.unreadMentions > 0
                    implicitWidth: 20
                    implicitHeight: 20
                    radius: 10
                    color: Material.accentColor
                    Accessible.name: qsTr("Unread mentions: %1").arg(root.unreadMentions)
                    Text {
                        anchors.centerIn: parent
                        text: "@"
                        color: "white"
                        font.pixelSize: 12
                        font.bold: true
                    }
                }
                UnreadBadge {
                    objectName: "unreadBadge"
                    visible: root.unreadCount > 0
                    count: root.unreadCount
                    color: root.muted ? Material.hintTextColor : Material.accentColor
                }
            }
        }
    }
}
