import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// The message box: multi-line; Enter sends, Shift+Enter starts a new line.
Pane {
    id: root

    property alias text: input.text
    property alias input: input
    property bool enabledForSending: true

    //! The user sends `text` (already trimmed, never empty).
    signal sent(string text)
    //! The user typed something (for the typing indicator).
    signal typing()

    //! Puts `text` at the cursor (replacing a selection), as the emoji picker does.
    function insertText(text) {
        if (input.selectedText.length > 0)
            input.remove(input.selectionStart, input.selectionEnd)
        input.insert(input.cursorPosition, text)
        input.forceActiveFocus()
    }

    function send() {
        const text = input.text.trim()
        if (text.length === 0 || !enabledForSending)
            return
        root.sent(text)
        input.clear()
    }

    padding: 8

    RowLayout {
        anchors.fill: parent
        spacing: 8

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
                focus: true
                onTextChanged: if (text.length > 0) root.typing()

                Keys.onPressed: event => {
                    if (event.key === Qt.Key_Escape && emojiPicker.opened) {
                        // Picking puts the focus back here: Esc still closes the picker.
                        emojiPicker.close()
                        event.accepted = true
                        return
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

        RoundButton {
            objectName: "sendButton"
            text: qsTr("Send")
            highlighted: true
            enabled: root.enabledForSending && input.text.trim().length > 0
            onClicked: root.send()
        }
    }
}
