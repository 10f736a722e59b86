import QtQuick
import QtQuick.Controls
import Rekap.Tablet

// One box of the form: blank until typed, digits only (0-999). A box the form computes is grey,
// bold and never takes focus, so typing goes on to the next box to type.
FocusScope {
    id: box
    required property SheetEditor editor
    required property string fieldId
    signal moveRequested(string fieldId, int step)
    readonly property bool computed: editor.isComputed(fieldId)
    readonly property bool editable: !computed && !editor.readOnly
    // "version >= 0 ?" makes these depend on every change of the sheet: a bare read of the
    // version would be compiled away.
    readonly property string problem: editor.version >= 0 ? editor.problemAt(fieldId) : ""
    readonly property string text: input.text
    objectName: "count:" + fieldId
    implicitWidth: 96
    implicitHeight: Theme.touch
    activeFocusOnTab: editable

    function enter() { input.forceActiveFocus() }

    Rectangle {
        anchors.fill: parent
        radius: 6
        color: box.problem === "error" ? Theme.errorBackground
             : box.problem === "warning" ? Theme.warningBackground
             : box.editable ? "white" : Theme.computed
        border.width: input.activeFocus || box.problem ? 3 : 1
        border.color: box.problem === "error" ? Theme.error
                    : box.problem === "warning" ? Theme.warningMark
                    : input.activeFocus ? Theme.accent : Theme.line
    }
    TextInput {
        id: input
        objectName: "input"
        anchors.fill: parent
        anchors.leftMargin: 8; anchors.rightMargin: 12
        horizontalAlignment: Text.AlignRight
        verticalAlignment: Text.AlignVCenter
        font.pixelSize: 24
        font.bold: box.computed
        color: Theme.text
        focus: true
        readOnly: !box.editable
        activeFocusOnPress: box.editable
        selectByMouse: false
        validator: RegularExpressionValidator { regularExpression: /[0-9]{0,3}/ }
        inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText
        text: box.editor.version >= 0 ? box.editor.text(box.fieldId) : ""
        onTextEdited: box.editor.setText(box.fieldId, text)
        onActiveFocusChanged: if (activeFocus) selectAll()
        Keys.onReturnPressed: box.moveRequested(box.fieldId, 1)
        Keys.onEnterPressed: box.moveRequested(box.fieldId, 1)
        Keys.onTabPressed: box.moveRequested(box.fieldId, 1)
        Keys.onBacktabPressed: box.moveRequested(box.fieldId, -1)
        EnterKey.type: Qt.EnterKeyNext
    }
}
