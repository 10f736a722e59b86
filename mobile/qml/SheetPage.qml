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
    // Numbers are typed from the photo: with one, it stays in view whatever box is typed,
    // beside the form in landscape, a strip above it in portrait; + and - zoom, a finger drags.
    readonly property bool photoPinned: page.editor.photoUrl.length > 0
    readonly property bool landscape: page.width > page.height
    property real zoom: 1

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

    Rectangle {
        id: photoPane
        objectName: "photoPane"
        visible: page.photoPinned
        anchors.left: parent.left; anchors.top: parent.top
        width: page.landscape ? Math.round(parent.width * 0.45) : parent.width
        height: page.landscape ? parent.height : Math.round(parent.height * 0.32)
        color: Theme.computed
        Flickable {
            id: photoFlick
            objectName: "photoFlick"
            anchors.fill: parent; anchors.margins: 2
            clip: true
            contentWidth: width * page.zoom
            contentHeight: height * page.zoom
            Image {
                objectName: "photoView"
                width: photoFlick.contentWidth; height: photoFlick.contentHeight
                source: page.photoPinned ? page.editor.photoUrl : ""
                fillMode: Image.PreserveAspectFit
                sourceSize.width: 2048
                asynchronous: true
            }
        }
        Row {
            anchors.right: parent.right; anchors.bottom: parent.bottom; anchors.margins: 8
            spacing: 8
            Button {
                objectName: "photoZoomOut"
                text: "\u2212"
                implicitWidth: Theme.touch; implicitHeight: Theme.touch
                enabled: page.zoom > 1
                onClicked: page.zoom = Math.max(1, page.zoom / 1.5)
            }
            Button {
                objectName: "photoZoomIn"
                text: "+"
                implicitWidth: Theme.touch; implicitHeight: Theme.touch
                enabled: page.zoom < 6
                onClicked: page.zoom = Math.min(6, page.zoom * 1.5)
            }
        }
    }

    Flickable {
        id: flick
        objectName: "sheetFlick"
        // Anchored, not placed by bindings: the form's rows are laid out once, at their width.
        anchors.fill: parent
        anchors.leftMargin: page.photoPinned && page.landscape ? photoPane.width : 0
        anchors.topMargin: page.photoPinned && !page.landscape ? photoPane.height : 0
        contentHeight: form.implicitHeight + 2 * Theme.margin
        clip: true
        ScrollBar.vertical: ScrollBar { width: 16; policy: ScrollBar.AlwaysOn }

        ColumnLayout {
            id: form
            x: Theme.margin; y: Theme.margin
            width: (page.photoPinned && page.landscape ? page.width - photoPane.width : page.width) - 2 * Theme.margin - 16
            spacing: 8

            // "Perlu perbaikan": what the desk asks, above everything, until the correction
            // reaches the receiver.
            ProblemBox {
                objectName: "sendBackNote"
                visible: page.editor.sendBackReason !== ""
                text: qsTr("Needs correction. The desk (%1) sent this sheet back: %2").arg(page.editor.sendBackBy).arg(page.editor.sendBackReason)
                Layout.fillWidth: true
            }
            ProblemBox {
                objectName: "readOnlyNote"
                visible: page.editor.readOnly
                warning: true
                text: qsTr("This sheet is finalized: these are the numbers sent. To change a number, make a correction.")
                Layout.fillWidth: true
            }
            ProblemBox {
                objectName: "correctionNote"
                visible: page.editor.correction
                warning: true
                text: qsTr("Correction of the sheet sent: change the numbers that were wrong. The review shows each beside the number sent before.")
                Layout.fillWidth: true
            }
            Button {
                objectName: "startCorrection"
                visible: page.editor.readOnly
                text: qsTr("Make a correction")
                highlighted: true
                topInset: 0; bottomInset: 0; implicitHeight: Theme.touch
                onClicked: page.editor.startCorrection()
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Rectangle {
                    // Only the place of a photo not taken yet: a photo is pinned beside the form.
                    visible: !page.photoPinned
                    implicitWidth: 96; implicitHeight: 72
                    color: Theme.computed; radius: 4
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
                // Sent without its photo: the photo follows, attached to the sent sheet without
                // touching its numbers.
                Button {
                    objectName: "attachLaterButton"
                    visible: page.editor.photoLater
                    text: qsTr("Attach the plano photo (sent later)")
                    highlighted: true
                    implicitHeight: Theme.touch
                    onClicked: page.photoRequested()
                }
                Label {
                    objectName: "laterPhotoText"
                    visible: text !== ""
                    text: page.editor.laterPhotoText
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    font.pixelSize: 16
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
                    onFillZeroRequested: (party, name) => fillZero.ask(party, name)
                }
            }
        }
    }

    // "Blank -> 0" fills many boxes in one tap: it asks first, saying how many and whose.
    Dialog {
        id: fillZero
        objectName: "fillZeroDialog"
        property int party: 0
        property string name
        property int blanks: 0
        function ask(p, n) {
            party = p; name = n; blanks = page.editor.blanksOf(p)
            open()
        }
        anchors.centerIn: parent
        width: Math.min(page.width - 48, 560)
        modal: true
        title: qsTr("Type 0 in the blank boxes?")
        contentItem: Label {
            objectName: "fillZeroText"
            text: qsTr("%n blank box(es) of %1 get 0. Only where the plano shows no vote: a box with votes must be typed.", "", fillZero.blanks).arg(fillZero.name)
            wrapMode: Text.WordWrap
        }
        footer: Pane {
            background: Item {} // the dialog's own white, not a grey band
            ColumnLayout {
                anchors.fill: parent
                spacing: 8
                Button {
                    objectName: "fillZeroYes"
                    text: qsTr("Type 0 in %n box(es)", "", fillZero.blanks)
                    highlighted: true
                    enabled: fillZero.blanks > 0
                    topInset: 0; bottomInset: 0; implicitHeight: Theme.touch
                    Layout.fillWidth: true
                    onClicked: { page.editor.fillBlanks(fillZero.party); fillZero.close() }
                }
                Button {
                    objectName: "fillZeroNo"
                    text: qsTr("Cancel")
                    flat: true
                    topInset: 0; bottomInset: 0; implicitHeight: Theme.touch
                    Layout.fillWidth: true
                    onClicked: fillZero.close()
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
