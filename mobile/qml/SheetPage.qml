pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// The sheet: the paper form's sections I-V, every box blank until typed, checked as the
// operator types. Enter or Next goes to the next box to type; the summary at the bottom jumps
// to each blank box and each problem. A finalized sheet is shown read-only.
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property SheetEditor editor
    signal reviewRequested()
    signal photoRequested()
    objectName: "sheetPage"

    property int problemIndex: 0

    /// The box of a field, found through the form's rows.
    function box(fieldId) {
        const line = lines.itemAt(editor.form.rowOf(fieldId))
        return line ? line.box(fieldId) : null
    }

    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: page.editor.contestName + (page.editor.reading ? " \u00b7 " + qsTr("second reading")
                                          : page.editor.correction ? " \u00b7 " + qsTr("correction")
                                          : page.editor.readOnly ? " \u00b7 " + qsTr("finalized") : "")
        onBackClicked: page.StackView.view.pop()
    }

    /// Scrolls to a box (clearing a search that hides it) and, when it can be typed, enters it.
    function show(fieldId) {
        if (!fieldId) return
        const b = box(fieldId)
        if (!b) return
        if (!b.visible && editor.form.filter.length > 0) {
            editor.form.filter = "" // the search hid it
            form.forceLayout()
        }
        const y = b.mapToItem(form, 0, 0).y
        flick.contentY = Math.max(0, Math.min(y - flick.height / 3, flick.contentHeight - flick.height))
        if (b.editable) b.enter()
    }
    function move(fieldId, step) {
        let next = editor.next(fieldId, step)
        while (next && box(next) && !box(next).visible)
            next = editor.next(next, step)
        if (next) show(next)
        else if (step > 0) page.reviewRequested()
    }
    function showNextProblem() {
        const problems = editor.problems
        if (problems.length === 0) return
        problemIndex = problemIndex % problems.length
        show(problems[problemIndex].field)
        problemIndex += 1
    }
    // A message that appears or goes above the box being typed would push that box up or down
    // the screen; the page scrolls by the same amount so nothing under the finger moves.
    function keepFocusStill(item, delta) {
        const focus = page.Window.activeFocusItem
        if (!focus || delta === 0) return
        let inForm = false
        for (let p = focus; p; p = p.parent) if (p === form) { inForm = true; break }
        if (!inForm) return
        if (item.mapToItem(form, 0, 0).y < focus.mapToItem(form, 0, 0).y)
            flick.contentY += delta
    }

    Flickable {
        id: flick
        objectName: "sheetFlick"
        anchors.fill: parent
        contentHeight: form.implicitHeight + 2 * Theme.margin
        clip: true
        ScrollBar.vertical: ScrollBar { width: 16; policy: ScrollBar.AlwaysOn }

        ColumnLayout {
            id: form
            x: Theme.margin; y: Theme.margin
            width: page.width - 2 * Theme.margin - 16
            spacing: 8

            ProblemBox {
                objectName: "readOnlyNote"
                visible: page.editor.readOnly
                warning: true
                text: qsTr("This sheet is finalized: these are the numbers sent. To change a number, make a correction.")
                Layout.fillWidth: true
            }
            Button {
                objectName: "startCorrection"
                visible: page.editor.readOnly
                text: qsTr("Make a correction")
                highlighted: true
                implicitHeight: Theme.touch
                onClicked: page.editor.startCorrection()
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Rectangle {
                    // A reading is typed from the photo: shown large (tap it for the whole page).
                    implicitWidth: page.editor.reading ? Math.min(form.width, 720) : 96
                    implicitHeight: page.editor.reading ? implicitWidth * 2 / 3 : 72
                    color: Theme.computed; radius: 4
                    Image {
                        objectName: "photoThumb"
                        anchors.fill: parent; anchors.margins: 2
                        source: page.editor.photoUrl
                        fillMode: page.editor.reading ? Image.PreserveAspectFit : Image.PreserveAspectCrop
                        sourceSize.width: page.editor.reading ? 1440 : 192
                        asynchronous: true
                    }
                    Label {
                        anchors.fill: parent; anchors.margins: 4
                        visible: !page.editor.photoUrl
                        text: qsTr("no photo")
                        font.pixelSize: 14; color: Theme.muted
                        wrapMode: Text.WordWrap
                        horizontalAlignment: Text.AlignHCenter; verticalAlignment: Text.AlignVCenter
                    }
                }
                Button {
                    objectName: "photoButton"
                    visible: !page.editor.readOnly && !page.editor.reading
                    text: page.editor.photoUrl ? qsTr("Retake the photo of the plano") : qsTr("Photo of the C.Hasil plano")
                    implicitHeight: Theme.touch
                    onClicked: page.photoRequested()
                }
                Item { Layout.fillWidth: true }
            }
            Repeater {
                id: lines
                model: page.editor.form
                delegate: FormLine {
                    editor: page.editor
                    Layout.fillWidth: true
                    onMoveRequested: (id, step) => page.move(id, step)
                    onMessagesResized: (item, delta) => page.keepFocusStill(item, delta)
                }
            }
        }
    }

    footer: Pane {
        padding: 8
        background: Rectangle { color: Theme.surface; Rectangle { width: parent.width; height: 1; color: Theme.line } }
        GridLayout {
            anchors.fill: parent
            columns: page.width > 900 ? 4 : 2
            columnSpacing: 8; rowSpacing: 4
            Button {
                objectName: "blankSummary"
                visible: page.editor.blankCount > 0 && !page.editor.readOnly
                text: qsTr("%n box(es) blank", "", page.editor.blankCount) + " \u203a"
                flat: true
                implicitHeight: Theme.touch
                onClicked: page.show(page.editor.firstBlank())
            }
            Button {
                objectName: "problemSummary"
                visible: page.editor.problems.length > 0
                text: (page.editor.errorCount > 0 ? qsTr("%n problem(s)", "", page.editor.errorCount)
                                                  : qsTr("%n warning(s)", "", page.editor.warningCount)) + " \u203a"
                flat: true
                implicitHeight: Theme.touch
                palette.buttonText: page.editor.errorCount > 0 ? Theme.error : Theme.warning
                onClicked: page.showNextProblem()
            }
            Label {
                objectName: "allGood"
                visible: !page.editor.readOnly && page.editor.blankCount === 0 && page.editor.problems.length === 0
                text: qsTr("Every box typed, every check passes")
                color: Theme.ok; font.bold: true
                verticalAlignment: Text.AlignVCenter
                Layout.preferredHeight: Theme.touch
                Layout.columnSpan: 2
            }
            Item { visible: page.editor.readOnly; Layout.columnSpan: 2; implicitHeight: Theme.touch }
            Button {
                objectName: "reviewButton"
                text: page.editor.readOnly ? qsTr("All numbers") : qsTr("Review and finalize")
                highlighted: true
                implicitHeight: Theme.touch
                Layout.columnSpan: 2
                Layout.fillWidth: true
                onClicked: page.reviewRequested()
            }
        }
    }
}
