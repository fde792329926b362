import QtQuick
import QtQuick.Controls.Material

// What can be done with one message (right-click on a bubble, or the hover toolbar's ⋯): each
// action only where it is allowed. The view sets the message's facts, then popup(); the chosen
// action comes back as a signal with the message's seq.
Menu {
    id: root

    property var seq: 0
    property bool isOwn: false
    property bool isEvent: false
    property bool deleted: false
    property bool canEdit: false
    property bool canDeleteForEveryone: false
    property bool hasText: true

    //! A stored message with its content: the usual actions apply.
    readonly property bool live: !root.isEvent && !root.deleted && root.seq > 0

    //! Sets the facts from a MessageDelegate (or anything with the same properties).
    function setMessage(message) {
        root.seq = message.seq
        root.isOwn = message.isOwn
        root.isEvent = message.isEvent
        root.deleted = message.deleted
        root.canEdit = message.canEdit
        root.canDeleteForEveryone = message.canDeleteForEveryone
        root.hasText = message.copyableText.length > 0
    }

    signal replyRequested(var seq)
    signal reactRequested(var seq)
    signal editRequested(var seq)
    signal copyRequested(var seq)
    signal forwardRequested(var seq)
    signal selectRequested(var seq)
    signal deleteForMeRequested(var seq)
    signal deleteForEveryoneRequested(var seq)
    signal infoRequested(var seq)

    // An action shows where it is allowed; a hidden one takes no room in the menu.
    component MessageAction: MenuItem {
        property bool allowed: true
        visible: allowed
        height: allowed ? implicitHeight : 0
    }

    MessageAction {
        objectName: "replyAction"
        text: qsTr("Reply")
        allowed: root.live
        onTriggered: root.replyRequested(root.seq)
    }
    MessageAction {
        objectName: "reactAction"
        text: qsTr("React…")
        allowed: root.live
        onTriggered: root.reactRequested(root.seq)
    }
    MessageAction {
        objectName: "editAction"
        text: qsTr("Edit")
        allowed: root.live && root.isOwn && root.canEdit
        onTriggered: root.editRequested(root.seq)
    }
    MessageAction {
        objectName: "copyAction"
        text: qsTr("Copy text")
        allowed: root.live && root.hasText
        onTriggered: root.copyRequested(root.seq)
    }
    MessageAction {
        objectName: "forwardAction"
        text: qsTr("Forward…")
        allowed: root.live
        onTriggered: root.forwardRequested(root.seq)
    }
    MessageAction {
        objectName: "selectAction"
        text: qsTr("Select")
        allowed: root.live
        onTriggered: root.selectRequested(root.seq)
    }
    MessageAction {
        objectName: "deleteForMeAction"
        text: qsTr("Delete for me")
        allowed: !root.isEvent && root.seq > 0
        onTriggered: root.deleteForMeRequested(root.seq)
    }
    MessageAction {
        objectName: "deleteForEveryoneAction"
        text: qsTr("Delete for everyone")
        allowed: root.live && root.canDeleteForEveryone
        onTriggered: root.deleteForEveryoneRequested(root.seq)
    }
    MessageAction {
        objectName: "messageInfoAction"
        text: qsTr("Message info")
        allowed: root.live && root.isOwn
        onTriggered: root.infoRequested(root.seq)
    }
}
