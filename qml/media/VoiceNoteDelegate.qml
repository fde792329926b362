pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// A voice note (or an audio file) in a bubble, as Telegram and Signal show them: a round
// play/pause button, the waveform from the descriptor (peaks 0–255; an audio file has none and
// shows a plain track), the time (the duration, the position while it plays), and 1× / 1.5× / 2×.
// A click or drag on the waveform seeks. Played by the conversation's MediaPlayback from the
// decrypting device: nothing is written out. A "voice note" whose bytes are not Ogg/Opus is shown
// as a file (media.md §10.5).
Item {
    id: root

    //! One map of MessageListModel's `attachments` role.
    required property var attachment
    //! A MediaController (transfers, download, cancel, retry).
    required property var controller
    //! The conversation's MediaPlayback (play, seek, rate, waveform).
    property var playback: null
    property string clientId: ""

    signal openRequested(string blobId, bool dangerous)
    signal saveRequested(string blobId)

    readonly property string blobId: root.attachment.blobId ?? ""
    readonly property bool pending: root.attachment.pending ?? false
    readonly property bool isVoice: root.attachment.kind === "voice"
    readonly property var transfer: root.controller
        ? (root.controller.transfers[root.pending ? root.clientId : root.blobId] ?? null) : null
    readonly property string transferState: root.transfer === null ? "idle" : root.transfer.state
    //! Past the server's media retention: shown as expired, never downloaded, no retry. (A
    //! scripted controller in a test may have no isExpired.)
    readonly property bool expired: !root.pending && !!root.controller
        && (root.transferState === "expired"
            || (typeof root.controller.isExpired === "function" && root.controller.isExpired(root.blobId)))
    readonly property bool available: !root.pending && !!root.controller
        && ((root.transfer !== null && root.transfer.state === "done") || root.controller.isAvailable(root.blobId))
    //! Received bytes that are not Ogg/Opus: a file card instead.
    readonly property bool asFile: root.isVoice && root.available && !!root.playback
                                   && !root.playback.isOggOpus(root.blobId)
    readonly property bool current: !!root.playback && root.blobId !== ""
                                    && root.playback.currentBlobId === root.blobId
    readonly property bool playing: root.current && root.playback.playing
    readonly property real durationMs: root.current && root.playback.duration > 0
                                       ? root.playback.duration : (root.attachment.durationMs ?? 0)
    readonly property real positionMs: root.current ? root.playback.position : 0
    readonly property real progress: root.durationMs > 0 ? Math.min(1, root.positionMs / root.durationMs) : 0
    //! The peaks to draw: the descriptor's (carried by the attachment itself, so a note still
    //! uploading shows its waveform at once), else none.
    readonly property var peaks: root.attachment.waveform ?? []
    //! Bars drawn: always 50 (Telegram), each the loudest of its share of the peaks, or the
    //! nearest peak when a short note has fewer.
    readonly property var bars: {
        const source = root.peaks || []
        if (source.length === 0)
            return []
        const count = 50
        const result = []
        for (let i = 0; i < count; ++i) {
            const from = Math.floor(i * source.length / count)
            const to = Math.max(from + 1, Math.floor((i + 1) * source.length / count))
            let peak = 0
            for (let j = from; j < to; ++j)
                peak = Math.max(peak, source[j])
            result.push(peak / 255)
        }
        return result
    }

    function formatTime(ms) {
        const total = Math.max(0, Math.round(ms / 1000))
        const minutes = Math.floor(total / 60)
        const seconds = total % 60
        return minutes + ":" + (seconds < 10 ? "0" : "") + seconds
    }
    function rateText(rate) {
        return rate >= 1.75 ? "2×" : rate >= 1.25 ? "1.5×" : "1×"
    }
    function seekTo(fraction) {
        if (!root.playback || root.blobId === "" || root.pending || root.durationMs <= 0)
            return
        root.playback.seek(root.blobId, Math.round(Math.max(0, Math.min(1, fraction)) * root.durationMs))
    }

    implicitWidth: root.asFile ? fileLoader.implicitWidth : pane.implicitWidth
    implicitHeight: root.asFile ? fileLoader.implicitHeight : pane.implicitHeight

    // By file, not by inline Component: a bound component may not be made inside the context
    // of a delegate made by a Loader (AttachmentList).
    Loader {
        id: fileLoader
        active: root.asFile
        function showCard() {
            if (fileLoader.active && !fileLoader.item)
                fileLoader.setSource("FileCard.qml", { attachment: root.attachment, controller: root.controller, clientId: root.clientId })
        }
        onActiveChanged: fileLoader.showCard()
        Component.onCompleted: fileLoader.showCard()
        Connections {
            target: fileLoader.item
            ignoreUnknownSignals: true
            function onOpenRequested(blobId, dangerous) { root.openRequested(blobId, dangerous) }
            function onSaveRequested(blobId) { root.saveRequested(blobId) }
        }
    }

    Pane {
        id: pane
        objectName: "voiceNote"
        visible: !root.asFile
        padding: 8
        background: Rectangle {
            radius: 8
            color: Material.theme === Material.Dark ? "#22ffffff" : "#0d000000"
        }

        RowLayout {
            spacing: 10

            Item {
                Layout.preferredWidth: 40
                Layout.preferredHeight: 40

                RoundButton {
                    id: playButton
                    objectName: "voicePlayButton"
                    anchors.fill: parent
                    padding: 0
                    highlighted: true
                    visible: !ring.visible
                    enabled: !root.pending && !root.expired && root.blobId !== ""
                    text: root.playing ? "\u23F8" : "\u25B6"
                    font.pixelSize: 16
                    // Drawn here: the same filled circle in every style and renderer.
                    background: Rectangle {
                        radius: width / 2
                        color: playButton.enabled ? Material.accentColor : Material.hintTextColor
                        opacity: playButton.pressed ? 0.8 : 1
                    }
                    contentItem: Label {
                        text: playButton.text
                        textFormat: Text.PlainText
                        font: playButton.font
                        color: "white"
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                    }
                    Accessible.name: root.playing ? qsTr("Pause") : qsTr("Play")
                    onClicked: root.playback.toggle(root.blobId)
                }
                ProgressRing {
                    id: ring
                    objectName: "voiceProgress"
                    anchors.fill: parent
                    visible: root.pending ? root.transferState !== "done"
                                          : root.transferState === "running" || root.transferState === "failed"
                    state_: root.pending && root.transferState === "idle" ? "running" : root.transferState
                    value: root.transfer !== null && root.transfer.total > 0 ? root.transfer.done / root.transfer.total : -1
                    onCancelRequested: root.controller.cancel(root.pending ? root.clientId : root.blobId)
                    onRetryRequested: root.controller.retry(root.pending ? root.clientId : root.blobId)
                    onDownloadRequested: root.controller.download(root.blobId)
                }
            }

            ColumnLayout {
                spacing: 2

                Label {
                    objectName: "audioTitle"
                    visible: !root.isVoice
                    Layout.maximumWidth: 200
                    text: root.attachment.name || qsTr("Audio")
                    textFormat: Text.PlainText
                    elide: Text.ElideMiddle
                    font.bold: true
                }

                // The waveform: played bars in the accent colour; click or drag to seek.
                Item {
                    id: wave
                    objectName: "waveform"
                    Layout.preferredWidth: 200
                    Layout.preferredHeight: 28
                    readonly property int barCount: bars.count

                    Row {
                        id: barRow
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: 2
                        visible: root.bars.length > 0
                        Repeater {
                            id: bars
                            model: root.bars
                            delegate: Rectangle {
                                required property int index
                                required property real modelData
                                width: Math.max(1, (wave.width - 2 * (root.bars.length - 1)) / root.bars.length)
                                height: Math.max(2, Math.round(wave.height * modelData))
                                anchors.verticalCenter: parent.verticalCenter
                                radius: width / 2
                                color: (index + 0.5) / root.bars.length <= root.progress
                                       ? Material.accentColor : Material.hintTextColor
                            }
                        }
                    }
                    // An audio file (or a note without peaks): a plain track.
                    Rectangle {
                        visible: root.bars.length === 0
                        anchors.verticalCenter: parent.verticalCenter
                        width: parent.width
                        height: 3
                        radius: 1.5
                        color: Material.hintTextColor
                        Rectangle {
                            width: parent.width * root.progress
                            height: parent.height
                            radius: parent.radius
                            color: Material.accentColor
                        }
                    }
                    MouseArea {
                        objectName: "waveformArea"
                        anchors.fill: parent
                        enabled: !root.pending && !root.expired && root.blobId !== ""
                        cursorShape: Qt.PointingHandCursor
                        onPressed: mouse => root.seekTo(mouse.x / width)
                        onPositionChanged: mouse => { if (pressed) root.seekTo(mouse.x / width) }
                    }
                }

                RowLayout {
                    spacing: 6
                    Label {
                        objectName: "voiceTime"
                        visible: !root.expired
                        text: root.formatTime(root.current ? root.positionMs : root.durationMs)
                        textFormat: Text.PlainText
                        font.pixelSize: 11
                        color: Material.hintTextColor
                    }
                    ExpiredLabel {
                        visible: root.expired
                        text: root.isVoice ? qsTr("Voice message expired") : qsTr("Audio expired")
                    }
                    Item { Layout.fillWidth: true }
                    Button {
                        objectName: "voiceRateButton"
                        visible: !root.expired
                        flat: true
                        padding: 2
                        topInset: 0
                        bottomInset: 0
                        implicitHeight: 22
                        font.pixelSize: 11
                        contentItem: Label {
                            objectName: "voiceRateLabel"
                            text: root.rateText(root.playback ? root.playback.rate : 1)
                            textFormat: Text.PlainText
                            font.pixelSize: 11
                            color: Material.accentColor
                            horizontalAlignment: Text.AlignHCenter
                            verticalAlignment: Text.AlignVCenter
                        }
                        Accessible.name: qsTr("Playback speed")
                        onClicked: root.playback.cycleRate()
                    }
                }
            }
        }
    }
}
