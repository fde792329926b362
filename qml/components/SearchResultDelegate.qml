import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

import "Formats.js" as Formats

// One message search result: the conversation's avatar and name (or, searching one
// conversation, the sender), the time, and the message with the matched parts highlighted.
// The required properties are the search result model's roles. highlightedText is StyledText
// the app made from the user's text: escaped first, so only its own highlight tags are markup.
ItemDelegate {
    id: root

    required property var conversationId
    required property var seq
    required property string conversationName
    required property string senderName
    required property var timestamp
    required property string messageText
    required property string highlightedText
    required property string initials
    required property string avatarColor
    //! The conversation's picture blob when it can be drawn (SearchResultModel's avatarBlob).
    property string avatarBlob

    //! False when every result is of the same conversation: the sender is the title then.
    property bool showConversation: true

    padding: 8
    leftPadding: 12
    rightPadding: 12

    Accessible.name: qsTr("%1, %2, %3: %4").arg(root.conversationName).arg(Formats.listTime(root.timestamp))
                                             .arg(root.senderName).arg(root.messageText)

    contentItem: RowLayout {
        spacing: 12

        Avatar {
            initials: root.initials
            color: root.avatarColor.length > 0 ? root.avatarColor : "#607d8b"
            source: root.avatarBlob.length > 0 ? "image://avatar/" + root.avatarBlob : ""
            Layout.preferredWidth: 40
            Layout.preferredHeight: 40
            Layout.alignment: Qt.AlignTop
        }

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2

            RowLayout {
                Layout.fillWidth: true
                spacing: 4

                Label {
                    objectName: "titleLabel"
                    text: root.showConversation ? root.conversationName : root.senderName
                    textFormat: Text.PlainText
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "timeLabel"
                    text: Formats.listTime(root.timestamp)
                    textFormat: Text.PlainText
                    font.pixelSize: 12
                    color: Material.hintTextColor
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: 0

                Label {
                    objectName: "senderLabel"
                    visible: root.showConversation && root.senderName.length > 0
                    text: qsTr("%1: ").arg(root.senderName)
                    textFormat: Text.PlainText
                    color: Material.hintTextColor
                    Layout.alignment: Qt.AlignTop
                    Layout.maximumWidth: parent.width / 3
                    elide: Text.ElideRight
                }
                Label {
                    objectName: "messageLabel"
                    text: root.highlightedText
                    textFormat: Text.StyledText
                    wrapMode: Text.Wrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }
        }
    }
}
