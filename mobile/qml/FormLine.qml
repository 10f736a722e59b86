pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// One printed line of the form (or a section's heading) with its boxes, and the rule messages
// that concern it right beneath, with the numbers and the gap.
ColumnLayout {
    id: line
    required property SheetEditor editor
    required property string kind
    required property int section
    required property string code
    required property string label
    required property string partyLabel
    required property var fields
    required property int party
    required property bool matches
    signal moveRequested(string fieldId, int step)
    signal messagesResized(Item item, real delta)
    signal fillZeroRequested(int party, string name)
    objectName: "line:" + code + (fields.length ? ":" + fields[0] : "")
    visible: matches
    spacing: 4

    readonly property bool heading: kind === "heading"
    readonly property bool lp: kind === "lp"
    readonly property bool indented: kind === "party_only" || kind === "party_candidate"
    readonly property var messages: line.editor.version >= 0 ? line.editor.messagesAt(line.fields) : []

    /// The box of `field` on this line; null if it has none.
    function box(field) {
        for (let i = 0; i < boxes.count; ++i)
            if (boxes.itemAt(i).fieldId === field)
                return boxes.itemAt(i)
        return null
    }

    // A section heading, with the column names over L/P rows.
    Label {
        visible: line.heading
        text: line.label
        font.bold: true; font.pixelSize: 22
        Layout.topMargin: 20; Layout.fillWidth: true
        wrapMode: Text.WordWrap
    }
    // Section IV of a party ballot is long: find a party or a caleg by name.
    TextField {
        objectName: visible ? "search" : ""
        visible: line.heading && line.section === 4 && line.editor.kind === "party"
        text: line.editor.form.filter
        placeholderText: qsTr("Find a party or candidate")
        Layout.fillWidth: true; implicitHeight: Theme.touch
        inputMethodHints: Qt.ImhNoPredictiveText
        onTextEdited: line.editor.form.filter = text
    }
    RowLayout {
        visible: line.heading && (line.section === 1 || line.section === 3)
        Layout.fillWidth: true
        spacing: 12
        Label {
            text: qsTr("L = male, P = female")
            color: Theme.muted; font.pixelSize: Theme.small
            Layout.fillWidth: true; wrapMode: Text.WordWrap
        }
        Repeater {
            model: [qsTr("L"), qsTr("P"), qsTr("Total")]
            Label {
                required property string modelData
                text: modelData
                color: Theme.muted; font.bold: true
                horizontalAlignment: Text.AlignRight
                Layout.preferredWidth: 96; rightPadding: 12
            }
        }
    }

    RowLayout {
        visible: !line.heading
        Layout.fillWidth: true
        Layout.topMargin: line.kind === "party_total" ? 16 : 0
        spacing: 12
        ColumnLayout {
            Layout.fillWidth: true
            Layout.leftMargin: line.indented ? 28 : 0
            spacing: 0
            Label {
                text: line.label
                font.bold: line.kind === "party_total" || line.kind === "candidate"
                wrapMode: Text.WordWrap; maximumLineCount: 2; elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                // Under a search, a caleg says whose list it is on.
                visible: line.kind === "party_candidate" && line.editor.form.filter.length > 0
                text: line.partyLabel
                color: Theme.muted; font.pixelSize: Theme.small
            }
        }
        Button {
            objectName: "fillZero:" + line.party
            // Not in a reading: a reader types every box from the photo, zeros included.
            visible: line.kind === "party_total" && !line.editor.readOnly && !line.editor.reading
            text: qsTr("Blank \u2192 0")
            flat: true
            implicitHeight: Theme.touch
            font.pixelSize: Theme.small
            onClicked: line.fillZeroRequested(line.party, line.label)
        }
        Repeater {
            id: boxes
            model: line.heading ? [] : line.fields
            CountBox {
                required property string modelData
                editor: line.editor
                fieldId: modelData
                onMoveRequested: (id, step) => line.moveRequested(id, step)
            }
        }
    }

    ColumnLayout {
        id: messageColumn
        Layout.fillWidth: true
        spacing: 4
        property real shown: 0
        onImplicitHeightChanged: {
            line.messagesResized(messageColumn, implicitHeight - shown)
            shown = implicitHeight
        }
        Repeater {
            model: line.messages
            Label {
                id: message
                required property var modelData
                objectName: "message:" + modelData.rule
                text: (modelData.severity === "warning" ? "\u26a0 " + qsTr("Warning") + " " : "")
                      + modelData.rule + ": " + modelData.text
                color: Theme.text
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
                padding: 8; leftPadding: 16
                font.pixelSize: 17
                background: Rectangle {
                    radius: 4
                    color: message.modelData.severity === "warning" ? Theme.warningBackground : Theme.errorBackground
                    Rectangle {
                        width: 5; height: parent.height
                        color: message.modelData.severity === "warning" ? Theme.warningMark : Theme.error
                    }
                }
            }
        }
    }
}
