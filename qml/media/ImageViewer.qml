import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The photos of a conversation, full window: zoom (wheel, +/−, double click), pan (drag),
// previous/next (buttons, ←/→), Save as, Esc closes. Decoded by image://attachment.
Popup {
    id: root

    required property var controller
    //! The blob ids to step through (MediaController.imageBlobIds()) and where it is.
    property var blobIds: []
    property int index: 0
    readonly property string blobId: root.index >= 0 && root.index < root.blobIds.length ? root.blobIds[root.index] : ""
    property real zoom: 1

    signal saveRequested(string blobId)

    function show(blobId) {
        root.blobIds = root.controller.imageBlobIds()
        root.index = Math.max(0, root.blobIds.indexOf(blobId))
        root.zoom = 1
        root.open()
    }
    function step(delta) {
        const next = root.index + delta
        if (next < 0 || next >= root.blobIds.length)
            return
        root.index = next
        root.zoom = 1
    }
    function zoomBy(factor) {
        root.zoom = Math.max(1, Math.min(8, root.zoom * factor))
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
        Keys.onPressed: event => {
            if (event.key === Qt.Key_Plus || event.key === Qt.Key_Equal) { root.zoomBy(1.25); event.accepted = true }
            else if (event.key === Qt.Key_Minus) { root.zoomBy(0.8); event.accepted = true }
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
            }
            WheelHandler {
                onWheel: event => root.zoomBy(event.angleDelta.y > 0 ? 1.2 : 1 / 1.2)
            }
            TapHandler {
                onDoubleTapped: root.zoom = root.zoom > 1 ? 1 : 2.5
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
            ViewerButton { objectName: "viewerZoomOut"; text: "\u2212"; tip: qsTr("Zoom out"); onClicked: root.zoomBy(0.8) }
            ViewerButton { objectName: "viewerZoomIn"; text: "+"; tip: qsTr("Zoom in"); onClicked: root.zoomBy(1.25) }
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
