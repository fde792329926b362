import QtQuick
import QtTest
import Messenger.Components

TestCase {
    id: testCase
    name: "Composer"
    when: windowShown
    visible: true
    width: 400
    height: 200

    Component {
        id: composerComponent
        Composer { width: 400 }
    }

    SignalSpy { id: sentSpy; signalName: "sent" }
    SignalSpy { id: typingSpy; signalName: "typing" }
    SignalSpy { id: holdStartedSpy; signalName: "voiceHoldStarted" }
    SignalSpy { id: holdReleasedSpy; signalName: "voiceHoldReleased" }
    SignalSpy { id: holdCanceledSpy; signalName: "voiceHoldCanceled" }

    function makeComposer() {
        const composer = createTemporaryObject(composerComponent, testCase)
        verify(composer)
        sentSpy.target = composer
        sentSpy.clear()
        typingSpy.target = composer
        typingSpy.clear()
        composer.input.forceActiveFocus()
        verify(composer.input.activeFocus)
        return composer
    }

    function test_enterSends() {
        const composer = makeComposer()
        keyClick(Qt.Key_H)
        keyClick(Qt.Key_I)
        verify(typingSpy.count > 0)
        keyClick(Qt.Key_Return)
        compare(sentSpy.count, 1)
        compare(sentSpy.signalArguments[0][0], "hi")
        compare(composer.text, "")
    }

    function test_keypadEnterSends() {
        const composer = makeComposer()
        keyClick(Qt.Key_A)
        keyClick(Qt.Key_Enter)
        compare(sentSpy.count, 1)
        compare(sentSpy.signalArguments[0][0], "a")
    }

    function test_shiftEnterAddsNewline() {
        const composer = makeComposer()
        keyClick(Qt.Key_A)
        keyClick(Qt.Key_Return, Qt.ShiftModifier)
        keyClick(Qt.Key_B)
        compare(sentSpy.count, 0)
        compare(composer.text, "a\nb")
        keyClick(Qt.Key_Return)
        compare(sentSpy.count, 1)
        compare(sentSpy.signalArguments[0][0], "a\nb")
    }

    function test_blankIsNotSent() {
        const composer = makeComposer()
        keyClick(Qt.Key_Space)
        keyClick(Qt.Key_Return)
        compare(sentSpy.count, 0)
        const button = findChild(composer, "sendButton")
        verify(button)
        verify(!button.enabled)
    }

    function test_disabledDoesNotSend() {
        const composer = makeComposer()
        composer.text = "hello"
        composer.enabledForSending = false
        composer.send()
        compare(sentSpy.count, 0)
    }

    function test_emojiPickerInsertsAtTheCursor() {
        const composer = makeComposer()
        keyClick(Qt.Key_A)
        keyClick(Qt.Key_B)
        composer.input.cursorPosition = 1
        const button = findChild(composer, "emojiButton")
        verify(button)
        mouseClick(button)
        const picker = findChild(composer, "emojiPicker")
        verify(picker)
        tryCompare(picker, "opened", true)
        // Categories switch the grid; a click inserts at the cursor and keeps the picker open.
        picker.category = 6
        tryVerify(() => findChild(picker.contentItem, "emoji_❤️") !== null)
        const heart = findChild(picker.contentItem, "emoji_❤️")
        mouseClick(heart)
        compare(composer.text, "a❤️b")
        verify(picker.opened)
        picker.category = 0
        tryVerify(() => findChild(picker.contentItem, "emoji_😀") !== null)
        const grin = findChild(picker.contentItem, "emoji_😀")
        mouseClick(grin)
        compare(composer.text, "a❤️😀b")
        compare(sentSpy.count, 0) // picking never sends
        keyClick(Qt.Key_Escape)
        tryCompare(picker, "opened", false)
    }

    function test_insertTextReplacesTheSelection() {
        const composer = makeComposer()
        composer.text = "hello world"
        composer.input.select(6, 11)
        composer.insertText("🌍")
        compare(composer.text, "hello 🌍")
    }

    // 🎤 held records; dragged away past voiceCancelDistance (🎤 turns into 🗑) the release
    // cancels; back near the button it sends again (Telegram's and WhatsApp's slide to cancel).
    function test_holdMicDragAwayCancels() {
        const composer = makeComposer()
        composer.voiceEnabled = true
        holdStartedSpy.target = composer
        holdStartedSpy.clear()
        holdReleasedSpy.target = composer
        holdReleasedSpy.clear()
        holdCanceledSpy.target = composer
        holdCanceledSpy.clear()
        const mic = findChild(composer, "voiceButton")
        verify(mic && mic.visible)
        waitForRendering(composer)
        const x = mic.width / 2
        const y = mic.height / 2
        const far = composer.voiceCancelDistance + 40

        mousePress(mic, x, y)
        tryCompare(holdStartedSpy, "count", 1)
        mouseMove(mic, x - 10, y - 4, -1, Qt.LeftButton)
        verify(!composer.voiceCancelling)
        mouseMove(mic, x - far, y, -1, Qt.LeftButton)
        verify(composer.voiceCancelling)
        compare(mic.text, "\uD83D\uDDD1")
        mouseRelease(mic, x - far, y)
        compare(holdCanceledSpy.count, 1)
        compare(holdReleasedSpy.count, 0)
        verify(!composer.voiceCancelling)
        compare(mic.text, "\uD83C\uDFA4")

        mousePress(mic, x, y)
        tryCompare(holdStartedSpy, "count", 2)
        mouseMove(mic, x - far, y, -1, Qt.LeftButton)
        verify(composer.voiceCancelling)
        mouseMove(mic, x - 10, y - 4, -1, Qt.LeftButton)
        verify(!composer.voiceCancelling)
        mouseRelease(mic, x - 10, y - 4)
        compare(holdReleasedSpy.count, 1)
        compare(holdCanceledSpy.count, 1)
        compare(sentSpy.count, 0)
    }
}
