import QtQuick
import QtQuick.Controls

// One box of the form: digits only, 0-999, big; read-only where the form computes the box.
TextField {
    id: field
    required property var editor
    required property string fieldId
    readonly property bool computed: editor ? editor.isComputed(fieldId) : true
    readonly property string problem: { if (!editor) return ""; editor.findings; return editor.severity(fieldId) }
    objectName: "count:" + fieldId
    implicitWidth: 110
    implicitHeight: Theme.touch
    horizontalAlignment: Text.AlignRight
    font.pixelSize: 24
    font.bold: computed
    readOnly: computed
    inputMethodHints: Qt.ImhDigitsOnly
    validator: IntValidator { bottom: 0; top: 999 }
    text: { if (!editor) return ""; editor.findings; return String(editor.value(fieldId)) }
    color: Theme.text
    background: Rectangle {
        color: field.problem === "error" || field.problem === "conflict" ? Theme.errorBackground
             : field.computed ? "#eeeeee" : "white"
        border.width: field.activeFocus ? 3 : (field.problem ? 2 : 1)
        border.color: field.problem === "error" ? Theme.error : field.problem === "warning" ? Theme.warning
                    : field.activeFocus ? Theme.accent : Theme.line
        radius: 6
    }
    onTextEdited: if (editor && acceptableInput) editor.setValue(fieldId, parseInt(text))
    onActiveFocusChanged: if (activeFocus && !computed) selectAll()
}
