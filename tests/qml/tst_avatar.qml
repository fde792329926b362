import QtQuick
import QtTest
import Messenger.Components

// Avatar: the initials without a picture, the round picture from image://avatar when there is
// one, and the initials again when the picture cannot be shown. The runner (tst_qml_components.cpp)
// gives the provider two scripted blobs: "a…a" is red, "b…b" is not an image.
TestCase {
    id: testCase
    name: "Avatar"
    when: windowShown
    visible: true
    width: 200
    height: 200

    readonly property string red: "image://avatar/" + "a".repeat(26)
    readonly property string broken: "image://avatar/" + "b".repeat(26)
    readonly property string unknown: "image://avatar/" + "c".repeat(26)

    Rectangle {
        anchors.fill: parent
        color: "white"
    }

    Component {
        id: avatarComponent
        Avatar {
            width: 80
            height: 80
            initials: "AB"
            color: "#3f51b5"
        }
    }

    function make(properties) {
        const avatar = createTemporaryObject(avatarComponent, testCase, properties || {})
        verify(avatar)
        return avatar
    }

    function isColour(image, x, y, expected) {
        const actual = image.pixel(x, y)
        return Qt.colorEqual(Qt.rgba(actual.r, actual.g, actual.b, 1), expected)
    }

    function test_initialsWithoutSource() {
        const avatar = make()
        verify(!avatar.showsPicture)
        verify(findChild(avatar, "avatarInitials").visible)
        verify(!findChild(avatar, "avatarPicture").visible)
        waitForRendering(avatar)
        const image = grabImage(avatar)
        verify(isColour(image, 40, 20, "#3f51b5"))
    }

    function test_pictureWithSource() {
        const avatar = make({ source: testCase.red })
        tryCompare(avatar, "showsPicture", true)
        verify(!findChild(avatar, "avatarInitials").visible)
        const picture = findChild(avatar, "avatarPicture")
        verify(picture.visible)
        // Cut to a circle at the size asked for.
        compare(picture.implicitWidth, picture.sourceSize.width)
        waitForRendering(avatar)
        const image = grabImage(avatar)
        verify(isColour(image, 40, 40, "red"))
        verify(isColour(image, 40, 3, "red"))
        // The corners are transparent: the white behind shows, not red and not the initials' colour.
        verify(isColour(image, 2, 2, "white"))
        verify(isColour(image, 77, 77, "white"))
    }

    function test_initialsWhenThePictureFails_data() {
        return [
            { tag: "not an image", source: testCase.broken },
            { tag: "unknown blob", source: testCase.unknown },
            { tag: "not a blob id", source: "image://avatar/../../etc/passwd" },
        ]
    }

    function test_initialsWhenThePictureFails(data) {
        const avatar = make({ source: data.source })
        const picture = findChild(avatar, "avatarPicture")
        tryCompare(picture, "status", Image.Error)
        verify(!avatar.showsPicture)
        verify(findChild(avatar, "avatarInitials").visible)
        waitForRendering(avatar)
        verify(isColour(grabImage(avatar), 40, 20, "#3f51b5"))
    }

    function test_pictureRemoved() {
        const avatar = make({ source: testCase.red })
        tryCompare(avatar, "showsPicture", true)
        avatar.source = ""
        verify(!avatar.showsPicture)
        verify(findChild(avatar, "avatarInitials").visible)
    }

    function test_presenceDotOverThePicture() {
        const avatar = make({ source: testCase.red, presence: "online" })
        tryCompare(avatar, "showsPicture", true)
        verify(findChild(avatar, "presenceDot").visible)
    }
}
