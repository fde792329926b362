import QtQuick
import QtQuick.Controls.Material
import Messenger.App
import QtQuick.Layouts

import Messenger.Components

// The open conversation: header, messages and the composer. Empty until one is chosen.
Page {
    id: view

    //! A ConversationController, or null.
    property var controller: null

    Label {
        anchors.centerIn: parent
        visible: !view.controller
        text: qsTr("Choose a chat on the left, or start a new one.")
        color: Material.hintTextColor
    }

    header: ToolBar {
        visible: !!view.controller
        Material.background: Material.theme === Material.Dark ? "#263238" : "#f5f5f5"
        Material.foreground: Material.theme === Material.Dark ? "white" : "black"

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            spacing: 12

            Avatar {
                initials: view.controller ? view.controller.initials : ""
                color: view.controller && view.controller.avatarColor.length > 0 ? view.controller.avatarColor : "#607d8b"
                presence: view.controller && !view.controller.isGroup ? view.controller.presence : ""
                Layout.preferredWidth: 36
                Layout.preferredHeight: 36
            }
            ColumnLayout {
                spacing: 0
                Layout.fillWidth: true
                Label {
                    objectName: "headerName"
                    text: view.controller ? view.controller.name : ""
                    textFormat: Text.PlainText
                    font.bold: true
                    font.pixelSize: 16
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "headerSubtitle"
                    readonly property bool typing: !!view.controller && view.controller.typing.length > 0
                    text: !view.controller ? "" : typing ? view.controller.typing : view.controller.subtitle
                    textFormat: Text.PlainText
                    font.pixelSize: 12
                    font.italic: typing
                    color: typing || (view.controller && view.controller.presence === "online")
                           ? Material.accentColor : Material.hintTextColor
                    Layout.fillWidth: true
                }
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        visible: !!view.controller

        ListView {
            id: messages
            objectName: "messageList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 4
            topMargin: 8
            bottomMargin: 8
            model: view.controller ? view.controller.messages : null
            // Follow new messages while the view is at the bottom.
            property bool atEnd: true
            onMovementEnded: atEnd = atYEnd
            onCountChanged: { if (atEnd) Qt.callLater(positionViewAtEnd); visibleTimer.restart() }
            onModelChanged: { atEnd = true; Qt.callLater(positionViewAtEnd); visibleTimer.restart() }
            onHeightChanged: visibleTimer.restart()
            onContentYChanged: {
                if (view.controller && count > 0 && contentY <= originY + 100)
                    Qt.callLater(view.controller.loadOlder)
                visibleTimer.restart()
            }

            delegate: MessageDelegate {
                x: 12
                width: ListView.view.width - 24
                showSender: !!view.controller && view.controller.isGroup
                onRetryRequested: clientId => view.controller.retry(clientId)
                onDiscardRequested: clientId => view.controller.discard(clientId)
            }
            ScrollBar.vertical: ScrollBar {}

            // Read receipts follow what is on screen; the core decides what to send.
            Timer {
                id: visibleTimer
                interval: 300
                onTriggered: {
                    if (!view.controller)
                        return
                    const seqs = []
                    for (let y = messages.contentY; y < messages.contentY + messages.height; y += 20) {
                        const item = messages.itemAt(messages.width / 2, y)
                        if (item && item.seq > 0 && seqs.indexOf(item.seq) < 0)
                            seqs.push(item.seq)
                    }
                    view.controller.setVisibleSeqs(seqs)
                }
            }
        }

        Composer {
            id: composer
            Layout.fillWidth: true
            enabledForSending: !!view.controller && view.controller.active
            onSent: text => { view.controller.send(text); messages.atEnd = true }
            onTyping: if (view.controller) view.controller.userTyping()
        }
    }

    onControllerChanged: { composer.text = ""; if (controller) composer.input.forceActiveFocus() }
}
