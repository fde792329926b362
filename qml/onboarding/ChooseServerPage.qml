import QtQuick
import QtQuick.Controls.Material
import Messenger.Onboarding
import QtQuick.Layouts

// First run: which server to use — an address, or one hosted on this computer.
Page {
    id: page

    required property Onboarding onboarding

    // Adding another account: a way back to the one already signed in.
    Button {
        objectName: "backToChats"
        visible: page.onboarding.addingAccount
        text: qsTr("← Back to chats")
        flat: true
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: 8
        onClicked: page.onboarding.cancelAddAccount()
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
                    enabled: !page.onboarding.busy
                    onAccepted: page.onboarding.useServer(text)
                }
                Button {
                    objectName: "continueButton"
                    text: qsTr("Continue")
                    highlighted: true
                    enabled: !page.onboarding.busy && address.text.trim().length > 0
                    Layout.alignment: Qt.AlignRight
                    onClicked: page.onboarding.useServer(address.text)
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
                    text: page.onboarding.busy ? qsTr("Starting…") : qsTr("Host a server")
                    enabled: !page.onboarding.busy
                    Layout.alignment: Qt.AlignRight
                    onClicked: page.onboarding.hostServer()
                }
            }
        }

        Label {
            objectName: "errorLabel"
            visible: page.onboarding.errorMessage.length > 0
            text: page.onboarding.errorMessage
            textFormat: Text.PlainText
            color: "#e53935"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        // Hosting did not start: try again (the other program closed), or another port.
        RowLayout {
            visible: page.onboarding.hostingProblem.length > 0
            Layout.alignment: Qt.AlignRight
            Button {
                objectName: "anotherPortButton"
                visible: page.onboarding.canHostOnAnotherPort
                enabled: !page.onboarding.busy
                flat: true
                text: qsTr("Use another port")
                onClicked: page.onboarding.hostOnAnotherPort()
            }
            Button {
                objectName: "retryHostingButton"
                enabled: !page.onboarding.busy
                text: qsTr("Try again")
                onClicked: page.onboarding.retryHosting()
            }
        }
    }
}
