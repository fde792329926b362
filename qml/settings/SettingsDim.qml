import QtQuick
import QtQuick.Controls.Material

// What a settings popup puts over the rest of the window: Material's own dim is light in the
// dark theme, which washes the window out instead of setting the popup apart.
Rectangle {
    color: Qt.rgba(0, 0, 0, Material.theme === Material.Dark ? 0.6 : 0.45)
    Behavior on opacity { NumberAnimation { duration: 150 } }
}
