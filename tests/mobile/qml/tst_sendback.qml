import QtQuick
import QtTest
import Rekap.Tablet

// "Perlu perbaikan" (issue 28): the desk sends a sheet back with a reason; the operator's tablet
// shows it on the sheet's card and on the sheet after its next sync, with a button that opens the
// correction; the correction, with a new plano photo, answers it and the mark leaves the card.
// The camat sees the mark, and a rejected sheet's rule and message, in the kecamatan view.
// Portrait 800x1280, against the real receiver.
TabletCase {
    id: tc
    name: "SendBack"
    property var win
    property var camWin
    readonly property string key: tc.tps + "/ppwp"
    readonly property string reason: "Suara paslon 2 tidak terbaca di foto, mohon foto ulang"

    SignalSpy { id: synced; target: op.sync; signalName: "finished" }
    SignalSpy { id: refreshed; target: camatDevice.camat; signalName: "refreshed" }

    function initTestCase() {
        enrol(op, "operator", tc.tps)
        op.settings.operatorName = "Siti Aminah"
        const editor = op.sheets.open("ppwp")
        fill(editor, tc.ppwp)
        verify(editor.finalize("Siti Aminah", ""))
        tryCompare(op.sync, "queueDepth", 0, 20000)
        tryVerify(() => fixture.sheetState(tc.key) === "accepted", 20000)
        win = openApp(op, 800, 1280)
    }
    function cleanupTestCase() {
        win.destroy()
        if (camWin)
            camWin.destroy()
    }
    function syncOperator() {
        synced.clear()
        op.sync.syncNow()
        synced.wait(20000)
    }

    function test_1_the_card_and_the_sheet_show_the_mark_with_its_reason() {
        fixture.sendBack(tc.key, tc.reason)
        compare(op.sheets.sendBack("ppwp"), "", "nothing before the tablet syncs")
        syncOperator()
        tryCompare(op.sheets, "count", 5)
        tryVerify(() => op.sheets.sendBack("ppwp") === tc.reason, 5000)
        const page = win.home()
        waitForRendering(page)
        const mark = findChild(page, "sendBack:ppwp")
        verify(mark && mark.visible, "the ppwp card shows the mark")
        compare(findChild(page, "sendBackReason:ppwp").text, "Desk (Koordinator Rina): " + tc.reason)
        verify(!findChild(page, "sendBack:pdpr").visible, "the other cards do not")
        verify(findChild(page, "fix:ppwp").visible)
        checkFits(win, "overview with a sheet sent back")
        grabImage(win.contentItem).save(fixture.screenshot("sendback-card-800x1280.png"))
        // The sheet says it too, above everything, in the same words.
        const sheet = win.showSheet("ppwp")
        waitForRendering(sheet)
        const note = findChild(sheet, "sendBackNote")
        verify(note.visible)
        compare(note.text, "Perlu perbaikan. Desk (Koordinator Rina) mengembalikan lembar ini: " + tc.reason)
        win.back()
    }

    function test_2_the_button_opens_the_correction_which_carries_a_new_photo_and_answers_the_mark() {
        let page = win.home()
        waitForRendering(page)
        tap(findChild(page, "fix:ppwp"))
        const sheet = win.current()
        compare(sheet.objectName, "sheetPage")
        verify(sheet.editor.correction, "the correction is open, not the read-only sheet")
        verify(findChild(sheet, "sendBackNote").visible, "the reason stays in view while correcting")
        // A new photo of the plano, and the numbers corrected.
        verify(sheet.editor.attachPhoto(fixture.pictureFolder(1) + "/plano-1.jpg"), sheet.editor.lastError)
        verify(sheet.editor.setText("votes.candidates.1", "118"))
        verify(sheet.editor.setText("votes.candidates.2", "106"))
        verify(sheet.editor.canFinalize, JSON.stringify(sheet.editor.problems))
        const photo = op.lastPhoto()
        verify(sheet.editor.finalize("Siti Aminah", "perbaikan: foto ulang"), sheet.editor.lastError)
        compare(op.sheets.sendBack("ppwp"), tc.reason, "queued is not yet at the receiver")
        tryCompare(op.sync, "queueDepth", 0, 20000)
        tryVerify(() => fixture.sendBackState(tc.key) === "answered", 20000)
        tryVerify(() => op.sheets.sendBack("ppwp") === "", 20000)
        page = win.home()
        waitForRendering(page)
        verify(!findChild(page, "sendBack:ppwp").visible, "gone from the card")
        compare(fixture.votes(tc.key, 1), 118)
        // The receiver counts the correction and stands on its new photo.
        tryVerify(() => fixture.currentPhoto(tc.key) === op.lastPhoto(), 20000)
        verify(photo !== "" || op.lastPhoto() !== "")
    }

    function test_3_the_camat_sees_the_mark_and_a_rejected_sheets_rule() {
        fixture.sendBack(tc.key, "DPT tidak cocok dengan salinan")
        compare(fixture.sendRejected(op, "ppwp", "6306012001002"), "rejected")
        refreshed.clear()
        enrol(camatDevice, "camat", "630601")
        refreshed.wait(20000)
        camWin = openApp(camatDevice, 800, 1280)
        let page = camWin.home()
        waitForRendering(page)
        settled(camWin)
        const row = findChild(page, "sendBack:" + tc.tps)
        verify(row && row.visible, "the TPS's row says a sheet is sent back")
        compare(row.text, "\u26a0 Perlu perbaikan: DPT tidak cocok dengan salinan")
        checkFits(camWin, "camat list with a sheet sent back")
        grabImage(camWin.contentItem).save(fixture.screenshot("sendback-camat-list-800x1280.png"))
        page = camWin.showTps(tc.tps)
        waitForRendering(page)
        const sheet = findChild(page, "sendBack:ppwp")
        verify(sheet.visible)
        compare(sheet.text, "\u26a0 Perlu perbaikan (desk, Koordinator Rina): DPT tidak cocok dengan salinan")
        checkFits(camWin, "camat TPS with a sheet sent back")
        camWin.back()
        // A rejected sheet: its rule and the rule's message, not only "ditolak".
        page = camWin.showTps("6306012001002")
        waitForRendering(page)
        const rejection = findChild(page, "rejection:ppwp")
        verify(rejection.visible)
        verify(rejection.text.indexOf("R") === 0 && rejection.text.indexOf(": ") > 0, rejection.text)
        checkFits(camWin, "camat TPS with a rejected sheet")
        grabImage(camWin.contentItem).save(fixture.screenshot("sendback-camat-rejected-800x1280.png"))
        camWin.back()
    }
}
