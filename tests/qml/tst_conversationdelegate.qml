import QtQuick
import QtTest
import Messenger.Components

TestCase {
    id: testCase
    name: "ConversationDelegate"
    when: windowShown
    visible: true
    width: 360
    height: 200

    Component {
        id: delegateComponent
        ConversationDelegate {
            width: 360
            conversationId: 7
            kind: "direct"
            name: "Bob Builder"
            initials: "BB"
            avatarColor: "#3f51b5"
            lastMessage: "See you <b>tomorrow</b>"
            lastMessageSender: "Bob Builder"
            lastActivity: new Date()
            unreadCount: 0
            peerPresence: "online"
            typing: ""
            muted: false
            pinned: false
            pending: false
            draft: ""
        }
    }

    function make(properties) {
        const item = createTemporaryObject(delegateComponent, testCase, properties || {})
        verify(item)
        return item
    }

    function test_nameAndPlainTextPreview() {
        const item = make()
        compare(findChild(item, "nameLabel").text, "Bob Builder")
        const preview = findChild(item, "previewLabel")
        compare(preview.text, "See you <b>tomorrow</b>")
        compare(preview.textFormat, Text.PlainText)
        verify(findChild(item, "timeLabel").text.length > 0)
    }

    function test_unreadBadge() {
        const item = make()
        verify(!findChild(item, "unreadBadge").visible)
        item.unreadCount = 3
        verify(findChild(item, "unreadBadge").visible)
    }

    // Unread mentions of the user: an "@" pill beside the count.
    function test_mentionBadge() {
        const item = make({ unreadCount: 2 })
        verify(!findChild(item, "mentionBadge").visible)
        item.unreadMentions = 1
        verify(findChild(item, "mentionBadge").visible)
        verify(findChild(item, "unreadBadge").visible)
    }

    function test_typingReplacesPreview() {
        const item = make({ typing: "Bob is typing…" })
        compare(findChild(item, "previewLabel").text, "Bob is typing…")
    }

    function test_groupPreviewNamesSender() {
        const item = make({ kind: "group", name: "Team", lastMessageSender: "Alice", lastMessage: "hi" })
        compare(findChild(item, "previewLabel").text, "Alice: hi")
        verify(!findChild(item, "presenceDot").visible)
    }

    function test_presenceDot() {
        const item = make()
        verify(findChild(item, "presenceDot").visible)
        item.peerPresence = "offline"
        verify(!findChild(item, "presenceDot").visible)
    }

    function test_marks() {
        const item = make({ muted: true, pinned: true })
        verify(findChild(item, "mutedMark").visible)
        verify(findChild(item, "pinnedMark").visible)
    }

    SignalSpy { id: clickSpy; signalName: "clicked" }

    function test_click() {
        const item = make()
        clickSpy.target = item
        clickSpy.clear()
        mouseClick(item)
        compare(clickSpy.count, 1)
    }

    function test_draftIsShownInsteadOfTheLastMessage() {
        const item = make({ draft: "half a <b>thought</b>" })
        const preview = findChild(item, "previewLabel")
        compare(preview.text, "Draft: half a <b>thought</b>")
        compare(preview.textFormat, Text.PlainText)
        item.selected = true // the open conversation shows its draft in the composer instead
        verify(preview.text.indexOf("Draft") < 0)
    }
}
