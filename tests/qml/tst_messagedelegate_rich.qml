import QtQuick
import QtTest
import Messenger.Components

// MessageDelegate's rich messages: formatted text, reply quote, reactions, edited / forwarded /
// deleted marks, large emoji, the hover toolbar and its quick reactions, links.
TestCase {
    id: testCase
    name: "MessageDelegateRich"
    when: windowShown
    visible: true
    width: 600
    height: 400

    Component {
        id: messageComponent
        MessageDelegate {
            width: 600
            seq: 5
            senderName: "Bob"
            text: "hello there"
            plainText: "hello there"
            timestamp: new Date()
            status: StatusTicks.Sent
            isOwn: false
            isEvent: false
            firstOfDay: false
            day: new Date()
            clientId: ""
            error: ""
        }
    }

    function make(properties) {
        const item = createTemporaryObject(messageComponent, testCase, properties || {})
        verify(item)
        waitForRendering(item)
        return item
    }

    SignalSpy { id: spy }
    function spyOn(item, signalName) {
        spy.clear()
        spy.target = item
        spy.signalName = signalName
        return spy
    }

    function test_richTextIsStyledTextOnlyWhenGiven() {
        const plain = make({ text: "<b>x</b>", plainText: "<b>x</b>" })
        compare(findChild(plain, "bubbleText").textFormat, Text.PlainText)
        const rich = make({ richText: "<b>bold</b> and &lt;b&gt;", plainText: "bold and <b>" })
        const text = findChild(rich, "bubbleText")
        compare(text.textFormat, Text.StyledText)
        compare(text.text, "<b>bold</b> and &lt;b&gt;")
        // What a selection copies is the plain text.
        const selectable = findChild(rich, "selectableText")
        compare(selectable.text, "bold and <b>")
        compare(selectable.textFormat, TextEdit.PlainText)
        verify(selectable.readOnly)
        verify(selectable.selectByMouse)
    }

    function test_selectingTheText() {
        const item = make({ plainText: "select me please" })
        const selectable = findChild(item, "selectableText")
        mouseDrag(selectable, 2, selectable.height / 2, selectable.width - 4, 0)
        verify(selectable.selectedText.length > 3, selectable.selectedText)
    }

    function test_replyQuote() {
        const item = make({ replySeq: 3, replySenderName: "Alice", replyExcerpt: "lunch?" })
        const quote = findChild(item, "replyQuote")
        verify(quote.visible)
        compare(findChild(quote, "quoteSender").text, "Alice")
        compare(findChild(quote, "quoteExcerpt").text, "lunch?")
        spyOn(item, "quoteClicked")
        mouseClick(quote)
        compare(spy.count, 1)
        verify(!findChild(make(), "replyQuote").visible)
    }

    function test_replyQuoteOfAGoneOrMissingMessage() {
        const deleted = make({ replySeq: 3, replySenderName: "Alice", replyState: "deleted" })
        compare(findChild(deleted, "quoteExcerpt").text, "Original message deleted")
        const missing = make({ replySeq: 3, replyState: "missing" })
        compare(findChild(missing, "quoteExcerpt").text, "Original message not loaded")
        verify(findChild(missing, "quoteExcerpt").font.italic)
    }

    function test_reactionChips() {
        const item = make({ reactions: [
            { emoji: "👍", count: 2, mine: true, names: ["You", "Carol"] },
            { emoji: "😂", count: 1, mine: false, names: ["Carol"] } ], myReaction: "👍" })
        const chips = findChild(item, "reactionChips")
        verify(chips.visible)
        const own = findChild(item, "reactionChip_👍")
        const other = findChild(item, "reactionChip_😂")
        verify(own && other)
        compare(findChild(own, "reactionChipEmoji").text, "👍")
        compare(findChild(own, "reactionChipLabel").text, "2")
        verify(own.mine)
        verify(!other.mine)
        verify(own.border.width > 0)
        compare(other.border.width, 0)
        compare(own.names, "You, Carol")
        // A click on a chip reacts with its emoji (the controller toggles one's own off).
        spyOn(item, "reactRequested")
        mouseClick(other)
        compare(spy.count, 1)
        compare(spy.signalArguments[0][0], "😂")
        mouseClick(own)
        compare(spy.signalArguments[1][0], "👍")
        verify(!findChild(make(), "reactionChips").visible)
    }

    function test_reactionNamesOnHover() {
        const item = make({ reactions: [{ emoji: "👍", count: 1, mine: false, names: ["<b>Carol</b>"] }] })
        const chip = findChild(item, "reactionChip_👍")
        mouseMove(chip, chip.width / 2, chip.height / 2)
        const tip = findChild(chip, "reactionNames")
        tryVerify(() => tip.visible)
        compare(tip.contentItem.text, "<b>Carol</b>")
        compare(tip.contentItem.textFormat, Text.PlainText)
    }

    function test_deletedLook() {
        const item = make({ deleted: true, text: "", plainText: "", reactions: [{ emoji: "👍", count: 1, mine: false, names: [] }],
                            replySeq: 2, edited: true, forwarded: true })
        verify(findChild(item, "deletedLabel").visible)
        verify(findChild(item, "deletedLabel").font.italic)
        compare(findChild(item, "deletedLabel").text, "This message was deleted")
        verify(!findChild(item, "messageText").visible)
        verify(!findChild(item, "reactionChips").visible)
        verify(!findChild(item, "replyQuote").visible)
        verify(!findChild(item, "editedLabel").visible)
        verify(!findChild(item, "forwardedLabel").visible)
        verify(!item.actionable)
        // No toolbar over a deleted message.
        const bubble = findChild(item, "bubble")
        mouseMove(bubble, bubble.width / 2, bubble.height / 2)
        wait(0)
        verify(!findChild(item, "hoverToolbar").visible)
    }

    function test_editedAndForwardedMarks() {
        const item = make({ edited: true, forwarded: true })
        verify(findChild(item, "forwardedLabel").visible)
        const edited = findChild(item, "editedLabel")
        verify(edited.visible)
        spyOn(item, "historyRequested")
        mouseClick(edited)
        compare(spy.count, 1)
        verify(!findChild(make(), "editedLabel").visible)
        verify(!findChild(make(), "forwardedLabel").visible)
    }

    function test_emojiOnlyIsLarge() {
        const normal = findChild(make({ plainText: "🎉" }), "bubbleText")
        const large = findChild(make({ plainText: "🎉", emojiOnly: true }), "bubbleText")
        verify(large.font.pixelSize >= 2 * normal.font.pixelSize)
    }

    function test_hoverToolbarAndQuickReactions() {
        const item = make()
        const toolbar = findChild(item, "hoverToolbar")
        mouseMove(testCase, testCase.width - 2, testCase.height - 2) // away from the message
        tryVerify(() => !toolbar.visible)
        const bubble = findChild(item, "bubble")
        mouseMove(bubble, bubble.width / 2, bubble.height / 2)
        tryVerify(() => toolbar.visible)
        // Beside the bubble, on the free side.
        verify(toolbar.x >= bubble.x + bubble.width)

        spyOn(item, "replyRequested")
        mouseClick(findChild(item, "replyButton"))
        compare(spy.count, 1)

        spyOn(item, "moreRequested")
        mouseClick(findChild(item, "moreButton"))
        compare(spy.count, 1)

        // React: the quick bar of six; one of them reacts.
        mouseMove(bubble, bubble.width / 2, bubble.height / 2)
        tryVerify(() => toolbar.visible)
        mouseClick(findChild(item, "reactButton"))
        const bar = toolbar.reactionBar
        verify(bar)
        tryCompare(bar, "opened", true)
        compare(bar.quick, ["👍", "❤️", "😂", "😮", "😢", "🙏"])
        spyOn(item, "reactRequested")
        const heart = findChild(bar.contentItem, "quickReaction_❤️")
        verify(heart)
        mouseClick(heart)
        compare(spy.count, 1)
        compare(spy.signalArguments[0][0], "❤️")
        tryCompare(bar, "visible", false)

        // "+": the full picker.
        mouseMove(bubble, bubble.width / 2, bubble.height / 2)
        mouseClick(findChild(item, "reactButton"))
        tryCompare(bar, "opened", true)
        spyOn(item, "emojiPickerRequested")
        mouseClick(findChild(bar.contentItem, "moreReactions"))
        compare(spy.count, 1)
    }

    function test_ownToolbarOnTheLeft() {
        const item = make({ isOwn: true })
        const bubble = findChild(item, "bubble")
        mouseMove(bubble, bubble.width / 2, bubble.height / 2)
        const toolbar = findChild(item, "hoverToolbar")
        tryVerify(() => toolbar.visible)
        verify(toolbar.x + toolbar.width <= bubble.x)
    }

    function test_noToolbarWhilePending() {
        const item = make({ seq: 0, isOwn: true, status: StatusTicks.Pending })
        verify(!item.actionable)
    }

    function test_linksOpenOnlyForTheWeb() {
        const item = make()
        const text = findChild(item, "messageText")
        verify(text.isOpenable("https://example.org/a"))
        verify(text.isOpenable("HTTP://example.org"))
        verify(text.isOpenable("mailto:bob@example.org"))
        verify(!text.isOpenable("file:///etc/passwd"))
        verify(!text.isOpenable("javascript:alert(1)"))
        verify(!text.isOpenable("spoiler:0"))
    }

    function test_hoveringALinkShowsItsAddress() {
        const item = make({ richText: "see <a href=\"https://example.org/long/path\">https://example.org/long/path</a>",
                            plainText: "see https://example.org/long/path" })
        const text = findChild(item, "messageText")
        const styled = findChild(item, "bubbleText")
        // Over the link (right of "see "), then away from it.
        mouseMove(findChild(item, "selectableText"), styled.implicitWidth - 10, styled.height / 2)
        tryCompare(text, "hoveredLink", "https://example.org/long/path")
        tryVerify(() => findChild(item, "linkToolTip").visible)
        compare(findChild(item, "linkToolTip").contentItem.textFormat, Text.PlainText)
        mouseMove(findChild(item, "selectableText"), 2, styled.height / 2)
        tryCompare(text, "hoveredLink", "")
    }

    function test_hiddenSpoilerAsksToBeShown() {
        const item = make({ richText: "a <a href=\"spoiler:0\">▒▒▒▒</a>", plainText: "a boom" })
        const styled = findChild(item, "bubbleText")
        spyOn(item, "spoilersRequested")
        mouseClick(findChild(item, "selectableText"), styled.implicitWidth - 8, styled.height / 2)
        compare(spy.count, 1)
        // A spoiler is no address to show.
        compare(findChild(item, "messageText").hoveredLink, "")
    }

    function test_flashAnimates() {
        const item = make()
        item.flash = true
        const bubble = findChild(item, "bubble")
        verify(bubble.border.width > 0)
    }

    function test_mentionOfMeIsMarked() {
        const item = make({ mentionsMe: true })
        verify(findChild(item, "bubble").border.width > 0)
    }
}
