pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Material

// The members a "@…" being typed can name: display name and username, the first one current.
// The composer keeps the keyboard: it moves the current row (Up/Down) and accepts it (Enter/Tab).
Popup {
    id: root

    //! [{userId, name, username}]
    property var candidates: []
    property int currentIndex: 0

    //! The user chose this member (a click; the keyboard goes through accept()).
    signal chosen(var userId, string name)

    function move(step) {
        if (candidates.length > 0)
            currentIndex = (currentIndex + step + candidates.length) % candidates.length
    }
    function accept() {
        if (currentIndex >= 0 && currentIndex < candidates.length) {
            const candidate = candidates[currentIndex]
            root.chosen(candidate.userId, candidate.name)
        }
    }

    // One member (a component of its own: ids inside contentItem would make that deferred
    // assignment immediate).
    component MentionRow: ItemDelegate {
        id: row
        required property var modelData
        required property int index
        objectName: "mention_" + row.modelData.username
        height: 44
        contentItem: Column {
            Label {
                text: row.modelData.name
                textFormat: Text.PlainText
                font.bold: true
                elide: Text.ElideRight
                width: parent.width
            }
            Label {
                text: "@" + row.modelData.username
                textFormat: Text.PlainText
                font.pixelSize: 11
                color: row.Material.hintTextColor
                elide: Text.ElideRight
                width: parent.width
            }
        }
    }

    onCandidatesChanged: currentIndex = 0
    padding: 4
    modal: false
    focus: false
    closePolicy: Popup.CloseOnPressOutsideParent

    contentItem: ListView {
        objectName: "mentionList"
        implicitWidth: 280
        implicitHeight: Math.min(contentHeight, 5 * 44)
        clip: true
        model: root.candidates
        currentIndex: root.currentIndex
        delegate: MentionRow {
            width: ListView.view.width
            highlighted: index === root.currentIndex
            onClicked: { root.currentIndex = index; root.accept() }
        }
    }
}
