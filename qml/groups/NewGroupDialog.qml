import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Messenger.Core
import Messenger.Groups

import Messenger.Components

// A new group: its name and the people in it (found by username, shown as chips). The user is
// its owner; groupCreated() says which conversation to open.
Dialog {
    id: dialog
    objectName: "newGroupDialog"
    // It closes from a click on its own content (a person, Create): with Material's fade-out the
    // exit transition could stall half-way in Qt 6.4, leaving a ghost dialog and its dim over the
    // window (and blocking the window's shortcuts). It closes at once instead.
    exit: Transition {}

    //! The account the group is made on: the one on screen.
    required property Account account

    signal groupCreated(var conversationId)

    title: qsTr("New group")
    modal: true
    width: 440
    height: Math.min(600, parent ? parent.height - 40 : 600)
    closePolicy: controller.busy ? Popup.NoAutoClose : Popup.CloseOnEscape | Popup.CloseOnPressOutside

    onOpened: {
        controller.conversationId = 0
        controller.clearError()
        nameField.text = ""
        picker.reset()
        nameField.forceActiveFocus()
    }

    function create() {
        if (createButton.enabled)
            controller.create(nameField.text, picker.chosenIds())
    }

    GroupController {
        id: controller
        account: dialog.account
        onCreated: conversationId => {
            dialog.close()
            dialog.groupCreated(conversationId)
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 12

        RowLayout {
            spacing: 12
            Layout.fillWidth: true

            Avatar {
                initials: nameField.text.trim().length > 0
                          ? nameField.text.trim().split(/\s+/).slice(0, 2)
                            .map(word => String.fromCodePoint(word.codePointAt(0))).join("").toUpperCase() : "#"
                color: Material.accentColor
                Layout.preferredWidth: 48
                Layout.preferredHeight: 48
            }
            TextField {
                id: nameField
                objectName: "groupName"
                Layout.fillWidth: true
                placeholderText: qsTr("Group name")
                maximumLength: 128
                Accessible.name: qsTr("Group name")
                onAccepted: picker.input.forceActiveFocus()
            }
        }

        Label {
            textFormat: Text.PlainText
            text: picker.count === 0 ? qsTr("Members")
                                     : picker.count === 1 ? qsTr("Members: 1 chosen")
                                                          : qsTr("Members: %1 chosen").arg(picker.count)
            font.bold: true
            color: Material.accentColor
        }

        MemberPicker {
            id: picker
            account: dialog.account
            Layout.fillWidth: true
            Layout.fillHeight: true
        }

        Label {
            objectName: "newGroupError"
            visible: controller.error.length > 0
            text: controller.error
            textFormat: Text.PlainText
            color: "#e53935"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }

    // Not a DialogButtonBox: its accept closes the dialog at once, and this one stays open
    // until the server has made the group.
    footer: Item {
        implicitHeight: buttons.implicitHeight + 16
        RowLayout {
            id: buttons
            anchors.right: parent.right
            anchors.rightMargin: 8
            anchors.verticalCenter: parent.verticalCenter
            spacing: 8
            Button {
                text: qsTr("Cancel")
                flat: true
                Material.foreground: Material.accentColor
                enabled: !controller.busy
                onClicked: dialog.reject()
                Accessible.name: qsTr("Cancel")
            }
            Button {
                id: createButton
                objectName: "createGroupButton"
                text: controller.busy ? qsTr("Creating…") : qsTr("Create")
                highlighted: true
                enabled: nameField.text.trim().length > 0 && !controller.busy
                onClicked: dialog.create()
                Accessible.name: qsTr("Create the group")
            }
        }
    }
}
