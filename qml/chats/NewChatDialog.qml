pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material
import Messenger.Core
import QtQuick.Layouts

import Messenger.Components

// Find a user by name and open the direct chat with them.
Dialog {
    id: dialog
    objectName: "newChatDialog"
    // It closes from a click on its own content (a person, Create): with Material's fade-out the
    // exit transition could stall half-way in Qt 6.4, leaving a ghost dialog and its dim over the
    // window (and blocking the window's shortcuts). It closes at once instead.
    exit: Transition {}

    //! Whose server is searched: the account on screen.
    required property Account account
    //! The users.search model of this opening.
    property var search: null

    //! The user chose someone: open the direct chat with them.
    signal userChosen(var userId)

    UserFinder {
        id: finder
        account: dialog.account
    }

    title: qsTr("New chat")
    modal: true
    width: 400
    height: 480
    standardButtons: Dialog.Cancel

    onOpened: {
        search = finder.newSearch()
        query.text = ""
        query.forceActiveFocus()
    }
    onClosed: search = null

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        TextField {
            id: query
            objectName: "userQuery"
            Layout.fillWidth: true
            placeholderText: qsTr("Username")
            Accessible.name: qsTr("Find people by username")
            onTextChanged: if (dialog.search) dialog.search.query = text
        }
        ListView {
            id: results
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: dialog.search
            delegate: ItemDelegate {
                id: row
                required property var userId
                required property string username
                required property string displayName
                required property string presence
                required property string initials
                required property string avatarColor
                // UserSearchModel's avatarBlob: the picture when it is on this device.
                required property var model
                objectName: "userResult_" + username
                Accessible.name: qsTr("Chat with %1").arg(displayName)
                width: ListView.view.width
                contentItem: RowLayout {
                    spacing: 12
                    Avatar {
                        initials: row.initials
                        color: row.avatarColor
                        source: (row.model.avatarBlob ?? "").length > 0 ? "image://avatar/" + row.model.avatarBlob : ""
                        presence: row.presence
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
                            Layout.fillWidth: true
                            text: "@" + row.username
                            textFormat: Text.PlainText
                            color: Material.hintTextColor
                            font.pixelSize: 12
                        }
                    }
                }
                onClicked: {
                    // Said before closing: the delegate goes with the list when it closes.
                    dialog.userChosen(row.userId)
                    dialog.close()
                }
            }
            Label {
                anchors.centerIn: parent
                visible: results.count === 0
                color: Material.hintTextColor
                textFormat: Text.PlainText
                text: query.text.length === 0 ? qsTr("Type the start of a username.")
                    : dialog.search && dialog.search.busy ? qsTr("Searching…") : qsTr("Nobody found.")
            }
        }
    }
}
