pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Core
import Messenger.Chats

// Forward messages to one or several chats: the chat list with a search field, chats ticked,
// then "Forward". The copies are marked "Forwarded".
Dialog {
    id: dialog
    objectName: "forwardDialog"

    required property Account account
    //! The messages to forward (seqs of the open conversation).
    property var seqs: []
    //! The chats ticked (ids).
    property var picked: []

    signal forwardRequested(var seqs, var conversationIds)

    function show(messageSeqs) {
        dialog.seqs = messageSeqs
        dialog.picked = []
        search.text = ""
        open()
        search.forceActiveFocus()
    }

    function toggle(conversationId) {
        const list = dialog.picked.slice()
        const at = list.indexOf(conversationId)
        if (at >= 0)
            list.splice(at, 1)
        else
            list.push(conversationId)
        dialog.picked = list
    }

    title: qsTr("Forward to…")
    parent: Overlay.overlay
    anchors.centerIn: parent
    modal: true
    width: 400
    height: Math.min(560, parent ? parent.height - 40 : 560)

    ChatListController {
        id: chats
        account: dialog.account
        filter: search.text
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        TextField {
            id: search
            objectName: "forwardSearch"
            Layout.fillWidth: true
            placeholderText: qsTr("Search chats")
        }
        ListView {
            id: list
            objectName: "forwardList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: chats.conversations
            delegate: CheckDelegate {
                id: row
                required property var conversationId
                required property string name
                objectName: "forwardTo_" + name
                width: list.width
                // plain text: the Label below draws it (the text only places the box at the right)
                text: row.name
                // The ticks follow `picked` (a click toggles it there, never the box itself).
                checkable: false
                checked: dialog.picked.indexOf(row.conversationId) >= 0
                onClicked: dialog.toggle(row.conversationId)
                contentItem: Label {
                    leftPadding: 0
                    rightPadding: row.indicator.width + row.spacing
                    text: row.name
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    verticalAlignment: Text.AlignVCenter
                }
            }
            ScrollBar.vertical: ScrollBar {}
        }
        RowLayout {
            Layout.fillWidth: true
            Item { Layout.fillWidth: true }
            Button {
                objectName: "forwardCancel"
                flat: true
                text: qsTr("Cancel")
                onClicked: dialog.close()
            }
            Button {
                objectName: "forwardButton"
                highlighted: true
                enabled: dialog.picked.length > 0
                text: dialog.picked.length > 1 ? qsTr("Forward to %n chats", "", dialog.picked.length)
                                                : qsTr("Forward")
                onClicked: {
                    dialog.close()
                    dialog.forwardRequested(dialog.seqs, dialog.picked)
                }
            }
        }
    }
}
