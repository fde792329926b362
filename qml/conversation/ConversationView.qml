pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import Messenger.Core
import Messenger.Conversation
import Messenger.Groups
import Messenger.Media
import QtQuick.Layouts

import Messenger.Components

// The open conversation: header, messages and the composer. Empty until one is chosen.
Page {
    id: view

    //! The account on screen (its groups' and messages' info panels work on it).
    required property Account account
    //! A ConversationController, or null.
    property var controller: null

    Label {
        anchors.centerIn: parent
        visible: !view.controller
        text: qsTr("Choose a chat on the left, or start a new one.")
        color: Material.hintTextColor
    }

    header: ConversationHeader {
        controller: view.controller
        onInfoRequested: view.openGroupInfo()
        onMenuRequested: button => conversationMenu.popup(button, 0, button.height)
    }

    Menu {
        id: conversationMenu
        objectName: "conversationMenu"
        MenuItem {
            objectName: "pinAction"
            text: view.controller && view.controller.pinned ? qsTr("Unpin") : qsTr("Pin to top")
            onTriggered: view.controller.pinned = !view.controller.pinned
        }
        MenuItem {
            objectName: "muteAction"
            text: view.controller && view.controller.muted ? qsTr("Unmute") : qsTr("Mute notifications")
            onTriggered: view.controller.muted = !view.controller.muted
        }
        MenuItem {
            objectName: "archiveAction"
            text: view.controller && view.controller.archived ? qsTr("Unarchive") : qsTr("Archive")
            onTriggered: view.controller.archived = !view.controller.archived
        }
        MenuItem {
            objectName: "searchHereAction"
            text: qsTr("Search in this chat")
            onTriggered: view.searchRequested()
        }
        Menu {
            id: timerMenu
            objectName: "disappearingMenu"
            title: qsTr("Disappearing messages")
            enabled: !!view.controller && view.controller.canSetTimer
            TimerItem { seconds: 0; current: view.timerSeconds; text: qsTr("Off"); onTriggered: view.controller.setDisappearing(0) }
            TimerItem { seconds: 300; current: view.timerSeconds; text: qsTr("5 minutes"); onTriggered: view.controller.setDisappearing(300) }
            TimerItem { seconds: 3600; current: view.timerSeconds; text: qsTr("1 hour"); onTriggered: view.controller.setDisappearing(3600) }
            TimerItem { seconds: 86400; current: view.timerSeconds; text: qsTr("1 day"); onTriggered: view.controller.setDisappearing(86400) }
            TimerItem { seconds: 604800; current: view.timerSeconds; text: qsTr("1 week"); onTriggered: view.controller.setDisappearing(604800) }
        }
    }
    //! One choice of the disappearing-messages timer, checked when it is the conversation's.
    component TimerItem: MenuItem {
        id: timerItem
        property int seconds
        property int current
        objectName: "timer_" + timerItem.seconds
        checkable: true
        checked: timerItem.current === timerItem.seconds
    }
    readonly property int timerSeconds: view.controller ? view.controller.disappearSeconds : 0
    //! "Search in this chat": the main page opens its search scoped to this conversation.
    signal searchRequested()
    //! "Message" on a group member: the main page opens the direct chat with them.
    signal directChatRequested(var userId)

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
            // Qt 6.4's own qmltypes declare Qt.callLater a QJSValue property, which qmllint
            // doubts is a method: it is one.
            onCountChanged: { if (atEnd) Qt.callLater(followEnd); visibleTimer.restart() } // qmllint disable type
            // Still at the end when it runs: a jump elsewhere (the first unread) meanwhile wins.
            function followEnd() { if (atEnd) positionViewAtEnd() }
            onModelChanged: { newCount = 0; visibleTimer.restart() }
            //! Messages that arrived while the user was reading further up (the jump button's badge).
            property int newCount: 0
            onAtEndChanged: if (atEnd) newCount = 0
            Connections {
                target: messages.model
                ignoreUnknownSignals: true
                function onRowsInserted(parent, first, last) {
                    // Appended below while scrolled up: count them on the jump button.
                    // (The model's own count: the view's may not have caught up inside this signal.)
                    if (!messages.atEnd && last === messages.model.rowCount() - 1)
                        messages.newCount += last - first + 1
                }
            }
            onHeightChanged: visibleTimer.restart()
            onContentYChanged: {
                if (view.controller && count > 0 && contentY <= originY + 100)
                    Qt.callLater(view.controller.loadOlder)
                visibleTimer.restart()
            }

            delegate: MessageDelegate {
                id: message
                // The rich-message roles, optional for the delegate: through the model object.
                required property var model
                x: 12
                width: ListView.view.width - 24
                showSender: !!view.controller && view.controller.isGroup
                richText: view.revealedTexts[message.seq] ?? (message.model.richText ?? "")
                emojiOnly: message.model.emojiOnly ?? false
                edited: message.model.edited ?? false
                deleted: message.model.deleted ?? false
                forwarded: message.model.forwarded ?? false
                mentionsMe: message.model.mentionsMe ?? false
                expiresAt: message.model.expiresAt
                replySeq: message.model.replySeq ?? 0
                replySenderName: message.model.replySenderName ?? ""
                replyExcerpt: message.model.replyExcerpt ?? ""
                replyState: message.model.replyState ?? "ok"
                reactions: message.model.reactions ?? []
                myReaction: message.model.myReaction ?? ""
                canEdit: message.model.canEdit ?? false
                canDeleteForEveryone: message.model.canDeleteForEveryone ?? false
                plainText: message.model.plainText ?? ""
                attachments: message.model.attachments ?? []
                AttachmentList {
                    parent: message.attachmentArea
                    attachments: message.hasAttachments ? message.attachments : []
                    controller: media
                    clientId: message.clientId
                    maximumWidth: Math.min(320, message.maximumBubbleWidth - 24)
                    onViewRequested: blobId => viewer.show(blobId)
                    onOpenRequested: (blobId, dangerous) => mediaDialogs.openFile(blobId, dangerous)
                    onSaveRequested: blobId => mediaDialogs.saveFile(blobId)
                    playback: conversationPlayback
                }
                onRetryRequested: clientId => view.controller.retry(clientId)
                onDiscardRequested: clientId => view.controller.discard(clientId)
                onContextMenuRequested: actions.openMessageMenu(message, null)
                onMoreRequested: anchor => actions.openMessageMenu(message, anchor)
                onReplyRequested: actions.startReply(message.seq)
                onReactRequested: emoji => view.controller.react(message.seq, emoji)
                onEmojiPickerRequested: anchor => actions.openReactionPicker(message.seq, anchor)
                onQuoteClicked: actions.jumpTo(message.replySeq)
                onSpoilersRequested: view.controller.revealSpoilers(message.seq)
                onHistoryRequested: view.controller.requestEditHistory(message.seq)
                unreadMarker: seq > 0 && seq === view.unreadSeq
                flash: seq > 0 && seq === view.flashSeq

                // Selection (forward or delete several): picked ones tinted; while any is picked,
                // a click picks or unpicks instead of reaching the bubble.
                readonly property bool selected: actions.selectedSeqs.indexOf(message.seq) >= 0
                Rectangle {
                    objectName: "selectedTint"
                    anchors.fill: parent
                    anchors.margins: -2
                    z: -1
                    radius: 6
                    visible: message.selected
                    color: Qt.rgba(message.Material.accentColor.r, message.Material.accentColor.g,
                                   message.Material.accentColor.b, 0.18)
                }
                MouseArea {
                    objectName: "selectArea"
                    anchors.fill: parent
                    z: 100
                    enabled: actions.selectedSeqs.length > 0 && message.seq > 0 && !message.isEvent
                    visible: enabled
                    onClicked: actions.toggleSelected(message.seq)
                }
            }
            ScrollBar.vertical: ScrollBar {}

            RoundButton {
                objectName: "jumpToMention"
                visible: !!view.controller && view.controller.unreadMentions > 0
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.rightMargin: 16
                anchors.bottomMargin: messages.atEnd || messages.count === 0 ? 16 : 72
                text: "@"
                font.pixelSize: 18
                font.bold: true
                Material.elevation: 4
                Material.foreground: Material.accentColor
                Accessible.name: qsTr("Jump to the next mention of you")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Next mention")
                ToolTip.delay: 500
                onClicked: actions.jumpToNextMention()
            }
            RoundButton {
                objectName: "jumpToBottom"
                visible: !messages.atEnd && messages.count > 0
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: 16
                text: "\u2193"
                font.pixelSize: 18
                Material.elevation: 4
                Accessible.name: messages.newCount > 0 ? qsTr("Jump to the newest message, %n new", "", messages.newCount)
                                                       : qsTr("Jump to the newest message")
                onClicked: { messages.atEnd = true; messages.positionViewAtEnd() }

                Rectangle {
                    objectName: "newCountBadge"
                    visible: messages.newCount > 0
                    anchors.horizontalCenter: parent.horizontalCenter
                    anchors.bottom: parent.top
                    anchors.bottomMargin: -8
                    width: Math.max(20, newCountLabel.implicitWidth + 10)
                    height: 20
                    radius: 10
                    color: Material.accentColor
                    Label {
                        id: newCountLabel
                        anchors.centerIn: parent
                        textFormat: Text.PlainText
                        text: messages.newCount > 99 ? "99+" : messages.newCount
                        color: "white"
                        font.pixelSize: 11
                        font.bold: true
                    }
                }
            }

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

        AttachStrip {
            id: attachStrip
            objectName: "attachStrip"
            Layout.fillWidth: true
            controller: media
        }

        VoiceNoteRecorder {
            id: voiceBar
            objectName: "voiceRecorderBar"
            Layout.fillWidth: true
            voiceNotes: conversationVoice
            holding: composer.voiceHolding
            cancelling: composer.voiceCancelling
        }

        Composer {
            id: composer
            Layout.fillWidth: true
            // The recording bar takes its place, except while 🎤 is held (it must keep the press).
            visible: !conversationVoice.recording || composer.voiceHolding
            property bool voiceHolding: false
            voiceEnabled: !!view.controller && view.controller.active
            onVoiceRecordRequested: {
                composer.voiceHolding = false
                conversationVoice.start()
                voiceBar.forceActiveFocus()
            }
            onVoiceHoldStarted: {
                composer.voiceHolding = true
                conversationVoice.start()
            }
            onVoiceHoldReleased: {
                composer.voiceHolding = false
                if (conversationVoice.recording)
                    conversationVoice.send()
            }
            onVoiceHoldCanceled: {
                composer.voiceHolding = false
                conversationVoice.cancel()
            }
            hasAttachments: media.drafts.length > 0
            pasteHandler: () => media.paste()
            onAttachRequested: mediaDialogs.chooseFiles()
            enabledForSending: !!view.controller && view.controller.active
            replying: !!view.controller && view.controller.replySeq > 0
            replySenderName: view.controller ? view.controller.replySenderName : ""
            replyExcerpt: view.controller ? view.controller.replyExcerpt : ""
            editing: !!view.controller && view.controller.editSeq > 0
            mentionSource: view.controller && view.controller.isGroup
                           ? (prefix => view.controller.mentionCandidates(prefix)) : null
            onSent: text => {
                const wasEditing = composer.editing
                if (media.drafts.length > 0 && !wasEditing) {
                    if (!media.send(text))
                        composer.text = text // kept: the strip says why
                    messages.atEnd = true
                    return
                }
                view.controller.send(text)
                if (!wasEditing)
                    messages.atEnd = true
            }
            onTyping: if (view.controller) view.controller.userTyping()
            onReplyCancelled: view.controller.cancelReply()
            onEditCancelled: view.controller.cancelEdit()
            onEditLastRequested: view.controller.startEditLast()
            onMentionInserted: (userId, name) => view.controller.addMention(userId, name)
        }
    }

    // Attachments (Messenger.Media): the conversation's MediaController, files dropped onto the
    // chat, the photo viewer and the file dialogs.
    MediaController {
        id: media
        objectName: "mediaController"
        account: view.account
        messages: view.controller ? view.controller.messages : null
    }
    // Voice notes, audio and video (Messenger.Media): one player per open conversation, and the
    // voice-note recorder behind the composer's 🎤.
    MediaPlayback {
        id: conversationPlayback
        objectName: "mediaPlayback"
        account: view.account
        messages: view.controller ? view.controller.messages : null
    }
    VoiceNotes {
        id: conversationVoice
        objectName: "voiceNotes"
        account: view.account
        messages: view.controller ? view.controller.messages : null
        onSent: messages.atEnd = true
    }
    DropArea {
        id: dropArea
        objectName: "chatDropArea"
        anchors.fill: parent
        enabled: !!view.controller && view.controller.active
        onDropped: drop => {
            if (!drop.hasUrls)
                return
            media.attachUrls(drop.urls)
            drop.accept(Qt.CopyAction)
            composer.input.forceActiveFocus()
        }
        Rectangle {
            anchors.fill: parent
            visible: dropArea.containsDrag
            color: Qt.rgba(view.Material.accentColor.r, view.Material.accentColor.g, view.Material.accentColor.b, 0.15)
            border.width: 2
            border.color: view.Material.accentColor
            Label {
                anchors.centerIn: parent
                text: qsTr("Drop files to send them")
                font.pixelSize: 20
                color: view.Material.accentColor
            }
        }
    }
    ImageViewer {
        id: viewer
        objectName: "imageViewer"
        controller: media
        onSaveRequested: blobId => mediaDialogs.saveFile(blobId)
    }
    MediaDialogs {
        id: mediaDialogs
        controller: media
    }

    function openGroupInfo() {
        if (view.controller && view.controller.isGroup) {
            groupInfo.conversationId = view.controller.conversationId
            groupInfo.open()
        }
    }


    GroupInfoPanel {
        id: groupInfo
        account: view.account
        onDirectChatRequested: userId => view.directChatRequested(userId)
    }
    Connections {
        target: view
        function onControllerChanged() { groupInfo.close(); actions.closeAll() }
    }


    //! The actions on one message: its menu, the reaction picker and the dialogs.
    MessageActions {
        id: actions
        controller: view.controller
        account: view.account
        messageList: messages
        composerInput: composer.input
    }

    //! The "Unread messages" line: above the first entry unread when the conversation opened.
    property var unreadSeq: 0
    //! Messages whose spoilers were clicked open: seq → their text with the spoilers shown.
    property var revealedTexts: ({})
    //! The entry a search result jumped to: it flashes for a moment.
    property var flashSeq: 0
    //! The controller the composer's text belongs to (drafts are saved to it).
    property var draftOwner: null

    //! Shows the entry `seq` (loading older history from the local store if needed) and flashes
    //! it; nothing happens when this device does not have it.
    function showMessage(seq) {
        if (!view.controller)
            return
        view.revealing = seq
        view.controller.revealMessage(seq)
    }

    //! A message to show when the conversation opens (MainPage.openMessage), instead of the
    //! first unread one.
    property var pendingSeq: 0
    //! The entry asked of the controller (revealMessage), and why: "show" flashes it, "unread"
    //! opens at it; 0 when nothing is asked.
    property var revealing: 0
    //! positionAtOpen() ran for this controller.
    property bool positioned: false
    property string revealReason: "show"

    //! Where a conversation opens, once its newest page is in: at the message asked for, at its
    //! first unread entry, else at the bottom.
    function positionAtOpen() {
        if (!view.controller || !view.controller.loaded || view.positioned)
            return
        view.positioned = true
        view.unreadSeq = view.controller.firstUnreadSeq
        const asked = view.pendingSeq
        view.pendingSeq = 0
        if (asked > 0) {
            messages.atEnd = false // not to the bottom while the store looks for it
            view.revealReason = "open"
            view.showMessage(asked)
        } else {
            view.openAtUnread()
        }
    }

    function openAtUnread() {
        if (view.unreadSeq > 0) {
            messages.atEnd = false
            view.revealReason = "unread"
            view.revealing = view.unreadSeq
            view.controller.revealMessage(view.unreadSeq)
        } else {
            messages.atEnd = true
            messages.positionViewAtEnd()
        }
    }

    Connections {
        target: view.controller
        function onFlash(row) {
            messages.atEnd = false
            messages.positionViewAtIndex(row, ListView.Center)
            if (messages.atYEnd) // it was in sight at the bottom already
                messages.atEnd = true
            const item = messages.itemAtIndex(row) as MessageDelegate
            view.flashSeq = item ? item.seq : 0
            flashTimer.restart()
        }
        function onSpoilersRevealed(seq, richText) {
            const texts = Object.assign({}, view.revealedTexts)
            texts[seq] = richText
            view.revealedTexts = texts
        }
        function onEditChanged() {
            if (view.controller.editSeq > 0) {
                composer.text = view.controller.editText
                composer.input.cursorPosition = composer.text.length
                composer.input.forceActiveFocus()
            } else {
                composer.text = view.controller.draft
            }
        }
        function onLoadedChanged() { view.positionAtOpen() }
        function onMessageRevealed(seq, row) {
            if (seq !== view.revealing)
                return
            const reason = view.revealReason
            view.revealing = 0
            view.revealReason = "show"
            if (reason === "unread") {
                if (row >= 0) {
                    messages.atEnd = false
                    messages.positionViewAtIndex(row, ListView.Beginning)
                    if (messages.atYEnd)
                        messages.atEnd = true
                } else {
                    messages.atEnd = true
                    messages.positionViewAtEnd()
                }
                return
            }
            if (row < 0) {
                // Not on this device: a conversation just opened still opens where it would.
                if (reason === "open")
                    view.openAtUnread()
                return
            }
            messages.atEnd = false
            messages.positionViewAtIndex(row, ListView.Center)
            view.flashSeq = seq
            flashTimer.restart()
        }
    }

    Timer {
        id: flashTimer
        interval: 1600
        onTriggered: view.flashSeq = 0
    }
    // Drafts: saved a moment after typing stops, and at once when another conversation opens.
    Timer {
        id: draftTimer
        interval: 400
        onTriggered: if (view.draftOwner) view.draftOwner.draft = composer.text
    }
    Connections {
        target: composer.input
        function onTextChanged() {
            if (view.draftOwner === view.controller && !composer.editing)
                draftTimer.restart()
        }
    }

    onControllerChanged: {
        if (draftTimer.running) {
            draftTimer.stop()
            if (draftOwner)
                draftOwner.draft = composer.text
        }
        draftOwner = null
        revealedTexts = {}
        flashSeq = 0
        revealing = 0
        revealReason = "show"
        positioned = false
        composer.text = controller ? controller.draft : ""
        draftOwner = controller
        if (controller) {
            composer.input.forceActiveFocus()
            Qt.callLater(positionAtOpen) // at once when its page is in already
        }
    }
}
