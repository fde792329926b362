import QtQuick
import QtTest
import Messenger.Components

// MemberDelegate offers each action only to the roles the server allows (docs/protocol.md,
// "Groups"): every combination of the user's role, the member's role and "is it me".
TestCase {
    id: testCase
    name: "MemberDelegate"
    when: windowShown
    visible: true
    width: 400
    height: 400

    Component {
        id: delegateComponent
        MemberDelegate {
            width: 400
            userId: 2
            displayName: "Bob <b>Builder</b>"
            username: "bob"
            initials: "BB"
            avatarColor: "#3f51b5"
            presence: "online"
            memberRole: "member"
            myRole: "owner"
            isSelf: false
        }
    }

    function make(properties) {
        const item = createTemporaryObject(delegateComponent, testCase, properties || {})
        verify(item)
        return item
    }

    //! The member's menu, open, without its animations.
    function openMenu(item) {
        const menu = findChild(item, "memberMenu")
        menu.enter = null
        menu.exit = null
        menu.open()
        tryCompare(menu, "opened", true)
        return menu
    }

    // What the server allows, written out rather than computed: [remove, promote, demote] for
    // "myRole/memberRole". Not listed: nothing. The empty role is a user who left the group.
    readonly property var allowed: ({
        "owner/admin": [true, false, true],
        "owner/member": [true, true, false],
        "admin/member": [true, true, false],
    })

    function test_gating_data() {
        const rows = []
        for (const mine of ["owner", "admin", "member", ""]) {
            for (const theirs of ["owner", "admin", "member"]) {
                for (const self of [false, true]) {
                    const key = mine + "/" + theirs
                    const expected = !self && allowed[key] ? allowed[key] : [false, false, false]
                    rows.push({
                        tag: (mine || "none") + " on " + theirs + (self ? " (self)" : ""),
                        myRole: mine, memberRole: theirs, isSelf: self,
                        remove: expected[0], promote: expected[1], demote: expected[2],
                        message: !self,
                    })
                }
            }
        }
        return rows
    }

    function test_gating(data) {
        const item = make({ myRole: data.myRole, memberRole: data.memberRole, isSelf: data.isSelf })
        const actions = { removeAction: data.remove, promoteAction: data.promote,
                          demoteAction: data.demote, messageAction: data.message }
        // Looked at as the user sees them: in the open menu.
        const menu = openMenu(item)
        for (const name in actions) {
            const action = findChild(item, name)
            verify(action, name)
            compare(action.visible, actions[name], name + " visible")
            compare(action.enabled, actions[name], name + " enabled")
            if (!actions[name])
                compare(action.height, 0, name + " takes no room when hidden")
        }
        compare(item.canRemove, data.remove)
        compare(item.canPromote, data.promote)
        compare(item.canDemote, data.demote)
        const anything = data.remove || data.promote || data.demote || data.message
        compare(findChild(item, "memberMenuButton").enabled, anything)
        compare(findChild(item, "selfTag").visible, data.isSelf)
        menu.close()
        tryCompare(menu, "visible", false)
    }

    function test_busyKeepsActionsShownButDisabled() {
        const item = make({ myRole: "owner", memberRole: "admin", actionsEnabled: false })
        const menu = openMenu(item)
        for (const name of ["removeAction", "demoteAction"]) {
            const action = findChild(item, name)
            verify(action.visible, name)
            verify(!action.enabled, name)
        }
        verify(findChild(item, "messageAction").enabled) // opening a chat changes nothing
        menu.close()
    }

    SignalSpy { id: removeSpy; signalName: "removeRequested" }
    SignalSpy { id: promoteSpy; signalName: "promoteRequested" }
    SignalSpy { id: demoteSpy; signalName: "demoteRequested" }
    SignalSpy { id: messageSpy; signalName: "messageRequested" }

    function test_menuItemsRequestTheirAction() {
        const item = make({ myRole: "owner", memberRole: "member" })
        for (const spy of [removeSpy, promoteSpy, demoteSpy, messageSpy]) {
            spy.target = item
            spy.clear()
        }
        findChild(item, "removeAction").triggered()
        findChild(item, "promoteAction").triggered()
        findChild(item, "messageAction").triggered()
        compare(removeSpy.count, 1)
        compare(promoteSpy.count, 1)
        compare(messageSpy.count, 1)
        compare(demoteSpy.count, 0)
    }

    function test_menuOpensFromTheButtonAndByRightClick() {
        const item = make({ myRole: "admin", memberRole: "member" })
        const menu = findChild(item, "memberMenu")
        verify(!menu.visible)
        mouseClick(findChild(item, "memberMenuButton"))
        tryCompare(menu, "opened", true)
        menu.close()
        tryCompare(menu, "visible", false)
        mouseClick(item, 60, item.height / 2, Qt.RightButton)
        tryCompare(menu, "opened", true)
        menu.close()
    }

    function test_ownRowOpensNoMenu() {
        const item = make({ myRole: "owner", memberRole: "owner", isSelf: true })
        mouseClick(item)
        verify(!findChild(item, "memberMenu").visible)
    }

    function test_nameIsPlainTextAndRoleIsShown() {
        const item = make({ memberRole: "admin" })
        const label = findChild(item, "nameLabel")
        compare(label.text, "Bob <b>Builder</b>")
        compare(label.textFormat, Text.PlainText)
        const badge = findChild(item, "roleBadge")
        verify(badge.visible)
        compare(badge.text, "Admin")
        item.memberRole = "owner"
        compare(badge.text, "Owner")
        item.memberRole = "member"
        verify(!badge.visible)
    }

    function test_presence() {
        const item = make({ presence: "online" })
        compare(findChild(item, "presenceLabel").text, "online")
        item.presence = "offline"
        item.lastSeen = undefined
        compare(findChild(item, "presenceLabel").text, "offline")
        item.lastSeen = new Date(2020, 0, 5, 9, 30)
        verify(findChild(item, "presenceLabel").text.startsWith("last seen"))
    }
}
