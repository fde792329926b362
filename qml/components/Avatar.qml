import QtQuick
import QtQuick.Controls.Material

// A round avatar: the initials on the user's colour, with a presence dot when presence is given.
Item {
    id: root

    property string initials
    property color color: "#607d8b"
    //! "online", "away", "offline" or "" (no dot: groups).
    property string presence

    implicitWidth: 40
    implicitHeight: 40

    Rectangle {
        anchors.fill: parent
        radius: width / 2
        color: root.color

        Text {
            anchors.centerIn: parent
            text: root.initials
            textFormat: Text.PlainText
            color: "white"
            font.pixelSize: root.height * 0.4
            font.bold: true
        }
    }

    Rectangle {
        objectName: "presenceDot"
        visible: root.presence === "online" || root.presence === "away"
        width: root.width * 0.3
        height: width
        radius: width / 2
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        color: root.presence === "online" ? "#43a047" : "#fb8c00"
        border.width: 2
        border.color: root.Material.background
    }
}
