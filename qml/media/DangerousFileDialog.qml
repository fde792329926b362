import QtQuick
import QtQuick.Controls.Material

// Asked before opening a program or script someone sent: it is saved to Downloads and only its
// folder opens, so nothing runs unless the user starts it there.
Dialog {
    id: root

    property string fileName: ""

    title: qsTr("Open a program?")
    modal: true
    anchors.centerIn: parent
    standardButtons: Dialog.Cancel | Dialog.Open
    contentWidth: 420

    Label {
        width: 420
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
        text: qsTr("“%1” is a program or script. It can harm this computer and read your files. "
                   + "It will be saved to Downloads and its folder opened; run it only if you trust "
                   + "the sender and expected it.").arg(root.fileName)
    }
}
