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

    //! Alt+Up / Alt+Down: the conversation above or below the open one in the list.
    function openNeighbour(step) {
        if (list.count === 0)
            return
        let index = -1
        for (let i = 0; i < list.count; ++i) {
            const item = list.itemAtIndex(i)
            if (item && item.conversationId === currentId) { index = i; break }
        }
        const next = index < 0 ? 0 : Math.max(0, Math.min(list.count - 1, index + step))
        list.currentIndex = next
        list.positionViewAtIndex(next, ListView.Contain)
        const item = list.itemAtIndex(next)
        if (item)
            open(item.conversationId)
    }

    Shortcut {
        objectName: "jumpShortcut"
        sequence: "Ctrl+K"
        onActivated: { filter.forceActiveFocus(); filter.selectAll() }
    }
    Shortcut {
        sequence: "Alt+Up"
        onActivated: page.openNeighbour(-1)
    }
    Shortcut {
        sequence: "Alt+Down"
        onActivated: page.openNeighbour(1)
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
        id: split
        anchors.fill: parent
        // The list's width as the user dragged it, restored on the next start.
        Component.onCompleted: { const state = App.uiState("split"); if (state) restoreState(state) }
        Component.onDestruction: App.setUiState("split", saveState())

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
                    Button {
                        objectName: "newGroupButton"
                        text: qsTr("New group")
                        flat: true
                        Accessible.name: qsTr("New group")
                        onClicked: newGroup.open()
                    }
                    ToolButton {
                        objectName: "settingsButton"
                        text: "\u2699"
                        font.pixelSize: 20
                        Accessible.name: qsTr("Settings")
                        ToolTip.visible: hovered
                        ToolTip.delay: 500
                        ToolTip.text: qsTr("Settings (Ctrl+,)")
                        onClicked: settingsDialog.open()
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
                    onTextChanged: { App.conversationFilter = text; list.currentIndex = 0 }
                    // Ctrl+K, a few letters, Enter: the first match opens; Up/Down choose another.
                    Keys.onReturnPressed: list.openCurrent()
                    Keys.onEnterPressed: list.openCurrent()
                    Keys.onDownPressed: list.incrementCurrentIndex()
                    Keys.onUpPressed: list.decrementCurrentIndex()
                    Keys.onEscapePressed: { text = ""; conversationView.forceActiveFocus() }
                }
                ItemDelegate {
                    objectName: "archivedRow"
                    Layout.fillWidth: true
                    visible: App.showArchived || (App.archivedCount > 0 && App.conversationFilter.length === 0)
                    text: App.showArchived ? qsTr("← Back to chats")
                                           : App.archivedUnread > 0
                                             ? qsTr("Archived chats (%1) · %2 unread").arg(App.archivedCount).arg(App.archivedUnread)
                                             : qsTr("Archived chats (%1)").arg(App.archivedCount)
                    font.bold: App.showArchived
                    onClicked: App.showArchived = !App.showArchived
                }
                // Typing in the chat filter also offers the words to the message search.
                ItemDelegate {
                    id: searchMessagesRow
                    objectName: "searchMessagesRow"
                    Layout.fillWidth: true
                    visible: App.conversationFilter.trim().length > 0
                    leftPadding: 16
                    text: qsTr("Search messages for “%1”").arg(App.conversationFilter.trim())
                    Accessible.name: text
                    ToolTip.visible: hovered
                    ToolTip.delay: 500
                    ToolTip.text: qsTr("Search messages (%1)").arg(searchShortcut.nativeText)
                    onClicked: searchPanel.searchEverywhere(App.conversationFilter.trim())
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
                    model: App.conversations
                    currentIndex: -1
                    highlightFollowsCurrentItem: false
                    function openCurrent() {
                        const item = itemAtIndex(Math.max(0, currentIndex))
                        if (item)
                            page.open(item.conversationId)
                    }
                    delegate: ConversationDelegate {
                        id: row
                        width: ListView.view.width
                        selected: row.conversationId === page.currentId
                        // Keyboard choice while filtering (Ctrl+K), before Enter opens it.
                        hoverEnabled: true
                        down: filter.activeFocus && ListView.isCurrentItem && !selected
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
                            : App.showArchived ? qsTr("No archived chats.")
                            : App.archivedCount > 0 ? qsTr("Every chat is archived.")
                            : qsTr("No chats yet. Start one with “New chat”.")
                    }
                }
            }
        }

        ConversationView {
            id: conversationView
            account: App.account
            SplitView.fillWidth: true
            SplitView.minimumWidth: 320
            onSearchRequested: searchPanel.openSearch()
        }
    }

    NewChatDialog {
        id: newChat
        anchors.centerIn: parent
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
        sequence: StandardKey.Find
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
