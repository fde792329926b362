import QtQuick
import QtTest
import Messenger.Components

TestCase {
    id: testCase
    name: "SearchResultDelegate"
    when: windowShown
    visible: true
    width: 420
    height: 200

    Component {
        id: delegateComponent
        SearchResultDelegate {
            width: 420
            conversationId: 7
            seq: 12
            conversationName: "Team <b>"
            senderName: "Bob <i>"
            timestamp: new Date()
            messageText: "Lunch <b>moved</b>"
            // As SearchResultModel makes it: escaped, then the match in tags.
            highlightedText: "<b><font color=\"#009688\">Lunch</font></b> &lt;b&gt;moved&lt;/b&gt;"
            initials: "T"
            avatarColor: "#3f51b5"
        }
    }

    function make(properties) {
        const item = createTemporaryObject(delegateComponent, testCase, properties || {})
        verify(item)
        return item
    }

    function test_namesArePlainText() {
        const item = make()
        const title = findChild(item, "titleLabel")
        compare(title.text, "Team <b>")
        compare(title.textFormat, Text.PlainText)
        const sender = findChild(item, "senderLabel")
        verify(sender.visible)
        compare(sender.text, "Bob <i>: ")
        compare(sender.textFormat, Text.PlainText)
        verify(findChild(item, "timeLabel").text.length > 0)
    }

    function test_messageIsStyledText() {
        const item = make()
        const message = findChild(item, "messageLabel")
        compare(message.textFormat, Text.StyledText)
        compare(message.text, item.highlightedText)
        // Escaped markup is shown as its characters: one line of text, no image, no link.
        compare(message.lineCount, 1)
        compare(message.hoveredLink, "")
    }

    function test_escapedImageIsNoImage() {
        const item = make({ highlightedText: "&lt;img src=&quot;big.png&quot; width=&quot;300&quot; height=&quot;300&quot;&gt;" })
        const message = findChild(item, "messageLabel")
        compare(message.lineCount, 1)
        verify(message.implicitHeight < 60)
    }

    function test_searchingOneConversationTitlesTheSender() {
        const item = make({ showConversation: false })
        compare(findChild(item, "titleLabel").text, "Bob <i>")
        verify(!findChild(item, "senderLabel").visible)
    }

    function test_accessibleNameHasEverything() {
        const item = make()
        verify(item.Accessible.name.indexOf("Team <b>") >= 0)
        verify(item.Accessible.name.indexOf("Lunch <b>moved</b>") >= 0)
    }

    function test_clickIsReported() {
        const item = make()
        const spy = createTemporaryObject(signalSpyComponent, testCase, { target: item, signalName: "clicked" })
        mouseClick(item)
        compare(spy.count, 1)
    }

    Component {
        id: signalSpyComponent
        SignalSpy {}
    }
}
