pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Settings

// Light, dark, or as the system is.
SettingsPage {
    id: page

    required property AppearanceSettings appearance

    title: qsTr("Appearance")
    description: qsTr("The colours of the app on this computer.")

    // The theme alone says which is checked: a click asks for the change instead of toggling,
    // so the binding stays (the theme can also change from --theme or another window).
    component ThemeChoice: RadioButton {
        required property string theme
        checked: page.appearance.theme === theme
        checkable: false
        autoExclusive: false
        Accessible.name: text
        Accessible.checkable: true
        Accessible.checked: checked
        onClicked: page.appearance.theme = theme
    }

    Label {
        text: qsTr("Theme")
        font.bold: true
    }
    ColumnLayout {
        spacing: 0
        ThemeChoice {
            objectName: "themeLight"
            theme: "light"
            text: qsTr("Light")
        }
        ThemeChoice {
            objectName: "themeDark"
            theme: "dark"
            text: qsTr("Dark")
        }
        ThemeChoice {
            objectName: "themeSystem"
            theme: "system"
            text: qsTr("Follow the system")
        }
    }
}
