import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// A setting that is on or off: what it is, a sentence on what it does, the switch on the right.
// The whole row is the control. It does not toggle itself: it asks (toggleRequested), and the
// owner's binding of `checked` shows the outcome, so a change the server refuses goes back.
SwitchDelegate {
    id: root

    property string detail

    signal toggleRequested()

    checkable: false
    onClicked: toggleRequested()
    Accessible.checkable: true
    Accessible.checked: checked
    Layout.fillWidth: true
    leftPadding: 8
    rightPadding: 8
    Accessible.name: text
    Accessible.description: detail

    contentItem: ColumnLayout {
        spacing: 2
        Label {
            textFormat: Text.PlainText
            text: root.text
            font.pixelSize: 15
            wrapMode: Text.Wrap
            color: root.enabled ? root.Material.foreground : root.Material.hintTextColor
            Layout.fillWidth: true
            Layout.rightMargin: root.indicator.width + root.spacing
        }
        Label {
            visible: root.detail.length > 0
            textFormat: Text.PlainText
            text: root.detail
            color: root.Material.hintTextColor
            font.pixelSize: 13
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.rightMargin: root.indicator.width + root.spacing
        }
    }
}
