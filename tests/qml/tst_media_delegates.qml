import QtQuick
import QtTest
import Messenger.Media

// Messenger.Media's delegates against a scripted controller (the real MediaController needs an
// account): image vs file card, auto-download by size, the progress ring, the file card's buttons
// and warning, the preview strip; and the thumbnail provider (JPEG only).
TestCase {
    id: testCase
    name: "MediaDelegates"
    width: 600
    height: 600
    visible: true
    when: windowShown

    //! What the delegates call, recorded.
    QtObject {
        id: fake
        property var transfers: ({})
        property real autoDownloadBytes: 1000
        property var available: []
        property var expired: []
        property var calls: []
        property var drafts: []
        property string problem: ""
        property bool sendAsFile: false
        function download(id) { calls = calls.concat(["download:" + id]) }
        function cancel(id) { calls = calls.concat(["cancel:" + id]) }
        function retry(id) { calls = calls.concat(["retry:" + id]) }
        function isAvailable(id) { return available.indexOf(id) >= 0 }
        function isExpired(id) { return expired.indexOf(id) >= 0 }
        function imageUrl(id) { return isAvailable(id) ? "image://attachment-thumb/" + testCase.jpeg : "" }
        function removeDraft(id) { calls = calls.concat(["remove:" + id]) }
        function suggestedName(id) { return "x" }
    }
    // The real controller installs the image providers on the engine.
    MediaController { id: realController }

    readonly property string jpeg: "_9j_4AAQSkZJRgABAQAAAQABAAD_2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P_2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P_wAARCAAMABADAREAAhEBAxEB_8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL_8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4-Tl5ufo6erx8vP09fb3-Pn6_8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL_8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3-Pn6_9oADAMBAAIRAxEAPwDf1n_P6V50v-Yj_tw8nNf-Xfz_AEOI1n75_wB7_Gvpct_jQ_69r80fTVv-RbR_7d_9JJr2GJPANhOkaLNLcESSBQGcAyYBPfoPyraglPFTUtVb_I4MlbnSSlrdP8xPCIkuZJi1xMjpb4V0chgoPC59M4P4emQfGbbIjGMdkf_Z"
    readonly property string png: "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8_9hAAAAHElEQVR42mM4ISf3nwBmwIcZRg0YNWDUgOFiAACzZYOQl528OQAAAABJRU5ErkJggg"

    function attachment(overrides) {
        const base = { index: 0, blobId: "b".repeat(26), kind: "image", mime: "image/jpeg", name: "beach.jpg",
                       size: 500, width: 2048, height: 1365, durationMs: 0, hasThumb: true,
                       thumbUrl: "image://attachment-thumb/" + jpeg, dangerous: false, pending: false }
        return Object.assign(base, overrides || {})
    }

    function init() {
        fake.transfers = ({})
        fake.available = []
        fake.expired = []
        fake.calls = []
        fake.drafts = []
        fake.problem = ""
    }

    Component { id: listComponent; AttachmentList {} }
    Component { id: imageComponent; ImageAttachment {} }
    Component { id: cardComponent; FileCard {} }
    Component { id: stripComponent; AttachStrip { width: 500 } }

    //! A delegate on the scripted controller.
    function make(component, properties) {
        return createTemporaryObject(component, testCase,
                                     Object.assign({ controller: fake }, properties || {}))
    }
    Component { id: plainImage; Image { asynchronous: true } }

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

    function test_listPicksImageOrCard_data() {
        return [
            { tag: "jpeg", kind: "image", mime: "image/jpeg", image: true },
            { tag: "gif", kind: "image", mime: "image/gif", image: true },
            { tag: "svg claimed an image", kind: "image", mime: "image/svg+xml", image: false },
            { tag: "tiff claimed an image", kind: "image", mime: "image/tiff", image: false },
            { tag: "pdf", kind: "file", mime: "application/pdf", image: false },
        ]
    }
    function test_listPicksImageOrCard(data) {
        const list = make(listComponent,
            { attachments: [attachment({ kind: data.kind, mime: data.mime, size: 5000 })] })
        verify(list)
        tryVerify(() => list.children.length > 0 && list.children[0].item !== null)
        const item = list.children[0].item
        compare(item.hasOwnProperty("maximumHeight"), data.image) // ImageAttachment has it, FileCard not
    }

    function test_imageFitsAndDownloadsWhenSmall() {
        const small = make(imageComponent, { attachment: attachment({ size: 800 }) })
        compare(small.implicitWidth, 280)
        compare(small.implicitHeight, Math.round(1365 * 280 / 2048))
        compare(fake.calls, ["download:" + "b".repeat(26)])
        // The thumbnail shows at once.
        const thumb = findNamed(small, "attachmentThumb")
        tryCompare(thumb, "status", Image.Ready)

        fake.calls = []
        // Below the first: a click goes to one of them.
        const large = make(imageComponent, { attachment: attachment({ size: 5000 }), y: 300 })
        compare(fake.calls, [])
        const ring = findNamed(large, "imageProgress")
        verify(ring.visible)
        compare(ring.state_, "idle")
        mouseClick(ring)
        compare(fake.calls, ["download:" + "b".repeat(26)])
    }

    function test_progressRingCancelsAndRetries() {
        const id = "b".repeat(26)
        const image = make(imageComponent, { attachment: attachment({ size: 5000 }) })
        fake.transfers = ({ [id]: { done: 50, total: 100, state: "running" } })
        const ring = findNamed(image, "imageProgress")
        compare(ring.state_, "running")
        compare(ring.value, 0.5)
        mouseClick(ring)
        compare(fake.calls, ["cancel:" + id])
        fake.transfers = ({ [id]: { state: "failed", error: "gone" } })
        compare(ring.state_, "failed")
        mouseClick(ring)
        compare(fake.calls, ["cancel:" + id, "retry:" + id])
        // Done: the sharp image replaces the ring.
        fake.available = [id]
        fake.transfers = ({ [id]: { state: "done" } })
        verify(!ring.visible)
        tryCompare(findNamed(image, "attachmentImage"), "status", Image.Ready)
    }

    function test_pendingUploadShowsProgressUnderItsClientId() {
        const image = make(imageComponent,
            { attachment: attachment({ blobId: "", pending: true }), clientId: "c1" })
        compare(fake.calls, []) // nothing to download: it is ours, going up
        const ring = findNamed(image, "imageProgress")
        compare(ring.state_, "running")
        fake.transfers = ({ c1: { done: 1, total: 4, state: "running" } })
        compare(ring.value, 0.25)
        mouseClick(ring)
        compare(fake.calls, ["cancel:c1"])
    }

    function test_fileCard() {
        const id = "b".repeat(26)
        const card = make(cardComponent,
            { attachment: attachment({ kind: "file", mime: "application/x-shellscript", name: "install.sh",
                                       size: 2048, dangerous: true }) })
        compare(findNamed(card, "fileName").text, "install.sh")
        verify(findNamed(card, "fileDetails").text.indexOf("application/x-shellscript") >= 0)
        verify(findNamed(card, "dangerousLabel").visible)
        const download = findNamed(card, "fileDownloadButton")
        verify(download.visible)
        verify(!findNamed(card, "fileOpenButton").visible)
        mouseClick(download)
        compare(fake.calls, ["download:" + id])

        fake.available = [id]
        fake.transfers = ({ [id]: { state: "done" } })
        const open = findNamed(card, "fileOpenButton")
        verify(open.visible)
        waitForRendering(card)
        verify(findNamed(card, "fileSaveButton").visible)
        const opened = signalSpy.createObject(testCase, { target: card, signalName: "openRequested" })
        mouseClick(open)
        const spy = opened as SignalSpy
        compare(spy.count, 1)
        compare(spy.signalArguments[0][0], id)
        compare(spy.signalArguments[0][1], true)
    }

    Component { id: signalSpy; SignalSpy {} }
    Component { id: voiceComponent; VoiceNoteDelegate {} }
    Component { id: videoComponent; VideoDelegate {} }

    //! Past the server's media retention: "expired" from a download in this run, or known from an
    //! earlier one (isExpired): a muted label, no ring, no download or play, no retry.
    function test_expired_data() {
        return [ { tag: "this run", known: false }, { tag: "an earlier run", known: true } ]
    }
    function test_expired(data) {
        const id = "b".repeat(26)
        if (data.known)
            fake.expired = [id]
        // A small photo that would download by itself.
        const image = make(imageComponent, { attachment: attachment({ size: 500 }) })
        compare(fake.calls, data.known ? [] : ["download:" + id])
        if (!data.known)
            fake.transfers = ({ [id]: { state: "expired" } })
        verify(image.expired)
        verify(!findNamed(image, "imageProgress").visible)
        const imageLabel = findNamed(image, "expiredLabel")
        verify(imageLabel.visible)
        compare(imageLabel.text, "Photo expired")
        verify(!image.available) // nothing to view

        const card = make(cardComponent,
            { attachment: attachment({ kind: "file", mime: "application/pdf", name: "a.pdf", size: 4096 }), y: 300 })
        verify(card.expired)
        verify(!findNamed(card, "fileDownloadButton").visible)
        verify(!findNamed(card, "fileProgress").visible)
        compare(findNamed(card, "expiredLabel").text, "This file has expired")
        verify(findNamed(card, "expiredLabel").visible)

        const voice = make(voiceComponent,
            { attachment: attachment({ kind: "voice", mime: "audio/ogg", name: "voice.ogg", size: 900 }), y: 400 })
        verify(voice.expired)
        verify(!findNamed(voice, "voicePlayButton").enabled)
        verify(!findNamed(voice, "voiceProgress").visible)
        verify(!findNamed(voice, "waveformArea").enabled)
        compare(findNamed(voice, "expiredLabel").text, "Voice message expired")
        verify(findNamed(voice, "expiredLabel").visible)

        const video = make(videoComponent,
            { attachment: attachment({ kind: "video", mime: "video/mp4", name: "clip.mp4", size: 9000 }), y: 450 })
        verify(video.expired)
        verify(!findNamed(video, "videoPlayButton").visible)
        verify(!findNamed(video, "videoProgress").visible)
        compare(findNamed(video, "expiredLabel").text, "Video expired")
        verify(findNamed(video, "expiredLabel").visible)
        compare(fake.calls, data.known ? [] : ["download:" + id])
    }

    //! A failure (a not_found for a recent message) still offers the retry.
    function test_failedIsNotExpired() {
        const id = "b".repeat(26)
        fake.transfers = ({ [id]: { state: "failed", error: "the attachment is no longer on the server" } })
        const card = make(cardComponent,
            { attachment: attachment({ kind: "file", mime: "application/pdf", name: "a.pdf", size: 4096 }) })
        verify(!card.expired)
        verify(!findNamed(card, "expiredLabel").visible)
        const ring = findNamed(card, "fileProgress")
        verify(ring.visible)
        compare(ring.state_, "failed")
        mouseClick(ring)
        compare(fake.calls, ["retry:" + id])
    }

    function test_strip() {
        const strip = make(stripComponent)
        verify(!strip.visible)
        fake.drafts = [
            { id: 1, name: "beach.jpg", kind: "image", mime: "image/jpeg", size: 1000,
              thumbUrl: "image://attachment-thumb/" + jpeg, ready: true, error: "", warning: "" },
            { id: 2, name: "big.mov", kind: "video", mime: "video/quicktime", size: 200000000,
              thumbUrl: "", ready: true, error: "“big.mov” is 190.7 MiB. Videos can be at most 100 MiB.", warning: "" },
        ]
        fake.problem = fake.drafts[1].error
        verify(strip.visible)
        const list = findNamed(strip, "attachStripList")
        tryCompare(list, "count", 2)
        verify(findNamed(strip, "attachProblem").text.indexOf("at most 100 MiB") >= 0)
        waitForRendering(strip)
        const first = findNamed(list, "draft_1")
        mouseClick(findNamed(first, "removeDraftButton"))
        compare(fake.calls, ["remove:1"])
    }

    function test_thumbnailProviderDecodesJpegOnly() {
        const good = createTemporaryObject(plainImage, testCase, { source: "image://attachment-thumb/" + jpeg })
        tryCompare(good, "status", Image.Ready)
        compare(good.implicitWidth, 16)
        // A PNG (or anything else) is not a thumbnail.
        ignoreWarning(/.*not a thumbnail.*/)
        const bad = createTemporaryObject(plainImage, testCase, { source: "image://attachment-thumb/" + png })
        tryCompare(bad, "status", Image.Error)
    }
}
