import QtQuick
import QtQuick.Controls.Material

// The message a reply quotes: a bar, the sender's name and an excerpt; or why it cannot be shown
// ("deleted", "missing": not on this device yet). Used in a bubble (a click jumps there) and
// above the composer.
Rectangle {
    id: root

    property string senderName: ""
    property string excerpt: ""
    //! "ok", "deleted" or "missing".
    property string quoteState: "ok"
    property bool clickable: true

    signal clicked()

    implicitWidth: Math.max(nameLabel.implicitWidth, excerptLabel.implicitWidth) + 16
    implicitHeight: quoteColumn.implicitHeight + 8
    radius: 4
    color: Material.theme === Material.Dark ? "#22ffffff" : "#0d000000"

    Rectangle {
        width: 3
        height: parent.height
        radius: 1.5
        color: root.Material.accentColor
    }

    Column {
        id: quoteColumn
        x: 10
        y: 4
        width: parent.width - 14
        spacing: 0

        Label {
            id: nameLabel
            objectName: "quoteSender"
            visible: root.quoteState === "ok" || root.senderName.length > 0
            width: Math.min(implicitWidth, parent.width)
            text: root.senderName
            textFormat: Text.PlainText
            elide: Text.ElideRight
            font.pixelSize: 12
            font.bold: true
            color: root.Material.accentColor
        }
        Label {
            id: excerptLabel
            objectName: "quoteExcerpt"
            width: Math.min(implicitWidth, parent.width)
            text: root.quoteState === "deleted" ? qsTr("Original message deleted")
                : root.quoteState === "missing" ? qsTr("Original message not loaded")
                : root.excerpt
            textFormat: Text.PlainText
            elide: Text.ElideRight
            maximumLineCount: 2
            wrapMode: Text.Wrap
            font.pixelSize: 12
            font.italic: root.quoteState !== "ok"
            color: root.quoteState === "ok" ? root.Material.foreground : root.Material.hintTextColor
        }
    }

    HoverHandler {
        enabled: root.clickable
        cursorShape: Qt.PointingHandCursor
    }
    TapHandler {
        objectName: "quoteTap"
        enabled: root.clickable
        onTapped: root.clicked()
    }
}
