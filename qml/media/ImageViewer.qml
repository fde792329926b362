import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The photos of a conversation, full window: zoom (wheel, + / − with or without Ctrl, double
// click; 0 fits again) about the pointer or the middle, pan (drag) while zoomed, previous/next
// (buttons, ←/→), Save as, Esc closes. Decoded by image://attachment.
Popup {
    id: root

    required property var controller
    //! The blob ids to step through (MediaController.imageBlobIds()) and where it is.
    property var blobIds: []
    property int index: 0
    readonly property string blobId: root.index >= 0 && root.index < root.blobIds.length ? root.blobIds[root.index] : ""
    property real zoom: 1

    signal saveRequested(string blobId)

    readonly property real maximumZoom: 8

    function show(blobId) {
        root.blobIds = root.controller.imageBlobIds()
        root.index = Math.max(0, root.blobIds.indexOf(blobId))
        root.fit()
        root.open()
    }
    function step(delta) {
        const next = root.index + delta
        if (next < 0 || next >= root.blobIds.length)
            return
        root.index = next
        root.fit()
    }
    //! The whole picture in view again.
    function fit() {
        root.zoom = 1
        flick.contentX = 0
        flick.contentY = 0
    }
    //! Zooms by `factor` (1 … maximumZoom) keeping the point (x, y) of the view where it is on
    //! screen: the pointer for the wheel and a double click, the middle for keys and buttons.
    function zoomBy(factor, x, y) {
        const px = x === undefined ? flick.width / 2 : x
        const py = y === undefined ? flick.height / 2 : y
        const before = root.zoom
        const after = Math.max(1, Math.min(root.maximumZoom, before * factor))
        if (after === before)
            return
        const cx = (flick.contentX + px) * after / before
        const cy = (flick.contentY + py) * after / before
        root.zoom = after // contentWidth and contentHeight follow
        flick.contentX = Math.max(0, Math.min(flick.contentWidth - flick.width, cx - px))
        flick.contentY = Math.max(0, Math.min(flick.contentHeight - flick.height, cy - py))
    }

    parent: Overlay.overlay
    x: 0
    y: 0
    width: parent ? parent.width : 800
    height: parent ? parent.height : 600
    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape
    background: Rectangle { color: "#ee000000" }

    Item {
        anchors.fill: parent
        focus: true
        Keys.onLeftPressed: root.step(-1)
        Keys.onRightPressed: root.step(1)
        // +, = (the + key without Shift) and −, with or without Ctrl as browsers do; 0 fits.
        Keys.onPressed: event => {
            if (event.key === Qt.Key_Plus || event.key === Qt.Key_Equal) { root.zoomBy(1.25); event.accepted = true }
            else if (event.key === Qt.Key_Minus || event.key === Qt.Key_Underscore) { root.zoomBy(0.8); event.accepted = true }
            else if (event.key === Qt.Key_0) { root.fit(); event.accepted = true }
        }

        Flickable {
            id: flick
            objectName: "viewerFlickable"
            anchors.fill: parent
            anchors.margins: 48
            clip: true
            contentWidth: Math.max(width, width * root.zoom)
            contentHeight: Math.max(height, height * root.zoom)
            boundsBehavior: Flickable.StopAtBounds
            // Dragging pans a zoomed picture; at 1× there is nothing to move.
            interactive: root.zoom > 1
            onWidthChanged: root.fit()
            onHeightChanged: root.fit()

            Image {
                id: image
                objectName: "viewerImage"
                width: flick.contentWidth
                height: flick.contentHeight
                source: root.opened && root.blobId.length > 0 ? root.controller.imageUrl(root.blobId) : ""
                fillMode: Image.PreserveAspectFit
                asynchronous: true
                smooth: true
                cache: false
                sourceSize.width: 4096
                sourceSize.height: 4096

                // On the picture (inside the Flickable's content), so they see the wheel and the
                // taps before the Flickable scrolls. Positions are in the content: minus the
                // content's offset gives the point in the view.
                WheelHandler {
                    objectName: "viewerWheel"
                    target: null
                    onWheel: event => {
                        if (event.angleDelta.y === 0)
                            return
                        root.zoomBy(event.angleDelta.y > 0 ? 1.2 : 1 / 1.2,
                                    event.x - flick.contentX, event.y - flick.contentY)
                    }
                }
                // A MouseArea, not a TapHandler: Qt 6.4's TapHandler misses a double click
                // whose two presses carry the same timestamp (QTest's, some touchpads').
                MouseArea {
                    objectName: "viewerDoubleClickArea"
                    anchors.fill: parent
                    onDoubleClicked: mouse => {
                        if (root.zoom > 1)
                            root.fit()
                        else
                            root.zoomBy(2.5, mouse.x - flick.contentX, mouse.y - flick.contentY)
                    }
                }
            }
        }

        BusyIndicator {
            anchors.centerIn: parent
            running: image.status === Image.Loading
        }
        Label {
            anchors.centerIn: parent
            visible: image.status === Image.Error
            text: qsTr("This picture cannot be shown.")
            color: "white"
        }

        Row {
            anchors.top: parent.top
            anchors.right: parent.right
            anchors.margins: 4
            spacing: 4

            Label {
                anchors.verticalCenter: parent.verticalCenter
                objectName: "viewerPosition"
                text: root.blobIds.length > 1 ? qsTr("%1 of %2").arg(root.index + 1).arg(root.blobIds.length) : ""
                textFormat: Text.PlainText
                color: "white"
                rightPadding: 8
            }
            ViewerButton { objectName: "viewerZoomOut"; text: "\u2212"; tip: qsTr("Zoom out (−)"); enabled: root.zoom > 1; onClicked: root.zoomBy(0.8) }
            ViewerButton { objectName: "viewerZoomIn"; text: "+"; tip: qsTr("Zoom in (+)"); enabled: root.zoom < root.maximumZoom; onClicked: root.zoomBy(1.25) }
            ViewerButton { objectName: "viewerSave"; text: "\u2193"; tip: qsTr("Save as…"); onClicked: root.saveRequested(root.blobId) }
            ViewerButton { objectName: "viewerClose"; text: "\u2715"; tip: qsTr("Close"); onClicked: root.close() }
        }
        ViewerButton {
            objectName: "viewerPrevious"
            anchors.left: parent.left
            anchors.verticalCenter: parent.verticalCenter
            visible: root.index > 0
            text: "\u2039"
            tip: qsTr("Previous")
            onClicked: root.step(-1)
        }
        ViewerButton {
            objectName: "viewerNext"
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            visible: root.index < root.blobIds.length - 1
            text: "\u203A"
            tip: qsTr("Next")
            onClicked: root.step(1)
        }
    }

    component ViewerButton: RoundButton {
        property string tip
        flat: true
        font.pixelSize: 24
        Material.foreground: "white"
        Accessible.name: tip
    }
}
