import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// The message box: multi-line; Enter sends, Shift+Enter starts a new line. Above it, the message
// being replied to or edited (Esc cancels). Ctrl+B, Ctrl+I, Ctrl+Shift+X, Ctrl+Shift+M and
// Ctrl+Shift+P wrap the selection in *bold*, _italic_, ~strike~, `mono` and ||spoiler|| markers
// (the "Aa" menu does the same); in a group, "@" offers the members to mention.
Pane {
    id: root

    property alias text: input.text
    property alias input: input
    property bool enabledForSending: true
    //! Attachments wait in the strip above: the text is their caption and may be empty.
    property bool hasAttachments: false
    //! Ctrl+V: a function() → true when it took a picture or files from the clipboard (the
    //! attachments' controller); else the text box pastes text as usual. Null: text only.
    property var pasteHandler: null

    //! Replying: the quote above the box.
    property bool replying: false
    property string replySenderName: ""
    property string replyExcerpt: ""
    //! Editing one's own message: the box holds its text; Enter saves.
    property bool editing: false
    //! Members to mention for a "@" prefix: a function(prefix) → [{userId, name, username}], or
    //! null (no mentions: direct chats).
    property var mentionSource: null

    //! The user sends `text` (already trimmed, never empty).
    signal sent(string text)
    //! The user typed something (for the typing indicator).
    signal typing()
    signal replyCancelled()
    signal editCancelled()
    //! The attach button (📎): the view opens its file dialog.
    signal attachRequested()
    //! Voice notes can be recorded here: 🎤 shows instead of Send while the box is empty.
    property bool voiceEnabled: false
    readonly property bool showVoiceButton: root.voiceEnabled && !root.editing && !root.hasAttachments
                                            && input.text.length === 0
    //! 🎤 clicked: record with the recording bar (its Send sends).
    signal voiceRecordRequested()
    //! 🎤 held: record now; released: send it.
    signal voiceHoldStarted()
    signal voiceHoldReleased()
    //! 🎤 held, then dragged away past `voiceCancelDistance` and released: drop the note
    //! (Telegram's and WhatsApp's "slide to cancel").
    signal voiceHoldCanceled()
    //! 🎤 is held and the pointer is far enough from it that letting go drops the note.
    readonly property bool voiceCancelling: voiceButton.cancelling
    //! How far (pixels from the 🎤's centre) the pointer goes for a release to cancel.
    property real voiceCancelDistance: 80
    //! Up arrow in an empty box: edit the last message.
    signal editLastRequested()
    //! The user picked a member: "@name " is in the text.
    signal mentionInserted(var userId, string name)

    //! Puts `text` at the cursor (replacing a selection), as the emoji picker does.
    function insertText(text) {
        if (input.selectedText.length > 0)
            input.remove(input.selectionStart, input.selectionEnd)
        input.insert(input.cursorPosition, text)
        input.forceActiveFocus()
    }

    //! Wraps the selection in `marker` (keeping it selected); with none, puts the pair at the
    //! cursor, the cursor between.
    function wrapSelection(marker) {
        const start = input.selectionStart
        const end = input.selectionEnd
        if (start === end) {
            input.insert(start, marker + marker)
            input.cursorPosition = start + marker.length
        } else {
            input.insert(end, marker)
            input.insert(start, marker)
            input.select(start + marker.length, end + marker.length)
        }
        input.forceActiveFocus()
    }

    function send() {
        const text = input.text.trim()
        if ((text.length === 0 && !(root.hasAttachments && !root.editing)) || !enabledForSending)
            return
        root.closeMentions()
        root.sent(text)
        input.clear()
    }

    //! The "@prefix" just before the cursor ({start, prefix}), or null.
    function mentionAtCursor() {
        const before = input.text.substring(0, input.cursorPosition)
        const match = /(^|\s)@([^\s@]{0,32})$/.exec(before)
        return match ? { start: before.length - match[2].length - 1, prefix: match[2] } : null
    }

    function updateMentions() {
        const at = root.mentionSource ? root.mentionAtCursor() : null
        const candidates = at ? root.mentionSource(at.prefix) : []
        if (!candidates || candidates.length === 0) {
            root.closeMentions()
            return
        }
        mentionPopup.candidates = candidates
        root.mentioning = true
        mentionPopup.open()
    }

    //! The mention popup is up (not its fading out, when keys are the text's again).
    property bool mentioning: false
    function closeMentions() {
        root.mentioning = false
        mentionPopup.close()
    }

    function insertMention(userId, name) {
        const at = root.mentionAtCursor()
        if (!at)
            return
        input.remove(at.start, input.cursorPosition)
        input.insert(at.start, "@" + name + " ")
        root.closeMentions()
        root.mentionInserted(userId, name)
    }

    // Formatting shortcuts: [key, needs Shift, marker].
    readonly property var formats: [
        [Qt.Key_B, false, "*"], [Qt.Key_I, false, "_"], [Qt.Key_X, true, "~"],
        [Qt.Key_M, true, "`"], [Qt.Key_P, true, "||"]
    ]

    padding: 8

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

        // Replying to / editing: what, and ✕ (as Esc).
        RowLayout {
            objectName: "composerBar"
            visible: root.replying || root.editing
            Layout.fillWidth: true
            spacing: 8

            ReplyQuote {
                objectName: "composerReplyQuote"
                visible: root.replying && !root.editing
                Layout.fillWidth: true
                senderName: root.replySenderName
                excerpt: root.replyExcerpt
                clickable: false
            }
            Label {
                objectName: "editingLabel"
                visible: root.editing
                Layout.fillWidth: true
                text: qsTr("Editing message — Enter saves, Esc cancels")
                font.italic: true
                color: Material.accentColor
            }
            ToolButton {
                objectName: "cancelBarButton"
                text: "\u2715"
                Accessible.name: root.editing ? qsTr("Cancel editing") : qsTr("Cancel reply")
                onClicked: root.editing ? root.editCancelled() : root.replyCancelled()
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            ToolButton {
                objectName: "attachButton"
                text: "\uD83D\uDCCE"
                font.pixelSize: 20
                visible: !root.editing
                enabled: root.enabledForSending
                focusPolicy: Qt.NoFocus
                Layout.alignment: Qt.AlignBottom
                Accessible.name: qsTr("Attach files")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Attach files (or drop them here, or paste with Ctrl+V)")
                ToolTip.delay: 600
                onClicked: root.attachRequested()
            }
            ToolButton {
                id: emojiButton
                objectName: "emojiButton"
                text: "🙂"
                font.pixelSize: 20
                enabled: root.enabledForSending
                Layout.alignment: Qt.AlignBottom
                Accessible.name: qsTr("Emoji")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Emoji")
                ToolTip.delay: 600
                onClicked: emojiPicker.opened ? emojiPicker.close() : emojiPicker.open()

                EmojiPicker {
                    id: emojiPicker
                    objectName: "emojiPicker"
                    y: -height - 8
                    onPicked: emoji => root.insertText(emoji)
                }
            }
            ToolButton {
                id: formatButton
                objectName: "formatButton"
                text: "Aa"
                font.pixelSize: 14
                font.capitalization: Font.MixedCase
                enabled: root.enabledForSending
                focusPolicy: Qt.NoFocus
                Layout.alignment: Qt.AlignBottom
                Accessible.name: qsTr("Formatting")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Formatting")
                ToolTip.delay: 600
                onClicked: formatMenu.opened ? formatMenu.close() : formatMenu.popup(formatButton, 0, -formatMenu.height)

                Menu {
                    id: formatMenu
                    objectName: "formatMenu"
                    MenuItem { objectName: "formatBold"; text: qsTr("Bold (Ctrl+B)"); font.bold: true; onTriggered: root.wrapSelection("*") }
                    MenuItem { objectName: "formatItalic"; text: qsTr("Italic (Ctrl+I)"); font.italic: true; onTriggered: root.wrapSelection("_") }
                    MenuItem { objectName: "formatStrike"; text: qsTr("Strikethrough (Ctrl+Shift+X)"); font.strikeout: true; onTriggered: root.wrapSelection("~") }
                    MenuItem { objectName: "formatMono"; text: qsTr("Monospace (Ctrl+Shift+M)"); font.family: "monospace"; onTriggered: root.wrapSelection("`") }
                    MenuItem { objectName: "formatSpoiler"; text: qsTr("Spoiler (Ctrl+Shift+P)"); onTriggered: root.wrapSelection("||") }
                }
            }

            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(input.implicitHeight, 140)

                TextArea {
                    id: input
                    objectName: "composerInput"
                    placeholderText: root.enabledForSending ? qsTr("Write a message…")
                                                           : qsTr("You can no longer write here")
                    enabled: root.enabledForSending
                    wrapMode: TextArea.Wrap
                    textFormat: TextEdit.PlainText
                    // The format menu takes the focus: the selection it wraps stays.
                    persistentSelection: true
                    focus: true
                    onTextChanged: {
                        if (text.length > 0)
                            root.typing()
                        root.updateMentions()
                    }
                    onCursorPositionChanged: if (root.mentioning) root.updateMentions()

                    MentionPopup {
                        id: mentionPopup
                        objectName: "mentionPopup"
                        y: -height - 8
                        onChosen: (userId, name) => root.insertMention(userId, name)
                        onClosed: root.mentioning = false
                    }

                    Keys.onPressed: event => {
                        const mods = event.modifiers & (Qt.ControlModifier | Qt.ShiftModifier | Qt.AltModifier)
                        if (root.mentioning) {
                            if (event.key === Qt.Key_Up || event.key === Qt.Key_Down) {
                                mentionPopup.move(event.key === Qt.Key_Up ? -1 : 1)
                                event.accepted = true
                                return
                            }
                            if (event.key === Qt.Key_Tab || ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                                             && !(mods & Qt.ShiftModifier))) {
                                mentionPopup.accept()
                                event.accepted = true
                                return
                            }
                            if (event.key === Qt.Key_Escape) {
                                root.closeMentions()
                                event.accepted = true
                                return
                            }
                        }
                        if (event.key === Qt.Key_Escape) {
                            if (emojiPicker.opened) {
                                // Picking puts the focus back here: Esc still closes the picker.
                                emojiPicker.close()
                                event.accepted = true
                            } else if (root.editing) {
                                root.editCancelled()
                                event.accepted = true
                            } else if (root.replying) {
                                root.replyCancelled()
                                event.accepted = true
                            }
                            return
                        }
                        if (event.key === Qt.Key_Up && mods === 0 && input.text.length === 0 && !root.editing) {
                            root.editLastRequested()
                            event.accepted = true
                            return
                        }
                        if (event.key === Qt.Key_V && mods === Qt.ControlModifier && root.pasteHandler
                                && !root.editing && root.pasteHandler()) {
                            event.accepted = true
                            return
                        }
                        if (mods & Qt.ControlModifier) {
                            for (const format of root.formats) {
                                const shift = (mods & Qt.ShiftModifier) !== 0
                                if (event.key === format[0] && shift === format[1] && !(mods & Qt.AltModifier)) {
                                    root.wrapSelection(format[2])
                                    event.accepted = true
                                    return
                                }
                            }
                        }
                        if (event.key !== Qt.Key_Return && event.key !== Qt.Key_Enter)
                            return
                        event.accepted = true
                        if (event.modifiers & Qt.ShiftModifier) {
                            // A plain "\n": the default Shift+Enter would insert U+2028.
                            input.remove(input.selectionStart, input.selectionEnd)
                            input.insert(input.cursorPosition, "\n")
                        } else {
                            root.send()
                        }
                    }
                }
            }

            // 🎤 instead of Send while the box is empty (Signal, Telegram): a click starts the
            // recording bar, holding records until released (then it sends); dragged away while
            // held, the release drops it instead. The button keeps the mouse grab while the
            // pointer is outside, so pressX/pressY (the last move) follow it anywhere.
            RoundButton {
                id: voiceButton
                objectName: "voiceButton"
                property bool pressAndHoldFired: false
                readonly property bool cancelling: pressAndHoldFired
                    && Math.hypot(pressX - width / 2, pressY - height / 2) > root.voiceCancelDistance
                function finishHold() {
                    if (!pressAndHoldFired)
                        return
                    const cancel = cancelling // pressX/pressY are the release point by now
                    pressAndHoldFired = false
                    if (cancel)
                        root.voiceHoldCanceled()
                    else
                        root.voiceHoldReleased()
                }
                visible: root.showVoiceButton
                enabled: root.enabledForSending
                highlighted: !cancelling
                text: cancelling ? "\uD83D\uDDD1" : "\uD83C\uDFA4"
                font.pixelSize: 18
                focusPolicy: Qt.NoFocus
                Accessible.name: qsTr("Record a voice note")
                ToolTip.visible: hovered && !pressed
                ToolTip.text: qsTr("Voice note: click to record, or hold and release to send (drag away to cancel)")
                ToolTip.delay: 600
                onPressed: pressAndHoldFired = false
                onPressAndHold: {
                    pressAndHoldFired = true
                    root.voiceHoldStarted()
                }
                // Released outside the button, AbstractButton says canceled(), not released().
                onReleased: finishHold()
                onCanceled: finishHold()
                onClicked: if (!pressAndHoldFired) root.voiceRecordRequested()
            }
            RoundButton {
                objectName: "sendButton"
                visible: !root.showVoiceButton
                text: root.editing ? qsTr("Save") : qsTr("Send")
                highlighted: true
                enabled: root.enabledForSending && (input.text.trim().length > 0 || (root.hasAttachments && !root.editing))
                onClicked: root.send()
            }
        }
    }
}
