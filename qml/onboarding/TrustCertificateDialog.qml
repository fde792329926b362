import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Onboarding

// A server's certificate nobody vouches for (a self-hosted server's own): its fingerprint, to
// compare with what the server's operator shows, and the user's decision. Opens by itself when
// the onboarding's certificateQuestion is set.
Dialog {
    id: dialog
    objectName: "trustCertificateDialog"

    required property Onboarding onboarding

    readonly property var question: dialog.onboarding.certificateQuestion
    readonly property bool asking: question.fingerprint !== undefined && question.fingerprint.length > 0

    title: qsTr("Check the server's certificate")
    modal: true
    closePolicy: Popup.CloseOnEscape
    width: Math.min(parent ? parent.width - 48 : 520, 520)
    anchors.centerIn: parent
    visible: asking
    onRejected: dialog.onboarding.rejectCertificate()

    ColumnLayout {
        anchors.fill: parent
        spacing: 12

        Label {
            text: qsTr("%1:%2 uses a certificate that no authority vouches for. That is normal for a server someone runs themselves, but only trust it if its fingerprint is exactly the one the server's operator gives you.")
                  .arg(dialog.question.host || "").arg(dialog.question.port || "")
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            Layout.fillWidth: true
        }
        Label {
            text: qsTr("SHA-256 fingerprint")
            font.bold: true
        }
        Pane {
            Layout.fillWidth: true
            Material.background: Material.theme === Material.Dark ? "#263238" : "#eceff1"
            Label {
                objectName: "certificateFingerprint"
                anchors.fill: parent
                text: dialog.question.fingerprint || ""
                textFormat: Text.PlainText
                font.family: "monospace"
                wrapMode: Text.WrapAnywhere
                Accessible.name: qsTr("Certificate fingerprint")
            }
        }
        Label {
            text: dialog.question.reason || ""
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            font.pixelSize: 12
            color: Material.hintTextColor
            Layout.fillWidth: true
        }
    }

    // The roles are QPlatformDialogHelper's, which Dialog has as its own enums too; qmllint
    // (Qt 6.4) finds them on Dialog only.
    footer: DialogButtonBox {
        Button {
            objectName: "rejectCertificate"
            text: qsTr("Don't connect")
            flat: true
            DialogButtonBox.buttonRole: Dialog.RejectRole
        }
        Button {
            objectName: "trustCertificate"
            text: qsTr("Trust and connect")
            highlighted: true
            DialogButtonBox.buttonRole: Dialog.AcceptRole
            onClicked: dialog.onboarding.trustCertificate()
        }
    }
}
