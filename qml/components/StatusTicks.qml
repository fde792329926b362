import QtQuick
import QtQuick.Controls.Material

// The delivery state of an own message: a clock while pending, ✓ sent, ✓✓ delivered, coloured
// ✓✓ read, a red mark when sending failed.
Text {
    id: root

    // The order of MessageListModel::Status in the core.
    enum Status { Pending, Sent, Delivered, Read, Failed }

    property int status: StatusTicks.Pending
    property color baseColor: Material.hintTextColor
    property color readColor: "#2196f3"
    property color failedColor: "#e53935"

    textFormat: Text.PlainText
    font.pixelSize: 12
    font.bold: status === StatusTicks.Failed
    text: {
        switch (status) {
        case StatusTicks.Pending: return "\u25F7"
        case StatusTicks.Sent: return "\u2713"
        case StatusTicks.Delivered:
        case StatusTicks.Read: return "\u2713\u2713"
        case StatusTicks.Failed: return "!"
        }
        return ""
    }
    color: status === StatusTicks.Read ? readColor
         : status === StatusTicks.Failed ? failedColor : baseColor

    Accessible.name: {
        switch (status) {
        case StatusTicks.Pending: return qsTr("Sending")
        case StatusTicks.Sent: return qsTr("Sent")
        case StatusTicks.Delivered: return qsTr("Delivered")
        case StatusTicks.Read: return qsTr("Read")
        case StatusTicks.Failed: return qsTr("Not sent")
        }
        return ""
    }
}
