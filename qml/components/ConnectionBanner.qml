import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// A strip above the chat while the connection is not online: offline (with why and a retry),
// reconnecting…, syncing….
Rectangle {
    id: root

    // The order of Connection::State in the core.
    enum State { Offline, Connecting, Syncing, Online }

    property int connectionState: ConnectionBanner.Online
    property string error

    signal retryRequested()

    visible: connectionState !== ConnectionBanner.Online
    implicitHeight: visible ? row.implicitHeight + 12 : 0
    color: connectionState === ConnectionBanner.Offline ? "#c62828"
         : connectionState === ConnectionBanner.Connecting ? "#ef6c00" : "#1565c0"

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 8

        Label {
            objectName: "bannerText"
            Layout.fillWidth: true
            color: "white"
            elide: Text.ElideRight
            textFormat: Text.PlainText
            text: {
                switch (root.connectionState) {
                case ConnectionBanner.Offline:
                    return root.error.length > 0 ? qsTr("Offline: %1").arg(root.error) : qsTr("Offline")
                case ConnectionBanner.Connecting: return qsTr("Reconnecting…")
                case ConnectionBanner.Syncing: return qsTr("Syncing…")
                }
                return ""
            }
        }
        Button {
            visible: root.connectionState !== ConnectionBanner.Syncing
            flat: true
            text: qsTr("Retry now")
            Material.foreground: "white"
            onClicked: root.retryRequested()
        }
    }
}
