pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Controls.Material.impl
import QtQuick.Layouts
import Messenger.Core
import Messenger.Search

import Messenger.Components

// Message search (Ctrl+F): a field, the scope (every chat, or the chat that is open), and the
// results, newest first, with the matched words highlighted. Up and Down move through the
// results, Enter or a click opens the message in its chat, Escape closes.
Popup {
    id: panel
    objectName: "searchPanel"

    //! Whose messages are searched: the account on screen.
    required property Account account
    //! The conversation open in the main page (0: none): the "this chat" scope.
    property var openConversationId: 0
    property string openConversationName

    //! The user chose a result.
    signal messageChosen(var conversationId, var seq)

    //! Opens the search: within the open conversation when there is one, else in every chat.
    function openSearch() {
        search.conversationId = panel.openConversationId > 0 ? panel.openConversationId : 0
        open()
        field.selectAll()
        field.forceActiveFocus()
    }

    //! Opens the search in every chat for these words (typed in the chat filter, say).
    function searchEverywhere(query) {
        search.conversationId = 0
        field.text = query
        search.searchNow()
        open()
        field.forceActiveFocus()
        field.cursorPosition = field.text.length
    }

    function choose(row) {
        if (row < 0 || row >= results.count)
            return
        results.currentIndex = row
        const item = results.currentItem as SearchResultDelegate
        if (!item)
            return
        const conversationId = item.conversationId
        const seq = item.seq
        close()
        panel.messageChosen(conversationId, seq)
    }

    parent: Overlay.overlay
    x: Math.round((parent.width - width) / 2)
    y: 48
    width: Math.min(640, parent.width - 48)
    // As tall as the results, up to the window's height.
    height: Math.min(implicitHeight, parent.height - 2 * y)
    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    // Gone at once: Ctrl+F right after a result opened would otherwise meet a fading panel, which
    // does not open again.
    exit: Transition {}

    background: Rectangle {
        radius: 4
        color: panel.Material.dialogColor
        // The Material shadow is a shader effect: the software renderer (no GPU, some virtual
        // machines) cannot draw it, and would draw no panel at all. A border stands in for it.
        readonly property bool software: GraphicsInfo.api === GraphicsInfo.Software
        border.width: software ? 1 : 0
        border.color: panel.Material.dividerColor
        layer.enabled: !software
        layer.effect: ElevationEffect { elevation: 24 }
    }

    SearchController {
        id: search
        account: panel.account
        highlightColor: panel.Material.accentColor
        // A new list starts at its first result, whatever was chosen in the last one.
        onSearchFinished: results.currentIndex = results.count > 0 ? 0 : -1
    }

    // A rounded, checkable label: one of the two scopes.
    component ScopeChip: AbstractButton {
        id: chip
        checkable: true
        padding: 6
        leftPadding: 12
        rightPadding: 12
        Accessible.role: Accessible.RadioButton
        Accessible.name: text
        contentItem: Label {
            text: chip.text
            textFormat: Text.PlainText
            elide: Text.ElideRight
            font.pixelSize: 13
            // On the accent: white on the light theme's dark teal, dark on the dark theme's light one.
            color: !chip.checked ? chip.Material.foreground
                 : chip.Material.theme === Material.Dark ? "#212121" : "white"
        }
        background: Rectangle {
            implicitHeight: 30
            radius: height / 2
            color: chip.checked ? chip.Material.accentColor : "transparent"
            border.width: chip.checked ? 0 : 1
            border.color: chip.Material.hintTextColor
        }
    }

    // The popup's content, not its contentItem: the ids in here would make that deferred
    // assignment immediate. The popup is as tall as this column (its one child).
    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        TextField {
            id: field
            objectName: "searchField"
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.rightMargin: 16
            Layout.topMargin: 8
            leftPadding: 32
            Accessible.name: qsTr("Search messages")
            onTextChanged: search.query = text
            onAccepted: {
                if (search.pending)
                    search.searchNow()
                panel.choose(results.currentIndex)
            }
            Keys.onDownPressed: results.incrementCurrentIndex()
            Keys.onUpPressed: results.decrementCurrentIndex()
            Keys.onEscapePressed: panel.close()

            // The placeholder, drawn as the style draws placeholderText but as plain text: it can
            // hold a chat's name, and the style's placeholder would read that as markup.
            Label {
                objectName: "searchPlaceholder"
                x: field.leftPadding
                y: field.topPadding
                width: field.width - (field.leftPadding + field.rightPadding)
                height: field.height - (field.topPadding + field.bottomPadding)
                text: search.conversationId > 0 ? qsTr("Search in %1").arg(panel.openConversationName)
                                                : qsTr("Search messages in all chats")
                textFormat: Text.PlainText
                font: field.font
                color: field.placeholderTextColor
                verticalAlignment: field.verticalAlignment
                elide: Text.ElideRight
                visible: !field.length && !field.preeditText
            }

            SearchIcon {
                x: 4
                anchors.verticalCenter: parent.verticalCenter
                anchors.verticalCenterOffset: (field.topPadding - field.bottomPadding) / 2
                width: 18
                height: 18
                color: panel.Material.hintTextColor
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.rightMargin: 16
            Layout.topMargin: 4
            Layout.bottomMargin: 8
            spacing: 8
            visible: panel.openConversationId > 0

            ButtonGroup { id: scopes }
            ScopeChip {
                objectName: "scopeAll"
                text: qsTr("All chats")
                ButtonGroup.group: scopes
                checked: search.conversationId === 0
                onClicked: search.conversationId = 0
            }
            ScopeChip {
                objectName: "scopeConversation"
                text: qsTr("In %1").arg(panel.openConversationName)
                ButtonGroup.group: scopes
                checked: search.conversationId > 0
                onClicked: search.conversationId = panel.openConversationId
                Layout.maximumWidth: 280
            }
            Item { Layout.fillWidth: true }
        }

        Label {
            objectName: "resultCount"
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.rightMargin: 16
            Layout.bottomMargin: 4
            visible: results.count > 0
            textFormat: Text.PlainText
            text: results.count === 1 ? qsTr("1 message") : qsTr("%1 messages").arg(results.count)
            font.pixelSize: 12
            color: Material.hintTextColor
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Material.dividerColor
        }

        ListView {
            id: results
            objectName: "searchResults"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: count > 0 ? contentHeight : 160
            clip: true
            model: search.results
            highlightMoveDuration: 0
            keyNavigationWraps: false
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Search results")

            delegate: SearchResultDelegate {
                id: resultRow
                required property int index
                // The roles the delegate does not require (the picture) come through the model.
                required property var model
                avatarBlob: resultRow.model.avatarBlob ?? ""
                width: ListView.view.width
                showConversation: search.conversationId === 0
                highlighted: ListView.isCurrentItem
                onClicked: panel.choose(index)
            }
            ScrollBar.vertical: ScrollBar {}

            Label {
                objectName: "emptyLabel"
                anchors.centerIn: parent
                width: parent.width - 48
                visible: results.count === 0 && !search.pending
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: Material.hintTextColor
                textFormat: Text.PlainText
                text: search.query.trim().length === 0
                      ? (search.conversationId > 0 ? qsTr("Type to search the messages of %1.").arg(panel.openConversationName)
                                                   : qsTr("Type to search the messages of all your chats."))
                      : qsTr("No messages found.")
            }
        }
    }
}
