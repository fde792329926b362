import QtQuick
import QtQuick.Controls.Material
import Messenger.App
import QtQuick.Layouts

import Messenger.Components

// The main window's content: the conversation list on the left, the open conversation on the right.
Page {
    id: page

    property var currentId: 0

    function open(conversationId) {
        if (currentId === conversationId)
            return
        currentId = conversationId
        conversationView.controller = conversationId > 0 ? App.openConversation(conversationId) : null
    }

    Connections {
        target: App
        function onConversationReady(conversationId) { page.open(conversationId) }
    }

    header: ConnectionBanner {
        connectionState: App.connectionState
        error: App.connectionError
        onRetryRequested: App.reconnectNow()
    }

    SplitView {
        anchors.fill: parent

        Pane {
            SplitView.preferredWidth: 340
            SplitView.minimumWidth: 240
            padding: 0
            Material.elevation: 1

            ColumnLayout {
                anchors.fill: parent
                spacing: 0

                RowLayout {
                    Layout.fillWidth: true
                    Layout.margins: 8
                    Label {
                        text: qsTr("Chats")
                        font.pixelSize: 20
                        font.bold: true
                        Layout.fillWidth: true
                    }
                    Button {
                        objectName: "newChatButton"
                        text: qsTr("New chat")
                        flat: true
                        onClicked: newChat.open()
                    }
                }
                TextField {
                    objectName: "filter"
                    Layout.fillWidth: true
                    Layout.leftMargin: 8
                    Layout.rightMargin: 8
                    placeholderText: qsTr("Search chats")
                    onTextChanged: App.conversationFilter = text
                }
                ListView {
                    id: list
                    objectName: "conversationList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: App.conversations
                    delegate: ConversationDelegate {
                        id: row
                        width: ListView.view.width
                        selected: row.conversationId === page.currentId
                        onClicked: page.open(row.conversationId)
                    }
                    ScrollBar.vertical: ScrollBar {}

                    Label {
                        anchors.centerIn: parent
                        width: parent.width - 32
                        visible: list.count === 0
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.Wrap
                        color: Material.hintTextColor
                        text: App.conversationFilter.length > 0 ? qsTr("No chat matches.")
                                                                 : qsTr("No chats yet. Start one with “New chat”.")
                    }
                }
            }
        }

        ConversationView {
            id: conversationView
            SplitView.fillWidth: true
            SplitView.minimumWidth: 320
        }
    }

    NewChatDialog {
        id: newChat
        anchors.centerIn: parent
    }
}
