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

    function test_failedOffersRetry() {
        const item = make({ isOwn: true, status: StatusTicks.Failed, clientId: "c-1", error: "too large" })
        const row = findChild(item, "failedRow")
        verify(row.visible)
        retrySpy.target = item
        retrySpy.clear()
        item.retryRequested("c-1")
        compare(retrySpy.count, 1)
    }
}
