import QtQuick

// A magnifying glass, drawn: no icon theme is needed.
Item {
    id: root

    property color color: "black"

    implicitWidth: 20
    implicitHeight: 20

    Rectangle {
        x: root.width * 0.1
        y: root.height * 0.1
        width: root.width * 0.55
        height: width
        radius: width / 2
        color: "transparent"
        border.color: root.color
        border.width: Math.max(1.5, root.width * 0.1)
    }
    // The handle, from the rim of the glass (45° below right of its centre) outwards.
    Rectangle {
        x: root.width * 0.54
        y: root.height * 0.56 - height / 2
        width: root.width * 0.42
        height: Math.max(2, root.width * 0.12)
        radius: height / 2
        color: root.color
        rotation: 45
        transformOrigin: Item.Left
    }
}
