import QtQuick
import QtQuick.Controls

// The rule message beside the fields it names.
Label {
    id: msg
    required property var editor
    required property string fieldId
    objectName: "message:" + fieldId
    text: { if (!editor) return ""; editor.findings; return editor.message(fieldId) }
    visible: text.length > 0
    color: editor && editor.severity(fieldId) === "warning" ? Theme.warning : Theme.error
    wrapMode: Text.WordWrap
    font.pixelSize: 17
    width: parent ? parent.width : implicitWidth
}
