import QtQuick
import QtTest
import Rekap.Tablet

// Review and corrections you can trust: the review shows every number that will be sent,
// finalizing asks first, a sent sheet opens read-only, and a correction goes through the
// review's reason field with each number beside the one it replaces (issue 17).
TabletCase {
    id: tc
    name: "Review"
    property var win
    readonly property string key: tc.tps + "/ppwp"

    SignalSpy { id: synced; target: op.sync; signalName: "finished" }

    function initTestCase() {
        enrol(op, "operator", tc.tps)
        op.settings.operatorName = "Siti Aminah"
        win = openApp(op)
    }
    function cleanupTestCase() { win.destroy() }

    function valuesShown(page) {
        return visibleItems(page, { x1: -1e6, y1: -1e6, x2: 1e6, y2: 1e6 })
            .filter(r => r.item.objectName === "value").map(r => r.item.text)
    }

    function test_1_the_review_lists_every_number() {
        win.home()
        const sheet = win.showSheet("ppwp")
        fill(sheet.editor, tc.ppwp)
        const review = win.showReview()
        waitForRendering(review)
        // Every box of the form, typed and computed, in the form's order: nothing else is sent.
        const expected = []
        for (const line of sheet.editor.reviewLines())
            for (const v of line.values) expected.push(v)
        compare(expected.length, 28) // I: 5 rows x 3, II: 4, III: 3, IV: 3, V: 3
        const flick = findChild(review, "reviewFlick")
        let shown = []
        // The review scrolls: read it page by page.
        for (let y = 0; ; y += 200) {
            flick.contentY = Math.min(y, Math.max(0, flick.contentHeight - flick.height))
            waitForRendering(review)
            shown = shown.concat(valuesShown(review))
            if (flick.contentY >= flick.contentHeight - flick.height - 1) break
        }
        for (const f in tc.ppwp)
            verify(expected.indexOf(String(tc.ppwp[f])) >= 0, f)
        // Each line's numbers are on screen (a value repeated on the review is shown each time).
        for (const v of expected)
            verify(shown.indexOf(v) >= 0, "not shown: " + v)
        verify(expected.indexOf("239") >= 0 && expected.indexOf("233") >= 0 && expected.indexOf("119") >= 0)
    }

    function test_2_finalizing_asks_first() {
        const review = win.current()
        compare(review.objectName, "reviewPage")
        const finalize = findChild(review, "finalizeButton")
        tryVerify(() => finalize.enabled)
        tap(finalize)
        const dialog = findChild(review, "confirmFinalize")
        tryVerify(() => dialog.opened)
        compare(op.outbox.count, 0, "nothing finalized before the answer")
        tap(findChild(dialog, "confirmNo"))
        tryVerify(() => !dialog.visible)
        compare(op.outbox.count, 0, "not yet means not yet")
        synced.clear()
        tap(finalize)
        tryVerify(() => dialog.opened)
        tap(findChild(dialog, "confirmYes"))
        compare(op.outbox.count, 1)
        tryCompare(win.current(), "objectName", "overviewPage")
        synced.wait(20000)
        tryCompare(op.sync, "queueDepth", 0)
        compare(fixture.sheetState(key), "accepted")
    }

    function test_3_a_sent_sheet_opens_read_only() {
        const page = win.showSheet("ppwp")
        verify(page.editor.readOnly)
        const votes = findChild(page, "count:votes.candidates.1")
        compare(votes.text, "119")
        const flick = findChild(page, "sheetFlick")
        flick.contentY = votes.mapToItem(flick.contentItem, 0, 0).y - 100
        waitForRendering(page)
        mouseClick(votes)
        verify(!votes.activeFocus, "a read-only box takes no focus")
        keyClick("5")
        compare(page.editor.text("votes.candidates.1"), "119", "nothing changes by typing")
        verify(!page.editor.setText("votes.candidates.1", "5"))
        verify(findChild(page, "readOnlyNote").visible)
        verify(findChild(page, "startCorrection").visible)
        compare(findChild(page, "reviewButton").text, "Semua angka")
        win.home()
    }

    function test_4_a_correction_through_the_reviews_reason_field() {
        const page = win.showSheet("ppwp")
        tap(findChild(page, "startCorrection"))
        verify(!page.editor.readOnly)
        verify(page.editor.correction)
        typeInto(page, "votes.candidates.1", "118")
        typeInto(page, "votes.candidates.2", "106")
        compare(page.editor.text("votes.candidates.1"), "118")
        tap(findChild(page, "reviewButton"))
        const review = win.current()
        compare(review.objectName, "reviewPage")
        // Before and after, and the changed lines marked.
        const shown = valuesShown(review).concat(
            visibleItems(review, { x1: -1e6, y1: -1e6, x2: 1e6, y2: 1e6 }).map(r => r.item.text))
        verify(shown.indexOf("119 \u2192 118") >= 0 || (function() {
            // further down: scroll to section IV
            const flick = findChild(review, "reviewFlick")
            flick.contentY = flick.contentHeight - flick.height
            waitForRendering(review)
            return valuesShown(review).indexOf("119 \u2192 118") >= 0
        })(), "before and after")
        const finalize = findChild(review, "finalizeButton")
        const reason = findChild(review, "reason")
        verify(reason.visible)
        verify(!finalize.enabled, "a correction needs its reason")
        // The reason typed for real, key by key.
        tap(reason)
        verify(reason.activeFocus)
        for (const ch of "salah baca paslon 01")
            keyClick(ch)
        compare(reason.text, "salah baca paslon 01")
        tryVerify(() => finalize.enabled)
        synced.clear()
        tap(finalize)
        const dialog = findChild(review, "confirmFinalize")
        tryVerify(() => dialog.opened)
        tap(findChild(dialog, "confirmYes"))
        synced.wait(20000)
        tryCompare(op.sync, "queueDepth", 0)
        compare(fixture.revisionCount(), 2)
        compare(fixture.latestReason(key), "salah baca paslon 01")
        compare(fixture.votes(key, 1), 118)
        compare(fixture.votes(key, 2), 106)
        compare(op.outbox.get(0, "reason"), "salah baca paslon 01")
        compare(op.outbox.get(0, "statusKey"), "accepted")
    }
}
