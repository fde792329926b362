pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Core
import Messenger.Conversation

import Messenger.Components

// What happened to one of the user's own messages: sent when; in a group, who has read it, who
// has it delivered and who has not received it yet, each with the time; in a direct chat, when it
// was delivered and read. Follows the receipts while open.
Dialog {
    id: dialog
    objectName: "messageInfoDialog"

    //! Whose message it is: the account on screen.
    required property Account account
    //! The MessageInfoController, for tests and screenshots.
    readonly property alias info: info

    function show(conversationId, seq) {
        info.conversationId = conversationId
        info.seq = seq
        open()
    }

    //! "14:05" today, "Yesterday, 14:05", else the date and the time.
    function when(date) {
        if (!date || isNaN(date.getTime()))
            return ""
        const now = new Date()
        if (Formats.sameDay(date, now))
            return Formats.time(date)
        const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1)
        if (Formats.sameDay(date, yesterday))
            return qsTr("Yesterday, %1").arg(Formats.time(date))
        return qsTr("%1, %2").arg(Qt.formatDate(date, Qt.locale().dateFormat(Locale.ShortFormat)))
                             .arg(Formats.time(date))
    }

    title: qsTr("Message info")
    parent: Overlay.overlay
    anchors.centerIn: parent
    modal: true
    width: 420
    height: Math.min(implicitHeight, parent ? parent.height - 40 : 600)
    standardButtons: Dialog.Close
    onClosed: info.seq = 0

    MessageInfoController {
        id: info
        account: dialog.account
    }

    component Section: Label {
        font.bold: true
        color: Material.accentColor
        Layout.topMargin: 12
    }

    // One person and when: used for the group lists.
    component PersonRow: RowLayout {
        id: person
        required property var modelData
        property string icon
        property color iconColor: Material.hintTextColor
        //! When, in words (the dialog's when(): inline components do not see its ids).
        property string timeText

        spacing: 12
        Layout.fillWidth: true

        Avatar {
            initials: person.modelData.initials
            color: person.modelData.avatarColor
            source: (person.modelData.avatarBlob ?? "").length > 0 ? "image://avatar/" + person.modelData.avatarBlob : ""
            Layout.preferredWidth: 32
            Layout.preferredHeight: 32
        }
        Label {
            objectName: "personName"
            text: person.modelData.displayName
            textFormat: Text.PlainText
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Label {
            textFormat: Text.PlainText
            text: person.icon
            color: person.iconColor
            font.pixelSize: 12
        }
        Label {
            objectName: "personTime"
            text: person.timeText
            textFormat: Text.PlainText
            color: Material.hintTextColor
            font.pixelSize: 12
        }
    }

    // One line of a direct chat: what and when.
    component StepRow: RowLayout {
        id: step
        property string label
        //! When, in words; empty: not yet.
        property string timeText
        property string icon
        property color iconColor: Material.hintTextColor

        spacing: 12
        Layout.fillWidth: true

        Label {
            textFormat: Text.PlainText
            text: step.icon
            color: step.iconColor
            font.pixelSize: 14
            Layout.preferredWidth: 24
            horizontalAlignment: Text.AlignHCenter
        }
        Label {
            textFormat: Text.PlainText
            text: step.label
            Layout.fillWidth: true
        }
        Label {
            objectName: "stepTime"
            text: step.timeText.length > 0 ? step.timeText : qsTr("not yet")
            textFormat: Text.PlainText
            color: step.timeText.length > 0 ? step.Material.foreground : step.Material.hintTextColor
        }
    }

    Flickable {
        anchors.fill: parent
        implicitHeight: column.implicitHeight
        contentWidth: width
        contentHeight: column.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            width: dialog.availableWidth
            spacing: 8

            // The message itself, as its bubble.
            Rectangle {
                Layout.alignment: Qt.AlignRight
                Layout.maximumWidth: column.width * 0.85
                implicitWidth: Math.min(column.width * 0.85, Math.max(messageText.implicitWidth, sentLabel.implicitWidth) + 24)
                implicitHeight: bubbleColumn.implicitHeight + 12
                radius: 12
                color: Material.theme === Material.Dark ? "#1e4d3a" : "#dcf8c6"

                ColumnLayout {
                    id: bubbleColumn
                    x: 12
                    y: 6
                    width: parent.width - 24
                    spacing: 2
                    Label {
                        id: messageText
                        objectName: "infoText"
                        text: info.text
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                        maximumLineCount: 6
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        id: sentLabel
                        textFormat: Text.PlainText
                        text: dialog.when(info.sentAt)
                        font.pixelSize: 11
                        color: Material.hintTextColor
                        Layout.alignment: Qt.AlignRight
                    }
                }
            }

            // Direct chats.
            ColumnLayout {
                objectName: "directSteps"
                visible: !info.isGroup
                spacing: 8
                Layout.fillWidth: true
                Layout.topMargin: 8
                StepRow {
                    objectName: "sentRow"
                    label: qsTr("Sent")
                    timeText: dialog.when(info.sentAt)
                    icon: "\u2713"
                }
                StepRow {
                    objectName: "deliveredRow"
                    label: qsTr("Delivered")
                    timeText: dialog.when(info.deliveredAt)
                    icon: "\u2713\u2713"
                }
                StepRow {
                    objectName: "readRow"
                    label: qsTr("Read")
                    timeText: dialog.when(info.readAt)
                    icon: "\u2713\u2713"
                    iconColor: "#2196f3"
                }
            }

            // Groups.
            Section {
                visible: info.isGroup && info.readBy.length > 0
                text: qsTr("Read by · %1").arg(info.readBy.length)
            }
            Repeater {
                objectName: "readByList"
                model: info.isGroup ? info.readBy : []
                delegate: PersonRow { icon: "\u2713\u2713"; iconColor: "#2196f3"; timeText: dialog.when(modelData.at) }
            }
            Section {
                visible: info.isGroup && info.deliveredTo.length > 0
                text: qsTr("Delivered to · %1").arg(info.deliveredTo.length)
            }
            Repeater {
                objectName: "deliveredToList"
                model: info.isGroup ? info.deliveredTo : []
                delegate: PersonRow { icon: "\u2713\u2713"; timeText: dialog.when(modelData.at) }
            }
            Section {
                visible: info.isGroup && info.waiting.length > 0
                text: qsTr("Not delivered yet · %1").arg(info.waiting.length)
            }
            Repeater {
                objectName: "waitingList"
                model: info.isGroup ? info.waiting : []
                delegate: PersonRow { icon: "\u25F7"; timeText: qsTr("not yet") }
            }
            Label {
                visible: info.isGroup && info.readBy.length + info.deliveredTo.length + info.waiting.length === 0
                textFormat: Text.PlainText
                text: info.loading ? qsTr("Asking the server…") : qsTr("Nobody else is in this group.")
                color: Material.hintTextColor
                Layout.topMargin: 12
            }
            Label {
                objectName: "receiptsHint"
                readonly property bool unread: !info.readAt || isNaN(info.readAt.getTime())
                visible: info.isGroup ? info.deliveredTo.length > 0 : unread
                textFormat: Text.PlainText
                text: info.isGroup ? qsTr("People who turned read receipts off show as delivered.")
                                   : qsTr("Nobody can see when it is read if read receipts are turned off.")
                wrapMode: Text.Wrap
                color: Material.hintTextColor
                font.pixelSize: 11
                Layout.fillWidth: true
                Layout.topMargin: 12
            }
        }
    }
}
