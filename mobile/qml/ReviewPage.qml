pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rekap.Tablet

// Before finalizing: every number that will be sent (for a correction, each beside the number it
// replaces), every finding, who signs and why. Finalizing asks once more.
Page {
    id: page
    required property Settings settings
    required property SyncService sync
    required property SheetEditor editor
    signal photoRequested()
    signal finalized()
    objectName: "reviewPage"

    readonly property var lines: page.editor.version >= 0 ? page.editor.reviewLines() : []
    readonly property bool ready: page.editor.canFinalize && who.text.trim().length > 0
                                  && (!page.editor.correction || reason.text.trim().length > 0)
    // What keeps "Finalize" grey, said under it: a grey button alone tells nobody what to do.
    readonly property string notReady: page.editor.blankCount > 0
        ? qsTr("%n box(es) still blank.", "", page.editor.blankCount)
        : page.editor.errorCount > 0 ? qsTr("%n problem(s) to fix first (above).", "", page.editor.errorCount)
        : who.text.trim().length === 0 ? (page.editor.reading ? qsTr("Type your name under \"Read by\".")
                                                               : qsTr("Type your name under \"Operator\"."))
        : page.editor.correction && reason.text.trim().length === 0 ? qsTr("Type why the sheet is corrected.")
        : ""
    // A sheet without its plano photo can still be sent (the paper may be photographed later),
    // but only as an explicit choice: the desk cannot check its numbers without it.
    readonly property bool noPhoto: !page.editor.reading && page.editor.photoUrl.length === 0

    header: AppHeader {
        settings: page.settings; sync: page.sync; back: true
        title: (page.editor.readOnly ? qsTr("All numbers: %1") : qsTr("Review: %1")).arg(page.editor.contestName)
        onBackClicked: page.StackView.view.pop()
    }

    Flickable {
        id: flick
        objectName: "reviewFlick"
        anchors.fill: parent
        contentHeight: column.implicitHeight + 2 * Theme.margin
        clip: true
        ScrollBar.vertical: ScrollBar { width: 16; policy: ScrollBar.AlwaysOn }
        ColumnLayout {
            id: column
            x: Theme.margin; y: Theme.margin
            width: page.width - 2 * Theme.margin - 16
            spacing: 4

            Label {
                visible: page.editor.correction
                text: qsTr("Correction: each number beside the one sent before; changed lines are marked.")
                wrapMode: Text.WordWrap; Layout.fillWidth: true
                font.bold: true
            }
            Repeater {
                model: page.lines
                delegate: ReviewLine {
                    correction: page.editor.correction
                    Layout.fillWidth: true
                }
            }

            Label { text: qsTr("Checks"); font.bold: true; font.pixelSize: 22; Layout.topMargin: 20 }
            Label {
                objectName: "allChecksPass"
                visible: page.editor.problems.length === 0 && page.editor.blankCount === 0
                text: qsTr("Every box typed, every check passes.")
                color: Theme.ok
            }
            ProblemBox {
                objectName: "blanks"
                visible: page.editor.blankCount > 0
                text: qsTr("%n box(es) still blank. Go back and type them; 0 where there is none.", "", page.editor.blankCount)
                Layout.fillWidth: true
            }
            Repeater {
                model: page.editor.problems
                delegate: ProblemBox {
                    required property var modelData
                    objectName: "finding:" + modelData.rule
                    warning: modelData.severity === "warning"
                    text: (warning ? "\u26a0 " + qsTr("Warning") + " " : "") + modelData.rule + ": " + modelData.message
                    Layout.fillWidth: true
                }
            }

            ColumnLayout {
                visible: !page.editor.readOnly
                Layout.fillWidth: true
                Layout.topMargin: 20
                spacing: 8
                RowLayout {
                    spacing: 12
                    Layout.fillWidth: true
                    Image {
                        objectName: "reviewPhoto"
                        source: page.editor.photoUrl
                        visible: source != ""
                        sourceSize.width: 192
                        Layout.preferredWidth: 96; Layout.preferredHeight: 72
                        fillMode: Image.PreserveAspectCrop
                    }
                    Button {
                        visible: !page.editor.reading
                        objectName: "reviewPhotoButton"
                        text: page.editor.photoUrl ? qsTr("Retake the photo of the plano") : qsTr("Photo of the C.Hasil plano")
                        implicitHeight: Theme.touch
                        onClicked: page.photoRequested()
                    }
                }
                Label { text: page.editor.reading ? qsTr("Read by") : qsTr("Operator") }
                TextField {
                    id: who; objectName: "reviewOperator"
                    text: page.settings.operatorName
                    placeholderText: qsTr("Your name")
                    Layout.fillWidth: true; implicitHeight: Theme.touch
                }
                Label { visible: page.editor.correction; text: qsTr("Why is it corrected? (required)") }
                TextField {
                    id: reason; objectName: "reason"
                    visible: page.editor.correction
                    placeholderText: qsTr("e.g. paslon 02 misread as 105")
                    Layout.fillWidth: true; implicitHeight: Theme.touch
                }
                ProblemBox { objectName: "finalizeError"; text: page.editor.lastError; Layout.fillWidth: true }
                Button {
                    objectName: "finalizeButton"
                    text: page.editor.reading ? qsTr("Send the reading")
                          : page.editor.correction ? qsTr("Finalize the correction") : qsTr("Finalize and send")
                    highlighted: true
                    enabled: page.ready
                    Layout.fillWidth: true; implicitHeight: 64
                    onClicked: confirm.open()
                }
                Label {
                    objectName: "notReady"
                    visible: !page.ready && page.notReady.length > 0
                    text: qsTr("Not ready to send:") + " " + page.notReady
                    color: Theme.error; font.bold: true
                    wrapMode: Text.WordWrap; Layout.fillWidth: true
                }
            }
        }
    }

    Dialog {
        id: confirm
        objectName: "confirmFinalize"
        anchors.centerIn: parent
        width: Math.min(page.width - 48, 560)
        modal: true
        title: qsTr("Finalize %1?").arg(page.editor.contestName)
        contentItem: ColumnLayout {
            spacing: 12
            ProblemBox {
                objectName: "noPhotoNote"
                visible: page.noPhoto
                warning: true
                text: qsTr("No photo of the plano is attached. The desk needs it to check these numbers: send the sheet without it only if the photo cannot be taken now.")
                Layout.fillWidth: true
            }
            Label {
                text: page.editor.reading
                      ? qsTr("Your reading is locked, signed by this tablet and sent to the receiver, which compares it with the first entry.")
                      : (page.editor.correction ? qsTr("The correction is kept beside the numbers sent before, with your reason.") + " "
                                                : "")
                        + qsTr("The numbers are locked and sent to the receiver. A change after this is a correction.")
                wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
        }
        // Full-width buttons, one under the other: "send without photo" is long, and each is a
        // finger's height (no Material inset shrinking it to 44 px).
        footer: Pane {
            background: Item {} // the dialog's own white, not a grey band
            ColumnLayout {
                anchors.fill: parent
                spacing: 8
                Button {
                    objectName: "confirmPhoto"
                    visible: page.noPhoto
                    text: qsTr("Take the photo first")
                    highlighted: true
                    topInset: 0; bottomInset: 0; implicitHeight: Theme.touch
                    Layout.fillWidth: true
                    onClicked: { confirm.photoNext = true; confirm.close() }
                }
                Button {
                    objectName: "confirmYes"
                    text: page.noPhoto ? qsTr("Send without photo, photo later") : qsTr("Finalize")
                    highlighted: !page.noPhoto
                    topInset: 0; bottomInset: 0; implicitHeight: Theme.touch
                    Layout.fillWidth: true
                    onClicked: confirm.accept()
                }
                Button {
                    objectName: "confirmNo"
                    text: qsTr("Not yet")
                    flat: true
                    topInset: 0; bottomInset: 0; implicitHeight: Theme.touch
                    Layout.fillWidth: true
                    onClicked: confirm.reject()
                }
            }
        }
        // The camera opens once the dialog has gone: a page pushed under a closing dialog leaves
        // it half closed over the page on return.
        property bool photoNext: false
        onClosed: if (photoNext) { photoNext = false; page.photoRequested() }
        onAccepted: {
            page.settings.operatorName = who.text
            if (page.editor.finalize(who.text, reason.text))
                page.finalized()
        }
    }
}
