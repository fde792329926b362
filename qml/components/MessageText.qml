import QtQuick
import QtQuick.Controls.Material

// A message's text in its bubble: the body formatter's StyledText (RichText::toStyledText, which
// escapes the text and adds only its own tags), or the plain text of an old message, never
// guessed. Selectable (a read-only plain-text TextEdit over it, drawn transparent but for the
// selection), links (http, https, mailto only: the formatter makes no others) show their address on
// hover and open in the system's browser on a click. A hidden spoiler is the formatter's link
// "spoiler:<n>" over "▒▒▒" (its text is not in richText): a click asks for it to be shown.
Item {
    id: root

    //! StyledText from the formatter; "" for plain text.
    property string richText: ""
    //! The text as typed: shown when there is no richText, and what a selection copies.
    property string plainText: ""
    //! 1–3 emoji alone: shown large.
    property bool emojiOnly: false
    property real maximumWidth: 400
    //! The link under the pointer ("" when none; a spoiler is no link to show).
    readonly property string hoveredLink: hover.hovered && !hover.link.startsWith("spoiler:") ? hover.link : ""
    readonly property alias selectedText: selection.selectedText
    readonly property alias textItem: styled

    //! A hidden spoiler was clicked: show them.
    signal spoilerClicked()

    //! Only these open: anything else the text might hold is not a link.
    function isOpenable(url) {
        const lower = String(url).toLowerCase()
        return lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("mailto:")
    }

    function openLink(url) {
        if (root.isOpenable(url))
            Qt.openUrlExternally(url)
    }

    implicitWidth: Math.min(styled.implicitWidth, maximumWidth)
    implicitHeight: styled.implicitHeight

    Text {
        id: styled
        objectName: "bubbleText"
        width: root.width
        text: root.richText.length > 0 ? root.richText : root.plainText
        // StyledText only from the formatter, which escapes; the plain text otherwise.
        textFormat: root.richText.length > 0 ? Text.StyledText : Text.PlainText
        wrapMode: Text.Wrap
        color: root.Material.foreground
        linkColor: root.Material.accentColor
        font.pixelSize: root.emojiOnly ? 40 : 14
    }

    // Only emoji: the colour font first (Qt 6.4 otherwise takes the monochrome glyphs that text
    // fonts carry for many of them).
    Binding {
        target: styled
        property: "font.family"
        value: "Noto Color Emoji"
        when: root.emojiOnly
    }

    // The selection: the same text, transparent, over the styled one.
    TextEdit {
        id: selection
        objectName: "selectableText"
        anchors.fill: styled
        text: root.plainText
        textFormat: TextEdit.PlainText
        readOnly: true
        selectByMouse: true
        persistentSelection: false
        wrapMode: TextEdit.Wrap
        font: styled.font
        color: "transparent"
        selectedTextColor: "transparent"
        selectionColor: Qt.rgba(root.Material.accentColor.r, root.Material.accentColor.g,
                                root.Material.accentColor.b, 0.35)
        activeFocusOnPress: true

        HoverHandler {
            id: hover
            property string link: ""
            cursorShape: link.length > 0 ? Qt.PointingHandCursor : Qt.IBeamCursor
            onPointChanged: link = styled.linkAt(point.position.x, point.position.y)
            onHoveredChanged: if (!hovered) link = ""
        }
        TapHandler {
            objectName: "linkTap"
            onTapped: eventPoint => {
                const link = styled.linkAt(eventPoint.position.x, eventPoint.position.y)
                if (link.startsWith("spoiler:"))
                    root.spoilerClicked()
                else if (link.length > 0)
                    root.openLink(link)
            }
        }
    }

    // The whole address before it is opened: the text may show something else.
    ToolTip {
        objectName: "linkToolTip"
        visible: root.hoveredLink.length > 0
        delay: 200
        y: -implicitHeight - 4
        contentItem: Label {
            text: root.hoveredLink
            textFormat: Text.PlainText
            wrapMode: Text.WrapAnywhere
        }
    }
}
