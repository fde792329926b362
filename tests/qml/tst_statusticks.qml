import QtQuick
import QtTest
import Messenger.Components

TestCase {
    id: testCase
    name: "StatusTicks"

    Component {
        id: ticksComponent
        StatusTicks {}
    }

    function test_status_data() {
        return [
            { tag: "pending", status: StatusTicks.Pending, text: "\u25F7", accessible: "Sending" },
            { tag: "sent", status: StatusTicks.Sent, text: "\u2713", accessible: "Sent" },
            { tag: "delivered", status: StatusTicks.Delivered, text: "\u2713\u2713", accessible: "Delivered" },
            { tag: "read", status: StatusTicks.Read, text: "\u2713\u2713", accessible: "Read" },
            { tag: "failed", status: StatusTicks.Failed, text: "!", accessible: "Not sent" },
        ]
    }

    function test_status(data) {
        const ticks = createTemporaryObject(ticksComponent, testCase, { status: data.status })
        verify(ticks)
        compare(ticks.text, data.text)
        compare(ticks.Accessible.name, data.accessible)
        if (data.status === StatusTicks.Read)
            verify(Qt.colorEqual(ticks.color, ticks.readColor))
        else if (data.status === StatusTicks.Failed)
            verify(Qt.colorEqual(ticks.color, ticks.failedColor))
        else
            verify(Qt.colorEqual(ticks.color, ticks.baseColor))
    }

    function test_enumMatchesTheCore() {
        // MessageListModel::Status: Pending, Sent, Delivered, Read, Failed.
        compare(StatusTicks.Pending, 0)
        compare(StatusTicks.Sent, 1)
        compare(StatusTicks.Delivered, 2)
        compare(StatusTicks.Read, 3)
        compare(StatusTicks.Failed, 4)
    }
}
