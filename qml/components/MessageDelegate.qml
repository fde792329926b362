import QtQuick
import QtQuick.Controls.Material

import "Formats.js" as Formats

// One entry of a conversation: a day header when it starts a day, then a bubble (own ones on the
// right) or, for membership events, a centred line. The required properties are
// MessageListModel's roles.
Item {
    id: root

    required property var seq
    required property string senderName
    required property string text
    required property var timestamp
    required property int status
    required property bool isOwn
    required property bool isEvent
    required property bool firstOfDay
    required property var day
    required property string clientId
    required property string error

    //! Groups name the sender above the others' bubbles.
    property bool showSender: false
    //! The first entry not read when the conversation opened: an "Unread messages" line above.
    property bool unreadMarker: false
    //! Briefly true when the view jumps here (a search result): the bubble flashes.
    property bool flash: false
    property real maximumBubbleWidth: width * 0.7

    signal retryRequested(string clientId)
    signal discardRequested(string clientId)
    //! Right-click or long press on the bubble: the view offers what can be done with it.
    signal contextMenuRequested()

    function dayText(date) {
        const now = new Date()
        if (Formats.sameDay(date, now))
            return qsTr("Today")
        const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1)
        if (Formats.sameDay(date, yesterday))
            return qsTr("Yesterday")
        return Qt.formatDate(date, Qt.locale().dateFormat(Locale.LongFormat))
    }

    implicitHeight: column.implicitHeight + 4

    Column {
        id: column
        width: parent.width
        spacing: 4

        Item {
            visible: root.firstOfDay
            width: parent.width
            height: visible ? dayLabel.implicitHeight + 16 : 0

            Label {
                id: dayLabel
                objectName: "dayLabel"
                anchors.centerIn: parent
                text: root.firstOfDay && root.day ? root.dayText(root.day) : ""
                textFormat: Text.PlainText
                font.pixelSize: 12
                font.bold: true
                color: Material.hintTextColor
                padding: 4
                leftPadding: 10
                rightPadding: 10
                background: Rectangle {
                    radius: height / 2
                    color: Material.theme === Material.Dark ? "#33ffffff" : "#14000000"
                }
            }
        }

        Item {
            objectName: "unreadLine"
            visible: root.unreadMarker
            width: parent.width
            height: visible ? unreadLabel.implicitHeight + 12 : 0

            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                width: parent.width
                height: 1
                color: Material.accentColor
                opacity: 0.5
            }
            Label {
                id: unreadLabel
                anchors.centerIn: parent
                text: qsTr("Unread messages")
                font.pixelSize: 12
                font.bold: true
                color: Material.accentColor
                leftPadding: 8
                rightPadding: 8
                background: Rectangle { color: Material.backgroundColor }
            }
        }

        Label {
            objectName: "eventLabel"
            visible: root.isEvent
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: root.text
            textFormat: Text.PlainText
            font.pixelSize: 12
            font.italic: true
            color: Material.hintTextColor
        }

        Item {
            visible: !root.isEvent
            width: parent.width
            height: visible ? bubble.height : 0

            Rectangle {
                id: bubble
                objectName: "bubble"
                anchors.right: root.isOwn ? parent.right : undefined
                anchors.left: root.isOwn ? undefined : parent.left
                width: Math.min(root.maximumBubbleWidth,
                                Math.max(bubbleText.implicitWidth, meta.implicitWidth,
                                         sender.visible ? sender.implicitWidth : 0) + 24)
                height: bubbleColumn.implicitHeight + 12
                radius: 12
                color: root.isOwn ? (Material.theme === Material.Dark ? "#1e4d3a" : "#dcf8c6")
                                  : (Material.theme === Material.Dark ? "#2f3438" : "#ffffff")
                border.width: root.flash ? 2 : root.status === StatusTicks.Failed && root.isOwn ? 1 : 0
                border.color: root.flash ? Material.accentColor : "#e53935"

                TapHandler {
                    objectName: "bubbleMenuHandler"
                    acceptedButtons: Qt.RightButton
                    onTapped: root.contextMenuRequested()
                }
                TapHandler {
                    acceptedDevices: PointerDevice.TouchScreen
                    onLongPressed: root.contextMenuRequested()
                }

                Column {
                    id: bubbleColumn
                    x: 12
                    y: 6
                    width: parent.width - 24
                    spacing: 2

                    Label {
                        id: sender
                        objectName: "senderLabel"
                        visible: root.showSender && !root.isOwn
                        text: root.senderName
                        textFormat: Text.PlainText
                        font.pixelSize: 12
                        font.bold: true
                        color: Material.accentColor
                    }
                    Label {
                        id: bubbleText
                        objectName: "bubbleText"
                        width: Math.min(implicitWidth, parent.width)
                        text: root.text
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                    }
                    Row {
                        id: meta
                        anchors.right: parent.right
                        spacing: 4

                        Label {
                            text: Formats.time(root.timestamp)
                            textFormat: Text.PlainText
                            font.pixelSize: 11
                            color: Material.hintTextColor
                        }
                        StatusTicks {
                            objectName: "ticks"
                            visible: root.isOwn
                            status: root.status
                        }
                    }
                }
            }
        }

        Row {
            objectName: "failedRow"
            visible: root.isOwn && root.status === StatusTicks.Failed
            anchors.right: parent.right
            spacing: 4

            Label {
                objectName: "failedReason"
                anchors.verticalCenter: parent.verticalCenter
                text: root.error.length > 0 ? qsTr("Not sent: %1").arg(root.error) : qsTr("Not sent")
                textFormat: Text.PlainText
                font.pixelSize: 11
                color: "#e53935"
            }
            Button {
                objectName: "retryButton"
                flat: true
                text: qsTr("Retry")
                onClicked: root.retryRequested(root.clientId)
            }
            Button {
                objectName: "discardButton"
                flat: true
                text: qsTr("Delete")
                onClicked: root.discardRequested(root.clientId)
            }
        }
    }
}
