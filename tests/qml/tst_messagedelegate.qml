import QtQuick
import QtTest
import Messenger.Components

TestCase {
    id: testCase
    name: "MessageDelegate"
    when: windowShown
    visible: true
    width: 500
    height: 300

    Component {
        id: messageComponent
        MessageDelegate {
            width: 500
            seq: 5
            senderName: "Bob"
            text: "hello <i>there</i>"
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
        return item
    }

    function test_othersOnTheLeftOwnOnTheRight() {
        const theirs = make()
        const bubble = findChild(theirs, "bubble")
        compare(bubble.x, 0)
        verify(!findChild(theirs, "ticks").visible)
        const mine = make({ isOwn: true })
        const ownBubble = findChild(mine, "bubble")
        compare(ownBubble.x + ownBubble.width, mine.width)
        verify(findChild(mine, "ticks").visible)
    }

    function test_plainText() {
        const item = make()
        const text = findChild(item, "bubbleText")
        compare(text.text, "hello <i>there</i>")
        compare(text.textFormat, Text.PlainText)
    }

    function test_senderNameOnlyInGroups() {
        verify(!findChild(make(), "senderLabel").visible)
        verify(findChild(make({ showSender: true }), "senderLabel").visible)
        verify(!findChild(make({ showSender: true, isOwn: true }), "senderLabel").visible)
    }

    function test_eventIsACentredLine() {
        const item = make({ isEvent: true, text: "Bob added Carol" })
        verify(findChild(item, "eventLabel").visible)
        verify(!findChild(item, "bubble").visible)
    }

    function test_daySeparator() {
        const item = make({ firstOfDay: true })
        compare(findChild(item, "dayLabel").text, "Today")
    }

    SignalSpy { id: retrySpy; signalName: "retryRequested" }
    SignalSpy { id: discardSpy; signalName: "discardRequested" }

    // The failed row's buttons, clicked as the user does: each asks for its own action, with the
    // message's clientId, and only that.
    function test_failedOffersRetry() {
        const item = make({ isOwn: true, status: StatusTicks.Failed, clientId: "c-1", error: "too large" })
        const row = findChild(item, "failedRow")
        verify(row.visible)
        retrySpy.target = item
        retrySpy.clear()
        discardSpy.target = item
        discardSpy.clear()
        const retry = findChild(item, "retryButton")
        verify(retry)
        verify(retry.visible)
        waitForRendering(item)
        mouseClick(retry)
        compare(retrySpy.count, 1)
        compare(retrySpy.signalArguments[0][0], "c-1")
        compare(discardSpy.count, 0)
    }

    function test_failedOffersDelete() {
        const item = make({ isOwn: true, status: StatusTicks.Failed, clientId: "c-2" })
        discardSpy.target = item
        discardSpy.clear()
        retrySpy.target = item
        retrySpy.clear()
        const discard = findChild(item, "discardButton")
        verify(discard)
        verify(discard.visible)
        waitForRendering(item)
        mouseClick(discard)
        compare(discardSpy.count, 1)
        compare(discardSpy.signalArguments[0][0], "c-2")
        compare(retrySpy.count, 0)
    }

    function test_sentOffersNoRetry() {
        const item = make({ isOwn: true, status: StatusTicks.Sent, clientId: "c-3" })
        verify(!findChild(item, "failedRow").visible)
        verify(!findChild(item, "retryButton").visible)
    }
}
