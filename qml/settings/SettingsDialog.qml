import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtQuick.Templates as T
import Messenger.Core
import Messenger.Settings

// The settings: a list of sections on the left, the chosen one on the right. Opened from the
// gear in the chat list or with Ctrl+, ; Esc closes it.
Dialog {
    id: dialog

    //! The keys of the sections, in the order of the list.
    readonly property list<string> sections: ["profile", "password", "devices", "privacy", "notifications", "media", "appearance", "accounts"]
    //! The account whose settings are shown: the one on screen.
    required property Account account
    //! The app's settings, where the notification settings are kept.
    required property AppSettings settings
    //! The accounts of this installation (the Accounts section).
    required property AccountList accountList
    //! The theme (the Appearance section).
    required property AppearanceSettings appearance
    property alias currentIndex: nav.currentIndex

    //! Opens on the section with this key ("devices"), or where it was last.
    function openSection(key) {
        const index = sections.indexOf(key)
        if (index >= 0)
            nav.currentIndex = index
        open()
    }

    objectName: "settingsDialog"
    modal: true
    focus: true
    padding: 0
    topPadding: 0
    width: Math.min(parent ? parent.width - 48 : 860, 860)
    height: Math.min(parent ? parent.height - 48 : 620, 620)
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    T.Overlay.modal: SettingsDim {}

    onAboutToShow: {
        profile.reset()
        password.reset()
    }
    onClosed: {
        profile.controller.clearError()
        password.controller.clearError()
        devices.controller.clearError()
        privacy.controller.clearError()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        // The sections.
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 220
            color: Material.theme === Material.Dark ? Qt.rgba(1, 1, 1, 0.04) : Qt.rgba(0, 0, 0, 0.035)

            ColumnLayout {
                anchors.fill: parent
                spacing: 0

                Label {
                    text: qsTr("Settings")
                    font.pixelSize: 20
                    font.bold: true
                    Layout.margins: 16
                    Layout.bottomMargin: 8
                }
                ListView {
                    id: nav
                    objectName: "settingsSections"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    currentIndex: 0
                    keyNavigationEnabled: true
                    model: [qsTr("Profile"), qsTr("Password"), qsTr("Devices"), qsTr("Privacy"),
                            qsTr("Notifications"), qsTr("Media"), qsTr("Appearance"), qsTr("Accounts")]
                    // The file's ids are unqualified to qmllint (Qt 6.4) in a delegate without `pragma
                    // ComponentBehavior: Bound`, which Qt 6.4 cannot have here: it could not make this file's
                    // T.Overlay.modal ("Cannot instantiate bound component outside its creation context"). They
                    // resolve at runtime; the check is off in this delegate only.
                    // qmllint disable unqualified
                    delegate: ItemDelegate {
                        required property int index
                        required property string modelData
                        objectName: "section_" + dialog.sections[index]
                        width: ListView.view.width
                        text: modelData // plain text: the section names above
                        highlighted: ListView.isCurrentItem
                        font.bold: highlighted
                        leftPadding: 20
                        Accessible.name: modelData
                        onClicked: nav.currentIndex = index
                    }
                    // qmllint enable unqualified
                }
            }
        }

        StackLayout {
            objectName: "settingsStack"
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: nav.currentIndex

            SettingsProfile { id: profile; account: dialog.account }
            SettingsPassword { id: password; account: dialog.account }
            SettingsDevices { id: devices; account: dialog.account }
            SettingsPrivacy { id: privacy; account: dialog.account }
            SettingsNotifications { settings: dialog.settings }
            SettingsMedia { account: dialog.account; settings: dialog.settings }
            SettingsAppearance { appearance: dialog.appearance }
            SettingsAccounts {
                accounts: dialog.accountList
                onCloseRequested: dialog.close()
            }
        }
    }

    ToolButton {
        objectName: "closeSettingsButton"
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: 4
        text: "\u2715"
        font.pixelSize: 18
        Accessible.name: qsTr("Close settings")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Close (Esc)")
        onClicked: dialog.close()
    }
}
