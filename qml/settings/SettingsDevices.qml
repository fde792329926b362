import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtQuick.Templates as T
import Messenger.Core
import Messenger.Settings

// The devices signed in to the account, this one first; any other can be signed out.
SettingsPage {
    id: page

    //! Whose devices: the account on screen.
    required property Account account
    readonly property alias controller: deviceSettings

    DeviceSettings {
        id: deviceSettings
        objectName: "deviceSettings"
        account: page.account
    }

    title: qsTr("Devices")
    description: qsTr("Where your account is signed in. Sign out a device you no longer use or do not recognise: it will need the password to sign in again.")

    //! "today at 14:05", "Tuesday at 09:12", "3/14/24".
    function when(date) {
        if (!date || isNaN(date.getTime()))
            return ""
        const now = new Date()
        // Some locales' short format still has seconds (the C locale's "HH:mm:ss").
        const time = Qt.formatTime(date, Qt.locale().timeFormat(Locale.ShortFormat).replace(/[:.]ss/, ""))
        const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate())
        if (date >= startOfToday)
            return qsTr("today at %1").arg(time)
        if (now - date < 6 * 86400000)
            return qsTr("%1 at %2").arg(Qt.locale().dayName(date.getDay(), Locale.LongFormat)).arg(time)
        return Qt.formatDate(date, Qt.locale().dateFormat(Locale.ShortFormat))
    }

    onVisibleChanged: if (visible) page.controller.refreshDevices()

    RowLayout {
        spacing: 8
        Layout.fillWidth: true
        Label {
            textFormat: Text.PlainText
            // The list's rows, one per device (devices is a plain QAbstractItemModel to QML).
            text: deviceRepeater.count === 1 ? qsTr("1 device") : qsTr("%1 devices").arg(deviceRepeater.count)
            color: Material.hintTextColor
            Layout.fillWidth: true
        }
        BusyIndicator {
            running: page.controller.loadingDevices
            visible: running
            Layout.preferredHeight: 28
            Layout.preferredWidth: 28
        }
        Button {
            objectName: "refreshDevicesButton"
            text: qsTr("Refresh")
            flat: true
            enabled: page.controller.online && !page.controller.loadingDevices
            Accessible.name: qsTr("Refresh the device list")
            onClicked: page.controller.refreshDevices()
        }
    }

    SettingsError {
        objectName: "devicesError"
        text: page.controller.devicesError
        Layout.fillWidth: true
    }
    Label {
        visible: !page.controller.online
        text: qsTr("Offline: the list shows when the connection is back.")
        color: Material.hintTextColor
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Repeater {
        id: deviceRepeater
        objectName: "deviceList"
        model: page.controller.devices

        // The file's ids are unqualified to qmllint (Qt 6.4) in a delegate without `pragma
        // ComponentBehavior: Bound`, which Qt 6.4 cannot have here: it could not make this file's
        // T.Overlay.modal ("Cannot instantiate bound component outside its creation context"). They
        // resolve at runtime; the check is off in this delegate only.
        // qmllint disable unqualified
        delegate: Pane {
            id: row

            required property int index
            required property var deviceId
            required property string deviceName
            required property var createdAt
            required property var lastActive
            required property bool current
            required property bool online

            readonly property string shownName: deviceName.length > 0 ? deviceName : qsTr("Unnamed device")

            objectName: "device" + index
            Layout.fillWidth: true
            padding: 12
            Material.elevation: 1
            Material.background: Material.theme === Material.Dark ? "#2c2c2c" : "#fafafa"
            Accessible.name: current ? qsTr("%1, this device").arg(shownName) : shownName

            RowLayout {
                anchors.fill: parent
                spacing: 12

                Rectangle {
                    Layout.preferredWidth: 40
                    Layout.preferredHeight: 40
                    Layout.alignment: Qt.AlignTop
                    radius: 20
                    color: row.current ? Material.accentColor : (Material.theme === Material.Dark ? "#455a64" : "#cfd8dc")
                    // A screen on a stand, drawn: no icon font is needed.
                    Item {
                        readonly property color ink: row.current ? "white" : row.Material.foreground
                        anchors.centerIn: parent
                        width: 20
                        height: 17
                        Rectangle {
                            width: 20
                            height: 13
                            radius: 2
                            color: "transparent"
                            border.width: 2
                            border.color: parent.ink
                        }
                        Rectangle { x: 9; y: 13; width: 2; height: 2; color: parent.ink }
                        Rectangle { x: 5; y: 15; width: 10; height: 2; radius: 1; color: parent.ink }
                    }
                }
                ColumnLayout {
                    spacing: 2
                    Layout.fillWidth: true
                    Label {
                        text: row.shownName
                        textFormat: Text.PlainText
                        font.bold: true
                        font.italic: row.deviceName.length === 0
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        textFormat: Text.PlainText
                        text: row.online ? qsTr("Online now") : qsTr("Last active %1").arg(page.when(row.lastActive))
                        color: row.online ? Material.accentColor : Material.hintTextColor
                        font.pixelSize: 13
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                    Label {
                        textFormat: Text.PlainText
                        text: qsTr("Signed in %1").arg(page.when(row.createdAt))
                        color: Material.hintTextColor
                        font.pixelSize: 13
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                }
                Label {
                    objectName: "thisDevice"
                    visible: row.current
                    text: qsTr("This device")
                    color: Material.accentColor
                    font.bold: true
                    Layout.rightMargin: 8
                }
                Button {
                    objectName: "revokeButton"
                    visible: !row.current
                    text: qsTr("Sign out")
                    flat: true
                    Material.foreground: Material.theme === Material.Dark ? "#ef9a9a" : "#c62828"
                    enabled: page.controller.online
                    Accessible.name: qsTr("Sign out %1").arg(row.shownName)
                    onClicked: {
                        confirm.deviceId = row.deviceId
                        confirm.deviceName = row.shownName
                        confirm.open()
                    }
                }
            }
        }
        // qmllint enable unqualified
    }

    Dialog {
        id: confirm
        objectName: "confirmRevoke"

        property var deviceId: 0
        property string deviceName

        parent: T.Overlay.overlay
        x: parent ? (parent.width - width) / 2 : 0
        y: parent ? (parent.height - height) / 2 : 0
        modal: true
        T.Overlay.modal: SettingsDim {}
        // Not bound to the page's width: with a title, that makes a binding loop (Qt 6.4).
        width: 400
        title: qsTr("Sign out this device?")
        standardButtons: Dialog.Cancel | Dialog.Ok

        Component.onCompleted: {
            const ok = standardButton(Dialog.Ok)
            ok.text = qsTr("Sign out")
            ok.objectName = "confirmRevokeButton"
        }
        onAccepted: page.controller.revokeDevice(deviceId)

        Label {
            width: confirm.availableWidth
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            text: qsTr("“%1” will be signed out at once and will need the password to sign in again.").arg(confirm.deviceName)
        }
    }
}
