import QtQuick
import QtTest
import Messenger.Components

// The composer's rich-message behaviours: formatting shortcuts wrapping the selection, the reply
// and edit bars (Esc cancels), Up in an empty box, and @mention autocomplete by keyboard.
TestCase {
    id: testCase
    name: "ComposerRich"
    when: windowShown
    visible: true
    width: 500
    height: 400

    Component {
        id: composerComponent
        Composer {
            width: 500
            y: 300
        }
    }

    readonly property var members: [
        { userId: 2, name: "Bob Builder", username: "bob" },
        { userId: 3, name: "Bella Swan", username: "bella" },
        { userId: 4, name: "Carol Danvers", username: "carol" }
    ]
    function candidates(prefix) {
        const lower = prefix.toLowerCase()
        return testCase.members.filter(m => m.name.toLowerCase().startsWith(lower)
                                            || m.username.startsWith(lower))
    }

    SignalSpy { id: spy }
    SignalSpy { id: sentSpy; signalName: "sent" }

    function makeComposer(properties) {
        const composer = createTemporaryObject(composerComponent, testCase, properties || {})
        verify(composer)
        sentSpy.target = composer
        sentSpy.clear()
        composer.input.forceActiveFocus()
        verify(composer.input.activeFocus)
        return composer
    }
    function spyOn(item, signalName) {
        spy.clear()
        spy.target = item
        spy.signalName = signalName
        return spy
    }

    function test_shortcutsWrapTheSelection_data() {
        return [
            { tag: "bold", key: Qt.Key_B, modifiers: Qt.ControlModifier, expected: "say *hello* now" },
            { tag: "italic", key: Qt.Key_I, modifiers: Qt.ControlModifier, expected: "say _hello_ now" },
            { tag: "strike", key: Qt.Key_X, modifiers: Qt.ControlModifier | Qt.ShiftModifier, expected: "say ~hello~ now" },
            { tag: "mono", key: Qt.Key_M, modifiers: Qt.ControlModifier | Qt.ShiftModifier, expected: "say `hello` now" },
            { tag: "spoiler", key: Qt.Key_P, modifiers: Qt.ControlModifier | Qt.ShiftModifier, expected: "say ||hello|| now" },
        ]
    }

    function test_shortcutsWrapTheSelection(data) {
        const composer = makeComposer()
        composer.text = "say hello now"
        composer.input.select(4, 9)
        keyClick(data.key, data.modifiers)
        compare(composer.text, data.expected)
        // The word stays selected: another shortcut wraps it again.
        compare(composer.input.selectedText, "hello")
        compare(sentSpy.count, 0)
    }

    function test_shortcutWithoutSelectionPutsTheCursorBetween() {
        const composer = makeComposer()
        keyClick(Qt.Key_B, Qt.ControlModifier)
        keyClick(Qt.Key_H)
        keyClick(Qt.Key_I)
        compare(composer.text, "*hi*")
    }

    function test_formatMenuWrapsTheSelection() {
        const composer = makeComposer()
        composer.text = "one two"
        composer.input.select(4, 7)
        mouseClick(findChild(composer, "formatButton"))
        const menu = findChild(composer, "formatMenu")
        tryCompare(menu, "opened", true)
        mouseClick(findChild(menu.contentItem, "formatItalic"))
        compare(composer.text, "one _two_")
    }

    function test_replyBarAndEscCancels() {
        const composer = makeComposer({ replying: true, replySenderName: "Bob", replyExcerpt: "lunch?" })
        const bar = findChild(composer, "composerBar")
        verify(bar.visible)
        const quote = findChild(composer, "composerReplyQuote")
        verify(quote.visible)
        compare(findChild(quote, "quoteSender").text, "Bob")
        compare(findChild(quote, "quoteExcerpt").text, "lunch?")
        spyOn(composer, "replyCancelled")
        keyClick(Qt.Key_Escape)
        compare(spy.count, 1)
        // The ✕ does the same.
        mouseClick(findChild(composer, "cancelBarButton"))
        compare(spy.count, 2)
        composer.replying = false
        verify(!bar.visible)
    }

    function test_editModeEnterSavesEscCancels() {
        const composer = makeComposer({ editing: true })
        composer.text = "fixed text"
        verify(findChild(composer, "editingLabel").visible)
        compare(findChild(composer, "sendButton").text, "Save")
        keyClick(Qt.Key_Return)
        compare(sentSpy.count, 1)
        compare(sentSpy.signalArguments[0][0], "fixed text")
        spyOn(composer, "editCancelled")
        keyClick(Qt.Key_Escape)
        compare(spy.count, 1)
    }

    function test_upInAnEmptyBoxEditsTheLastMessage() {
        const composer = makeComposer()
        spyOn(composer, "editLastRequested")
        keyClick(Qt.Key_Up)
        compare(spy.count, 1)
        // Not with text in the box (Up moves the cursor there), nor while editing.
        keyClick(Qt.Key_A)
        keyClick(Qt.Key_Up)
        compare(spy.count, 1)
        composer.text = ""
        composer.editing = true
        keyClick(Qt.Key_Up)
        compare(spy.count, 1)
    }

    function test_mentionPopupKeyboardSelection() {
        const composer = makeComposer({ mentionSource: testCase.candidates })
        const popup = findChild(composer, "mentionPopup")
        keyClick(Qt.Key_H)
        keyClick(Qt.Key_I)
        keyClick(Qt.Key_Space)
        verify(!popup.opened)
        keyClick(Qt.Key_At, Qt.ShiftModifier, "@")
        tryCompare(popup, "opened", true)
        compare(popup.candidates.length, 3)
        keyClick(Qt.Key_B)
        tryCompare(popup.candidates, "length", 2)
        compare(popup.currentIndex, 0)
        keyClick(Qt.Key_Down)
        compare(popup.currentIndex, 1)
        keyClick(Qt.Key_Down)
        compare(popup.currentIndex, 0) // round
        keyClick(Qt.Key_Up)
        compare(popup.currentIndex, 1)
        spyOn(composer, "mentionInserted")
        keyClick(Qt.Key_Return)
        compare(composer.text, "hi @Bella Swan ")
        compare(spy.count, 1)
        compare(spy.signalArguments[0][0], 3)
        compare(spy.signalArguments[0][1], "Bella Swan")
        compare(sentSpy.count, 0) // Enter chose, it did not send
        tryCompare(popup, "opened", false)
    }

    function test_mentionTabAcceptsEscCloses() {
        const composer = makeComposer({ mentionSource: testCase.candidates })
        const popup = findChild(composer, "mentionPopup")
        keyClick(Qt.Key_At, Qt.ShiftModifier, "@")
        keyClick(Qt.Key_C)
        tryCompare(popup, "opened", true)
        keyClick(Qt.Key_Tab)
        compare(composer.text, "@Carol Danvers ")
        keyClick(Qt.Key_At, Qt.ShiftModifier, "@")
        tryCompare(popup, "opened", true)
        keyClick(Qt.Key_Escape)
        tryCompare(popup, "opened", false)
        compare(composer.text, "@Carol Danvers @")
        // No candidates: no popup.
        keyClick(Qt.Key_Z)
        keyClick(Qt.Key_Z)
        verify(!popup.opened)
    }

    function test_noMentionsWithoutASource() {
        const composer = makeComposer()
        keyClick(Qt.Key_At, Qt.ShiftModifier, "@")
        verify(!findChild(composer, "mentionPopup").opened)
        // An e-mail address is no mention either.
        const other = makeComposer({ mentionSource: testCase.candidates })
        other.text = "mail bob"
        other.input.cursorPosition = other.text.length
        keyClick(Qt.Key_At, Qt.ShiftModifier, "@")
        verify(!findChild(other, "mentionPopup").opened)
    }
}
