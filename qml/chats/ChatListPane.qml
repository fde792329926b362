pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Core
import Messenger.Chats

import Messenger.Components

// The chat list, left of the open conversation: the chats (or the archived ones) with their last
// message, unread count and presence; a filter (Ctrl+K, Enter opens the first match) that also
// offers to search the messages; New chat, New group and the settings above it.
Pane {
    id: pane

    //! Whose chats: the account on screen.
    required property Account account
    //! The conversation open beside the list (0: none): its row is shown selected.
    property var currentId: 0
    //! How the message search is opened (Ctrl+F), for the search row's tooltip.
    property string searchShortcutText
    //! The list's controller: the filter, the archived section, opening a direct chat.
    readonly property alias controller: chats

    //! The user chose a conversation (a click, Enter in the filter, Alt+Up / Alt+Down).
    signal openRequested(var conversationId)
    signal newChatRequested()
    signal newGroupRequested()
    signal settingsRequested()
    //! The words typed in the filter, to search the messages for.
    signal searchRequested(string query)
    //! Esc in the filter: the filter is empty again, the focus goes back to the conversation.
    signal filterLeft()

    //! Opens (or creates) the direct chat with a user; openRequested() follows.
    function openDirect(userId) {
        chats.openDirect(userId)
    }

    //! Alt+Up / Alt+Down: the conversation above or below the open one in the list.
    function openNeighbour(step) {
        if (list.count === 0)
            return
        let index = -1
        for (let i = 0; i < list.count; ++i) {
            const item = list.itemAtIndex(i) as ConversationDelegate
            if (item && item.conversationId === pane.currentId) { index = i; break }
        }
        const next = index < 0 ? 0 : Math.max(0, Math.min(list.count - 1, index + step))
        list.currentIndex = next
        list.positionViewAtIndex(next, ListView.Contain)
        const item = list.itemAtIndex(next) as ConversationDelegate
        if (item)
            pane.openRequested(item.conversationId)
    }

    padding: 0
    Material.elevation: 1

    ChatListController {
        id: chats
        account: pane.account
        onConversationReady: conversationId => pane.openRequested(conversationId)
    }

    Shortcut {
        objectName: "jumpShortcut"
        sequence: "Ctrl+K"
        onActivated: { filter.forceActiveFocus(); filter.selectAll() }
    }
    Shortcut {
        sequence: "Alt+Up"
        onActivated: pane.openNeighbour(-1)
    }
    Shortcut {
        sequence: "Alt+Down"
        onActivated: pane.openNeighbour(1)
    }

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
                onClicked: pane.newChatRequested()
            }
            Button {
                objectName: "newGroupButton"
                text: qsTr("New group")
                flat: true
                Accessible.name: qsTr("New group")
                onClicked: pane.newGroupRequested()
            }
            ToolButton {
                objectName: "settingsButton"
                text: "\u2699"
                font.pixelSize: 20
                Accessible.name: qsTr("Settings")
                ToolTip.visible: hovered
                ToolTip.delay: 500
                ToolTip.text: qsTr("Settings (Ctrl+,)")
                onClicked: pane.settingsRequested()
            }
        }
        TextField {
            id: filter
            objectName: "filter"
            Layout.fillWidth: true
            Layout.leftMargin: 8
            Layout.rightMargin: 8
            placeholderText: qsTr("Search chats (Ctrl+K)")
            Accessible.name: qsTr("Search chats")
            onTextChanged: { chats.filter = text; list.currentIndex = 0 }
            // Ctrl+K, a few letters, Enter: the first match opens; Up/Down choose another.
            Keys.onReturnPressed: list.openCurrent()
            Keys.onEnterPressed: list.openCurrent()
            Keys.onDownPressed: list.incrementCurrentIndex()
            Keys.onUpPressed: list.decrementCurrentIndex()
            Keys.onEscapePressed: { text = ""; pane.filterLeft() }
        }
        ItemDelegate {
            objectName: "archivedRow"
            Layout.fillWidth: true
            visible: chats.showArchived || (chats.archivedCount > 0 && chats.filter.length === 0)
            text: chats.showArchived ? qsTr("← Back to chats") // plain text: the app's words and counts
                                   : chats.archivedUnread > 0
                                     ? qsTr("Archived chats (%1) · %2 unread").arg(chats.archivedCount).arg(chats.archivedUnread)
                                     : qsTr("Archived chats (%1)").arg(chats.archivedCount)
            font.bold: chats.showArchived
            onClicked: chats.showArchived = !chats.showArchived
        }
        // Typing in the chat filter also offers the words to the message search.
        ItemDelegate {
            id: searchMessagesRow
            objectName: "searchMessagesRow"
            Layout.fillWidth: true
            visible: chats.filter.trim().length > 0
            leftPadding: 16
            // plain text: shown by the contentItem's Label below, which is Text.PlainText
            text: qsTr("Search messages for “%1”").arg(chats.filter.trim())
            Accessible.name: text
            ToolTip.visible: hovered
            ToolTip.delay: 500
            ToolTip.text: qsTr("Search messages (%1)").arg(pane.searchShortcutText) // plain text: a shortcut
            onClicked: pane.searchRequested(chats.filter.trim())
            contentItem: RowLayout {
                spacing: 12
                SearchIcon {
                    color: Material.accentColor
                    Layout.preferredWidth: 18
                    Layout.preferredHeight: 18
                }
                Label {
                    text: searchMessagesRow.text
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    color: Material.accentColor
                    Layout.fillWidth: true
                }
            }
        }
        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: chats.conversations
            currentIndex: -1
            highlightFollowsCurrentItem: false
            function openCurrent() {
                const item = itemAtIndex(Math.max(0, currentIndex)) as ConversationDelegate
                if (item)
                    pane.openRequested(item.conversationId)
            }
            delegate: ConversationDelegate {
                id: row
                // The roles the delegate does not require (newer ones) come through the model.
                required property var model
                unreadMentions: row.model.unreadMentions ?? 0
                avatarBlob: row.model.avatarBlob ?? ""
                width: ListView.view.width
                selected: row.conversationId === pane.currentId
                // Keyboard choice while filtering (Ctrl+K), before Enter opens it.
                hoverEnabled: true
                down: filter.activeFocus && ListView.isCurrentItem && !selected
                onClicked: pane.openRequested(row.conversationId)
            }
            ScrollBar.vertical: ScrollBar {}

            Label {
                anchors.centerIn: parent
                width: parent.width - 32
                visible: list.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: Material.hintTextColor
                textFormat: Text.PlainText
                text: chats.filter.length > 0 ? qsTr("No chat matches.")
                    : chats.showArchived ? qsTr("No archived chats.")
                    : chats.archivedCount > 0 ? qsTr("Every chat is archived.")
                    : qsTr("No chats yet. Start one with “New chat”.")
            }
        }
    }
}
