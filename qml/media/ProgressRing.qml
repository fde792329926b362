import QtQuick
import QtQuick.Controls.Material

// A round button over a picture or beside a file: "↓" to download, a ring with "✕" while a
// transfer runs (cancel), "↻" after it failed (retry).
Item {
    id: root

    //! "idle" (not downloaded), "running" or "failed".
    property string state_: "idle"
    //! 0…1 while running; below 0 when unknown.
    property real value: -1

    signal downloadRequested()
    signal cancelRequested()
    signal retryRequested()

    implicitWidth: 44
    implicitHeight: 44

    Rectangle {
        anchors.fill: parent
        radius: width / 2
        color: "#99000000"
    }

    Canvas {
        id: ring
        anchors.fill: parent
        visible: root.state_ === "running"
        property real progress: root.value < 0 ? 0.15 : Math.max(0.02, root.value)
        onProgressChanged: requestPaint()
        onVisibleChanged: requestPaint()
        onPaint: {
            const ctx = getContext("2d")
            ctx.reset()
            ctx.lineWidth = 3
            ctx.strokeStyle = "white"
            ctx.beginPath()
            const r = width / 2 - 3
            ctx.arc(width / 2, height / 2, r, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * progress)
            ctx.stroke()
        }
        RotationAnimator on rotation {
            running: ring.visible && root.value < 0
            from: 0; to: 360; duration: 1200; loops: Animation.Infinite
        }
    }

    Label {
        anchors.centerIn: parent
        text: root.state_ === "running" ? "\u2715" : root.state_ === "failed" ? "\u21BB" : "\u2193"
        textFormat: Text.PlainText
        color: "white"
        font.pixelSize: 18
        font.bold: true
    }

    TapHandler {
        objectName: "progressRingTap"
        onTapped: {
            if (root.state_ === "running")
                root.cancelRequested()
            else if (root.state_ === "failed")
                root.retryRequested()
            else
                root.downloadRequested()
        }
    }
    Accessible.role: Accessible.Button
    Accessible.name: root.state_ === "running" ? qsTr("Cancel") : root.state_ === "failed" ? qsTr("Retry") : qsTr("Download")
}
