import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A row of the form with L (male), P (female) and total boxes.
RowLayout {
    id: row
    required property var editor
    required property string prefix
    required property string label
    spacing: 12
    Label { text: row.label; Layout.fillWidth: true; wrapMode: Text.WordWrap; color: Theme.text }
    CountField { editor: row.editor; fieldId: row.prefix + ".l" }
    CountField { editor: row.editor; fieldId: row.prefix + ".p" }
    CountField { editor: row.editor; fieldId: row.prefix + ".total" }
}
