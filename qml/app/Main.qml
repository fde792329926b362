import QtQuick
import QtQuick.Controls.Material
import Messenger.App

// The window: the first-run pages until an account is signed in, then the main page.
ApplicationWindow {
    id: window

    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 480
    visible: true
    title: App.username.length > 0 ? qsTr("Messenger — %1").arg(App.username) : qsTr("Messenger")

    // Light or dark as the system is, unless --theme says otherwise.
    Material.theme: App.theme === "dark" ? Material.Dark : App.theme === "light" ? Material.Light : Material.System
    Material.accent: Material.Teal
    Material.primary: Material.Teal

    Loader {
        anchors.fill: parent
        sourceComponent: App.stage === App.Main ? mainPage
                       : App.stage === App.SignIn ? signInPage : chooseServerPage
    }

    Component { id: chooseServerPage; ChooseServerPage {} }
    Component { id: signInPage; SignInPage {} }
    Component { id: mainPage; MainPage {} }
}
