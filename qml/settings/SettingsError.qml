import QtQuick
import QtQuick.Controls.Material

// A sentence saying what went wrong, in the theme's red; takes no room when there is none.
Label {
    visible: text.length > 0
    wrapMode: Text.Wrap
    textFormat: Text.PlainText
    color: Material.theme === Material.Dark ? "#ef9a9a" : "#c62828"
    Accessible.role: Accessible.AlertMessage
}
