pragma ComponentBehavior: Bound

import QtQuick
import QtQml.Models
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Core

import Messenger.Components

// Choose people by searching their username: the chosen ones show as chips above the search
// field (✕ takes one out again), the results below (a click adds or takes out). Used by the new
// group dialog and by "Add members".
ColumnLayout {
    id: picker

    //! Whose server is searched: the account on screen.
    required property Account account
    //! Users who cannot be chosen (already in the group): listed, but greyed out.
    property var excludedIds: []
    //! The users.search model; reset() makes a new one.
    property var search: null
    readonly property int count: chosen.count
    //! The field, to give it focus.
    readonly property alias input: query

    //! The chosen user ids, in the order they were chosen.
    function chosenIds() {
        const ids = []
        for (let i = 0; i < chosen.count; ++i)
            ids.push(chosen.get(i).userId)
        return ids
    }

    function indexOf(userId) {
        for (let i = 0; i < chosen.count; ++i) {
            if (chosen.get(i).userId === userId)
                return i
        }
        return -1
    }

    function toggle(user) {
        const index = indexOf(user.userId)
        if (index >= 0)
            chosen.remove(index)
        else
            chosen.append(user)
    }

    function reset() {
        chosen.clear()
        query.text = ""
        search = finder.newSearch()
    }

    spacing: 8

    ListModel { id: chosen }
    UserFinder {
        id: finder
        account: picker.account
    }

    Flow {
        objectName: "chips"
        Layout.fillWidth: true
        visible: chosen.count > 0
        spacing: 6

        Repeater {
            model: chosen
            delegate: Rectangle {
                id: chip
                objectName: "chip"
                required property var userId
                required property string displayName
                required property string initials
                required property string avatarColor
                required property string avatarBlob
                required property int index

                height: 32
                width: chipRow.implicitWidth + 8
                radius: height / 2
                color: Material.theme === Material.Dark ? "#37474f" : "#e0f2f1"

                Row {
                    id: chipRow
                    x: 4
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: 6

                    Avatar {
                        width: 24
                        height: 24
                        initials: chip.initials
                        color: chip.avatarColor
                        source: chip.avatarBlob.length > 0 ? "image://avatar/" + chip.avatarBlob : ""
                        anchors.verticalCenter: parent.verticalCenter
                    }
                    Label {
                        text: chip.displayName
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        width: Math.min(implicitWidth, 150)
                        anchors.verticalCenter: parent.verticalCenter
                    }
                    RoundButton {
                        objectName: "chipRemove"
                        width: 24
                        height: 24
                        padding: 0
                        flat: true
                        text: "\u00D7"
                        font.pixelSize: 16
                        anchors.verticalCenter: parent.verticalCenter
                        onClicked: chosen.remove(chip.index)
                        Accessible.name: qsTr("Take %1 out").arg(chip.displayName)
                    }
                }
            }
        }
    }

    TextField {
        id: query
        objectName: "memberQuery"
        Layout.fillWidth: true
        placeholderText: qsTr("Search by username")
        Accessible.name: qsTr("Search people by username")
        onTextChanged: if (picker.search) picker.search.query = text
    }

    ListView {
        id: results
        objectName: "memberResults"
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.minimumHeight: 120
        clip: true
        model: query.text.length > 0 ? picker.search : null
        ScrollBar.vertical: ScrollBar {}

        delegate: ItemDelegate {
            id: row
            required property var userId
            required property string username
            required property string displayName
            required property string initials
            required property string avatarColor
            // UserSearchModel's avatarBlob: the picture when it is on this device.
            required property var model
            readonly property string avatarBlob: model.avatarBlob ?? ""
            readonly property bool member: picker.excludedIds.indexOf(row.userId) >= 0
            readonly property bool picked: chosen.count >= 0 && picker.indexOf(row.userId) >= 0

            width: ListView.view.width
            enabled: !member
            Accessible.name: picked ? qsTr("%1, chosen").arg(displayName) : displayName
            onClicked: picker.toggle({ userId: row.userId, displayName: row.displayName,
                                       initials: row.initials, avatarColor: row.avatarColor,
                                       avatarBlob: row.avatarBlob })

            contentItem: RowLayout {
                spacing: 12
                Avatar {
                    initials: row.initials
                    color: row.avatarColor
                    source: row.avatarBlob.length > 0 ? "image://avatar/" + row.avatarBlob : ""
                    opacity: row.member ? 0.5 : 1
                    Layout.preferredWidth: 36
                    Layout.preferredHeight: 36
                }
                ColumnLayout {
                    spacing: 0
                    Layout.fillWidth: true
                    Label {
                        text: row.displayName
                        textFormat: Text.PlainText
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.member ? qsTr("@%1 · already in the group").arg(row.username) : "@" + row.username
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        color: Material.hintTextColor
                        font.pixelSize: 12
                        Layout.fillWidth: true
                    }
                }
                Rectangle {
                    objectName: "pickedMark"
                    implicitWidth: 22
                    implicitHeight: 22
                    radius: 11
                    visible: !row.member
                    color: row.picked ? Material.accentColor : "transparent"
                    border.width: row.picked ? 0 : 2
                    border.color: Material.hintTextColor
                    Text {
                        anchors.centerIn: parent
                        visible: row.picked
                        text: "\u2713"
                        color: "white"
                        font.bold: true
                    }
                }
            }
        }

        Label {
            anchors.centerIn: parent
            width: parent.width - 32
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            visible: results.count === 0
            color: Material.hintTextColor
            textFormat: Text.PlainText
            text: query.text.length === 0 ? qsTr("Type the start of a username to find people.")
                : picker.search && picker.search.busy ? qsTr("Searching…") : qsTr("Nobody found.")
        }
    }
}
