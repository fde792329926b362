import QtQuick
import QtTest
import Messenger.Components

// MessageDelegate asks for a context menu (message info) on a right-click of its bubble.
TestCase {
    id: testCase
    name: "MessageDelegateMenu"
    when: windowShown
    visible: true
    width: 500
    height: 200

    Component {
        id: messageComponent
        MessageDelegate {
            width: 500
            seq: 5
            senderName: "You"
            text: "hello"
            timestamp: new Date()
            status: StatusTicks.Read
            isOwn: true
            isEvent: false
            firstOfDay: false
            day: new Date()
            clientId: "c-5"
            error: ""
        }
    }

    SignalSpy { id: menuSpy; signalName: "contextMenuRequested" }

    function test_rightClickOnTheBubbleAsksForTheMenu() {
        const item = createTemporaryObject(messageComponent, testCase)
        verify(item)
        menuSpy.target = item
        menuSpy.clear()
        const bubble = findChild(item, "bubble")
        mouseClick(bubble, bubble.width / 2, bubble.height / 2, Qt.LeftButton)
        compare(menuSpy.count, 0)
        mouseClick(bubble, bubble.width / 2, bubble.height / 2, Qt.RightButton)
        compare(menuSpy.count, 1)
    }
}
