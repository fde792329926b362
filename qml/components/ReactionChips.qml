pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material

// The reactions under a bubble: one chip per emoji with its count, the user's own highlighted;
// hovering lists who reacted. A click on the user's own chip removes it, on another's adds that
// emoji as the user's reaction (one per person: it replaces theirs).
Flow {
    id: root

    //! MessageListModel's `reactions`: [{emoji, count, mine, names}], most used first.
    property var reactions: []

    //! The user clicked the chip of `emoji` (the controller toggles: their own goes away).
    signal chipClicked(string emoji)

    spacing: 4

    Repeater {
        model: root.reactions
        Rectangle {
            id: chip
            required property var modelData
            required property int index
            readonly property bool mine: !!modelData.mine
            readonly property string names: (modelData.names || []).join(", ")
            objectName: "reactionChip_" + modelData.emoji
            implicitWidth: chipRow.implicitWidth + 14
            implicitHeight: 26
            radius: height / 2
            color: mine ? Qt.rgba(root.Material.accentColor.r, root.Material.accentColor.g,
                                  root.Material.accentColor.b, 0.25)
                        : (root.Material.theme === Material.Dark ? "#33ffffff" : "#10000000")
            border.width: mine ? 1 : 0
            border.color: root.Material.accentColor
            Accessible.role: Accessible.Button
            Accessible.name: modelData.emoji + " " + modelData.count

            Row {
                id: chipRow
                anchors.centerIn: parent
                spacing: 4
                Label {
                    objectName: "reactionChipEmoji"
                    anchors.verticalCenter: parent.verticalCenter
                    text: chip.modelData.emoji
                    textFormat: Text.PlainText
                    font.family: "Noto Color Emoji"
                    font.pixelSize: 14
                }
                Label {
                    objectName: "reactionChipLabel"
                    anchors.verticalCenter: parent.verticalCenter
                    text: chip.modelData.count
                    textFormat: Text.PlainText
                    font.pixelSize: 13
                    color: chip.mine ? root.Material.accentColor : root.Material.foreground
                }
            }
            HoverHandler {
                id: chipHover
                cursorShape: Qt.PointingHandCursor
            }
            TapHandler {
                onTapped: root.chipClicked(chip.modelData.emoji)
            }
            // Who reacted: names are others' text, so a plain-text label of its own, not
            // ToolTip.text (which reads markup).
            ToolTip {
                objectName: "reactionNames"
                visible: chipHover.hovered && chip.names.length > 0
                delay: 300
                y: chip.height + 4 // below: above it would cover the bubble
                contentItem: Label {
                    text: chip.names
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}
