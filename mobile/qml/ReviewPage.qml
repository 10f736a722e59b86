pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Rekap.Tablet

// Before finalizing: the totals at a glance, every finding, who signs, and why for a correction.
Page {
    id: page
    required property AppController app
    required property StackView stack
    required property SheetEditor editor
    objectName: "reviewPage"

    header: AppHeader { app: page.app; back: true; title: qsTr("Review: %1").arg(page.editor.contestName); onBackClicked: page.stack.pop() }

    Flickable {
        anchors.fill: parent
        contentHeight: col.implicitHeight + 40
        clip: true
        ColumnLayout {
            id: col
            x: 20; y: 20; width: page.width - 40
            spacing: 12
            GridLayout {
                columns: 2; columnSpacing: 40
                Label { text: qsTr("Voters (I.B4)") } Label { text: page.editor.value("voters.total.total"); font.bold: true }
                Label { text: qsTr("Ballots used (II.2)") } Label { text: page.editor.value("ballots.used"); font.bold: true }
                Label { text: qsTr("Valid votes (V.A)") } Label { text: page.editor.value("summary.valid"); font.bold: true }
                Label { text: qsTr("Invalid votes (V.B)") } Label { text: page.editor.value("summary.invalid"); font.bold: true }
                Label { text: qsTr("Votes cast (V.C)") } Label { text: page.editor.value("summary.total"); font.bold: true }
            }
            Label { text: qsTr("Checks"); font.bold: true; font.pixelSize: 22 }
            Label { visible: page.editor.findings.length === 0; text: qsTr("All checks pass."); color: Theme.ok }
            Repeater {
                model: page.editor.findings
                delegate: Label {
                    required property var modelData
                    objectName: "finding:" + modelData.rule
                    text: modelData.rule + ": " + modelData.message
                    color: modelData.severity === "warning" ? Theme.warning : Theme.error
                    wrapMode: Text.WordWrap; Layout.fillWidth: true
                }
            }
            Label { text: qsTr("Operator") }
            TextField { id: who; objectName: "reviewOperator"; text: page.app.operatorName; Layout.fillWidth: true; implicitHeight: Theme.touch }
            Label { visible: page.editor.correction; text: qsTr("Why is it corrected? (required)") }
            TextField { id: reason; objectName: "reason"; visible: page.editor.correction; Layout.fillWidth: true; implicitHeight: Theme.touch }
            RowLayout {
                Button { text: qsTr("Attach photo of the C.Hasil plano"); implicitHeight: Theme.touch; onClicked: photoDialog.open() }
                Label { text: page.editor.photo ? qsTr("Photo attached") : qsTr("No photo"); color: Theme.muted }
            }
            Label { objectName: "finalizeError"; text: page.editor.lastError; color: Theme.error; wrapMode: Text.WordWrap; Layout.fillWidth: true }
            Button {
                objectName: "finalizeButton"
                text: qsTr("Finalize and queue for sending")
                highlighted: true
                enabled: page.editor.canFinalize && who.text.length > 0 && (!page.editor.correction || reason.text.length > 0)
                Layout.fillWidth: true; implicitHeight: 64
                onClicked: {
                    page.app.operatorName = who.text
                    if (page.editor.finalize(who.text, reason.text))
                        page.stack.pop(null)
                }
            }
        }
    }

    FileDialog {
        id: photoDialog
        title: qsTr("Photo of the C.Hasil plano")
        nameFilters: [qsTr("Photos (*.jpg *.jpeg *.png)")]
        onAccepted: page.editor.attachPhoto(selectedFile)
    }
}
