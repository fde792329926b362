pragma ComponentBehavior: Bound

import QtQuick

import QtTest
import Messenger.Media

// Voice notes, audio and video in Messenger.Media against scripted stand-ins (the real
// MediaPlayback and VoiceNotes need an account; tst_app_voice plays and records for real): the
// waveform is drawn from the peaks and seeks where clicked, the speed cycles 1× → 1.5× → 2×, a
// "voice note" that is not Ogg/Opus is a file card, the recording bar shows time and level and
// cancels with 🗑 or Esc, and a video shows its poster and duration and plays only when clicked.
// Screenshots go to ../app/artifacts (the app tests' folder, from this test's build folder).
TestCase {
    id: testCase
    name: "VoiceNotes"
    width: 600
    height: 400
    visible: true
    when: windowShown

    QtObject {
        id: fakeController
        property var transfers: ({})
        property var available: []
        property var calls: []
        function download(id) { calls = calls.concat(["download:" + id]) }
        function cancel(id) { calls = calls.concat(["cancel:" + id]) }
        function retry(id) { calls = calls.concat(["retry:" + id]) }
        function isAvailable(id) { return available.indexOf(id) >= 0 }
        function suggestedName(id) { return "x" }
    }
    QtObject {
        id: fakePlayback
        property string currentBlobId: ""
        property bool playing: false
        property real position: 0
        property real duration: 0
        property real rate: 1
        property var videoOutput: null
        property var calls: []
        property bool oggOpus: true
        function pause() { playing = false }
        function toggle(id) { calls = calls.concat(["toggle:" + id]) }
        function seek(id, ms) { calls = calls.concat(["seek:" + id + ":" + ms]) }
        function cycleRate() { rate = rate < 1.25 ? 1.5 : rate < 1.75 ? 2 : 1 }
        function isOggOpus(id) { return oggOpus }
    }
    QtObject {
        id: fakeVoice
        property bool recording: false
        property real level: 0
        property real elapsedMs: 0
        property string problem: ""
        property var calls: []
        function start() { calls = calls.concat(["start"]) }
        function send() { calls = calls.concat(["send"]) }
        function cancel() { calls = calls.concat(["cancel"]); recording = false }
        function clearProblem() { problem = "" }
    }

    readonly property string blob: "v".repeat(26)
    //! A descriptor's peaks (MessageListModel's `waveform`): loud and quiet.
    readonly property var peaks: {
        const result = []
        for (let i = 0; i < 100; ++i)
            result.push(Math.round(127 + 120 * Math.sin(i / 5)))
        return result
    }

    function voice(overrides) {
        const base = { index: 0, blobId: blob, kind: "voice", mime: "audio/ogg", name: "", size: 9000,
                       width: 0, height: 0, durationMs: 12400, hasThumb: false, thumbUrl: "",
                       dangerous: false, pending: false, waveform: peaks }
        return Object.assign(base, overrides || {})
    }

    function init() {
        fakeController.transfers = ({})
        fakeController.available = [blob]
        fakeController.calls = []
        fakePlayback.currentBlobId = ""
        fakePlayback.playing = false
        fakePlayback.position = 0
        fakePlayback.duration = 0
        fakePlayback.rate = 1
        fakePlayback.calls = []
        fakePlayback.oggOpus = true
        fakeVoice.recording = false
        fakeVoice.level = 0
        fakeVoice.elapsedMs = 0
        fakeVoice.problem = ""
        fakeVoice.calls = []
    }

    Component { id: voiceComponent; VoiceNoteDelegate { controller: fakeController; playback: fakePlayback } }
    Component { id: recorderComponent; VoiceNoteRecorder { voiceNotes: fakeVoice; width: 560 } }
    Component { id: videoComponent; VideoDelegate { controller: fakeController; playback: fakePlayback } }
    Component { id: listComponent; AttachmentList { controller: fakeController; playback: fakePlayback } }

    function findNamed(item, name) {
        if (!item)
            return null
        if (item.objectName === name)
            return item
        for (let i = 0; i < item.children.length; ++i) {
            const found = findNamed(item.children[i], name)
            if (found)
                return found
        }
        return null
    }

    function shoot(item, name) {
        // A missing folder (the app tests never ran here) costs the picture, not the test.
        try {
            grabImage(item).save("../app/artifacts/" + name + ".png")
        } catch (error) {
            console.warn("no screenshot " + name + ": " + error)
        }
    }

    function test_waveformDrawnFromPeaks() {
        const note = createTemporaryObject(voiceComponent, testCase, { attachment: voice(), x: 10, y: 10 })
        verify(note)
        waitForRendering(note)
        const wave = findNamed(note, "waveform")
        compare(wave.barCount, 50)
        compare(findNamed(note, "voiceTime").text, "0:12")
        // Loud and quiet peaks give tall and short bars.
        const heights = note.bars.map(b => b)
        verify(Math.max.apply(null, heights) > 0.9)
        verify(Math.min.apply(null, heights) < 0.1)
        shoot(note, "voice-note-bubble")
    }

    function test_playingShowsPositionAndProgress() {
        fakePlayback.currentBlobId = blob
        fakePlayback.playing = true
        fakePlayback.duration = 12000
        fakePlayback.position = 6000
        const note = createTemporaryObject(voiceComponent, testCase, { attachment: voice(), x: 10, y: 10 })
        waitForRendering(note)
        compare(findNamed(note, "voiceTime").text, "0:06")
        compare(note.progress, 0.5)
        compare(findNamed(note, "voicePlayButton").text, "\u23F8")
        shoot(note, "voice-note-playing")
        mouseClick(findNamed(note, "voicePlayButton"))
        compare(fakePlayback.calls, ["toggle:" + blob])
    }

    function test_speedCycles() {
        const note = createTemporaryObject(voiceComponent, testCase, { attachment: voice() })
        const button = findNamed(note, "voiceRateButton")
        const label = findNamed(note, "voiceRateLabel")
        compare(label.text, "1×")
        mouseClick(button)
        compare(label.text, "1.5×")
        mouseClick(button)
        compare(label.text, "2×")
        mouseClick(button)
        compare(label.text, "1×")
    }

    function test_clickOnWaveformSeeks() {
        const note = createTemporaryObject(voiceComponent, testCase, { attachment: voice({ durationMs: 10000 }) })
        waitForRendering(note)
        const area = findNamed(note, "waveformArea")
        mouseClick(area, area.width / 4, area.height / 2)
        compare(fakePlayback.calls.length, 1)
        compare(fakePlayback.calls[0], "seek:" + blob + ":2500")
        // Dragging keeps seeking.
        mousePress(area, area.width / 4, area.height / 2)
        mouseMove(area, area.width * 3 / 4, area.height / 2)
        mouseRelease(area, area.width * 3 / 4, area.height / 2)
        compare(fakePlayback.calls[fakePlayback.calls.length - 1], "seek:" + blob + ":7500")
    }

    function test_pendingNoteShowsProgressAndCannotPlay() {
        const note = createTemporaryObject(voiceComponent, testCase,
                                           { attachment: voice({ blobId: "", pending: true }), clientId: "c1",
                                             x: 10, y: 10 })
        verify(findNamed(note, "voiceProgress").visible)
        verify(!findNamed(note, "voicePlayButton").visible)
        verify(!findNamed(note, "waveformArea").enabled)
        // The sender's own note, still uploading: its recorded waveform, not a flat line.
        compare(findNamed(note, "waveform").barCount, 50)
        verify(Math.max.apply(null, note.bars) > 0.9)
        waitForRendering(note)
        shoot(note, "voice-note-uploading")
    }

    function test_noteWithoutPeaksShowsATrack() {
        const note = createTemporaryObject(voiceComponent, testCase, { attachment: voice({ waveform: undefined }) })
        compare(findNamed(note, "waveform").barCount, 0)
    }

    function test_notOggOpusIsAFile() {
        fakePlayback.oggOpus = false
        const note = createTemporaryObject(voiceComponent, testCase, { attachment: voice({ name: "note.exe" }) })
        verify(note.asFile)
        verify(!findNamed(note, "voiceNote").visible)
        tryVerify(() => findNamed(note, "fileName") !== null)
    }

    function test_audioFileHasTitleAndTrack() {
        const note = createTemporaryObject(voiceComponent, testCase,
                                           { attachment: voice({ kind: "audio", mime: "audio/mpeg", name: "song.mp3" }) })
        const title = findNamed(note, "audioTitle")
        verify(title.visible)
        compare(title.text, "song.mp3")
    }

    function test_listPicksPlayers() {
        const list = createTemporaryObject(listComponent, testCase, { attachments: [
            voice(), voice({ index: 1, kind: "video", mime: "video/mp4", blobId: "w".repeat(26), durationMs: 42000 }) ] })
        tryVerify(() => findNamed(list, "voiceNote") !== null)
        tryVerify(() => findNamed(list, "videoPoster") !== null)
    }

    function test_recorderBar() {
        const bar = createTemporaryObject(recorderComponent, testCase, { x: 10, y: 10 })
        verify(!bar.visible)
        fakeVoice.recording = true
        fakeVoice.elapsedMs = 65400
        fakeVoice.level = 0.5
        verify(bar.visible)
        compare(findNamed(bar, "recordingTime").text, "1:05,4")
        const meter = findNamed(bar, "levelMeter")
        waitForRendering(bar)
        verify(meter.width > 0)
        tryVerify(() => Math.abs(findNamed(bar, "levelFill").width - meter.width * 0.5) < 0.5)
        waitForRendering(bar)
        shoot(bar, "voice-recording-bar")
        mouseClick(findNamed(bar, "voiceSendButton"))
        compare(fakeVoice.calls, ["send"])
        mouseClick(findNamed(bar, "voiceCancelButton"))
        compare(fakeVoice.calls, ["send", "cancel"])
        verify(!bar.visible)
    }

    function test_recorderBarEscCancelsAndHoldHint() {
        const bar = createTemporaryObject(recorderComponent, testCase, { holding: true })
        fakeVoice.recording = true
        const hint = findNamed(bar, "holdHint")
        verify(hint.visible)
        compare(hint.text, "Release to send · drag away to cancel")
        verify(!findNamed(bar, "voiceSendButton").visible)
        // Dragged away from 🎤 (Composer.voiceCancelling): letting go drops the note.
        bar.cancelling = true
        compare(hint.text, "Release to cancel")
        verify(Qt.colorEqual(hint.color, "#e53935"))
        bar.cancelling = false
        compare(hint.text, "Release to send · drag away to cancel")
        bar.forceActiveFocus()
        keyClick(Qt.Key_Escape)
        compare(fakeVoice.calls, ["cancel"])
    }

    function test_recorderBarSaysNoMicrophone() {
        const bar = createTemporaryObject(recorderComponent, testCase, { x: 10, y: 10 })
        fakeVoice.problem = "No microphone was found."
        verify(bar.visible)
        const label = findNamed(bar, "voiceProblem")
        verify(label.visible)
        compare(label.text, "No microphone was found.")
        mouseClick(findNamed(bar, "voiceProblemClose"))
        verify(!bar.visible)
    }

    function test_videoPosterPlaysOnlyWhenClicked() {
        const video = createTemporaryObject(videoComponent, testCase, { x: 10, y: 10,
            attachment: voice({ kind: "video", mime: "video/mp4", width: 640, height: 360, durationMs: 42000 }) })
        waitForRendering(video)
        verify(findNamed(video, "videoPlayButton").visible)
        compare(findNamed(video, "videoDuration").visible, true)
        compare(fakePlayback.calls, [])
        shoot(video, "video-poster")
        mouseClick(video)
        compare(fakePlayback.calls, ["toggle:" + blob])
        compare(fakePlayback.videoOutput, findNamed(video, "videoOutput"))
        // Playing: the seek bar and ⤢; the full view takes the frames and gives them back.
        fakePlayback.currentBlobId = blob
        fakePlayback.duration = 42000
        const seekBar = findNamed(video, "videoSeek")
        verify(seekBar.visible)
        const full = findNamed(video, "videoFullButton")
        verify(full.visible)
        mouseClick(full)
        const viewer = video.fullView
        tryVerify(() => viewer.opened)
        tryVerify(() => fakePlayback.videoOutput && fakePlayback.videoOutput.objectName === "viewerOutput")
        viewer.close()
        tryVerify(() => !viewer.visible)
        compare(fakePlayback.videoOutput, findNamed(video, "videoOutput"))
    }
}
