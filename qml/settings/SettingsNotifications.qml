import QtQuick
import Messenger.Core
import Messenger.Settings

// Desktop notifications of new messages: on or off, with or without the text. Kept on this
// computer (app.ini), not on the server.
SettingsPage {
    id: page

    //! The app's settings, where these are kept.
    required property AppSettings settings
    readonly property alias controller: notificationSettings

    NotificationSettings {
        id: notificationSettings
        objectName: "notificationSettings"
        settings: page.settings
    }

    title: qsTr("Notifications")
    description: qsTr("How this computer tells you about new messages.")

    SettingsSwitch {
        objectName: "notificationsSwitch"
        text: qsTr("Show notifications")
        detail: qsTr("A notification for each new message in a chat you are not looking at.")
        checked: page.controller.notificationsEnabled
        onToggleRequested: page.controller.notificationsEnabled = !checked
    }
    SettingsSwitch {
        objectName: "previewSwitch"
        text: qsTr("Show message preview")
        detail: qsTr("The sender and the start of the message. When this is off, a notification only says that a message came.")
        checked: page.controller.notificationPreview
        enabled: page.controller.notificationsEnabled
        onToggleRequested: page.controller.notificationPreview = !checked
    }
}
