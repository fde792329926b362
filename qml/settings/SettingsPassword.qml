pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Core
import Messenger.Settings

// Change the password: the current one, then the new one twice.
SettingsPage {
    id: page

    //! Whose password: the account on screen.
    required property Account account
    readonly property alias controller: passwordSettings

    PasswordSettings {
        id: passwordSettings
        objectName: "passwordSettings"
        account: page.account
    }

    title: qsTr("Password")
    description: qsTr("You need your password to sign in on a new device. Devices signed in now stay signed in.")

    function reset() {
        current.text = ""
        newPassword.text = ""
        repeated.text = ""
        done.visible = false
    }

    function submit() {
        done.visible = false
        page.controller.changePassword(current.text, newPassword.text, repeated.text)
    }

    Connections {
        target: page.controller
        function onPasswordUpdated() {
            page.reset()
            done.visible = true
        }
        function onErrorChanged() {
            if (!page.visible)
                return
            const field = page.controller.passwordErrorField
            if (field === "current")
                current.forceActiveFocus()
            else if (field === "new")
                newPassword.forceActiveFocus()
            else if (field === "repeat")
                repeated.forceActiveFocus()
        }
    }

    component Caption: Label {
        font.bold: true
        Layout.topMargin: 4
    }
    component PasswordField: TextField {
        property bool faulty: false
        echoMode: TextInput.Password
        enabled: page.controller.online && !page.controller.changingPassword
        selectByMouse: true
        Layout.fillWidth: true
        Layout.maximumWidth: 420
        Material.accent: faulty ? Material.Red : undefined
        onAccepted: page.submit()
    }

    Caption { text: qsTr("Current password") }
    PasswordField {
        id: current
        objectName: "currentPasswordField"
        Accessible.name: qsTr("Current password")
        faulty: page.controller.passwordErrorField === "current"
    }
    Caption { text: qsTr("New password") }
    PasswordField {
        id: newPassword
        objectName: "newPasswordField"
        Accessible.name: qsTr("New password")
        faulty: page.controller.passwordErrorField === "new"
    }
    Label {
        textFormat: Text.PlainText
        text: qsTr("At least %n characters.", "", page.controller.minPasswordLength)
        color: Material.hintTextColor
        font.pixelSize: 13
        Layout.topMargin: -8
    }
    Caption { text: qsTr("New password again") }
    PasswordField {
        id: repeated
        objectName: "repeatPasswordField"
        Accessible.name: qsTr("Repeat the new password")
        faulty: page.controller.passwordErrorField === "repeat"
    }
    SettingsError {
        objectName: "passwordError"
        text: page.controller.passwordError
        Layout.fillWidth: true
    }
    Label {
        id: done
        objectName: "passwordChanged"
        visible: false
        text: qsTr("Password changed.")
        color: Material.accentColor
    }
    RowLayout {
        spacing: 12
        Button {
            objectName: "changePasswordButton"
            text: qsTr("Change password")
            highlighted: true
            enabled: page.controller.online && !page.controller.changingPassword
                     && current.text.length > 0 && newPassword.text.length > 0 && repeated.text.length > 0
            Accessible.name: qsTr("Change password")
            onClicked: page.submit()
        }
        BusyIndicator {
            running: page.controller.changingPassword
            visible: running
            Layout.preferredHeight: 32
            Layout.preferredWidth: 32
        }
    }
    Label {
        visible: !page.controller.online
        text: qsTr("Offline: the password can be changed when the connection is back.")
        color: Material.hintTextColor
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
