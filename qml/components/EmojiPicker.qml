pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// A popup of emoji by category; picking one emits picked() and leaves the popup open, as in
// Telegram Desktop, so several can be added. Esc or a click outside closes it.
Popup {
    id: root

    //! The user picked this emoji (one grapheme, possibly several code points).
    signal picked(string emoji)

    readonly property var categories: [
        { name: qsTr("Smileys"), symbol: "😀", emoji: [
            "😀", "😃", "😄", "😁", "😆", "😅", "🤣", "😂", "🙂", "🙃", "😉", "😊", "😇", "🥰", "😍",
            "🤩", "😘", "😗", "😚", "😙", "😋", "😛", "😜", "🤪", "😝", "🤑", "🤗", "🤭", "🤫", "🤔",
            "🤐", "🤨", "😐", "😑", "😶", "😏", "😒", "🙄", "😬", "😌", "😔", "😪", "🤤", "😴", "😷",
            "🤒", "🤕", "🤢", "🤮", "🥵", "🥶", "🥴", "😵", "🤯", "🤠", "🥳", "😎", "🤓", "🧐", "😕",
            "😟", "🙁", "😮", "😯", "😲", "😳", "🥺", "😦", "😧", "😨", "😰", "😥", "😢", "😭", "😱",
            "😖", "😣", "😞", "😓", "😩", "😫", "🥱", "😤", "😡", "😠", "🤬", "😈", "💀", "💩", "🤡" ] },
        { name: qsTr("People"), symbol: "👍", emoji: [
            "👋", "🤚", "✋", "🖖", "👌", "🤌", "✌️", "🤞", "🤟", "🤘", "🤙", "👈", "👉", "👆", "👇",
            "☝️", "👍", "👎", "✊", "👊", "🤛", "🤜", "👏", "🙌", "👐", "🤲", "🤝", "🙏", "✍️", "💪",
            "👀", "👁️", "👅", "👄", "🧠", "👶", "🧒", "👦", "👧", "🧑", "👨", "👩", "🧓", "👴", "👵",
            "🙋", "🙅", "🙆", "💁", "🤷", "🤦", "🙇", "👮", "👷", "💂", "🕵️", "🧑‍💻", "🧑‍🍳", "🧑‍🎓", "🧑‍🚀" ] },
        { name: qsTr("Nature"), symbol: "🐶", emoji: [
            "🐶", "🐱", "🐭", "🐹", "🐰", "🦊", "🐻", "🐼", "🐨", "🐯", "🦁", "🐮", "🐷", "🐸", "🐵",
            "🐔", "🐧", "🐦", "🦆", "🦉", "🐝", "🦋", "🐌", "🐞", "🐢", "🐍", "🐙", "🐬", "🐳", "🦈",
            "🌵", "🌲", "🌳", "🌴", "🌱", "🌿", "🍀", "🍁", "🍂", "🌷", "🌹", "🌻", "🌼", "🌸", "💐",
            "🌞", "🌝", "🌚", "🌙", "⭐", "🌟", "✨", "⚡", "🔥", "🌈", "☀️", "⛅", "☁️", "🌧️", "❄️" ] },
        { name: qsTr("Food"), symbol: "🍕", emoji: [
            "🍏", "🍎", "🍐", "🍊", "🍋", "🍌", "🍉", "🍇", "🍓", "🫐", "🍒", "🍑", "🥭", "🍍", "🥥",
            "🥝", "🍅", "🥑", "🥦", "🥕", "🌽", "🌶️", "🥔", "🥐", "🍞", "🧀", "🥚", "🍳", "🥞", "🥓",
            "🍔", "🍟", "🍕", "🌭", "🥪", "🌮", "🌯", "🍝", "🍜", "🍣", "🍱", "🍩", "🍪", "🎂", "🍰",
            "🍫", "🍬", "🍭", "🍿", "☕", "🍵", "🧃", "🥤", "🍺", "🍻", "🥂", "🍷", "🍸", "🍹", "🧉" ] },
        { name: qsTr("Activities"), symbol: "⚽", emoji: [
            "⚽", "🏀", "🏈", "⚾", "🎾", "🏐", "🏉", "🎱", "🏓", "🏸", "🥊", "⛳", "🎣", "🎽", "🎿",
            "🏆", "🥇", "🥈", "🥉", "🏅", "🎖️", "🎗️", "🎫", "🎟️", "🎭", "🎨", "🎬", "🎤", "🎧", "🎼",
            "🎹", "🥁", "🎷", "🎺", "🎸", "🎻", "🎲", "♟️", "🎯", "🎳", "🎮", "🧩", "🎉", "🎊", "🎁" ] },
        { name: qsTr("Objects"), symbol: "💡", emoji: [
            "⌚", "📱", "💻", "⌨️", "🖥️", "🖨️", "🖱️", "💾", "💿", "📷", "📹", "🎥", "📞", "☎️", "📺",
            "📻", "⏰", "⌛", "📡", "🔋", "🔌", "💡", "🔦", "🕯️", "💸", "💵", "💰", "💳", "💎", "🔧",
            "🔨", "🛠️", "🔩", "⚙️", "🔑", "🗝️", "🔒", "🔓", "📦", "📫", "✉️", "📝", "📎", "📌", "📅",
            "🚗", "🚕", "🚌", "🚲", "🛴", "✈️", "🚀", "🛸", "🚢", "⛵", "🏠", "🏢", "🏥", "🏫", "⛺" ] },
        { name: qsTr("Symbols"), symbol: "❤️", emoji: [
            "❤️", "🧡", "💛", "💚", "💙", "💜", "🖤", "🤍", "🤎", "💔", "❣️", "💕", "💞", "💓", "💗",
            "💖", "💘", "💝", "💯", "💢", "💥", "💫", "💦", "💨", "💬", "💭", "💤", "✅", "☑️", "✔️",
            "❌", "❎", "➕", "➖", "➗", "❓", "❗", "‼️", "⁉️", "⚠️", "🚫", "⛔", "♻️", "🔴", "🟠",
            "🟡", "🟢", "🔵", "🟣", "⚫", "⚪", "🔶", "🔷", "🆗", "🆕", "🆒", "🆙", "🔝", "🔜", "🏁" ] }
    ]
    property int category: 0

    width: 360
    height: 320
    padding: 8
    modal: false
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutsideParent

    contentItem: ColumnLayout {
        spacing: 4

        TabBar {
            objectName: "emojiCategories"
            Layout.fillWidth: true
            currentIndex: root.category
            onCurrentIndexChanged: root.category = currentIndex
            Repeater {
                model: root.categories
                TabButton {
                    required property var modelData
                    text: modelData.symbol // plain text: the picker's own list, as the two below
                    font.family: "Noto Color Emoji"
                    font.pixelSize: 18
                    Accessible.name: modelData.name
                    ToolTip.visible: hovered
                    ToolTip.text: modelData.name // plain text: the picker's own list
                    ToolTip.delay: 600
                }
            }
        }
        GridView {
            objectName: "emojiGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            cellWidth: Math.floor(width / 8)
            cellHeight: 40
            model: root.categories[root.category].emoji
            delegate: ToolButton {
                required property string modelData
                objectName: "emoji_" + modelData
                width: (GridView.view as GridView).cellWidth
                height: (GridView.view as GridView).cellHeight
                text: modelData // plain text: an emoji of the picker's own list
                font.family: "Noto Color Emoji"
                font.pixelSize: 22
                Accessible.name: modelData
                onClicked: root.picked(modelData)
            }
            ScrollBar.vertical: ScrollBar {}
        }
    }
}
