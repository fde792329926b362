pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Core
import Messenger.Settings

// Photos and voice notes below a size download by themselves; the rest on a click. The media
// cache (encrypted copies of what was sent and received) with its size and Clear.
SettingsPage {
    id: page

    required property Account account
    required property AppSettings settings
    readonly property alias controller: mediaSettings

    MediaSettings {
        id: mediaSettings
        objectName: "mediaSettings"
        account: page.account
        settings: page.settings
    }
    onVisibleChanged: if (visible) mediaSettings.refresh()

    title: qsTr("Media")
    description: qsTr("Downloads and the space attachments take on this computer.")

    Label {
        text: qsTr("Download photos and voice notes by themselves")
        font.bold: true
    }
    ComboBox {
        id: autoDownload
        objectName: "autoDownloadBox"
        readonly property var sizes: [0, 1048576, 5242880, 10485760, 26214400]
        model: [qsTr("Never"), qsTr("Up to 1 MB"), qsTr("Up to 5 MB"), qsTr("Up to 10 MB"), qsTr("Up to 25 MB")]
        currentIndex: Math.max(0, sizes.indexOf(mediaSettings.autoDownloadBytes))
        onActivated: index => mediaSettings.autoDownloadBytes = sizes[index]
        Layout.preferredWidth: 240
    }
    Label {
        text: qsTr("Larger ones, videos and files download when you click them.")
        color: Material.hintTextColor
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Label {
        text: qsTr("Media cache")
        font.bold: true
    }
    RowLayout {
        spacing: 12
        Label {
            objectName: "cacheSizeLabel"
            text: qsTr("%1 used").arg(Qt.locale().formattedDataSize(mediaSettings.cacheBytes))
            textFormat: Text.PlainText
        }
        Button {
            objectName: "clearCacheButton"
            text: qsTr("Clear")
            enabled: mediaSettings.cacheBytes > 0
            onClicked: mediaSettings.clearCache()
        }
    }
    Label {
        text: qsTr("Cleared attachments download again when you open them. Attachments still being sent stay.")
        color: Material.hintTextColor
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
