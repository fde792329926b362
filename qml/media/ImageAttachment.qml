import QtQuick
import QtQuick.Controls.Material

// A photo in a bubble: the inline thumbnail at once (from the descriptor, blurry), the sharp image
// once the blob is downloaded (through image://attachment, never a file:// URL); small ones
// download by themselves, larger ones on a click on "↓". A click on a downloaded one opens the
// viewer.
Item {
    id: root

    //! One map of MessageListModel's `attachments` role.
    required property var attachment
    //! A MediaController (download, cancel, retry, progress, the sharp image's URL).
    required property var controller
    //! The message's clientId: a pending upload's progress is filed under it.
    property string clientId: ""
    property real maximumWidth: 280
    property real maximumHeight: 280

    signal viewRequested(string blobId)

    readonly property string blobId: root.attachment.blobId ?? ""
    readonly property bool pending: root.attachment.pending ?? false
    readonly property var transfer: root.controller
        ? (root.controller.transfers[root.pending ? root.clientId : root.blobId] ?? null) : null
    readonly property bool available: !root.pending && !!root.controller
        && ((root.transfer !== null && root.transfer.state === "done") || root.controller.isAvailable(root.blobId))
    readonly property string transferState: root.transfer === null ? "idle" : root.transfer.state
    //! Past the server's media retention: shown as expired, never downloaded, no retry. (A
    //! scripted controller in a test may have no isExpired.)
    readonly property bool expired: !root.pending && !!root.controller
        && (root.transferState === "expired"
            || (typeof root.controller.isExpired === "function" && root.controller.isExpired(root.blobId)))

    // The descriptor's size, fitted into the maximum; a square when it has none.
    readonly property real sourceWidth: Math.max(1, root.attachment.width || 200)
    readonly property real sourceHeight: Math.max(1, root.attachment.height || 200)
    readonly property real scale_: Math.min(1, root.maximumWidth / root.sourceWidth,
                                            root.maximumHeight / root.sourceHeight)

    implicitWidth: Math.max(48, Math.round(root.sourceWidth * root.scale_))
    implicitHeight: Math.max(48, Math.round(root.sourceHeight * root.scale_))

    Component.onCompleted: {
        if (!root.pending && !root.available && !root.expired && root.controller
                && root.attachment.size <= root.controller.autoDownloadBytes)
            root.controller.download(root.blobId)
    }

    Rectangle {
        anchors.fill: parent
        radius: 8
        color: Material.theme === Material.Dark ? "#22ffffff" : "#11000000"
    }

    Image {
        id: thumb
        objectName: "attachmentThumb"
        anchors.fill: parent
        source: root.attachment.thumbUrl ?? ""
        fillMode: Image.PreserveAspectCrop
        asynchronous: true
        smooth: true
        visible: sharp.status !== Image.Ready
    }

    Image {
        id: sharp
        objectName: "attachmentImage"
        anchors.fill: parent
        source: root.available ? root.controller.imageUrl(root.blobId) : ""
        sourceSize.width: Math.ceil(root.width * Screen.devicePixelRatio)
        sourceSize.height: Math.ceil(root.height * Screen.devicePixelRatio)
        fillMode: Image.PreserveAspectCrop
        asynchronous: true
        smooth: true
        cache: false
    }

    ProgressRing {
        objectName: "imageProgress"
        anchors.centerIn: parent
        visible: !root.available && !root.expired && (root.pending ? root.transferState !== "done" : true)
        state_: root.pending && root.transferState === "idle" ? "running" : root.transferState
        value: root.transfer !== null && root.transfer.total > 0 ? root.transfer.done / root.transfer.total : -1
        onDownloadRequested: root.controller.download(root.blobId)
        onCancelRequested: root.controller.cancel(root.pending ? root.clientId : root.blobId)
        onRetryRequested: root.controller.retry(root.pending ? root.clientId : root.blobId)
    }

    ExpiredLabel {
        anchors.centerIn: parent
        overlay: true
        visible: root.expired && !root.available
        text: qsTr("Photo expired")
    }

    TapHandler {
        objectName: "imageTap"
        enabled: root.available
        onTapped: root.viewRequested(root.blobId)
    }
    HoverHandler { cursorShape: root.available ? Qt.PointingHandCursor : Qt.ArrowCursor }
    Accessible.role: Accessible.Graphic
    Accessible.name: root.attachment.name || qsTr("Photo")
}
