import QtQuick
import QtQuick.Controls.Material
import Messenger.Onboarding
import QtQuick.Layouts

// Over the chats when the server this app hosts did not start (its port taken by another
// program, say): what went wrong, and a retry — the account and its history stay on screen.
Rectangle {
    id: root

    required property Onboarding onboarding

    visible: root.onboarding.hostingProblem.length > 0
    implicitHeight: visible ? row.implicitHeight + 12 : 0
    color: "#c62828"

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 8

        Label {
            objectName: "hostingProblemText"
            Layout.fillWidth: true
            color: "white"
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            text: root.onboarding.hostingPortInUse
                  ? qsTr("Your server on this computer did not start: %1 Close that program, then try again.").arg(root.onboarding.hostingProblem)
                  : qsTr("Your server on this computer did not start: %1").arg(root.onboarding.hostingProblem)
        }
        Button {
            objectName: "retryHostingButton"
            flat: true
            enabled: !root.onboarding.busy
            text: root.onboarding.busy ? qsTr("Starting…") : qsTr("Try again")
            Material.foreground: "white"
            onClicked: root.onboarding.retryHosting()
        }
    }
}
