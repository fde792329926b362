import QtQuick
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Messenger.Core
import Messenger.Settings

import Messenger.Components

// The photo and display name others see (the initials stand in for a missing photo); the
// username, which cannot change.
SettingsPage {
    id: page

    //! Whose profile: the account on screen.
    required property Account account
    readonly property alias controller: profileSettings

    ProfileSettings {
        id: profileSettings
        objectName: "profileSettings"
        account: page.account
    }

    title: qsTr("Profile")
    description: qsTr("How others see you in their chats.")

    //! Back to the saved name (the dialog opens again).
    function reset() {
        nameField.text = controller.displayName
        saved.visible = false
    }

    Connections {
        target: page.controller
        function onDisplayNameSaved() { saved.visible = true }
        // Changed elsewhere (another device), or another account: show it unless the user is typing.
        function onProfileChanged() {
            if (!nameField.activeFocus || nameField.text === "")
                nameField.text = page.controller.displayName
        }
    }

    RowLayout {
        spacing: 16
        Layout.fillWidth: true
        Layout.bottomMargin: 8

        Avatar {
            objectName: "profileAvatar"
            initials: page.controller.initials
            color: page.controller.avatarColor.length > 0 ? page.controller.avatarColor : "#607d8b"
            source: page.controller.avatarBlob.length > 0 ? "image://avatar/" + page.controller.avatarBlob : ""
            opacity: page.controller.savingPhoto ? 0.5 : 1
            Layout.preferredWidth: 96
            Layout.preferredHeight: 96
            Layout.alignment: Qt.AlignTop

            BusyIndicator {
                objectName: "photoBusy"
                anchors.centerIn: parent
                running: page.controller.savingPhoto
                visible: running
            }
        }
        ColumnLayout {
            spacing: 2
            Layout.fillWidth: true
            Label {
                objectName: "profileName"
                text: page.controller.displayName
                textFormat: Text.PlainText
                font.pixelSize: 20
                font.bold: true
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: "@" + page.controller.username
                textFormat: Text.PlainText
                color: Material.hintTextColor
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            // The picture: a file is centre-cropped to a square and sent re-encoded (no metadata).
            RowLayout {
                spacing: 8
                Layout.topMargin: 4
                Button {
                    objectName: "changePhotoButton"
                    text: page.controller.hasPhoto ? qsTr("Change photo…") : qsTr("Add photo…")
                    enabled: page.controller.online && !page.controller.savingPhoto
                    Accessible.name: qsTr("Change your photo")
                    onClicked: photoDialog.open()
                }
                Button {
                    objectName: "removePhotoButton"
                    text: qsTr("Remove photo")
                    flat: true
                    visible: page.controller.hasPhoto
                    enabled: page.controller.online && !page.controller.savingPhoto
                    Accessible.name: qsTr("Remove your photo")
                    onClicked: page.controller.removePhoto()
                }
            }
            Label {
                objectName: "photoProgress"
                visible: page.controller.savingPhoto
                text: qsTr("Uploading the photo…")
                color: Material.hintTextColor
            }
            SettingsError {
                objectName: "photoError"
                text: page.controller.photoError
                Layout.fillWidth: true
            }
        }
    }

    FileDialog {
        id: photoDialog
        objectName: "photoDialog"
        title: qsTr("Choose a photo")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Images (*.jpg *.jpeg *.png *.gif *.webp)")]
        onAccepted: page.controller.changePhoto(photoDialog.selectedFile)
    }

    Label {
        text: qsTr("Display name")
        font.bold: true
    }
    RowLayout {
        spacing: 8
        Layout.fillWidth: true
        TextField {
            id: nameField
            objectName: "displayNameField"
            Layout.fillWidth: true
            Layout.maximumWidth: 420
            text: page.controller.displayName
            maximumLength: page.controller.maxDisplayNameLength
            placeholderText: qsTr("Your name")
            enabled: page.controller.online
            selectByMouse: true
            Accessible.name: qsTr("Display name")
            onTextEdited: saved.visible = false
            onAccepted: saveButton.clicked()
        }
        Button {
            id: saveButton
            objectName: "saveDisplayNameButton"
            text: page.controller.savingProfile ? qsTr("Saving…") : qsTr("Save")
            highlighted: true
            enabled: page.controller.online && !page.controller.savingProfile
                     && nameField.text.trim().length > 0 && nameField.text.trim() !== page.controller.displayName
            Accessible.name: qsTr("Save display name")
            onClicked: page.controller.saveDisplayName(nameField.text)
        }
    }
    Label {
        id: saved
        objectName: "displayNameSaved"
        visible: false
        text: qsTr("Saved. Your contacts see the new name.")
        color: Material.accentColor
    }
    SettingsError {
        objectName: "profileError"
        text: page.controller.profileError
        Layout.fillWidth: true
    }
    Label {
        visible: !page.controller.online
        text: qsTr("Offline: the name can be changed when the connection is back.")
        color: Material.hintTextColor
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Label {
        text: qsTr("Username")
        font.bold: true
        Layout.topMargin: 8
    }
    Label {
        objectName: "usernameLabel"
        text: page.controller.username
        textFormat: Text.PlainText
        font.pixelSize: 16
        Accessible.name: qsTr("Username: %1").arg(page.controller.username)
    }
    Label {
        text: qsTr("Others find you by your username. It cannot be changed.")
        color: Material.hintTextColor
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Label {
        text: qsTr("Server")
        font.bold: true
        Layout.topMargin: 8
    }
    Label {
        text: page.controller.serverAddress
        textFormat: Text.PlainText
        elide: Text.ElideMiddle
        Layout.fillWidth: true
    }
}
