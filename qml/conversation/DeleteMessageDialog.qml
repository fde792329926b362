import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// "Delete message?": for me (hidden on all of my devices), or — where allowed — for everyone
// (the server erases it; every member sees "This message was deleted").
Dialog {
    id: dialog
    objectName: "deleteMessageDialog"

    property var seq: 0
    property bool canDeleteForEveryone: false

    signal deleteForMe(var seq)
    signal deleteForEveryone(var seq)

    function ask(messageSeq, forEveryone) {
        dialog.seq = messageSeq
        dialog.canDeleteForEveryone = forEveryone
        open()
    }

    title: qsTr("Delete message?")
    parent: Overlay.overlay
    anchors.centerIn: parent
    modal: true
    width: 500

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            text: dialog.canDeleteForEveryone
                  ? qsTr("Delete it for everyone in this chat, or only on your devices?")
                  : qsTr("It will be removed from your devices. Others keep their copy.")
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: 8
            spacing: 4
            Item { Layout.fillWidth: true }
            Button {
                objectName: "deleteCancel"
                flat: true
                text: qsTr("Cancel")
                onClicked: dialog.close()
            }
            Button {
                objectName: "deleteForMeButton"
                flat: true
                text: qsTr("Delete for me")
                onClicked: { dialog.close(); dialog.deleteForMe(dialog.seq) }
            }
            Button {
                objectName: "deleteForEveryoneButton"
                visible: dialog.canDeleteForEveryone
                flat: true
                Material.foreground: "#e53935"
                text: qsTr("Delete for everyone")
                onClicked: { dialog.close(); dialog.deleteForEveryone(dialog.seq) }
            }
        }
    }
}
