pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

import Messenger.Components

// The versions of an edited message, oldest first (MessageListModel.editHistory: the original,
// then each edit, with its time).
Dialog {
    id: dialog
    objectName: "editHistoryDialog"

    //! [{text, timestamp}]
    property var versions: []

    function show(list) {
        dialog.versions = list || []
        open()
    }

    title: qsTr("Edit history")
    parent: Overlay.overlay
    anchors.centerIn: parent
    modal: true
    width: 420
    height: Math.min(implicitHeight, parent ? parent.height - 40 : 600)
    standardButtons: Dialog.Close

    ListView {
        objectName: "editHistoryList"
        implicitHeight: Math.min(contentHeight, 400)
        anchors.fill: parent
        clip: true
        spacing: 8
        model: dialog.versions
        delegate: Column {
            id: version
            required property var modelData
            required property int index
            width: ListView.view.width
            spacing: 2
            Label {
                text: (version.index === 0 ? qsTr("Original") : qsTr("Edit %1").arg(version.index))
                      + (version.modelData.timestamp ? " · " + Formats.time(version.modelData.timestamp) : "")
                textFormat: Text.PlainText
                font.pixelSize: 11
                color: Material.hintTextColor
            }
            Label {
                width: parent.width
                text: version.modelData.text || ""
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
            }
        }
    }
}
