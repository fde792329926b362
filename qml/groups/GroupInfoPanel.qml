import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Messenger.Core
import Messenger.Groups

import Messenger.Components

// A group's info, sliding in from the right: photo and name (changed in place), members with
// presence and role, and what the user's role allows — add, remove, promote, demote, rename, the
// photo — and leaving.
// The rows offer their own actions (MemberDelegate); GroupController does them.
Drawer {
    id: panel
    objectName: "groupInfoPanel"

    required property Account account
    //! "Message" on a member: open the direct chat with them.
    signal directChatRequested(var userId)
    property alias conversationId: controller.conversationId
    //! The GroupController, for tests and screenshots.
    readonly property alias controller: controller

    //! The field shows up with the current name, selected, to type over (renameField, in the
    //! list's header, fills itself in: the panel cannot reach into the header's ids).
    function startRename() {
        panel.editing = true
    }

    property bool editing: false

    parent: Overlay.overlay
    edge: Qt.RightEdge
    // Opened by the header's button, not by a swipe: a non-interactive drawer also stays out of
    // the overlay while closed, where it would block the window's shortcuts (Ctrl+F, Ctrl+K).
    interactive: false
    width: Math.min(400, parent ? parent.width : 400)
    height: parent ? parent.height : 600
    dragMargin: 0
    padding: 0

    onClosed: { editing = false; controller.clearError() }
    onConversationIdChanged: editing = false

    GroupController {
        id: controller
        account: panel.account
        onSucceeded: action => {
            if (action === GroupController.Rename)
                panel.editing = false
            else if (action === GroupController.Leave)
                panel.close()
        }
    }

    Connections {
        target: controller
        // Removed or left elsewhere: nothing to change here any more.
        function onGroupChanged() { if (!controller.isMember) panel.editing = false }
    }

    ListView {
        id: members
        objectName: "groupMembers"
        anchors.fill: parent
        clip: true
        model: controller.members
        ScrollBar.vertical: ScrollBar {}

        // The file's ids in the header, delegate and footer are unqualified to qmllint (Qt 6.4)
        // without `pragma ComponentBehavior: Bound`, and Qt 6.4 cannot make a bound file's
        // ListView header and footer ("Cannot instantiate bound component outside its creation
        // context"). The ids resolve at runtime: the check is off from here to the footer's end.
        // qmllint disable unqualified
        header: ColumnLayout {
            width: ListView.view.width
            spacing: 0

            RowLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 4
                Layout.topMargin: 4
                Label {
                    text: qsTr("Group info")
                    font.pixelSize: 18
                    font.bold: true
                    Layout.fillWidth: true
                }
                ToolButton {
                    objectName: "closeGroupInfo"
                    text: "\u00D7"
                    font.pixelSize: 24
                    onClicked: panel.close()
                    Accessible.name: qsTr("Close group info")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Close")
                }
            }

            Avatar {
                objectName: "groupAvatar"
                initials: controller.initials
                color: controller.avatarColor
                source: controller.avatarBlob.length > 0 ? "image://avatar/" + controller.avatarBlob : ""
                opacity: controller.savingPhoto ? 0.5 : 1
                Layout.preferredWidth: 96
                Layout.preferredHeight: 96
                Layout.alignment: Qt.AlignHCenter
                Layout.topMargin: 8

                BusyIndicator {
                    anchors.centerIn: parent
                    running: controller.savingPhoto
                    visible: running
                }
            }

            // The group's picture, for those who may rename it (the same roles).
            RowLayout {
                visible: controller.canChangePhoto
                spacing: 8
                Layout.alignment: Qt.AlignHCenter
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Button {
                    objectName: "changeGroupPhotoButton"
                    text: controller.hasPhoto ? qsTr("Change group photo…") : qsTr("Add group photo…")
                    // Both fit side by side in the panel without Material's capitals.
                    font.capitalization: Font.MixedCase
                    flat: true
                    enabled: !controller.busy
                    Accessible.name: qsTr("Change the group photo")
                    onClicked: groupPhotoDialog.open()
                }
                Button {
                    objectName: "removeGroupPhotoButton"
                    text: qsTr("Remove group photo")
                    font.capitalization: Font.MixedCase
                    flat: true
                    visible: controller.hasPhoto
                    enabled: !controller.busy
                    Accessible.name: qsTr("Remove the group photo")
                    onClicked: controller.removePhoto()
                }
            }

            // The name, or the field that renames it.
            RowLayout {
                visible: !panel.editing
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Layout.topMargin: 8
                spacing: 0
                Item { Layout.fillWidth: true }
                Label {
                    objectName: "groupNameLabel"
                    text: controller.name
                    textFormat: Text.PlainText
                    font.pixelSize: 20
                    font.bold: true
                    elide: Text.ElideRight
                    horizontalAlignment: Text.AlignHCenter
                    Layout.maximumWidth: panel.width - 96
                }
                ToolButton {
                    objectName: "renameButton"
                    visible: controller.canRename
                    enabled: !controller.busy
                    text: "\u270E"
                    font.pixelSize: 16
                    onClicked: panel.startRename()
                    Accessible.name: qsTr("Rename the group")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Rename")
                }
                Item { Layout.fillWidth: true }
            }
            RowLayout {
                visible: panel.editing
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 8
                spacing: 4
                TextField {
                    id: renameField
                    objectName: "renameField"
                    Layout.fillWidth: true
                    maximumLength: 128
                    placeholderText: qsTr("Group name")
                    Accessible.name: qsTr("New group name")
                    onAccepted: controller.rename(text)
                    Keys.onEscapePressed: panel.editing = false
                    // Shown by startRename(): the current name, selected, to type over.
                    onVisibleChanged: {
                        if (!visible || !panel.editing)
                            return
                        text = controller.name
                        forceActiveFocus()
                        selectAll()
                    }
                }
                Button {
                    objectName: "renameSave"
                    text: qsTr("Save")
                    flat: true
                    highlighted: true
                    enabled: renameField.text.trim().length > 0 && !controller.busy
                    onClicked: controller.rename(renameField.text)
                    Accessible.name: qsTr("Save the new name")
                }
                Button {
                    text: qsTr("Cancel")
                    flat: true
                    onClicked: panel.editing = false
                    Accessible.name: qsTr("Cancel renaming")
                }
            }

            Label {
                objectName: "memberCountLabel"
                Layout.alignment: Qt.AlignHCenter
                Layout.bottomMargin: 8
                color: Material.hintTextColor
                text: {
                    const count = controller.memberCount === 1 ? qsTr("1 member")
                                                                : qsTr("%1 members").arg(controller.memberCount)
                    if (controller.myRole === "owner")
                        return qsTr("%1 · you are the owner").arg(count)
                    if (controller.myRole === "admin")
                        return qsTr("%1 · you are an admin").arg(count)
                    return count
                }
            }

            Label {
                objectName: "groupError"
                visible: controller.error.length > 0
                text: controller.error
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                color: "#e53935"
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Layout.bottomMargin: 8
            }

            Label {
                objectName: "notMemberLabel"
                visible: controller.isGroup && !controller.isMember
                text: qsTr("You are no longer a member of this group.")
                wrapMode: Text.Wrap
                color: Material.hintTextColor
                horizontalAlignment: Text.AlignHCenter
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Layout.bottomMargin: 8
            }

            MenuSeparator { Layout.fillWidth: true }

            ItemDelegate {
                objectName: "addMembersButton"
                visible: controller.canAddMembers
                enabled: !controller.busy
                Layout.fillWidth: true
                leftPadding: 16
                onClicked: addDialog.open()
                Accessible.name: qsTr("Add members")
                contentItem: RowLayout {
                    spacing: 12
                    Rectangle {
                        Layout.preferredWidth: 40
                        Layout.preferredHeight: 40
                        radius: 20
                        color: Material.accentColor
                        Text {
                            anchors.centerIn: parent
                            text: "+"
                            color: "white"
                            font.pixelSize: 24
                        }
                    }
                    Label {
                        text: qsTr("Add members")
                        color: Material.accentColor
                        font.bold: true
                        Layout.fillWidth: true
                    }
                }
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Layout.topMargin: 8
                Label {
                    text: qsTr("Members")
                    font.bold: true
                    color: Material.accentColor
                    Layout.fillWidth: true
                }
                BusyIndicator {
                    running: controller.busy
                    visible: running
                    Layout.preferredWidth: 24
                    Layout.preferredHeight: 24
                }
            }
        }

        delegate: MemberDelegate {
            required property var model
            width: ListView.view.width
            userId: model.userId
            displayName: model.displayName
            username: model.username
            memberRole: model.role
            presence: model.presence
            lastSeen: model.lastSeen
            initials: model.initials
            avatarColor: model.avatarColor
            avatarBlob: model.avatarBlob ?? ""
            isSelf: model.isSelf
            myRole: controller.myRole
            actionsEnabled: !controller.busy
            onMessageRequested: { panel.directChatRequested(userId); panel.close() }
            onPromoteRequested: controller.promote(userId)
            onDemoteRequested: controller.demote(userId)
            onRemoveRequested: removeDialog.ask(userId, displayName)
        }

        footer: ColumnLayout {
            width: ListView.view.width
            spacing: 0
            MenuSeparator { Layout.fillWidth: true }
            ItemDelegate {
                objectName: "leaveButton"
                visible: controller.canLeave
                enabled: !controller.busy
                Layout.fillWidth: true
                Layout.bottomMargin: 8
                leftPadding: 16
                text: qsTr("Leave group")
                Material.foreground: "#e53935"
                onClicked: leaveDialog.open()
                Accessible.name: qsTr("Leave group")
            }
        }
        // qmllint enable unqualified
    }

    FileDialog {
        id: groupPhotoDialog
        objectName: "groupPhotoDialog"
        title: qsTr("Choose a group photo")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Images (*.jpg *.jpeg *.png *.gif *.webp)")]
        onAccepted: controller.changePhoto(groupPhotoDialog.selectedFile)
    }

    Dialog {
        id: leaveDialog
        objectName: "leaveDialog"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: 400 // not bound to the overlay's size: that makes a binding loop in 6.4
        modal: true
        // Names stay out of titles: a title is not plain text.
        title: qsTr("Leave group?")

        Label {
            width: leaveDialog.availableWidth
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            text: qsTr("You will leave “%1” and no longer get its messages.").arg(controller.name) + "\n\n"
                  + (controller.myRole !== "owner" ? qsTr("An owner or admin can add you again.")
                     : controller.heirName.length > 0
                       ? qsTr("You are the owner: %1 becomes the owner when you leave.").arg(controller.heirName)
                       : qsTr("You are the last member: the group is left empty."))
        }

        // The roles are QPlatformDialogHelper's, which Dialog has as its own enums too; qmllint
        // (Qt 6.4) finds them on Dialog only.
        footer: DialogButtonBox {
            Button {
                text: qsTr("Cancel")
                flat: true
                DialogButtonBox.buttonRole: Dialog.RejectRole
            }
            Button {
                objectName: "confirmLeave"
                text: qsTr("Leave")
                flat: true
                Material.foreground: "#e53935"
                DialogButtonBox.buttonRole: Dialog.AcceptRole
            }
        }
        onAccepted: controller.leave()
    }

    Dialog {
        id: removeDialog
        objectName: "removeDialog"

        property var userId: 0
        property string name

        function ask(id, displayName) {
            userId = id
            name = displayName
            open()
        }

        parent: Overlay.overlay
        anchors.centerIn: parent
        width: 400 // not bound to the overlay's size: that makes a binding loop in 6.4
        modal: true
        title: qsTr("Remove member?")

        Label {
            width: removeDialog.availableWidth
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            text: qsTr("Remove %1 from “%2”? They will no longer get its messages.").arg(removeDialog.name).arg(controller.name)
        }

        footer: DialogButtonBox {
            Button {
                text: qsTr("Cancel")
                flat: true
                DialogButtonBox.buttonRole: Dialog.RejectRole
            }
            Button {
                objectName: "confirmRemove"
                text: qsTr("Remove")
                flat: true
                Material.foreground: "#e53935"
                DialogButtonBox.buttonRole: Dialog.AcceptRole
            }
        }
        onAccepted: controller.removeMember(userId)
    }

    Dialog {
        id: addDialog
        objectName: "addMembersDialog"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: 440
        height: 500
        modal: true
        title: qsTr("Add members")

        onOpened: { addPicker.reset(); addPicker.input.forceActiveFocus() }

        MemberPicker {
            id: addPicker
            account: panel.account
            anchors.fill: parent
            excludedIds: controller.memberIds
        }

        footer: DialogButtonBox {
            Button {
                text: qsTr("Cancel")
                flat: true
                DialogButtonBox.buttonRole: Dialog.RejectRole
            }
            Button {
                objectName: "confirmAdd"
                text: addPicker.count > 1 ? qsTr("Add %1 people").arg(addPicker.count) : qsTr("Add") // plain text: a count
                highlighted: true
                enabled: addPicker.count > 0 && !controller.busy
                DialogButtonBox.buttonRole: Dialog.AcceptRole
            }
        }
        onAccepted: controller.addMembers(addPicker.chosenIds())
    }
}
