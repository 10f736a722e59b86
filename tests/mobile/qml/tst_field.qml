import QtQuick
import QtTest
import Rekap.Tablet

// What the field walk of issue 27 found on the operator's tablet, in portrait (800x1280) as it
// was held: a sheet without its photo is sent only by an explicit choice and the overview says
// so; "Blank -> 0" asks first and is absent in a reading; a grey "Finalize" says what is
// missing; a correction says so in its title; buttons a finger's height; the receipt readable;
// "Online" with the time it was last known; "last contact" kept across a restart.
TabletCase {
    id: tc
    name: "Field"
    property var win

    function initTestCase() {
        enrol(op, "operator", tc.tps)
        win = openApp(op, 800, 1280)
    }
    function cleanupTestCase() { win.destroy() }

    /// Opens the review of `contest` with `values` typed and `name` as the operator.
    function review(contest, values, name) {
        const sheet = win.showSheet(contest)
        fill(sheet.editor, values)
        const page = win.showReview()
        findChild(page, "reviewOperator").text = name
        return page
    }
    function openConfirm(page) {
        const finalize = findChild(page, "finalizeButton")
        tryVerify(() => finalize.enabled)
        tap(finalize)
        const dialog = findChild(page, "confirmFinalize")
        tryVerify(() => dialog.opened)
        waitForRendering(dialog.contentItem)
        return dialog
    }

    function test_1_a_sheet_without_photo_is_sent_only_by_choice_and_marked() {
        const page = review("ppwp", tc.ppwp, "Siti")
        const dialog = openConfirm(page)
        verify(findChild(dialog, "noPhotoNote").visible, "the dialog says the photo is missing")
        const yes = findChild(dialog, "confirmYes")
        compare(yes.text, "Kirim tanpa foto, foto menyusul")
        verify(findChild(dialog, "confirmPhoto").visible, "taking the photo is offered")
        for (const name of ["confirmYes", "confirmNo", "confirmPhoto"]) {
            const b = findChild(dialog, name)
            verify(b.background.height >= 55, name + " is " + b.background.height + " px tall")
        }
        checkFits(win, "no-photo confirmation, portrait", dialog.background.parent)
        // "Take the photo first" goes to the camera, nothing is sent.
        tap(findChild(dialog, "confirmPhoto"))
        tryVerify(() => win.current().objectName === "capturePage", 5000, "the camera page opens")
        compare(op.outbox.count, 0)
        win.back()
        const again = openConfirm(win.current())
        tap(findChild(again, "confirmYes"))
        tryVerify(() => win.current().objectName === "overviewPage")
        compare(op.outbox.count, 1)
        tryVerify(() => op.sheets.noPhoto("ppwp"))
        const overview = win.current()
        const mark = findChild(overview, "noPhoto:ppwp")
        tryVerify(() => mark.visible)
        waitForRendering(overview)
        compare(mark.text, "\u26a0 Terkirim tanpa foto plano")
        verify(!findChild(overview, "noPhoto:pdpd").visible)
        checkFits(win, "overview with a sheet sent without photo, portrait")
    }

    // The photo follows: attached to the sheet already sent, signed by the tablet, the numbers
    // untouched; the overview's mark goes, the receiver holds it for the sheet's second reading.
    function test_1b_the_photo_follows_a_sheet_sent_without_one() {
        win.home()
        const sheet = win.showSheet("ppwp")
        verify(sheet.editor.readOnly)
        const attach = findChild(sheet, "attachLaterButton")
        tryVerify(() => attach.visible, 5000, "a sheet sent without its photo offers to attach one")
        verify(!findChild(sheet, "photoButton").visible)
        compare(attach.text, "Lampirkan foto plano (foto menyusul)")
        checkFits(win, "sheet sent without photo, portrait")
        tap(attach)
        const capture = win.current()
        compare(capture.objectName, "capturePage")
        verify(fixture.showPlanoToCamera(findChild(capture, "preview"), "white"))
        const shutter = findChild(capture, "shutter")
        tryVerify(() => shutter.enabled)
        tap(shutter)
        tryVerify(() => findChild(capture, "usePhoto").visible)
        tap(findChild(capture, "usePhoto"))
        tryCompare(win.current(), "objectName", "sheetPage")
        const sha = op.lastAttachedPhoto()
        compare(sha.length, 64)
        verify(!sheet.editor.photoLater, "one photo attached: no second offer")
        verify(sheet.editor.readOnly, "the sheet's numbers stay as sent")
        compare(op.outbox.count, 1, "no new revision")
        const state = findChild(win.current(), "laterPhotoText")
        tryVerify(() => state.visible && state.text.indexOf("Foto menyusul") === 0)
        op.sync.syncNow()
        tryVerify(() => fixture.currentPhoto(tc.tps + "/ppwp") === sha, 20000,
                  "the receiver holds the photo for the sent sheet")
        compare(fixture.revisionCount(), 1)
        tryVerify(() => state.text.indexOf("Foto menyusul: diterima, tanda terima ") === 0, 5000,
                  state.text)
        tryVerify(() => !op.sheets.noPhoto("ppwp"), 5000, "the overview's mark goes")
        checkFits(win, "sheet with a photo attached later, portrait")
        win.home()
    }

    function test_2_a_grey_finalize_says_why_and_with_a_photo_finalizing_asks_plainly() {
        const sheet = win.showSheet("pdpd")
        let page = win.showReview()
        let why = findChild(page, "notReady")
        verify(!findChild(page, "finalizeButton").enabled)
        verify(why.visible)
        verify(why.text.indexOf("kotak masih kosong") >= 0, why.text)
        win.back()
        // Every box typed, but no name: the name is what is missing.
        fill(sheet.editor, Object.assign({}, tc.ppwp, {
            "votes.candidates.1": 233, "votes.candidates.2": 0, "votes.candidates.3": 0 }))
        for (let f = sheet.editor.firstBlank(); f; f = sheet.editor.firstBlank())
            verify(sheet.editor.setText(f, "0"), f)
        compare(sheet.editor.errorCount, 0, JSON.stringify(sheet.editor.problems))
        verify(sheet.editor.attachPhoto(fixture.pictureFolder(1) + "/plano-1.jpg"), sheet.editor.lastError)
        page = win.showReview()
        const who = findChild(page, "reviewOperator")
        who.text = ""
        why = findChild(page, "notReady")
        verify(!findChild(page, "finalizeButton").enabled)
        tryVerify(() => why.visible)
        compare(why.text, "Belum dapat dikirim: Ketik nama Anda di bawah \"Operator\".")
        const flick = findChild(page, "reviewFlick")
        flick.contentY = flick.contentHeight - flick.height
        waitForRendering(page)
        checkFits(win, "review not ready, portrait")
        who.text = "Siti"
        tryVerify(() => !why.visible, 1000, "nothing said once ready")
        // With its photo: the plain question, no photo note.
        const dialog = openConfirm(page)
        verify(!findChild(dialog, "noPhotoNote").visible)
        verify(!findChild(dialog, "confirmPhoto").visible)
        compare(findChild(dialog, "confirmYes").text, "Finalkan")
        tap(findChild(dialog, "confirmYes"))
        tryCompare(win.current(), "objectName", "overviewPage")
        verify(!op.sheets.noPhoto("pdpd"))
        verify(!findChild(win.current(), "noPhoto:pdpd").visible)
    }

    /// The photo pane stays where it is, whole, in the window, beside or above the form, while
    /// the form scrolls to its end.
    function checkPhotoPinned(win, page, beside) {
        const pane = findChild(page, "photoPane")
        verify(pane.visible, "the photo is pinned")
        tryCompare(findChild(page, "photoView"), "status", Image.Ready, 10000)
        const flick = findChild(page, "sheetFlick")
        const at = pane.mapToItem(null, 0, 0)
        for (const y of [0, flick.contentHeight - flick.height]) {
            flick.contentY = Math.max(0, y)
            waitForRendering(page)
            const now = pane.mapToItem(null, 0, 0)
            compare(now.x, at.x); compare(now.y, at.y)
            verify(now.y >= 0 && now.y + pane.height <= win.height && now.x + pane.width <= win.width)
        }
        const f = flick.mapToItem(null, 0, 0)
        if (beside) verify(f.x >= at.x + pane.width - 1, "the form beside the photo")
        else verify(f.y >= at.y + pane.height - 1, "the form under the photo")
        verify(pane.height >= 200 && pane.width >= 300, "large enough to read: " + pane.width + "x" + pane.height)
        tap(findChild(page, "photoZoomIn"))
        tryVerify(() => findChild(page, "photoFlick").contentWidth > findChild(page, "photoFlick").width, 1000,
                  "zoomed: " + page.zoom)
        tap(findChild(page, "photoZoomOut"))
    }

    function test_2b_the_photo_stays_in_view_while_typing() {
        const page = win.showSheet("pdpd")
        checkPhotoPinned(win, page, false)
        checkFits(win, "sheet with its photo, portrait")
        const wide = openApp(op, 1280, 800)
        const beside = wide.showSheet("pdpd")
        checkPhotoPinned(wide, beside, true)
        checkFits(wide, "sheet with its photo, landscape")
        wide.destroy()
        win.home()
    }

    function test_3_blank_to_zero_asks_first() {
        const page = win.showSheet("pdpr")
        const editor = page.editor
        const button = findChild(page, "fillZero:1")
        verify(button.visible)
        const blanks = editor.blanksOf(1)
        verify(blanks > 1, blanks)
        tap(button)
        const dialog = findChild(page, "fillZeroDialog")
        tryVerify(() => dialog.opened)
        compare(editor.blanksOf(1), blanks, "nothing filled before the answer")
        verify(findChild(dialog, "fillZeroText").text.indexOf(String(blanks)) >= 0)
        waitForRendering(dialog.contentItem)
        checkFits(win, "blank to zero dialog, portrait", dialog.background.parent)
        tap(findChild(dialog, "fillZeroNo"))
        tryVerify(() => !dialog.visible)
        compare(editor.blanksOf(1), blanks, "cancel fills nothing")
        tap(button)
        tryVerify(() => dialog.opened)
        tap(findChild(dialog, "fillZeroYes"))
        tryVerify(() => !dialog.visible)
        compare(editor.blanksOf(1), 0)
        compare(editor.text("votes.parties.1.candidates.1"), "0")
        compare(editor.text("votes.parties.2.candidates.1"), "", "another party untouched")
        win.home()
    }

    function test_4_no_blank_to_zero_in_a_reading() {
        const editor = op.readingEditor(tc.tps, "pdpr")
        verify(editor && editor.reading)
        const page = win.showEditor(editor)
        waitForRendering(page)
        verify(!findChild(page, "fillZero:1").visible, "a reader types every box")
        compare(editor.fillBlanks(1), 0)
        compare(editor.text("votes.parties.1.candidates.1"), "")
        win.home()
    }

    function test_5_a_correction_says_so_in_its_title() {
        const page = win.showSheet("ppwp")
        verify(page.editor.readOnly)
        const start = findChild(page, "startCorrection")
        verify(start.background.height >= 55, "Buat koreksi is " + start.background.height + " px tall")
        tap(start)
        verify(page.editor.correction)
        const title = findChild(page, "title")
        waitForRendering(title)
        verify(title.text.indexOf("koreksi") >= 0, title.text)
        verify(!title.truncated, "the title is cut: " + title.text)
        verify(findChild(page, "correctionNote").visible)
        checkFits(win, "correction, portrait")
        win.home()
    }

    function test_6_receipt_readable_online_with_its_time_last_contact_kept() {
        op.sync.syncNow()
        tryVerify(() => op.sheets.receipt("ppwp").length > 0, 20000)
        const overview = win.home()
        const receipt = findChild(overview, "receipt:ppwp")
        tryVerify(() => receipt.visible)
        verify(receipt.font.pixelSize >= 20, "receipt at " + receipt.font.pixelSize + " px")
        verify(receipt.color === Theme.text, "receipt in the text colour, not grey")
        const connection = findChild(overview, "connection")
        const last = op.sync.lastContactTime
        verify(last.length > 0)
        const pill = visibleItems(connection, { x1: -1e6, y1: -1e6, x2: 1e6, y2: 1e6 })
            .map(r => r.item.text).filter(t => t)
        verify(pill.indexOf("\u25cf Daring " + last) >= 0, JSON.stringify(pill))
        compare(op.lastSyncTextAfterRestart(), op.sync.lastSyncText, "kept across a restart")
        verify(op.sync.lastSyncText.length > 0)
        checkFits(win, "overview with receipts, portrait")
    }
}
