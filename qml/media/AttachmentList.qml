pragma ComponentBehavior: Bound

import QtQuick

// The attachments of one message, in body order: allow-listed images as pictures, everything
// else (SVG and HTML too) as file cards.
Column {
    id: root

    //! MessageListModel's `attachments` role.
    required property var attachments
    required property var controller
    property string clientId: ""
    property real maximumWidth: 280
    //! The conversation's MediaPlayback (voice notes, audio, video); null: shown as files.
    property var playback: null

    signal viewRequested(string blobId)
    signal openRequested(string blobId, bool dangerous)
    signal saveRequested(string blobId)

    readonly property var imageTypes: ["image/png", "image/jpeg", "image/gif", "image/webp"]

    spacing: 4

    Repeater {
        model: root.attachments

        // A Loader by file, not by inline Component: a bound component may not be made inside
        // a delegate's own context.
        delegate: Loader {
            id: entry
            required property var modelData
            readonly property bool isImage: entry.modelData.kind === "image"
                                            && root.imageTypes.indexOf(entry.modelData.mime) >= 0
            Component.onCompleted: {
                const common = { attachment: entry.modelData, controller: root.controller, clientId: root.clientId }
                const kind = entry.modelData.kind
                if (entry.isImage)
                    entry.setSource("ImageAttachment.qml", Object.assign(common, { maximumWidth: root.maximumWidth }))
                else if (root.playback && (kind === "voice" || kind === "audio"))
                    entry.setSource("VoiceNoteDelegate.qml", Object.assign(common, { playback: root.playback }))
                else if (root.playback && kind === "video")
                    entry.setSource("VideoDelegate.qml", Object.assign(common, { playback: root.playback, maximumWidth: root.maximumWidth }))
                else
                    entry.setSource("FileCard.qml", common)
            }
            Connections {
                target: entry.item
                ignoreUnknownSignals: true
                function onViewRequested(blobId) { root.viewRequested(blobId) }
                function onOpenRequested(blobId, dangerous) { root.openRequested(blobId, dangerous) }
                function onSaveRequested(blobId) { root.saveRequested(blobId) }
            }
        }
    }
}
