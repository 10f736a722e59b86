pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// The sheet editor: the paper form's sections I-V, checked as the operator types.
Page {
    id: page
    required property AppController app
    required property StackView stack
    required property SheetEditor editor
    objectName: "sheetPage"

    header: AppHeader {
        app: page.app
        back: true
        title: page.editor.contestName + (page.editor.correction ? " · " + qsTr("correction") : "")
        onBackClicked: page.stack.pop()
    }

    footer: ToolBar {
        implicitHeight: 72
        RowLayout {
            anchors.fill: parent; anchors.margins: 8
            Label {
                objectName: "findingSummary"
                Layout.fillWidth: true
                color: page.editor.errorCount > 0 ? Theme.error : Theme.ok
                font.bold: true
                text: page.editor.errorCount > 0
                      ? qsTr("%n problem(s) to fix", "", page.editor.errorCount)
                      : qsTr("All checks pass") + (page.editor.warningCount > 0 ? " · " + qsTr("%n warning(s)", "", page.editor.warningCount) : "")
            }
            Button {
                objectName: "reviewButton"
                text: qsTr("Review")
                highlighted: true
                implicitHeight: Theme.touch
                onClicked: page.stack.push(review)
            }
        }
    }

    Flickable {
        anchors.fill: parent
        contentHeight: form.implicitHeight + 40
        clip: true
        ScrollBar.vertical: ScrollBar { width: 16 }

        ColumnLayout {
            id: form
            x: 20; y: 20
            width: page.width - 40
            spacing: 10

            Label { text: qsTr("I. Voters"); font.bold: true; font.pixelSize: 22 }
            RowLayout {
                Item { Layout.fillWidth: true }
                Repeater { model: [qsTr("Male (L)"), qsTr("Female (P)"), qsTr("Total")]
                    Label { required property string modelData; text: modelData; Layout.preferredWidth: 110; horizontalAlignment: Text.AlignRight; color: Theme.muted } }
            }
            LpRow { editor: page.editor; prefix: "voters.dpt"; label: qsTr("A. Voters on the DPT"); Layout.fillWidth: true }
            LpRow { editor: page.editor; prefix: "voters.from_dpt"; label: qsTr("B1. Voted, from the DPT"); Layout.fillWidth: true }
            LpRow { editor: page.editor; prefix: "voters.from_dptb"; label: qsTr("B2. Voted, from the DPTb"); Layout.fillWidth: true }
            LpRow { editor: page.editor; prefix: "voters.from_dpk"; label: qsTr("B3. Voted, from the DPK"); Layout.fillWidth: true }
            LpRow { editor: page.editor; prefix: "voters.total"; label: qsTr("B4. All who voted (B1+B2+B3)"); Layout.fillWidth: true }
            FieldMessage { editor: page.editor; fieldId: "voters.total.total"; Layout.fillWidth: true }
            FieldMessage { editor: page.editor; fieldId: "voters.dpt.total"; Layout.fillWidth: true }

            Label { text: qsTr("II. Ballot papers"); font.bold: true; font.pixelSize: 22; Layout.topMargin: 16 }
            Repeater {
                model: [["ballots.received", qsTr("1. Received (including the 2% reserve)")],
                        ["ballots.used", qsTr("2. Used")],
                        ["ballots.damaged", qsTr("3. Returned damaged or mis-marked")],
                        ["ballots.unused", qsTr("4. Unused")]]
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    Label { text: modelData[1]; Layout.fillWidth: true }
                    CountField { editor: page.editor; fieldId: modelData[0] }
                }
            }
            FieldMessage { editor: page.editor; fieldId: "ballots.used"; Layout.fillWidth: true }
            FieldMessage { editor: page.editor; fieldId: "ballots.received"; Layout.fillWidth: true }

            Label { text: qsTr("III. Voters with disabilities who voted"); font.bold: true; font.pixelSize: 22; Layout.topMargin: 16 }
            LpRow { editor: page.editor; prefix: "disabled_voters"; label: ""; Layout.fillWidth: true }

            Label { text: qsTr("IV. Valid votes"); font.bold: true; font.pixelSize: 22; Layout.topMargin: 16 }
            TextField {
                objectName: "search"
                visible: page.editor.kind === "party"
                placeholderText: qsTr("Search party or candidate")
                Layout.fillWidth: true; implicitHeight: Theme.touch
                onTextChanged: page.editor.rows.filter = text
            }
            Repeater {
                model: page.editor.rows
                delegate: RowLayout {
                    id: line
                    required property string field
                    required property string label
                    required property string kind
                    Layout.fillWidth: true
                    Label {
                        text: line.kind === "party" ? line.label + " - " + qsTr("party total")
                            : line.kind === "party_only" ? "    " + qsTr("votes for the party only")
                            : line.kind === "caleg" ? "    " + line.label.split(" · ")[1] : line.label
                        font.bold: line.kind === "party" || line.kind === "candidate"
                        Layout.fillWidth: true; elide: Text.ElideRight
                    }
                    CountField { editor: page.editor; fieldId: line.field }
                }
            }

            Label { text: qsTr("V. Votes"); font.bold: true; font.pixelSize: 22; Layout.topMargin: 16 }
            Repeater {
                model: [["summary.valid", qsTr("A. Valid votes")], ["summary.invalid", qsTr("B. Invalid votes")],
                        ["summary.total", qsTr("C. Valid and invalid (A+B)")]]
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    Label { text: modelData[1]; Layout.fillWidth: true }
                    CountField { editor: page.editor; fieldId: modelData[0] }
                }
            }
            FieldMessage { editor: page.editor; fieldId: "summary.valid"; Layout.fillWidth: true }
            FieldMessage { editor: page.editor; fieldId: "summary.total"; Layout.fillWidth: true }
        }
    }

    Component { id: review; ReviewPage { app: page.app; stack: page.stack; editor: page.editor } }
}
