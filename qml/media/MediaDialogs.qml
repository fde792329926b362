import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs

// The dialogs attachments need: choosing files to send, Save as (the sanitised name offered; the
// controller never overwrites), and the warning before opening a program or script.
Item {
    id: root

    required property var controller

    function chooseFiles() {
        attachDialog.open()
    }
    function saveFile(blobId) {
        saveDialog.blobId = blobId
        saveDialog.selectedFile = saveDialog.currentFolder + "/" + encodeURIComponent(root.controller.suggestedName(blobId))
        saveDialog.open()
    }
    function openFile(blobId, dangerous) {
        if (!dangerous) {
            root.controller.open(blobId)
            return
        }
        dangerDialog.blobId = blobId
        dangerDialog.fileName = root.controller.suggestedName(blobId)
        dangerDialog.open()
    }

    FileDialog {
        id: attachDialog
        objectName: "attachDialog"
        title: qsTr("Attach files")
        fileMode: FileDialog.OpenFiles
        onAccepted: root.controller.attachUrls(attachDialog.selectedFiles)
    }
    FileDialog {
        id: saveDialog
        objectName: "saveDialog"
        property string blobId: ""
        title: qsTr("Save as")
        fileMode: FileDialog.SaveFile
        // Qt 6.4's own (non-native) dialog would say "Open".
        acceptLabel: qsTr("Save")
        currentFolder: root.controller ? root.controller.downloadsFolder() : ""
        onAccepted: root.controller.saveAs(saveDialog.blobId, saveDialog.selectedFile)
    }
    DangerousFileDialog {
        id: dangerDialog
        objectName: "dangerousFileDialog"
        property string blobId: ""
        parent: Overlay.overlay
        onAccepted: root.controller.open(dangerDialog.blobId)
    }
}
