pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material

// The quick reactions over a message: six emoji, the one already chosen highlighted, and "+" for
// the full picker. Picking closes it; the controller toggles (the same emoji again removes it).
Popup {
    id: root

    //! The user's current reaction to the message ("" when none).
    property string current: ""
    readonly property var quick: ["👍", "❤️", "😂", "😮", "😢", "🙏"]

    signal picked(string emoji)
    //! "+": the full emoji picker instead.
    signal moreRequested()

    // One of the six (a component of its own: ids inside contentItem would make that deferred
    // assignment immediate).
    component QuickButton: ToolButton {
        id: quickButton
        required property string modelData
        property string current
        readonly property string emoji: quickButton.modelData
        objectName: "quickReaction_" + quickButton.modelData
        text: quickButton.modelData // plain text: one of the six emoji above
        font.family: "Noto Color Emoji"
        font.pixelSize: 20
        implicitWidth: 40
        implicitHeight: 40
        highlighted: quickButton.modelData === quickButton.current
        Accessible.name: quickButton.modelData
        background: Rectangle {
            radius: width / 2
            color: quickButton.highlighted ? quickButton.Material.accentColor : "transparent"
            opacity: quickButton.highlighted ? 0.3 : 1
        }
    }

    padding: 4
    modal: false
    focus: false
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside

    background: Rectangle {
        radius: height / 2
        color: root.Material.dialogColor
        border.width: 1
        border.color: root.Material.dividerColor
    }

    contentItem: Row {
        spacing: 2
        Repeater {
            model: root.quick
            QuickButton {
                current: root.current
                onClicked: { root.close(); root.picked(emoji) }
            }
        }
        ToolButton {
            objectName: "moreReactions"
            text: "+"
            font.pixelSize: 20
            implicitWidth: 40
            implicitHeight: 40
            Accessible.name: qsTr("More reactions")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("More reactions")
            ToolTip.delay: 500
            onClicked: { root.close(); root.moreRequested() }
        }
    }
}
