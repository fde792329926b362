import QtQuick
import QtQuick.Controls.Material
import Messenger.Shell
import Messenger.Onboarding
import Messenger.Desktop
import Messenger.Media

// The window: the first-run pages until an account is signed in, then the main page.
ApplicationWindow {
    id: window

    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 480
    visible: true
    // plain text: the window's title is the window system's, never read as markup
    title: App.username.length > 0 ? qsTr("Messenger — %1").arg(App.username) : qsTr("Messenger")

    // Light or dark as the system is, unless --theme says otherwise.
    Material.theme: App.appearance.theme === "dark" ? Material.Dark
                  : App.appearance.theme === "light" ? Material.Light : Material.System
    Material.accent: Material.Teal
    Material.primary: Material.Teal

    // image://avatar for every Avatar in the window (profile and group photos).
    AvatarImages {}

    // Size and place as the user left them (maximised too), kept in the app's settings.
    Component.onCompleted: {
        const geometry = App.uiState("window")
        if (geometry && geometry.width >= minimumWidth && geometry.height >= minimumHeight) {
            width = geometry.width
            height = geometry.height
            // Only where a screen still is (a monitor may have been unplugged).
            if (geometry.x >= 0 && geometry.y >= 0 && geometry.x < Screen.desktopAvailableWidth - 80
                    && geometry.y < Screen.desktopAvailableHeight - 80) {
                x = geometry.x
                y = geometry.y
            }
            if (geometry.maximized)
                visibility = Window.Maximized
        }
    }
    onClosing: {
        const maximized = visibility === Window.Maximized
        App.setUiState("window", maximized ? Object.assign(App.uiState("window") || {}, { maximized: true })
                                           : { x: x, y: y, width: width, height: height, maximized: false })
    }

    Loader {
        id: pages
        anchors.fill: parent
        sourceComponent: App.onboarding.stage === Onboarding.Done ? mainPage
                       : App.onboarding.stage === Onboarding.SignIn ? signInPage : chooseServerPage
    }

    // Above every page: a server's certificate waiting for the user's decision.
    TrustCertificateDialog {
        onboarding: App.onboarding
    }

    // New messages on the desktop while the window is in the background; the count in the tray.
    // (pages.Window.window is this window: a plain `window` here would name their own property.)
    DesktopNotifier {
        account: App.account
        settings: App.settings
        window: pages.Window.window
        openConversationId: {
            const page = pages.item as MainPage
            return page && page.currentId > 0 ? page.currentId : 0
        }
        onActivated: (conversationId, seq) => {
            // The main page, when it is the one on screen.
            const page = pages.item as MainPage
            if (page)
                page.openMessage(conversationId, seq)
        }
    }
    TrayIcon {
        account: App.account
        window: pages.Window.window
    }

    Component { id: chooseServerPage; ChooseServerPage { onboarding: App.onboarding } }
    Component { id: signInPage; SignInPage { onboarding: App.onboarding } }
    Component { id: mainPage; MainPage {} }
}
