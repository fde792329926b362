import QtQuick
import QtQuick.Controls.Material

// A round avatar: the picture when there is one (`source`, e.g. image://avatar/<blobId>, which
// hands it over already cut to a circle), else — and while it loads, or when it cannot be shown —
// the initials on the user's colour; with a presence dot when presence is given.
Item {
    id: root

    property string initials
    property color color: "#607d8b"
    //! "online", "away", "offline" or "" (no dot: groups).
    property string presence
    //! The picture; empty for none.
    property url source
    //! The picture is on screen (not the initials).
    readonly property bool showsPicture: picture.status === Image.Ready

    implicitWidth: 40
    implicitHeight: 40

    Rectangle {
        objectName: "avatarInitials"
        anchors.fill: parent
        radius: width / 2
        color: root.color
        visible: !root.showsPicture

        Text {
            anchors.centerIn: parent
            text: root.initials
            textFormat: Text.PlainText
            color: "white"
            font.pixelSize: root.height * 0.4
            font.bold: true
        }
    }

    Image {
        id: picture
        objectName: "avatarPicture"
        anchors.fill: parent
        source: root.source
        // The provider cuts the circle at this size: crisp on high-density screens too.
        sourceSize.width: Math.ceil(root.width * Screen.devicePixelRatio)
        sourceSize.height: Math.ceil(root.height * Screen.devicePixelRatio)
        fillMode: Image.PreserveAspectFit
        asynchronous: true
        smooth: true
        visible: root.showsPicture
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
