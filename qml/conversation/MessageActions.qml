import QtQuick
import QtQuick.Controls.Material
import Messenger.Core
import Messenger.Conversation

import Messenger.Components

// What the user does with one message of the open conversation: its menu (right-click, the hover
// toolbar's ⋯), the reaction picker, the delete, forward, edit-history and info dialogs; and the
// jumps to a quoted message or the next mention. ConversationView holds one.
Item {
    id: actions

    //! The open conversation's ConversationController, or null.
    property ConversationController controller: null
    required property Account account
    //! The view's message list (where the picker opens when no button anchors it).
    required property Item messageList
    //! The composer's text area (focused to answer a reply).
    required property Item composerInput

    //! Messages picked to forward or delete together (seqs, in the order picked); empty: no
    //! selection. A new array on every change, so bindings see it.
    property var selectedSeqs: []
    function toggleSelected(seq) {
        const at = actions.selectedSeqs.indexOf(seq)
        const next = actions.selectedSeqs.slice()
        if (at >= 0)
            next.splice(at, 1)
        else
            next.push(seq)
        actions.selectedSeqs = next
    }
    function clearSelection() { actions.selectedSeqs = [] }
    function sortedSelection() { return actions.selectedSeqs.slice().sort((a, b) => a - b) }

    function closeAll() {
        actions.clearSelection()
        messageMenu.close()
        reactionPicker.close()
        deleteDialog.close()
        forwardDialog.close()
        editHistory.close()
        messageInfo.close()
        actions.lastMentionSeq = 0
    }

    //! What can be done with a message: at the pointer, or under `anchor` (the toolbar's ⋯).
    function openMessageMenu(message, anchor) {
        if (!actions.controller || message.isEvent || !(message.seq > 0))
            return
        messageMenu.setMessage(message)
        if (anchor)
            messageMenu.popup(anchor, 0, anchor.height)
        else
            messageMenu.popup()
    }

    function startReply(seq) {
        actions.controller.startReply(seq)
        actions.composerInput.forceActiveFocus()
    }

    //! The quote of a reply was clicked: the original, loaded if needed, flashes.
    function jumpTo(seq) {
        if (actions.controller && seq > 0)
            actions.controller.jumpTo(seq)
    }

    //! The full picker, to react to `seq` (the quick bar's "+", or the menu's React).
    function openReactionPicker(seq, anchor) {
        reactionPicker.seq = seq
        reactionPicker.parent = anchor || actions.messageList
        reactionPicker.x = anchor ? 0 : (actions.messageList.width - reactionPicker.width) / 2
        reactionPicker.y = anchor ? -reactionPicker.height - 8
                                  : (actions.messageList.height - reactionPicker.height) / 2
        reactionPicker.open()
    }

    //! The message mentioning the user jumped to last (the next jump goes below it).
    property var lastMentionSeq: 0
    function jumpToNextMention() {
        if (!actions.controller)
            return
        let seq = actions.controller.nextMentionSeq(actions.lastMentionSeq)
        if (!(seq > 0) && actions.lastMentionSeq > 0) // past the last one: from the top again
            seq = actions.controller.nextMentionSeq(0)
        if (seq > 0) {
            actions.lastMentionSeq = seq
            actions.controller.jumpTo(seq)
        }
    }

    Connections {
        target: actions.controller
        function onEditHistoryReady(seq, versions) { editHistory.show(versions) }
        function onActionFailed(message) {
            failure.message = message
            failure.open()
        }
    }
    //! Why a delete or a timer change was refused, for a few seconds over the messages.
    Popup {
        id: failure
        objectName: "actionFailure"
        property string message: ""
        parent: actions.messageList
        x: (actions.messageList.width - width) / 2
        y: actions.messageList.height - height - 16
        closePolicy: Popup.CloseOnPressOutside | Popup.CloseOnEscape
        onOpened: failureTimer.restart()
        Timer {
            id: failureTimer
            interval: 5000
            onTriggered: failure.close()
        }
        contentItem: Label {
            text: failure.message
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: "#e53935"
        }
    }

    EmojiPicker {
        id: reactionPicker
        objectName: "reactionPicker"
        property var seq: 0
        onPicked: emoji => {
            reactionPicker.close()
            actions.controller.react(reactionPicker.seq, emoji)
        }
    }
    MessageMenu {
        id: messageMenu
        objectName: "messageMenu"
        onReplyRequested: seq => actions.startReply(seq)
        onReactRequested: seq => actions.openReactionPicker(seq, null)
        onEditRequested: seq => actions.controller.startEdit(seq)
        onCopyRequested: seq => actions.controller.copyText(seq)
        onForwardRequested: seq => forwardDialog.show([seq])
        onSelectRequested: seq => actions.toggleSelected(seq)
        onDeleteForMeRequested: seq => deleteDialog.ask(seq, false)
        onDeleteForEveryoneRequested: seq => deleteDialog.ask(seq, true)
        onInfoRequested: seq => messageInfo.show(actions.controller.conversationId, seq)
    }
    DeleteMessageDialog {
        id: deleteDialog
        onDeleteForMe: seq => actions.controller.deleteForMe(seq)
        onDeleteForEveryone: seq => actions.controller.deleteForEveryone(seq)
    }
    ForwardDialog {
        id: forwardDialog
        account: actions.account
        onForwardRequested: (seqs, conversationIds) => {
            actions.controller.forward(seqs, conversationIds)
            actions.clearSelection()
        }
    }

    // While messages are selected: a bar over the list to forward them or delete them for me;
    // clicking a message adds or removes it (ConversationView), Esc or Cancel ends it.
    Pane {
        id: selectionBar
        objectName: "selectionBar"
        parent: actions.messageList
        visible: actions.selectedSeqs.length > 0
        width: parent ? parent.width : 0
        z: 10
        Material.elevation: 4
        padding: 6
        focus: visible
        Keys.onEscapePressed: actions.clearSelection()
        onVisibleChanged: if (visible) forceActiveFocus()
        Row {
            spacing: 8
            Label {
                objectName: "selectionCount"
                anchors.verticalCenter: parent.verticalCenter
                leftPadding: 8
                rightPadding: 8
                text: qsTr("%n selected", "", actions.selectedSeqs.length)
                textFormat: Text.PlainText
            }
            Button {
                objectName: "forwardSelected"
                text: qsTr("Forward")
                flat: true
                onClicked: forwardDialog.show(actions.sortedSelection())
            }
            Button {
                objectName: "deleteSelectedForMe"
                text: qsTr("Delete for me")
                flat: true
                onClicked: {
                    for (const seq of actions.sortedSelection())
                        actions.controller.deleteForMe(seq)
                    actions.clearSelection()
                }
            }
            Button {
                objectName: "cancelSelection"
                text: qsTr("Cancel")
                flat: true
                onClicked: actions.clearSelection()
            }
        }
    }
    EditHistoryDialog {
        id: editHistory
    }
    MessageInfoDialog {
        id: messageInfo
        account: actions.account
    }
}
