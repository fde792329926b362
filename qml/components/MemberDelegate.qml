import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

import "Formats.js" as Formats

// One member of a group in its info panel: avatar with presence, name, role, and the actions the
// user may take on them. Which actions is decided here, from the server's rules (docs/protocol.md,
// "Groups"), so it can be tested without a server:
//
//   remove   owner: anyone but themself; admin: members only
//   promote  owner, admin: a member becomes admin
//   demote   owner only: an admin becomes member
//   message  anyone but oneself (opens the direct chat)
//
// Nobody acts on themself here: leaving is the panel's own button.
ItemDelegate {
    id: root

    property var userId: 0
    property string displayName
    property string username
    //! The member's role: "owner", "admin" or "member".
    property string memberRole: "member"
    //! "online", "away" or "offline".
    property string presence: "offline"
    property var lastSeen
    property string initials
    property string avatarColor: "#607d8b"
    //! The member's picture blob when it is on this device (MemberListModel's avatarBlob).
    property string avatarBlob
    //! This row is the user themself.
    property bool isSelf: false
    //! The user's own role in the group; "" when they are no longer a member.
    property string myRole: ""
    //! False while an action is on its way: everything is shown but nothing can be started.
    property bool actionsEnabled: true

    readonly property bool mayManage: myRole === "owner" || myRole === "admin"
    readonly property bool canMessage: !isSelf
    readonly property bool canPromote: !isSelf && mayManage && memberRole === "member"
    readonly property bool canDemote: !isSelf && myRole === "owner" && memberRole === "admin"
    readonly property bool canRemove: !isSelf && (myRole === "owner" ? memberRole === "admin" || memberRole === "member"
                                                                      : myRole === "admin" && memberRole === "member")
    readonly property bool hasActions: canMessage || canPromote || canDemote || canRemove

    signal messageRequested()
    signal promoteRequested()
    signal demoteRequested()
    signal removeRequested()

    function presenceText() {
        if (presence === "online")
            return qsTr("online")
        if (presence === "away")
            return qsTr("away")
        if (lastSeen && !isNaN(lastSeen.getTime())) {
            if (Formats.sameDay(lastSeen, new Date()))
                return qsTr("last seen at %1").arg(Formats.time(lastSeen))
            return qsTr("last seen %1").arg(Formats.listTime(lastSeen))
        }
        return qsTr("offline")
    }

    function openMenu() {
        if (hasActions)
            menu.popup()
    }

    padding: 8
    leftPadding: 16
    rightPadding: 8
    hoverEnabled: true
    onClicked: openMenu()
    Accessible.name: isSelf ? qsTr("%1 (you)").arg(displayName) : displayName
    Accessible.description: memberRole === "owner" ? qsTr("Owner") : memberRole === "admin" ? qsTr("Admin") : ""

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: root.openMenu()
    }

    contentItem: RowLayout {
        spacing: 12

        Avatar {
            initials: root.initials
            color: root.avatarColor
            source: root.avatarBlob.length > 0 ? "image://avatar/" + root.avatarBlob : ""
            presence: root.presence
            Layout.preferredWidth: 40
            Layout.preferredHeight: 40
        }

        ColumnLayout {
            spacing: 0
            Layout.fillWidth: true

            RowLayout {
                spacing: 6
                Layout.fillWidth: true

                Label {
                    objectName: "nameLabel"
                    text: root.displayName
                    textFormat: Text.PlainText
                    font.bold: true
                    elide: Text.ElideRight
                    // Its own width while there is room, less (elided) when not: the spacer
                    // below takes what is left.
                    Layout.minimumWidth: 24
                }
                Label {
                    objectName: "selfTag"
                    visible: root.isSelf
                    text: qsTr("you")
                    color: Material.hintTextColor
                }
                Item { Layout.fillWidth: true }
            }
            Label {
                objectName: "presenceLabel"
                Layout.fillWidth: true
                text: root.presenceText()
                textFormat: Text.PlainText
                elide: Text.ElideRight
                font.pixelSize: 12
                color: root.presence === "online" ? Material.accentColor : Material.hintTextColor
            }
        }

        Label {
            objectName: "roleBadge"
            visible: root.memberRole === "owner" || root.memberRole === "admin"
            textFormat: Text.PlainText
            text: root.memberRole === "owner" ? qsTr("Owner") : qsTr("Admin")
            font.pixelSize: 11
            font.bold: true
            color: Material.accentColor
            leftPadding: 8
            rightPadding: 8
            topPadding: 2
            bottomPadding: 2
            background: Rectangle {
                radius: height / 2
                color: "transparent"
                border.width: 1
                border.color: Material.accentColor
            }
        }

        ToolButton {
            objectName: "memberMenuButton"
            // Keeps the column of badges aligned when a row has no actions.
            opacity: root.hasActions ? 1 : 0
            enabled: root.hasActions
            text: "\u22EE"
            font.pixelSize: 18
            onClicked: root.openMenu()
            Accessible.name: qsTr("Actions for %1").arg(root.displayName)
        }
    }

    Menu {
        id: menu
        objectName: "memberMenu"

        MenuItem {
            objectName: "messageAction"
            text: qsTr("Send message")
            visible: root.canMessage
            enabled: root.canMessage
            height: visible ? implicitHeight : 0
            onTriggered: root.messageRequested()
        }
        MenuItem {
            objectName: "promoteAction"
            text: qsTr("Make admin")
            visible: root.canPromote
            enabled: root.canPromote && root.actionsEnabled
            height: visible ? implicitHeight : 0
            onTriggered: root.promoteRequested()
        }
        MenuItem {
            objectName: "demoteAction"
            text: qsTr("Dismiss as admin")
            visible: root.canDemote
            enabled: root.canDemote && root.actionsEnabled
            height: visible ? implicitHeight : 0
            onTriggered: root.demoteRequested()
        }
        MenuItem {
            objectName: "removeAction"
            text: qsTr("Remove from group")
            visible: root.canRemove
            enabled: root.canRemove && root.actionsEnabled
            height: visible ? implicitHeight : 0
            Material.foreground: "#e53935"
            onTriggered: root.removeRequested()
        }
    }
}
