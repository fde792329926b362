import QtQuick
import QtQuick.Controls.Material
import Messenger.Shell
import Messenger.Chats
import Messenger.Conversation
import Messenger.Groups
import Messenger.Onboarding
import Messenger.Search
import Messenger.Settings

import Messenger.Components

// The main window's content: the chat list on the left, the open conversation on the right, and
// the dialogs and panels they open (new chat, new group, search, settings).
Page {
    id: page

    property var currentId: 0

    function open(conversationId) {
        if (currentId === conversationId)
            return
        currentId = conversationId
        conversationView.controller = conversationId > 0 ? App.openConversation(conversationId) : null
        App.lastConversation = conversationId
    }

    //! The conversation the account had open last time opens again: at the start (as Telegram
    //! and Signal do) and when another account comes on screen.
    function reopen() {
        currentId = 0
        conversationView.controller = null
        open(App.lastConversation)
    }
    Component.onCompleted: reopen()
    Connections {
        target: App
        function onAccountChanged() { page.reopen() }
    }

    //! Opens a conversation at one of its messages (a search result, a notification).
    function openMessage(conversationId, seq) {
        conversationView.pendingSeq = seq > 0 ? seq : 0
        if (currentId === conversationId) {
            if (seq > 0)
                conversationView.showMessage(seq)
            return
        }
        open(conversationId)
    }

    header: Column {
        HostingBanner {
            width: parent.width
            onboarding: App.onboarding
        }
        ConnectionBanner {
            width: parent.width
            // The hosting banner says why already, with its own retry.
            visible: App.onboarding.hostingProblem.length === 0
                     && connectionState !== ConnectionBanner.Online
            connectionState: App.connectionState
            error: App.connectionError
            onRetryRequested: App.reconnectNow()
        }
    }

    SplitView {
        id: split
        anchors.fill: parent
        // The list's width as the user dragged it, restored on the next start.
        Component.onCompleted: { const state = App.uiState("split"); if (state) restoreState(state) }
        Component.onDestruction: App.setUiState("split", saveState())

        ChatListPane {
            id: chatList
            SplitView.preferredWidth: 340
            SplitView.minimumWidth: 240
            account: App.account
            currentId: page.currentId
            searchShortcutText: searchShortcut.nativeText
            onOpenRequested: conversationId => page.open(conversationId)
            onNewChatRequested: newChat.open()
            onNewGroupRequested: newGroup.open()
            onSettingsRequested: settingsDialog.open()
            onSearchRequested: query => searchPanel.searchEverywhere(query)
            onFilterLeft: conversationView.forceActiveFocus()
        }

        ConversationView {
            id: conversationView
            account: App.account
            SplitView.fillWidth: true
            SplitView.minimumWidth: 320
            onSearchRequested: searchPanel.openSearch()
            onDirectChatRequested: userId => chatList.openDirect(userId)
        }
    }

    NewChatDialog {
        id: newChat
        anchors.centerIn: parent
        account: App.account
        onUserChosen: userId => chatList.openDirect(userId)
    }

    // Ctrl+F: search the messages, of the open chat when there is one.
    SearchPanel {
        id: searchPanel
        account: App.account
        openConversationId: page.currentId
        openConversationName: conversationView.controller ? conversationView.controller.name : ""
        onMessageChosen: (conversationId, seq) => page.openMessage(conversationId, seq)
    }
    Shortcut {
        id: searchShortcut
        objectName: "searchShortcut"
        // StandardKey.Find is Ctrl+F everywhere (Cmd+F on macOS, as "Ctrl" is there); qmllint
        // (Qt 6.4) does not know StandardKey.
        sequence: "Ctrl+F"
        onActivated: searchPanel.openSearch()
    }

    NewGroupDialog {
        id: newGroup
        account: App.account
        anchors.centerIn: parent
        onGroupCreated: conversationId => page.open(conversationId)
    }

    SettingsDialog {
        id: settingsDialog
        account: App.account
        settings: App.settings
        accountList: App.accountList
        appearance: App.appearance
        anchors.centerIn: parent
    }
    Shortcut {
        objectName: "settingsShortcut"
        sequences: ["Ctrl+,"]
        onActivated: settingsDialog.open()
    }
}
