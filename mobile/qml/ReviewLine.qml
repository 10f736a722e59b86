pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// One line of the review: what the row is and its numbers as they will be sent; for a
// correction, the number sent before beside each, the line marked when it changed.
Rectangle {
    id: line
    required property var modelData
    required property bool correction
    readonly property bool heading: modelData.kind === "heading"
    readonly property bool changed: correction && modelData.changed
    objectName: "review:" + modelData.code + (modelData.kind === "heading" ? "" : ":" + modelData.label)
    implicitHeight: row.implicitHeight + (heading ? 20 : 8)
    color: changed ? Theme.warningBackground : "transparent"
    radius: 4

    RowLayout {
        id: row
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: 4 }
        spacing: 12
        Label {
            text: line.modelData.label + (line.modelData.kind === "party_candidate" ? "  (" + line.modelData.partyLabel + ")" : "")
            font.bold: line.heading || line.modelData.kind === "party_total"
            font.pixelSize: line.heading ? 22 : Theme.fontSize
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            leftPadding: line.modelData.kind === "party_only" || line.modelData.kind === "party_candidate" ? 24 : 0
        }
        Repeater {
            model: line.heading ? [] : line.modelData.values.length
            Label {
                id: value
                required property int index
                readonly property string now: line.modelData.values[index]
                readonly property string before: line.modelData.befores[index]
                objectName: "value"
                text: (line.correction && before !== now ? before + " \u2192 " : "")
                      + (now.length ? now : "\u2014")
                font.bold: true
                color: now.length ? Theme.text : Theme.error
                horizontalAlignment: Text.AlignRight
                Layout.preferredWidth: line.correction ? 130 : 80
            }
        }
    }
}
