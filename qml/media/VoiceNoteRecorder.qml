import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// The recording bar that takes the composer's place while a voice note records (Signal,
// Telegram): a red dot, the running time, a live level meter, 🗑 (or Esc) to drop the note and
// Send; while 🎤 is held, what letting go will do instead of Send (send, or drop it once the
// pointer was dragged away). When recording failed it says why ("No microphone was found.")
// until closed.
Pane {
    id: root

    //! A VoiceNotes (recording, level, elapsedMs, problem; send, cancel, clearProblem).
    required property var voiceNotes
    //! Recording while the mic button is held: releasing sends (the bar says so).
    property bool holding: false
    //! Held and dragged away far enough: releasing drops the note (the bar says so, in red).
    property bool cancelling: false

    readonly property bool recording: !!root.voiceNotes && root.voiceNotes.recording
    readonly property string problem: root.voiceNotes ? root.voiceNotes.problem : ""

    function formatTime(ms) {
        const tenths = Math.floor(Math.max(0, ms) / 100)
        const total = Math.floor(tenths / 10)
        const minutes = Math.floor(total / 60)
        const seconds = total % 60
        return minutes + ":" + (seconds < 10 ? "0" : "") + seconds + "," + (tenths % 10)
    }

    visible: root.recording || root.problem.length > 0
    padding: 8
    focus: root.recording
    Keys.onEscapePressed: event => {
        if (root.recording)
            root.voiceNotes.cancel()
        else
            root.voiceNotes.clearProblem()
        event.accepted = true
    }

    RowLayout {
        anchors.fill: parent
        spacing: 10

        // Why it could not record.
        Label {
            objectName: "voiceProblem"
            visible: !root.recording
            Layout.fillWidth: true
            text: root.problem
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: "#e53935"
        }
        ToolButton {
            objectName: "voiceProblemClose"
            visible: !root.recording
            text: "\u2715"
            Accessible.name: qsTr("Close")
            onClicked: root.voiceNotes.clearProblem()
        }

        ToolButton {
            objectName: "voiceCancelButton"
            visible: root.recording
            text: "\uD83D\uDDD1"
            font.pixelSize: 20
            Accessible.name: qsTr("Delete the voice note")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Delete (Esc)")
            ToolTip.delay: 600
            onClicked: root.voiceNotes.cancel()
        }
        Rectangle {
            objectName: "recordingDot"
            visible: root.recording
            Layout.preferredWidth: 12
            Layout.preferredHeight: 12
            radius: 6
            color: "#e53935"
            SequentialAnimation on opacity {
                running: root.recording
                loops: Animation.Infinite
                NumberAnimation { to: 0.2; duration: 600 }
                NumberAnimation { to: 1; duration: 600 }
            }
        }
        Label {
            objectName: "recordingTime"
            visible: root.recording
            text: root.formatTime(root.voiceNotes ? root.voiceNotes.elapsedMs : 0)
            textFormat: Text.PlainText
            font.pixelSize: 16
        }
        // The level meter: the loudest sample of the last ~100 ms.
        Rectangle {
            objectName: "levelMeter"
            visible: root.recording
            Layout.fillWidth: true
            Layout.preferredHeight: 8
            radius: 4
            color: Material.theme === Material.Dark ? "#33ffffff" : "#1a000000"
            Rectangle {
                objectName: "levelFill"
                height: parent.height
                radius: parent.radius
                width: parent.width * Math.max(0, Math.min(1, root.voiceNotes ? root.voiceNotes.level : 0))
                color: Material.accentColor
                Behavior on width { NumberAnimation { duration: 90 } }
            }
        }
        Label {
            objectName: "holdHint"
            visible: root.recording && root.holding
            text: root.cancelling ? qsTr("Release to cancel")
                                  : qsTr("Release to send · drag away to cancel")
            textFormat: Text.PlainText
            font.pixelSize: 12
            font.bold: root.cancelling
            color: root.cancelling ? "#e53935" : Material.hintTextColor
        }
        RoundButton {
            objectName: "voiceSendButton"
            visible: root.recording && !root.holding
            text: qsTr("Send")
            onClicked: root.voiceNotes.send()
            background: Rectangle {
                implicitHeight: 40
                radius: height / 2
                color: Material.accentColor
            }
            contentItem: Label {
                text: qsTr("Send")
                color: "white"
                font.bold: true
                leftPadding: 8
                rightPadding: 8
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
        }
    }
}
