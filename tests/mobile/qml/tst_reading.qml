import QtQuick
import QtTest
import Rekap.Tablet

// The camat's second reading (docs/second-reading.md): the operator sends a sheet with its
// photo; the camat's tablet claims it, shows the photo and the form with every box blank (never
// the first entry's numbers), the camat types, confirms and sends; equal numbers verify the sheet
// at the receiver ("Terverifikasi"), a different number makes a conflict ("Beda bacaan").
TabletCase {
    id: tc
    name: "Reading"
    property var win

    /// Finalizes `contest` on the operator's tablet with a photo and `values`, and waits until
    /// the numbers and the photo are at the receiver.
    /// The paper's numbers of each sheet sent (the DPT's printed ones included), by contest: what
    /// the camat reads off the photo.
    property var paper: ({})
    function sendWithPhoto(contest, values, folder) {
        const editor = op.sheets.open(contest)
        paper[contest] = editor
        verify(editor.attachPhoto(folder + "/plano-1.jpg"), editor.lastError)
        fillValid(editor, values)
        verify(editor.finalize("Siti", ""), editor.lastError)
        tryCompare(op.sync, "queueDepth", 0, 20000)
        tryVerify(() => !op.sync.syncing, 20000) // the photo goes after the numbers
    }
    /// `values` where the form has them, 0 in every other blank box, then `votes` on top.
    function fillValid(editor, values, votes, from) {
        for (const f in values)
            editor.setText(f, String(values[f]))
        for (let f = editor.firstBlank(); f; f = editor.firstBlank())
            verify(editor.setText(f, from && from.text(f) ? from.text(f) : "0"), f)
        for (const f in (votes || {}))
            verify(editor.setText(f, String(votes[f])), f)
    }
    /// The DPD sheet: all the valid votes of the PPWP numbers on the first candidate.
    readonly property var dpd: Object.assign({}, tc.ppwp, {
        "votes.candidates.1": 233, "votes.candidates.2": 0, "votes.candidates.3": 0 })

    // Each test function sends what it reads and opens its own window, so that any one of them
    // runs alone or in any order: only the two enrolments are shared.
    function initTestCase() {
        enrol(op, "operator", tc.tps)
        enrol(camatDevice, "camat", "630601")
    }
    function init() { win = openApp(camatDevice) }
    function cleanup() {
        win.destroy()
        win = null
    }
    /// Opens the reading page from the camat's home, which claims the next sheet, and waits
    /// until `sheet` is the one claimed.
    function readingPageFor(sheet) {
        const home = win.home()
        compare(home.objectName, "camatPage")
        tap(findChild(home, "readingButton"))
        const page = win.current()
        compare(page.objectName, "readingPage")
        tryCompare(camatDevice.reading, "state", ReadingState.Ready, 20000)
        compare(camatDevice.reading.claim.sheet, sheet)
        return page
    }

    /// Types the whole form on the reading's sheet page through the editor, one box by hand.
    function typeReading(sheet, values, contest) {
        const editor = sheet.editor
        verify(editor.reading)
        typeInto(sheet, "ballots.received", String(values["ballots.received"]))
        fillValid(editor, values, {}, tc.paper[contest])
        compare(editor.blankCount, 0)
        compare(editor.errorCount, 0, JSON.stringify(editor.problems))
    }
    function sendReading(sheet) {
        tap(findChild(sheet, "reviewButton"))
        const review = win.current()
        compare(review.objectName, "reviewPage")
        const who = findChild(review, "reviewOperator")
        who.text = "Pak Camat"
        tap(findChild(review, "finalizeButton"))
        const dialog = findChild(review, "confirmFinalize")
        tryVerify(() => dialog.opened)
        tap(findChild(dialog, "confirmYes"))
        tryCompare(win.current(), "objectName", "readingPage")
    }

    function test_the_camat_claims_sees_the_photo_and_blank_boxes_and_an_equal_reading_verifies() {
        sendWithPhoto("ppwp", tc.ppwp, fixture.pictureFolder(1))
        const stored = fixture.revisionCount()
        const page = readingPageFor(tc.tps + "/ppwp")
        verify(findChild(page, "place").text.indexOf("TPS") >= 0, findChild(page, "place").text)
        compare(findChild(page, "contest").text, camatDevice.reading.claim.contestName)
        const photo = findChild(page, "readingPhoto")
        tryCompare(photo, "status", Image.Ready, 10000)
        verify(photo.paintedWidth > 400, "shown large: " + photo.paintedWidth)
        const colour = fixture.colourOf(camatDevice.reading.photoUrl.replace("file://", ""))
        verify(colour.r > 0.8 && colour.g < 0.2, "the operator's photo (red): " + colour)
        tap(findChild(page, "zoomIn"))
        verify(findChild(page, "photoFlick").contentWidth > findChild(page, "photoFlick").width)
        tap(findChild(page, "zoomOut"))
        checkFits(win, "reading, landscape")
        compare(fixture.revisionCount(), stored, "claiming and looking write nothing")

        tap(findChild(page, "typeButton"))
        const sheet = win.current()
        compare(sheet.objectName, "sheetPage")
        verify(!findChild(sheet, "photoButton").visible, "a reading keeps the operator's photo")
        tryCompare(findChild(sheet, "photoView"), "status", Image.Ready)
        // The photo stays beside the form while the camat types from it (landscape).
        const pane = findChild(sheet, "photoPane")
        const flick = findChild(sheet, "sheetFlick")
        const at = pane.mapToItem(null, 0, 0)
        flick.contentY = flick.contentHeight - flick.height
        waitForRendering(sheet)
        compare(pane.mapToItem(null, 0, 0).y, at.y, "the photo does not scroll away")
        verify(flick.mapToItem(null, 0, 0).x >= at.x + pane.width - 1, "the form beside the photo")
        flick.contentY = 0
        // Every box blank: not the first entry's numbers, not even the DPT's.
        for (const f in tc.ppwp)
            compare(sheet.editor.text(f), "", f + " blank")
        verify(sheet.editor.blankCount >= 15, sheet.editor.blankCount)
        checkFits(win, "reading sheet, landscape")
        typeReading(sheet, tc.ppwp, "ppwp")
        sendReading(sheet)

        tryCompare(camatDevice.reading, "state", ReadingState.Verified, 20000)
        compare(findChild(page, "outcome").text, "Terverifikasi")
        verify(fixture.verified(tc.tps + "/ppwp"), "verified at the receiver")
        compare(fixture.latestReason(tc.tps + "/ppwp"), "bacaan kedua")
        compare(fixture.latestOperator(tc.tps + "/ppwp"), "Pak Camat")
        compare(fixture.votes(tc.tps + "/ppwp", 1), 119)
        verify(findChild(page, "nextButton").visible)
        checkFits(win, "reading verified, landscape")
    }

    function test_a_different_number_is_beda_bacaan() {
        sendWithPhoto("pdpd", tc.dpd, fixture.pictureFolder(1))
        const page = readingPageFor(tc.tps + "/pdpd")
        const portrait = openApp(camatDevice, 800, 1280)
        const upright = portrait.showReading() // the same claim, not a new one
        compare(camatDevice.reading.state, ReadingState.Ready)
        tryCompare(findChild(upright, "readingPhoto"), "status", Image.Ready, 10000)
        checkFits(portrait, "reading, portrait")
        portrait.destroy()
        tap(findChild(page, "typeButton"))
        const sheet = win.current()
        for (const f in tc.dpd)
            compare(sheet.editor.text(f), "", f + " blank")
        // One vote read on the second candidate instead of the first: valid, but different.
        typeReading(sheet, Object.assign({}, tc.dpd, { "votes.candidates.1": 232, "votes.candidates.2": 1 }), "pdpd")
        sendReading(sheet)
        tryCompare(camatDevice.reading, "state", ReadingState.Differs, 20000)
        compare(findChild(page, "outcome").text, "Beda bacaan")
        compare(fixture.sheetState(tc.tps + "/pdpd"), "conflict")
        verify(!fixture.verified(tc.tps + "/pdpd"))
        compare(fixture.votes(tc.tps + "/pdpd", 1), 233, "the first entry still counts")
    }

    // Whatever ran before: every sheet a test sent has been read by the end of it.
    function test_portrait_fits_and_nothing_else_waits() {
        const portrait = openApp(camatDevice, 800, 1280)
        const page = portrait.showReading()
        tryCompare(camatDevice.reading, "state", ReadingState.None, 20000)
        waitForRendering(page)
        checkFits(portrait, "reading, portrait, none")
        portrait.destroy()
    }

    function test_a_refused_reading_says_the_receivers_reason_and_the_reader_is_named_where_readings_start() {
        camatDevice.settings.operatorName = "Pak Camat" // as a reading before this one left it
        sendWithPhoto("pdpr", Object.assign({}, tc.ppwp, { "votes.parties.1.party_only": 233 }),
                      fixture.pictureFolder(1))
        const page = win.showReading()
        tryCompare(camatDevice.reading, "state", ReadingState.Ready, 20000)
        compare(camatDevice.reading.claim.sheet, tc.tps + "/pdpr")
        const name = findChild(page, "readerName")
        verify(name.visible, "the reader's name where readings start")
        compare(name.text, "Pak Camat")
        tap(findChild(page, "typeButton"))
        const sheet = win.current()
        typeReading(sheet, Object.assign({}, tc.ppwp, { "votes.parties.1.party_only": 233 }), "pdpr")
        // Signed under the name of the first entry's author: the receiver refuses it.
        tap(findChild(sheet, "reviewButton"))
        const review = win.current()
        findChild(review, "reviewOperator").text = "Siti"
        tap(findChild(review, "finalizeButton"))
        const dialog = findChild(review, "confirmFinalize")
        tryVerify(() => dialog.opened)
        tap(findChild(dialog, "confirmYes"))
        tryCompare(win.current(), "objectName", "readingPage")
        tryCompare(camatDevice.reading, "state", ReadingState.Refused, 20000)
        compare(findChild(page, "outcome").text, "Ditolak penerima")
        const reason = findChild(page, "outcomeReason")
        verify(reason.visible)
        verify(reason.text.indexOf("someone other than who wrote") >= 0 && reason.text.indexOf("Siti") >= 0,
               "the receiver's own reason: " + reason.text)
        verify(findChild(page, "outcomeText").text.indexOf("aturan konsistensi") < 0, "not the rules' message")
        checkFits(win, "reading refused, landscape")
        // The outbox says the same reason.
        let said = ""
        for (let i = 0; i < camatDevice.outbox.count; ++i)
            said += camatDevice.outbox.get(i, "messages").join(" ")
        verify(said.indexOf("someone other than who wrote") >= 0, "outbox: " + said)
        // The name is now Siti's: nothing is offered, and the page says why.
        tap(findChild(page, "nextButton"))
        tryCompare(camatDevice.reading, "state", ReadingState.None, 20000)
        const none = findChild(page, "nothingToRead")
        verify(none.text.indexOf("Siti") >= 0, none.text)
        verify(none.text.indexOf("foto") >= 0, none.text)
        // Typed otherwise, in full-width capitals with spaces about it, it is still Siti: the
        // receiver compares names after Unicode normalisation (NFKC, case-folded).
        camatDevice.settings.operatorName = " \uFF33\uFF29\uFF34\uFF29 "
        tap(findChild(page, "nextButton"))
        tryCompare(camatDevice.reading, "state", ReadingState.None, 20000)
        // With a Cyrillic "S" among Latin letters, a look-alike of Siti: refused on the tablet,
        // with what to do, and nothing is asked of the receiver.
        camatDevice.settings.operatorName = "\u0405iti"
        tap(findChild(page, "nextButton"))
        tryCompare(camatDevice.reading, "state", ReadingState.BadName)
        const bad = findChild(page, "readerNameError")
        verify(bad.visible)
        verify(bad.text.indexOf("aksara") >= 0, bad.text)
        camatDevice.settings.operatorName = "Siti" // as it was, for what follows
        waitForRendering(page)
        checkFits(win, "reading, a name mixing scripts")
        // Changed here, and the sheet is offered again (typed into this window: the portrait
        // ones of the tests before took the keyboard).
        win.requestActivate()
        tryVerify(() => win.active)
        tap(name)
        verify(name.activeFocus, "the name field takes the keyboard")
        name.selectAll()
        for (const ch of "Pak Camat")
            keyClick(ch)
        compare(name.text, "Pak Camat")
        keyClick(Qt.Key_Return)
        compare(camatDevice.settings.operatorName, "Pak Camat")
        tap(findChild(page, "nextButton"))
        tryCompare(camatDevice.reading, "state", ReadingState.Ready, 20000)
        compare(camatDevice.reading.claim.sheet, tc.tps + "/pdpr")
        // Read by the camat under its own name: verified, and nothing is left waiting for the
        // tests that run after this one.
        tap(findChild(page, "typeButton"))
        const again = win.current()
        typeReading(again, Object.assign({}, tc.ppwp, { "votes.parties.1.party_only": 233 }), "pdpr")
        sendReading(again)
        tryCompare(camatDevice.reading, "state", ReadingState.Verified, 20000)
    }
}
