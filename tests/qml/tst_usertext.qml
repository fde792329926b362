pragma ComponentBehavior: Bound

import QtQuick
import QtTest
import Messenger.Components

// What others type — names, usernames, messages, group names — is text, never markup. Every
// delegate is made with such text in each of its roles, and every element showing it must be plain
// text (a group named `<img src="http://…">` would otherwise have the app fetch that image) and
// show it as typed. Search results show StyledText, but only SearchHighlighter's: the user's text
// escaped, with its own highlight tags (tested in tst_app_search_highlight); here it is given so.
TestCase {
    id: testCase
    name: "UserText"
    when: windowShown
    visible: true
    width: 600
    height: 400

    // A fetch were it read as markup (nothing listens on port 1), and bold.
    readonly property string hostile: "<img src=\"http://127.0.0.1:1/x.png\"><b>bold</b>"
    // The same as SearchHighlighter makes it: escaped, a match highlighted.
    readonly property string hostileHighlighted: "&lt;img src=&quot;http://127.0.0.1:1/x.png&quot;&gt;&lt;b&gt;"
                                                 + "<b><font color=\"#009688\">bold</font></b>&lt;/b&gt;"

    TextMetrics { id: metrics }

    Component {
        id: conversationComponent
        ConversationDelegate {
            width: 400
            conversationId: 1
            kind: "group"
            name: testCase.hostile
            initials: "<b"
            avatarColor: "#607d8b"
            lastMessage: testCase.hostile
            lastMessageSender: testCase.hostile
            lastActivity: new Date()
            unreadCount: 2
            peerPresence: ""
            typing: ""
            muted: false
            pinned: false
            pending: false
            draft: ""
        }
    }

    Component {
        id: messageComponent
        MessageDelegate {
            width: 500
            seq: 5
            senderName: testCase.hostile
            text: testCase.hostile
            timestamp: new Date()
            status: StatusTicks.Failed
            isOwn: false
            isEvent: false
            firstOfDay: true
            day: new Date()
            clientId: "c-1"
            error: testCase.hostile
            showSender: true
        }
    }

    Component {
        id: searchResultComponent
        SearchResultDelegate {
            width: 500
            conversationId: 1
            seq: 2
            conversationName: testCase.hostile
            senderName: testCase.hostile
            timestamp: new Date()
            messageText: testCase.hostile
            highlightedText: testCase.hostileHighlighted
            initials: "<b"
            avatarColor: "#607d8b"
        }
    }

    Component {
        id: memberComponent
        MemberDelegate {
            width: 400
            userId: 7
            displayName: testCase.hostile
            username: testCase.hostile
            memberRole: "admin"
            presence: "online"
            initials: "<b"
            myRole: "owner"
        }
    }

    function make(component, properties) {
        const item = createTemporaryObject(component, testCase, properties || {})
        verify(item)
        waitForRendering(item)
        return item
    }

    // Every item under `item` (itself too) that has a string `text`.
    function textItems(item, found) {
        if (typeof item.text === "string")
            found.push(item)
        for (let i = 0; i < item.children.length; ++i)
            textItems(item.children[i], found)
        return found
    }

    // The width `item` gives its text against the width of that text typed out in its font: the
    // same when shown as typed, far less when `<img …><b>bold</b>` became an image and a word.
    function showsLiterally(item) {
        metrics.font = item.font
        metrics.text = item.text
        const width = item.implicitWidth - item.leftPadding - item.rightPadding
        return width >= 0.9 * metrics.advanceWidth
    }

    // Checks every element of `item` that shows `literal` (the hostile text, or a sentence around
    // it) and returns their objectNames.
    function checkPlain(item, literal) {
        const shown = []
        const items = textItems(item, [])
        for (const element of items) {
            if (element.text.indexOf(literal) < 0)
                continue
            const label = element.objectName || String(element)
            if (element.textFormat === undefined) {
                // A control (Button, ItemDelegate, MenuItem…): its own label reads markup, unless
                // its contentItem is a Text, which is checked as one of the items.
                if (element.contentItem !== undefined) {
                    verify(element.contentItem && element.contentItem.textFormat !== undefined,
                           label + " shows user text in its label, which reads markup: " + element.text)
                    continue
                }
                // The label inside a control (IconLabel) reads markup too.
                verify(element.icon === undefined || element.display === undefined,
                       label + " shows user text in an IconLabel, which reads markup: " + element.text)
                continue // A property (the delegate's role), not shown by itself.
            }
            compare(element.textFormat, Text.PlainText, label + " must be Text.PlainText: " + element.text)
            verify(showsLiterally(element), label + " does not show its text as typed: " + element.text)
            shown.push(element.objectName)
        }
        return shown
    }

    function checkNames(shown, expected) {
        for (const name of expected)
            verify(shown.indexOf(name) >= 0, name + " shows the user's text, plainly; shown: " + shown)
    }

    function test_conversationDelegate() {
        const item = make(conversationComponent)
        checkNames(checkPlain(item, testCase.hostile), ["nameLabel", "previewLabel"])
        const draft = make(conversationComponent, { draft: testCase.hostile })
        checkNames(checkPlain(draft, testCase.hostile), ["nameLabel", "previewLabel"])
        const typing = make(conversationComponent, { typing: testCase.hostile + " is typing…" })
        checkNames(checkPlain(typing, testCase.hostile), ["nameLabel", "previewLabel"])
    }

    function test_messageDelegate() {
        const theirs = make(messageComponent)
        checkNames(checkPlain(theirs, testCase.hostile), ["senderLabel", "bubbleText"])
        const event = make(messageComponent, { isEvent: true })
        checkNames(checkPlain(event, testCase.hostile), ["eventLabel"])
        // A failed own message: the reason is the server's words.
        const failed = make(messageComponent, { isOwn: true })
        checkNames(checkPlain(failed, testCase.hostile), ["bubbleText", "failedReason"])
        // A reply quotes others' names and text; reactions are others' emoji.
        const reply = make(messageComponent, { replySeq: 2, replySenderName: testCase.hostile,
                                               replyExcerpt: testCase.hostile,
                                               reactions: [{ emoji: testCase.hostile, count: 1, mine: false,
                                                             names: [testCase.hostile] }] })
        checkNames(checkPlain(reply, testCase.hostile), ["quoteSender", "quoteExcerpt", "reactionChipEmoji"])
    }

    function test_searchResultDelegate() {
        const item = make(searchResultComponent)
        checkNames(checkPlain(item, testCase.hostile), ["titleLabel", "senderLabel"])
        const oneChat = make(searchResultComponent, { showConversation: false })
        checkNames(checkPlain(oneChat, testCase.hostile), ["titleLabel"])

        // The excerpt is the highlighter's StyledText: the message shows as typed around the
        // highlighted match, no image and no markup of the sender's.
        const excerpt = findChild(item, "messageLabel")
        compare(excerpt.textFormat, Text.StyledText)
        verify(excerpt.text.indexOf("<img") < 0, excerpt.text)
        metrics.font = excerpt.font
        metrics.text = testCase.hostile
        verify(excerpt.implicitWidth >= 0.9 * metrics.advanceWidth,
               "the excerpt does not show the message as typed: " + excerpt.implicitWidth)
    }

    function test_memberDelegate() {
        const item = make(memberComponent)
        checkNames(checkPlain(item, testCase.hostile), ["nameLabel"])
    }

    // The test itself: the markup it feeds in is markup where it is read as such.
    function test_markupIsDetected() {
        const rich = createTemporaryQmlObject("import QtQuick; Text { textFormat: Text.AutoText }", testCase)
        rich.text = testCase.hostile
        verify(!showsLiterally(rich))
        const plain = createTemporaryQmlObject("import QtQuick; Text { textFormat: Text.PlainText }", testCase)
        plain.text = testCase.hostile
        verify(showsLiterally(plain))
    }
}
