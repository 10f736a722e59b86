import QtQuick
import QtTest
import Rekap.Tablet

// The sheet: what is shown is what is counted. Boxes blank until typed, a cleared box blocks
// finalize, numeric entry skips computed boxes, a rule waits for its boxes and then speaks
// beside its row with the gap, warnings in amber, no jump when a message appears, and a
// summary that jumps to each problem.
TabletCase {
    id: tc
    name: "Sheet"
    property var win

    function initTestCase() {
        enrol(op, "operator", tc.tps)
        win = openApp(op)
    }
    function cleanupTestCase() { win.destroy() }
    function init() { win.home() }

    function box(page, field) { return findChild(page, "count:" + field) }

    function test_1_boxes_are_blank_until_typed() {
        const page = win.showSheet("ppwp")
        const editor = page.editor
        compare(box(page, "voters.from_dpt.l").text, "", "not 0")
        compare(box(page, "votes.candidates.1").text, "")
        compare(box(page, "summary.total").text, "", "a total of blanks is blank")
        compare(box(page, "voters.dpt.l").text, "136", "I.A comes from the DPT")
        compare(editor.blankCount, 17)
        verify(!editor.canFinalize, "an untouched sheet cannot be finalized")
        verify(findChild(page, "blankSummary").visible)
        const review = win.showReview()
        verify(!findChild(review, "finalizeButton").enabled)
        verify(findChild(review, "blanks").visible)
    }

    function test_2_a_cleared_box_blocks_finalize() {
        const page = win.showSheet("ppwp")
        const editor = page.editor
        fill(editor, tc.ppwp)
        verify(editor.canFinalize)
        // The operator clears a box: it is blank on screen and in the sheet.
        const votes = typeInto(page, "votes.candidates.2", "")
        keyClick(Qt.Key_Backspace)
        compare(votes.text, "")
        compare(editor.text("votes.candidates.2"), "", "cleared in the sheet too")
        compare(editor.blankCount, 1)
        verify(!editor.canFinalize)
        verify(!editor.finalize("Siti", ""), "finalize refuses a blank box")
        verify(editor.lastError.length > 0)
        const review = win.showReview()
        verify(!findChild(review, "finalizeButton").enabled)
        compare(op.outbox.count, 0)
        win.back()
        editor.setText("votes.candidates.2", "105")
        verify(editor.canFinalize)
    }

    function test_3_numeric_entry_skips_computed_boxes() {
        const page = win.showSheet("pdpd")
        typeInto(page, "voters.dpt.p", "")
        keyClick(Qt.Key_Tab)
        compare(activeFocusBox(win), "voters.from_dpt.l", "over I.A's total")
        keyClick("8"); keyClick("0")
        compare(page.editor.text("voters.from_dpt.l"), "80", "no digit swallowed")
        keyClick(Qt.Key_Return)
        compare(activeFocusBox(win), "voters.from_dpt.p")
        typeInto(page, "voters.from_dpk.p", "0")
        keyClick(Qt.Key_Return)
        compare(activeFocusBox(win), "ballots.received", "over the whole of I.B4")
        keyClick("2")
        compare(page.editor.text("ballots.received"), "2")
        keyClick(Qt.Key_Backtab)
        compare(activeFocusBox(win), "voters.from_dpk.p")
        // A computed box never takes focus, even when tapped.
        mouseClick(box(page, "voters.total.total"))
        verify(activeFocusBox(win) !== "voters.total.total")
    }

    function test_4_a_rule_waits_for_its_boxes_then_shows_the_gap_beside_its_row() {
        const page = win.showSheet("ppwp")
        const editor = page.editor
        fill(editor, tc.ppwp, ["summary.valid", "summary.invalid"])
        clear(editor, ["summary.valid", "summary.invalid"])
        editor.setText("ballots.used", "240") // one more than voted
        editor.setText("ballots.unused", "57")
        compare(editor.errorCount, 0, "R4 waits while section V is blank")
        verify(!findChild(page, "message:R4"))
        editor.setText("summary.valid", "233")
        editor.setText("summary.invalid", "6")
        compare(editor.errorCount, 1)
        waitForRendering(page)
        const message = findChild(page, "message:R4")
        verify(message && message.visible)
        verify(message.text.indexOf("Selisih 1") > 0, message.text)
        verify(message.text.indexOf("II.2 = 240") > 0, message.text)
        // Beside the row of II.2, the box one can fix.
        const line = findChild(page, "line:II.2:ballots.used")
        verify(line)
        const m = message.mapToItem(line, 0, 0)
        verify(m.y > 0 && m.y < line.height, "the message sits in II.2's row")
        compare(box(page, "ballots.used").problem, "error")
        editor.setText("ballots.used", "239")
        editor.setText("ballots.unused", "58")
        compare(editor.errorCount, 0)
    }

    function test_5_warnings_are_amber_errors_red() {
        const page = win.showSheet("ppwp")
        const editor = page.editor
        fill(editor, tc.ppwp)
        editor.setText("ballots.received", "300") // R5, a warning
        compare(editor.errorCount, 0)
        compare(editor.warningCount, 1)
        verify(editor.canFinalize, "a warning does not block")
        const warning = findChild(page, "message:R5")
        verify(warning)
        compare(warning.background.color, Theme.warningBackground)
        verify(warning.text.indexOf("Peringatan") >= 0, warning.text)
        compare(box(page, "ballots.received").problem, "warning")
        editor.setText("ballots.used", "240")
        editor.setText("ballots.unused", "57")
        editor.setText("ballots.received", "297")
        const error = findChild(page, "message:R4")
        compare(error.background.color, Theme.errorBackground)
        verify(Theme.warningBackground !== Theme.errorBackground)
        editor.setText("ballots.used", "239")
        editor.setText("ballots.unused", "58")
    }

    function test_6_no_jump_when_a_message_appears_above() {
        const page = win.showSheet("ppwp")
        const editor = page.editor
        fill(editor, tc.ppwp, ["summary.invalid"])
        clear(editor, ["summary.invalid"])
        editor.setText("ballots.used", "240")
        editor.setText("ballots.unused", "57")
        const invalid = box(page, "summary.invalid")
        page.show("summary.invalid")
        waitForRendering(page)
        verify(invalid.activeFocus)
        const before = invalid.mapToItem(null, 0, 0).y
        keyClick("6") // completes V: R4 appears beside II.2, above
        verify(findChild(page, "message:R4"))
        waitForRendering(page)
        wait(50)
        compare(Math.round(invalid.mapToItem(null, 0, 0).y), Math.round(before),
                "the box under the finger stays where it was")
        editor.setText("ballots.used", "239")
        editor.setText("ballots.unused", "58")
    }

    function test_7_the_summary_jumps_to_each_problem_and_blank() {
        const page = win.showSheet("ppwp")
        const editor = page.editor
        fill(editor, tc.ppwp)
        editor.setText("ballots.used", "240")
        editor.setText("ballots.unused", "57")
        const flick = findChild(page, "sheetFlick")
        flick.contentY = 0
        const summary = findChild(page, "problemSummary")
        verify(summary.visible)
        verify(summary.text.indexOf("1") >= 0, summary.text)
        mouseClick(summary)
        compare(activeFocusBox(win), "ballots.used")
        editor.setText("ballots.used", "239")
        editor.setText("ballots.unused", "58")
        editor.setText("votes.candidates.3", "")
        flick.contentY = 0
        mouseClick(findChild(page, "blankSummary"))
        compare(activeFocusBox(win), "votes.candidates.3")
        verify(flick.contentY > 0, "scrolled down to it")
        editor.setText("votes.candidates.3", "9")
    }

    function test_8_candidate_search_shows_the_party() {
        const page = win.showSheet("pdpr")
        const search = findChild(page, "search")
        verify(search.visible)
        tap(search)
        for (const ch of "Wahyu Hamdani")
            keyClick(ch)
        compare(page.editor.form.filter, "Wahyu Hamdani")
        const line = findChild(page, "line:IV:votes.parties.2.candidates.1")
        verify(line.visible)
        verify(!findChild(page, "line:IV:votes.parties.1.candidates.1").visible, "others hidden")
        // The caleg's row says whose list it is on.
        const labels = visibleItems(line, { x1: -1e6, y1: -1e6, x2: 1e6, y2: 1e6 }).map(r => r.item.text)
        verify(labels.indexOf("02 Gerindra") >= 0, JSON.stringify(labels))
        // "Blank -> 0" fills a party's blank boxes, and only its own.
        const before = page.editor.blankCount
        const filled = page.editor.fillBlanks(2)
        compare(page.editor.blankCount, before - filled)
        compare(page.editor.text("votes.parties.2.candidates.1"), "0")
        compare(page.editor.text("votes.parties.1.candidates.1"), "")
    }
}
