import QtQuick
import QtQuick.Controls.Material
import Messenger.Onboarding
import QtQuick.Layouts

// Sign in to the chosen server, or create an account on it.
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

    // A server just started here has nobody on it yet: start with "Create your account".
    property bool registering: page.onboarding.hosting && page.onboarding.firstAccount

    function submit() {
        if (registering)
            page.onboarding.registerUser(username.text, displayName.text, password.text, invite.text)
        else
            page.onboarding.signIn(username.text, password.text)
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 400)
        spacing: 12

        Label {
            textFormat: Text.PlainText
            text: page.registering ? qsTr("Create your account") : qsTr("Sign in")
            font.pixelSize: 26
            font.bold: true
        }
        Label {
            text: qsTr("Server: %1").arg(page.onboarding.serverAddress)
            textFormat: Text.PlainText
            color: Material.hintTextColor
            Layout.fillWidth: true
            elide: Text.ElideMiddle
        }

        Pane {
            visible: page.onboarding.hosting
            Layout.fillWidth: true
            Material.background: Material.theme === Material.Dark ? "#1b3a36" : "#e0f2f1"

            ColumnLayout {
                anchors.fill: parent
                Label {
                    text: qsTr("Your server is running. Friends on your network join with:")
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                TextField {
                    objectName: "friendsAddress"
                    text: page.onboarding.addressForFriends
                    readOnly: true
                    selectByMouse: true
                    font.bold: true
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Address for friends")
                }
                Label {
                    text: qsTr("Their app will show the server's certificate fingerprint; it must be:")
                    wrapMode: Text.Wrap
                    font.pixelSize: 12
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "hostedFingerprint"
                    text: page.onboarding.hostedFingerprint
                    textFormat: Text.PlainText
                    font.family: "monospace"
                    font.pixelSize: 11
                    wrapMode: Text.WrapAnywhere
                    Layout.fillWidth: true
                }
            }
        }

        TextField {
            id: username
            objectName: "username"
            placeholderText: qsTr("Username")
            Layout.fillWidth: true
            enabled: !page.onboarding.busy
            focus: true
            onAccepted: password.forceActiveFocus()
        }
        TextField {
            id: displayName
            objectName: "displayName"
            visible: page.registering
            Accessible.name: qsTr("Display name")
            placeholderText: qsTr("Display name (what others see)")
            Layout.fillWidth: true
            enabled: !page.onboarding.busy
        }
        TextField {
            id: password
            objectName: "password"
            placeholderText: qsTr("Password")
            Accessible.name: qsTr("Password")
            echoMode: TextInput.Password
            Layout.fillWidth: true
            enabled: !page.onboarding.busy
            onAccepted: page.submit()
        }
        TextField {
            id: invite
            objectName: "invite"
            visible: page.registering
            Accessible.name: qsTr("Invite code")
            placeholderText: qsTr("Invite code (if the server asks for one)")
            Layout.fillWidth: true
            enabled: !page.onboarding.busy
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

        RowLayout {
            Layout.fillWidth: true
            BusyIndicator {
                running: page.onboarding.busy
                visible: page.onboarding.busy
                Layout.preferredHeight: 36
                Layout.preferredWidth: 36
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "submitButton"
                text: page.registering ? qsTr("Create account") : qsTr("Sign in")
                highlighted: true
                enabled: !page.onboarding.busy && username.text.trim().length > 0 && password.text.length > 0
                onClicked: page.submit()
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Button {
                objectName: "registerToggle"
                flat: true
                text: page.registering ? qsTr("I have an account") : qsTr("Create an account")
                onClicked: page.registering = !page.registering
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "otherServerButton"
                flat: true
                text: qsTr("Other server")
                enabled: !page.onboarding.busy
                onClicked: page.onboarding.chooseAnotherServer()
            }
        }
    }
}
