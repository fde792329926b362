pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material

import "Formats.js" as Formats

// One entry of a conversation: a day header when it starts a day, then a bubble (own ones on the
// right) or, for membership events, a centred line. The required properties are
// MessageListModel's roles.
Item {
    id: root

    required property var seq
    required property string senderName
    required property string text
    required property var timestamp
    required property int status
    required property bool isOwn
    required property bool isEvent
    required property bool firstOfDay
    required property var day
    required property string clientId
    required property string error

    //! Groups name the sender above the others' bubbles.
    property bool showSender: false
    //! The first entry not read when the conversation opened: an "Unread messages" line above.
    property bool unreadMarker: false
    //! Briefly true when the view jumps here (a search result): the bubble flashes.
    property bool flash: false
    property real maximumBubbleWidth: width * 0.7

    // Rich messages (MessageListModel's roles of the same names; the view passes them on, so the
    // delegate also works, plain, for a model without them).
    //! StyledText from the body formatter; "" for plain text.
    property string richText: ""
    property bool emojiOnly: false
    property bool edited: false
    property bool deleted: false
    property bool forwarded: false
    property bool mentionsMe: false
    //! When the message disappears (invalid: never).
    property var expiresAt: undefined
    property var replySeq: 0
    property string replySenderName: ""
    property string replyExcerpt: ""
    //! "ok", "deleted" or "missing".
    property string replyState: "ok"
    //! [{emoji, count, mine, names}]
    property var reactions: []
    property string myReaction: ""
    property bool canEdit: false
    property bool canDeleteForEveryone: false
    //! The text as typed (what Copy copies); the `text` role when empty.
    property string plainText: ""
    readonly property string copyableText: plainText.length > 0 ? plainText : text
    //! The pointer is over the entry (the hover toolbar shows).
    readonly property bool hovered: rowHover.hovered
    //! Actions are offered: a stored message, not deleted.
    readonly property bool actionable: !root.isEvent && !root.deleted && root.seq > 0
    //! MessageListModel's `attachments` role. The view puts what shows them (Messenger.Media's
    //! AttachmentList; this module stays free of it) into `attachmentArea`, above the caption.
    property var attachments: []
    property alias attachmentArea: attachmentHolder
    readonly property bool hasAttachments: root.attachments.length > 0 && !root.deleted

    signal retryRequested(string clientId)
    signal discardRequested(string clientId)
    //! Right-click or long press on the bubble: the view offers what can be done with it.
    signal contextMenuRequested()
    //! The toolbar's ⋯: the same menu, under `anchor`.
    signal moreRequested(Item anchor)
    signal replyRequested()
    //! A reaction picked (quick bar or chip): the controller toggles it.
    signal reactRequested(string emoji)
    //! The quick bar's "+": the full emoji picker, to react with.
    signal emojiPickerRequested(Item anchor)
    //! The reply quote was clicked: jump to the original.
    signal quoteClicked()
    //! "edited" was clicked: the edit history.
    signal historyRequested()
    //! A hidden spoiler was clicked: the view asks for the text with spoilers shown.
    signal spoilersRequested()

    function dayText(date) {
        const now = new Date()
        if (Formats.sameDay(date, now))
            return qsTr("Today")
        const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1)
        if (Formats.sameDay(date, yesterday))
            return qsTr("Yesterday")
        return Qt.formatDate(date, Qt.locale().dateFormat(Locale.LongFormat))
    }

    implicitHeight: column.implicitHeight + 4

    Column {
        id: column
        width: parent.width
        spacing: 4

        Item {
            visible: root.firstOfDay
            width: parent.width
            height: visible ? dayLabel.implicitHeight + 16 : 0

            Label {
                id: dayLabel
                objectName: "dayLabel"
                anchors.centerIn: parent
                text: root.firstOfDay && root.day ? root.dayText(root.day) : ""
                textFormat: Text.PlainText
                font.pixelSize: 12
                font.bold: true
                color: Material.hintTextColor
                padding: 4
                leftPadding: 10
                rightPadding: 10
                background: Rectangle {
                    radius: height / 2
                    color: Material.theme === Material.Dark ? "#33ffffff" : "#14000000"
                }
            }
        }

        Item {
            objectName: "unreadLine"
            visible: root.unreadMarker
            width: parent.width
            height: visible ? unreadLabel.implicitHeight + 12 : 0

            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                width: parent.width
                height: 1
                color: Material.accentColor
                opacity: 0.5
            }
            Label {
                id: unreadLabel
                anchors.centerIn: parent
                text: qsTr("Unread messages")
                font.pixelSize: 12
                font.bold: true
                color: Material.accentColor
                leftPadding: 8
                rightPadding: 8
                background: Rectangle { color: Material.backgroundColor }
            }
        }

        Label {
            objectName: "eventLabel"
            visible: root.isEvent
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: root.text
            textFormat: Text.PlainText
            font.pixelSize: 12
            font.italic: true
            color: Material.hintTextColor
        }

        Item {
            id: bubbleRow
            visible: !root.isEvent
            width: parent.width
            height: visible ? bubble.height : 0

            HoverHandler { id: rowHover }

            Rectangle {
                id: bubble
                objectName: "bubble"
                anchors.right: root.isOwn ? parent.right : undefined
                anchors.left: root.isOwn ? undefined : parent.left
                width: Math.min(root.maximumBubbleWidth,
                                Math.max(messageText.visible ? messageText.implicitWidth : 0, meta.implicitWidth,
                                         attachmentHolder.visible ? attachmentHolder.implicitWidth : 0,
                                         sender.visible ? sender.implicitWidth : 0,
                                         forwardedLabel.visible ? forwardedLabel.implicitWidth : 0,
                                         quote.visible ? quote.implicitWidth : 0,
                                         deletedLabel.visible ? deletedLabel.implicitWidth : 0) + 24)
                height: bubbleColumn.implicitHeight + 12
                radius: 12
                color: root.isOwn ? (Material.theme === Material.Dark ? "#1e4d3a" : "#dcf8c6")
                                  : (Material.theme === Material.Dark ? "#2f3438" : "#ffffff")
                border.width: root.flash ? 2 : root.status === StatusTicks.Failed && root.isOwn ? 1
                            : root.mentionsMe && !root.isOwn ? 1 : 0
                border.color: root.flash || root.mentionsMe ? Material.accentColor : "#e53935"

                TapHandler {
                    objectName: "bubbleMenuHandler"
                    acceptedButtons: Qt.RightButton
                    onTapped: root.contextMenuRequested()
                }
                TapHandler {
                    acceptedDevices: PointerDevice.TouchScreen
                    onLongPressed: root.contextMenuRequested()
                }

                // The flash when the view jumps here (a reply's quote, a search result).
                Rectangle {
                    id: flashOverlay
                    anchors.fill: parent
                    radius: parent.radius
                    color: Material.accentColor
                    opacity: 0
                    SequentialAnimation {
                        running: root.flash
                        loops: 2
                        NumberAnimation { target: flashOverlay; property: "opacity"; to: 0.35; duration: 250 }
                        NumberAnimation { target: flashOverlay; property: "opacity"; to: 0; duration: 350 }
                    }
                }

                Column {
                    id: bubbleColumn
                    x: 12
                    y: 6
                    width: parent.width - 24
                    spacing: 2

                    Label {
                        id: sender
                        objectName: "senderLabel"
                        visible: root.showSender && !root.isOwn
                        text: root.senderName
                        textFormat: Text.PlainText
                        font.pixelSize: 12
                        font.bold: true
                        color: Material.accentColor
                    }
                    Label {
                        id: forwardedLabel
                        objectName: "forwardedLabel"
                        visible: root.forwarded && !root.deleted
                        text: qsTr("Forwarded")
                        font.pixelSize: 11
                        font.italic: true
                        color: Material.hintTextColor
                    }
                    ReplyQuote {
                        id: quote
                        objectName: "replyQuote"
                        visible: root.replySeq > 0 && !root.deleted
                        width: Math.min(implicitWidth, parent.width)
                        senderName: root.replySenderName
                        excerpt: root.replyExcerpt
                        quoteState: root.replyState
                        clickable: root.replyState !== "deleted"
                        onClicked: root.quoteClicked()
                    }
                    Item {
                        id: attachmentHolder
                        objectName: "attachmentArea"
                        visible: root.hasAttachments
                        implicitWidth: childrenRect.width
                        implicitHeight: childrenRect.height
                        width: implicitWidth
                        height: visible ? implicitHeight : 0
                    }
                    MessageText {
                        id: messageText
                        objectName: "messageText"
                        // A photo without a caption has no text line.
                        visible: !root.deleted && !(root.hasAttachments && root.plainText.length === 0)
                        width: Math.min(implicitWidth, parent.width)
                        maximumWidth: root.maximumBubbleWidth - 24
                        richText: root.richText
                        plainText: root.copyableText
                        emojiOnly: root.emojiOnly
                        onSpoilerClicked: root.spoilersRequested()
                    }
                    Label {
                        id: deletedLabel
                        objectName: "deletedLabel"
                        visible: root.deleted
                        text: qsTr("This message was deleted")
                        font.italic: true
                        color: Material.hintTextColor
                    }
                    Row {
                        id: meta
                        anchors.right: parent.right
                        spacing: 4

                        Label {
                            objectName: "expiryMark"
                            visible: !!root.expiresAt && !isNaN(root.expiresAt) && !root.deleted
                            text: "\u23F1"
                            font.pixelSize: 11
                            color: Material.hintTextColor
                            Accessible.name: qsTr("Disappears")
                        }
                        Label {
                            id: editedLabel
                            objectName: "editedLabel"
                            visible: root.edited && !root.deleted
                            text: qsTr("edited")
                            font.pixelSize: 11
                            font.italic: true
                            color: Material.hintTextColor
                            HoverHandler { cursorShape: Qt.PointingHandCursor }
                            TapHandler { onTapped: root.historyRequested() }
                        }
                        Label {
                            text: Formats.time(root.timestamp)
                            textFormat: Text.PlainText
                            font.pixelSize: 11
                            color: Material.hintTextColor
                        }
                        StatusTicks {
                            objectName: "ticks"
                            visible: root.isOwn
                            status: root.status
                        }
                    }
                }
            }

            // On hover: react, reply, more; beside the bubble, on the side with room.
            Row {
                id: toolbar
                objectName: "hoverToolbar"
                visible: root.actionable && (rowHover.hovered || (reactionBar !== null && reactionBar.opened))
                anchors.verticalCenter: bubble.verticalCenter
                x: root.isOwn ? bubble.x - width - 4 : bubble.x + bubble.width + 4
                spacing: 0
                property ReactionBar reactionBar: null

                ToolButton {
                    id: reactButton
                    objectName: "reactButton"
                    text: "\u263A"
                    font.pixelSize: 16
                    implicitWidth: 32
                    implicitHeight: 32
                    Accessible.name: qsTr("React")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("React")
                    ToolTip.delay: 500
                    onClicked: root.openReactionBar(reactButton)
                }
                ToolButton {
                    objectName: "replyButton"
                    text: "\u21A9"
                    font.pixelSize: 16
                    implicitWidth: 32
                    implicitHeight: 32
                    Accessible.name: qsTr("Reply")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Reply")
                    ToolTip.delay: 500
                    onClicked: root.replyRequested()
                }
                ToolButton {
                    id: moreButton
                    objectName: "moreButton"
                    text: "\u22EF"
                    font.pixelSize: 16
                    implicitWidth: 32
                    implicitHeight: 32
                    Accessible.name: qsTr("More")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("More")
                    ToolTip.delay: 500
                    onClicked: root.moreRequested(moreButton)
                }
            }
        }

        ReactionChips {
            id: chips
            objectName: "reactionChips"
            visible: root.reactions.length > 0 && !root.deleted
            x: root.isOwn ? parent.width - width : 8
            width: Math.min(implicitWidth, root.maximumBubbleWidth)
            reactions: root.reactions
            onChipClicked: emoji => root.reactRequested(emoji)
        }

        Row {
            objectName: "failedRow"
            visible: root.isOwn && root.status === StatusTicks.Failed
            anchors.right: parent.right
            spacing: 4

            Label {
                objectName: "failedReason"
                anchors.verticalCenter: parent.verticalCenter
                text: root.error.length > 0 ? qsTr("Not sent: %1").arg(root.error) : qsTr("Not sent")
                textFormat: Text.PlainText
                font.pixelSize: 11
                color: "#e53935"
            }
            Button {
                objectName: "retryButton"
                flat: true
                text: qsTr("Retry")
                onClicked: root.retryRequested(root.clientId)
            }
            Button {
                objectName: "discardButton"
                flat: true
                text: qsTr("Delete")
                onClicked: root.discardRequested(root.clientId)
            }
        }
    }

    Component {
        id: reactionBarComponent
        ReactionBar {
            onPicked: emoji => root.reactRequested(emoji)
            onMoreRequested: root.emojiPickerRequested(toolbar)
        }
    }

    //! The quick bar of six over `anchor` (made on first use: most messages never need one).
    function openReactionBar(anchor) {
        if (!toolbar.reactionBar)
            toolbar.reactionBar = reactionBarComponent.createObject(anchor) as ReactionBar
        const bar = toolbar.reactionBar
        bar.current = root.myReaction
        // Above the button, or below it where the window has no room above; towards the bubble.
        const top = anchor.mapToItem(null, 0, 0).y
        bar.y = top > bar.implicitHeight + 8 ? -bar.implicitHeight - 4 : anchor.height + 4
        bar.x = root.isOwn ? anchor.width - bar.implicitWidth : 0
        bar.open()
    }
}
