import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Core
import Messenger.Settings

// What others learn about you: read receipts and last seen. Kept on the server, for every device.
SettingsPage {
    id: page

    //! Whose privacy settings: the account on screen.
    required property Account account
    readonly property alias controller: privacySettings

    PrivacySettings {
        id: privacySettings
        objectName: "privacySettings"
        account: page.account
    }

    title: qsTr("Privacy")
    description: qsTr("These settings are kept on the server and apply on all your devices.")

    SettingsSwitch {
        objectName: "readReceiptsSwitch"
        text: qsTr("Send read receipts")
        detail: qsTr("Others see when you have read their messages. When this is off, they still see that a message was delivered.")
        checked: page.controller.sendReadReceipts
        enabled: page.controller.online
        onToggleRequested: page.controller.sendReadReceipts = !checked
    }
    SettingsSwitch {
        objectName: "hideLastSeenSwitch"
        text: qsTr("Hide when I was last online")
        detail: qsTr("Your contacts do not see “last seen”. They still see when you are online.")
        checked: page.controller.hideLastSeen
        enabled: page.controller.online
        onToggleRequested: page.controller.hideLastSeen = !checked
    }
    SettingsError {
        objectName: "privacyError"
        text: page.controller.privacyError
        Layout.fillWidth: true
    }
    Label {
        visible: !page.controller.online
        text: qsTr("Offline: these settings can be changed when the connection is back.")
        color: Material.hintTextColor
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
