import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtMultimedia

// The full view of a video: the frame as large as the window allows, play/pause, a seek bar
// with the time, Esc or ✕ to close (the video goes back to its bubble, paused where it was).
Popup {
    id: root

    //! The conversation's MediaPlayback.
    property var playback: null
    property string blobId: ""
    //! Where the frames go after closing (the bubble's VideoOutput).
    property var returnOutput: null

    readonly property bool current: !!root.playback && root.blobId !== ""
                                    && root.playback.currentBlobId === root.blobId

    function formatTime(ms) {
        const total = Math.max(0, Math.round(ms / 1000))
        const minutes = Math.floor(total / 60)
        const seconds = total % 60
        return minutes + ":" + (seconds < 10 ? "0" : "") + seconds
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: parent ? parent.width * 0.9 : 640
    height: parent ? parent.height * 0.9 : 480
    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    background: Rectangle { color: "black"; radius: 8 }

    onOpened: if (root.playback) root.playback.videoOutput = output
    onClosed: {
        if (!root.playback)
            return
        root.playback.pause()
        root.playback.videoOutput = root.returnOutput
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        VideoOutput {
            id: output
            objectName: "viewerOutput"
            Layout.fillWidth: true
            Layout.fillHeight: true
            fillMode: VideoOutput.PreserveAspectFit
            TapHandler { onTapped: if (root.playback) root.playback.toggle(root.blobId) }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 8
            spacing: 8

            RoundButton {
                objectName: "viewerPlayButton"
                text: root.current && root.playback.playing ? "\u23F8" : "\u25B6"
                Accessible.name: root.current && root.playback.playing ? qsTr("Pause") : qsTr("Play")
                onClicked: root.playback.toggle(root.blobId)
            }
            Label {
                text: root.formatTime(root.current ? root.playback.position : 0)
                textFormat: Text.PlainText
                color: "white"
            }
            Slider {
                objectName: "viewerSeek"
                Layout.fillWidth: true
                from: 0
                to: Math.max(1, root.current ? root.playback.duration : 1)
                value: root.current ? root.playback.position : 0
                onMoved: root.playback.seek(root.blobId, Math.round(value))
            }
            Label {
                text: root.formatTime(root.current ? root.playback.duration : 0)
                textFormat: Text.PlainText
                color: "white"
            }
            ToolButton {
                objectName: "viewerCloseButton"
                text: "\u2715"
                Accessible.name: qsTr("Close")
                Material.foreground: "white"
                onClicked: root.close()
            }
        }
    }
}
