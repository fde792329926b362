import QtQuick
import QtQuick.Controls.Material

// What an attachment shows once the server no longer keeps it (past its media retention:
// MediaController.isExpired): a muted line in place of the download or play button. Nothing to
// click: there is nothing to retry.
Label {
    id: root

    //! White on a dark pill, over a picture or a video poster; else muted text in a card.
    property bool overlay: false

    objectName: "expiredLabel"
    textFormat: Text.PlainText
    font.pixelSize: root.overlay ? 12 : 11
    color: root.overlay ? "white" : Material.hintTextColor
    padding: root.overlay ? 6 : 0
    background: Rectangle {
        visible: root.overlay
        radius: 6
        color: "#99000000"
    }
    Accessible.role: Accessible.StaticText
    Accessible.name: root.text
}
