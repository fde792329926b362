import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts

// One section of the settings: a title, a line saying what it is for, then its content, scrolling
// when the window is short.
ScrollView {
    id: page

    property string title
    property string description
    default property alias content: column.data

    contentWidth: availableWidth
    padding: 24
    clip: true

    // Assigned by name: children declared here would otherwise go to the alias above.
    contentData: ColumnLayout {
        width: page.availableWidth
        spacing: 16

        ColumnLayout {
            spacing: 4
            Layout.fillWidth: true
            Label {
                textFormat: Text.PlainText
                text: page.title
                font.pixelSize: 22
                font.bold: true
                Layout.fillWidth: true
            }
            Label {
                visible: page.description.length > 0
                textFormat: Text.PlainText
                text: page.description
                wrapMode: Text.Wrap
                color: Material.hintTextColor
                Layout.fillWidth: true
            }
        }

        ColumnLayout {
            id: column
            spacing: 12
            Layout.fillWidth: true
        }
    }
}
