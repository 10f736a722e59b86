import QtQuick
import QtTest
import Rekap.Tablet

// The camat: a TPS with one sheet of five shows as partial, never as all received; each filter
// says how many TPS it holds; a TPS opens to its five sheets; a failed refresh says so and
// keeps showing the last state, with its time.
TabletCase {
    id: tc
    name: "Camat"
    property var win

    SignalSpy { id: refreshed; target: camatDevice.camat; signalName: "refreshed" }

    function initTestCase() {
        enrol(op, "operator", tc.tps)
        const editor = op.sheets.open("ppwp")
        fill(editor, tc.ppwp)
        verify(editor.finalize("Siti", ""))
        tryCompare(op.sync, "queueDepth", 0, 20000)
        refreshed.clear()
        enrol(camatDevice, "camat", "630601")
        refreshed.wait(20000) // enrolling fetches the kecamatan's state
        win = openApp(camatDevice)
    }
    function cleanupTestCase() { win.destroy() }

    function test_1_a_tps_with_one_sheet_of_five_is_partial() {
        const page = win.home()
        compare(page.objectName, "camatPage")
        const row = camatDevice.camat.tps(tc.tps)
        compare(row.statusKey, "partial")
        compare(row.statusLabel, "sebagian diterima")
        compare(row.received, 1)
        compare(row.expected, 5)
        waitForRendering(page)
        const badge = findChild(page, "status:" + tc.tps)
        verify(badge)
        compare(badge.label, "sebagian diterima")
    }

    function test_2_filters_say_how_many() {
        const page = win.current()
        const all = findChild(page, "filter:all")
        const partial = findChild(page, "filter:partial")
        const none = findChild(page, "filter:not_received")
        compare(all.text, "Semua (57)")
        compare(partial.text, "sebagian diterima (1)")
        compare(none.text, "belum masuk (56)")
        compare(findChild(page, "filter:accepted").text, "semua diterima (0)")
        tap(partial)
        tryCompare(findChild(page, "statusList"), "count", 1)
        tap(all)
        tryCompare(findChild(page, "statusList"), "count", 57)
    }

    function test_3_a_tps_opens_to_its_five_sheets() {
        const page = win.current()
        tap(findChild(page, "filter:partial"))
        waitForRendering(page)
        const row = findChild(page, "tps:" + tc.tps)
        verify(row)
        tap(row)
        const detail = win.current()
        compare(detail.objectName, "camatTpsPage")
        waitForRendering(detail)
        const ppwp = findChild(detail, "tpsSheet:ppwp")
        verify(ppwp)
        for (const c of ["pdpr", "pdpd", "pdprdp", "pdprdk"])
            verify(findChild(detail, "tpsSheet:" + c), c + " listed as missing")
        compare(detail.row.sheets[0].statusLabel, "diterima")
        compare(detail.row.sheets[1].statusLabel, "belum masuk")
        win.back()
        tap(findChild(win.current(), "filter:all"))
    }

    function test_3b_portrait_fits() {
        const portrait = openApp(camatDevice, 800, 1280)
        let page = portrait.home()
        waitForRendering(page)
        settled(portrait) // the kecamatan's list lays out its rows after the page is drawn
        verify(checkFits(portrait, "camat") > 20)
        page = portrait.showTps(tc.tps)
        waitForRendering(page)
        checkFits(portrait, "camat TPS")
        portrait.destroy()
        checkFits(win, "camat, landscape")
    }

    function test_4_a_failed_refresh_says_so_and_keeps_the_last_state() {
        const page = win.current()
        const shownAt = findChild(page, "fetchedAt").text
        verify(shownAt.indexOf("WITA") > 0, shownAt)
        fixture.stopReceiver()
        refreshed.clear()
        tap(findChild(page, "refresh"))
        refreshed.wait(20000)
        compare(refreshed.signalArguments[0][0], false)
        const error = findChild(page, "refreshError")
        tryVerify(() => error.visible)
        verify(error.text.indexOf("Gagal memperbarui") === 0, error.text)
        verify(error.text.indexOf("Tidak ada sambungan") > 0, error.text)
        verify(error.text.indexOf("Perbarui lagi saat ada sinyal") > 0, error.text)
        verify(error.text.indexOf("Lembar Anda") < 0, "a camat sends no sheets: " + error.text)
        compare(findChild(page, "fetchedAt").text, shownAt)
        compare(camatDevice.camat.tps(tc.tps).statusKey, "partial", "the last state stays")
        fixture.startReceiver()
        refreshed.clear()
        tap(findChild(page, "refresh"))
        refreshed.wait(20000)
        tryVerify(() => !error.visible)
    }

    // Issue 25, row 6, for the camat: a camat who only looks (and sends nothing) is held to the
    // receiver's signed head too. A receiver rolled back below the head the camat's tablet kept
    // is named on refresh, and its state is not shown in place of the last one trusted.
    function test_5_a_rolled_back_receiver_is_named_on_refresh() {
        const page = win.current()
        refreshed.clear()
        tap(findChild(page, "refresh"))
        refreshed.wait(20000)
        compare(refreshed.signalArguments[0][0], true)
        const kept = camatDevice.keptHeadSize()
        verify(kept > 1, "the camat's tablet kept a signed head: " + kept)
        const shownAt = findChild(page, "fetchedAt").text
        fixture.rollBackHeadsTo(kept - 1)
        refreshed.clear()
        tap(findChild(page, "refresh"))
        refreshed.wait(20000)
        compare(refreshed.signalArguments[0][0], false)
        const error = findChild(page, "refreshError")
        tryVerify(() => error.visible)
        verify(error.text.indexOf("Catatan penerima tidak cocok") > 0, error.text)
        compare(findChild(page, "fetchedAt").text, shownAt)
        checkFits(win, "camat view with the ledger alarm")
    }
}
