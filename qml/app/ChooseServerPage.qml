import QtQuick
import QtQuick.Controls.Material
import Messenger.App
import QtQuick.Layouts

// First run: which server to use — an address, or one hosted on this computer.
Page {
    id: page

    // Adding another account: a way back to the one already signed in.
    Button {
        objectName: "backToChats"
        visible: App.addingAccount
        text: qsTr("← Back to chats")
        flat: true
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: 8
        onClicked: App.cancelAddAccount()
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 440)
        spacing: 16

        Label {
            text: qsTr("Welcome to Messenger")
            font.pixelSize: 28
            font.bold: true
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: qsTr("Your messages live on a server you choose: one a friend runs, or one on this computer.")
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            color: Material.hintTextColor
            Layout.fillWidth: true
        }

        Pane {
            Layout.fillWidth: true
            Material.elevation: 2

            ColumnLayout {
                anchors.fill: parent
                spacing: 8

                Label {
                    text: qsTr("Join a server")
                    font.bold: true
                }
                TextField {
                    id: address
                    objectName: "serverAddress"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Server address, e.g. chat.example.org or 192.168.1.20:7400")
                    Accessible.name: qsTr("Server address")
                    enabled: !App.busy
                    onAccepted: App.useServer(text)
                }
                Button {
                    objectName: "continueButton"
                    text: qsTr("Continue")
                    highlighted: true
                    enabled: !App.busy && address.text.trim().length > 0
                    Layout.alignment: Qt.AlignRight
                    onClicked: App.useServer(address.text)
                }
            }
        }

        Label {
            text: qsTr("or")
            color: Material.hintTextColor
            Layout.alignment: Qt.AlignHCenter
        }

        Pane {
            Layout.fillWidth: true
            Material.elevation: 2

            ColumnLayout {
                anchors.fill: parent
                spacing: 8

                Label {
                    text: qsTr("Host a server on this computer")
                    font.bold: true
                }
                Label {
                    text: qsTr("Runs a server while Messenger is open. Friends on your network join it with the address shown next.")
                    wrapMode: Text.Wrap
                    color: Material.hintTextColor
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "hostButton"
                    text: App.busy ? qsTr("Starting…") : qsTr("Host a server")
                    enabled: !App.busy
                    Layout.alignment: Qt.AlignRight
                    onClicked: App.hostServer()
                }
            }
        }

        Label {
            objectName: "errorLabel"
            visible: App.errorMessage.length > 0
            text: App.errorMessage
            textFormat: Text.PlainText
            color: "#e53935"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
}
