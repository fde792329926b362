import QtQuick
import QtTest
import Messenger.Components

TestCase {
    id: testCase
    name: "ConnectionBanner"
    when: windowShown
    visible: true
    width: 400
    height: 100

    Component {
        id: bannerComponent
        ConnectionBanner { width: 400 }
    }

    function test_state_data() {
        return [
            { tag: "offline", state: ConnectionBanner.Offline, error: "", visible: true, text: "Offline" },
            { tag: "offline with reason", state: ConnectionBanner.Offline, error: "host not found",
              visible: true, text: "Offline: host not found" },
            { tag: "connecting", state: ConnectionBanner.Connecting, error: "", visible: true, text: "Reconnecting…" },
            { tag: "syncing", state: ConnectionBanner.Syncing, error: "", visible: true, text: "Syncing…" },
            { tag: "online", state: ConnectionBanner.Online, error: "", visible: false, text: "" },
        ]
    }

    function test_state(data) {
        const banner = createTemporaryObject(bannerComponent, testCase,
                                             { connectionState: data.state, error: data.error })
        verify(banner)
        compare(banner.visible, data.visible)
        compare(findChild(banner, "bannerText").text, data.text)
    }
}
