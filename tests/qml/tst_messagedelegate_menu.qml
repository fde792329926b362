import QtQuick
import QtTest
import Messenger.Components

// MessageDelegate asks for a context menu on a right-click of its bubble (or its text), and
// MessageMenu offers each action only where it is allowed.
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

    Component {
        id: menuComponent
        MessageMenu {}
    }

    // The objectNames of the menu's items that show.
    function shown(menu) {
        const names = []
        for (let i = 0; i < menu.count; ++i) {
            const item = menu.itemAt(i)
            if (item.allowed)
                names.push(item.objectName)
        }
        return names
    }

    function menuFor(properties) {
        const message = createTemporaryObject(messageComponent, testCase, properties)
        const menu = createTemporaryObject(menuComponent, testCase)
        menu.setMessage(message)
        return menu
    }

    function test_menuItemsPerPermission_data() {
        return [
            { tag: "others' message", properties: { isOwn: false },
              items: ["replyAction", "reactAction", "copyAction", "forwardAction", "selectAction", "deleteForMeAction"] },
            { tag: "others' in a group, as admin", properties: { isOwn: false, canDeleteForEveryone: true },
              items: ["replyAction", "reactAction", "copyAction", "forwardAction", "selectAction", "deleteForMeAction",
                      "deleteForEveryoneAction"] },
            { tag: "own, recent", properties: { isOwn: true, canEdit: true, canDeleteForEveryone: true },
              items: ["replyAction", "reactAction", "editAction", "copyAction", "forwardAction",
                      "selectAction", "deleteForMeAction", "deleteForEveryoneAction", "messageInfoAction"] },
            { tag: "own, past the windows", properties: { isOwn: true, canEdit: false, canDeleteForEveryone: false },
              items: ["replyAction", "reactAction", "copyAction", "forwardAction", "selectAction", "deleteForMeAction",
                      "messageInfoAction"] },
            { tag: "deleted", properties: { isOwn: true, deleted: true, canEdit: true, canDeleteForEveryone: true, text: "" },
              items: ["deleteForMeAction"] },
            { tag: "no text", properties: { isOwn: false, text: "", plainText: "" },
              items: ["replyAction", "reactAction", "forwardAction", "selectAction", "deleteForMeAction"] },
        ]
    }

    function test_menuItemsPerPermission(data) {
        compare(shown(menuFor(data.properties)), data.items)
    }

    // A hidden item takes no room: the menu is as tall as what it shows.
    function test_hiddenItemsTakeNoRoom() {
        const menu = menuFor({ isOwn: true, deleted: true })
        for (let i = 0; i < menu.count; ++i) {
            const item = menu.itemAt(i)
            if (!item.allowed)
                compare(item.height, 0)
        }
    }

    SignalSpy { id: actionSpy }

    function test_itemsSignalTheSeq() {
        const menu = menuFor({ isOwn: true, canEdit: true })
        menu.popup(testCase, 10, 10)
        tryCompare(menu, "opened", true)
        actionSpy.clear()
        actionSpy.target = menu
        actionSpy.signalName = "editRequested"
        const edit = findChild(menu.contentItem, "editAction")
        verify(edit)
        mouseClick(edit)
        compare(actionSpy.count, 1)
        compare(actionSpy.signalArguments[0][0], 5)
        tryCompare(menu, "visible", false)
    }

    function test_rightClickOnTheTextAsksForTheMenu() {
        const item = createTemporaryObject(messageComponent, testCase)
        menuSpy.target = item
        menuSpy.clear()
        const text = findChild(item, "selectableText")
        mouseClick(text, text.width / 2, text.height / 2, Qt.RightButton)
        compare(menuSpy.count, 1)
    }

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
