import QtQuick
import QtQuick.Controls.Material
import QtMultimedia

// A video in a bubble: the poster (the descriptor's thumbnail, else a neutral dark frame) with
// the duration and a ▶; nothing plays, with or without sound, until it is clicked (media.md
// "Must not"). A click downloads it when needed, then plays it inline through the conversation's
// MediaPlayback (decrypted as it is read); a slider seeks, ⤢ opens the full view.
Item {
    id: root

    required property var attachment
    required property var controller
    property var playback: null
    property string clientId: ""
    property real maximumWidth: 280
    property real maximumHeight: 280

    //! ⤢: the full view (with seek) for this video.
    signal fullViewRequested(string blobId)
    //! The full view (a popup over the window).
    readonly property alias fullView: viewer

    readonly property string blobId: root.attachment.blobId ?? ""
    readonly property bool pending: root.attachment.pending ?? false
    readonly property var transfer: root.controller
        ? (root.controller.transfers[root.pending ? root.clientId : root.blobId] ?? null) : null
    readonly property string transferState: root.transfer === null ? "idle" : root.transfer.state
    //! Past the server's media retention: shown as expired, never downloaded, no retry. (A
    //! scripted controller in a test may have no isExpired.)
    readonly property bool expired: !root.pending && !!root.controller
        && (root.transferState === "expired"
            || (typeof root.controller.isExpired === "function" && root.controller.isExpired(root.blobId)))
    readonly property bool current: !!root.playback && root.blobId !== ""
                                    && root.playback.currentBlobId === root.blobId
    readonly property bool playing: root.current && root.playback.playing
    readonly property real durationMs: root.current && root.playback.duration > 0
                                       ? root.playback.duration : (root.attachment.durationMs ?? 0)

    readonly property real sourceWidth: Math.max(1, root.attachment.width || 320)
    readonly property real sourceHeight: Math.max(1, root.attachment.height || 180)
    readonly property real scale_: Math.min(1, root.maximumWidth / root.sourceWidth,
                                            root.maximumHeight / root.sourceHeight)

    function formatTime(ms) {
        const total = Math.max(0, Math.round(ms / 1000))
        const minutes = Math.floor(total / 60)
        const seconds = total % 60
        return minutes + ":" + (seconds < 10 ? "0" : "") + seconds
    }
    function start() {
        if (!root.playback || root.blobId === "" || root.pending)
            return
        root.playback.videoOutput = output
        root.playback.toggle(root.blobId)
    }

    implicitWidth: Math.max(120, Math.round(root.sourceWidth * root.scale_))
    implicitHeight: Math.max(80, Math.round(root.sourceHeight * root.scale_))

    Rectangle {
        objectName: "videoPoster"
        anchors.fill: parent
        radius: 8
        color: "#263238"
        clip: true

        Image {
            objectName: "posterImage"
            anchors.fill: parent
            visible: !root.current && root.attachment.hasThumb === true
            source: root.attachment.thumbUrl ?? ""
            fillMode: Image.PreserveAspectCrop
            asynchronous: true
            cache: false
        }
        VideoOutput {
            id: output
            objectName: "videoOutput"
            anchors.fill: parent
            visible: root.current
            fillMode: VideoOutput.PreserveAspectFit
        }
    }

    MouseArea {
        anchors.fill: parent
        enabled: !root.expired
        cursorShape: Qt.PointingHandCursor
        onClicked: root.start()
    }
    ExpiredLabel {
        anchors.centerIn: parent
        overlay: true
        visible: root.expired && !root.current
        text: qsTr("Video expired")
    }

    // ▶ over the poster (and over a paused video); the progress ring while it transfers.
    Rectangle {
        objectName: "videoPlayButton"
        anchors.centerIn: parent
        width: 48
        height: 48
        radius: 24
        color: "#99000000"
        visible: !root.playing && !ring.visible && !root.expired
        Label {
            anchors.centerIn: parent
            anchors.horizontalCenterOffset: 2
            text: "\u25B6"
            font.pixelSize: 22
            color: "white"
        }
    }
    ProgressRing {
        id: ring
        objectName: "videoProgress"
        anchors.centerIn: parent
        visible: root.pending ? root.transferState !== "done"
                              : root.transferState === "running" || root.transferState === "failed"
        state_: root.pending && root.transferState === "idle" ? "running" : root.transferState
        value: root.transfer !== null && root.transfer.total > 0 ? root.transfer.done / root.transfer.total : -1
        onCancelRequested: root.controller.cancel(root.pending ? root.clientId : root.blobId)
        onRetryRequested: root.controller.retry(root.pending ? root.clientId : root.blobId)
        onDownloadRequested: root.start()
    }

    // The duration (the position while it plays), bottom left, as Telegram shows it.
    Rectangle {
        objectName: "videoDuration"
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 6
        width: durationLabel.implicitWidth + 10
        height: durationLabel.implicitHeight + 4
        radius: 4
        color: "#99000000"
        visible: root.durationMs > 0 && !seekBar.visible
        Label {
            id: durationLabel
            anchors.centerIn: parent
            text: root.formatTime(root.current ? root.playback.position : root.durationMs)
            textFormat: Text.PlainText
            font.pixelSize: 11
            color: "white"
        }
    }
    Slider {
        id: seekBar
        objectName: "videoSeek"
        anchors.left: parent.left
        anchors.right: fullButton.left
        anchors.bottom: parent.bottom
        visible: root.current
        from: 0
        to: Math.max(1, root.durationMs)
        value: root.current ? root.playback.position : 0
        onMoved: root.playback.seek(root.blobId, Math.round(value))
    }
    ToolButton {
        id: fullButton
        objectName: "videoFullButton"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        visible: root.current
        text: "\u2922" // ⤢ (⛶ is in none of Debian's default fonts)
        Accessible.name: qsTr("Full view")
        onClicked: {
            root.fullViewRequested(root.blobId)
            viewer.open()
        }
    }
    VideoViewer {
        id: viewer
        objectName: "videoViewer"
        playback: root.playback
        blobId: root.blobId
        returnOutput: output
    }
}
