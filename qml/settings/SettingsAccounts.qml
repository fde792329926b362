import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtQuick.Templates as T
import Messenger.Settings

import Messenger.Components

// The accounts of this installation: switch between them, add one, sign out of the current one.
SettingsPage {
    id: page

    required property AccountList accounts

    //! Asked to close the settings (another account is being added).
    signal closeRequested()

    title: qsTr("Accounts")
    description: qsTr("Several accounts, on one server or on different servers, side by side in this app.")

    Repeater {
        objectName: "accountList"
        model: page.accounts.entries

        // The file's ids are unqualified to qmllint (Qt 6.4) in a delegate without `pragma
        // ComponentBehavior: Bound`, which Qt 6.4 cannot have here: it could not make this file's
        // T.Overlay.modal ("Cannot instantiate bound component outside its creation context"). They
        // resolve at runtime; the check is off in this delegate only.
        // qmllint disable unqualified
        delegate: ItemDelegate {
            id: row

            required property int index
            required property var modelData
            readonly property bool current: !!modelData.current

            objectName: "account" + index
            Layout.fillWidth: true
            highlighted: current
            Accessible.name: current ? qsTr("%1 on %2, current account").arg(modelData.username).arg(modelData.server)
                                     : qsTr("Switch to %1 on %2").arg(modelData.username).arg(modelData.server)
            onClicked: if (!current) page.accounts.switchAccount(modelData.key)

            contentItem: RowLayout {
                spacing: 12
                Avatar {
                    initials: row.modelData.username.length > 0 ? row.modelData.username.charAt(0).toUpperCase() : "?"
                    color: row.current ? row.Material.color(Material.Teal) : "#78909c"
                    source: (row.modelData.avatarBlob ?? "").length > 0 ? "image://avatar/" + row.modelData.avatarBlob : ""
                    Layout.preferredWidth: 36
                    Layout.preferredHeight: 36
                }
                ColumnLayout {
                    spacing: 0
                    Layout.fillWidth: true
                    Label {
                        text: row.modelData.username
                        textFormat: Text.PlainText
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.modelData.server
                        textFormat: Text.PlainText
                        color: Material.hintTextColor
                        font.pixelSize: 12
                        elide: Text.ElideMiddle
                        Layout.fillWidth: true
                    }
                }
                Label {
                    textFormat: Text.PlainText
                    text: row.current ? qsTr("Current") : qsTr("Switch")
                    color: row.current ? Material.accentColor : Material.hintTextColor
                    font.bold: row.current
                }
            }
        }
        // qmllint enable unqualified
    }

    RowLayout {
        spacing: 12
        Layout.topMargin: 8
        Button {
            objectName: "addAccountButton"
            text: qsTr("Add account")
            Accessible.name: qsTr("Add another account")
            onClicked: {
                page.closeRequested()
                page.accounts.addAccount()
            }
        }
        Button {
            objectName: "signOutButton"
            text: qsTr("Sign out")
            flat: true
            Material.foreground: Material.theme === Material.Dark ? "#ef9a9a" : "#c62828"
            Accessible.name: qsTr("Sign out of %1").arg(page.accounts.username)
            onClicked: confirm.open()
        }
    }

    Dialog {
        id: confirm
        objectName: "confirmSignOut"

        parent: T.Overlay.overlay
        x: parent ? (parent.width - width) / 2 : 0
        y: parent ? (parent.height - height) / 2 : 0
        modal: true
        T.Overlay.modal: SettingsDim {}
        // Not bound to the page's width: with a title, that makes a binding loop (Qt 6.4).
        width: 400
        // plain text: the user's own username, which is only [a-z0-9_.] (Protocol::isValidUsername)
        title: qsTr("Sign out of %1?").arg(page.accounts.username)
        standardButtons: Dialog.Cancel | Dialog.Ok

        Component.onCompleted: {
            const ok = standardButton(Dialog.Ok)
            ok.text = qsTr("Sign out")
            ok.objectName = "confirmSignOutButton"
        }
        onAccepted: {
            page.closeRequested()
            page.accounts.signOut()
        }

        Label {
            width: confirm.availableWidth
            wrapMode: Text.Wrap
            text: qsTr("This computer forgets the account and its messages. Your chats stay on the server: sign in again to see them.")
        }
    }
}
