import QtQuick
import QtTest
import Rekap.Tablet

// Automatic sync (issue 17): with the receiver down the tablet probes with back-off and shows
// when the next try is, in the regency's time; when the receiver comes back it syncs by
// itself, without anyone pressing "Kirim sekarang". The sync bar speaks Bahasa Indonesia,
// switches language at once, and never says "all sent" beside "stays queued".
TabletCase {
    id: tc
    name: "AutomaticSync"
    property var win

    SignalSpy { id: finished; target: op.sync; signalName: "finished" }

    function initTestCase() {
        enrol(op, "operator", tc.tps)
        win = openApp(op)
        // The enrolment started the automatic sync; let its first round end.
        tryCompare(op.sync, "phase", SyncService.Idle, 20000)
    }
    function cleanupTestCase() { win.destroy() }

    function test_1_no_receiver_probes_with_backoff_and_says_when_next() {
        fixture.stopReceiver()
        const page = win.home()
        const editor = op.sheets.open("ppwp")
        fill(editor, tc.ppwp)
        finished.clear()
        verify(editor.finalize("Siti", ""))
        // The try at once finds nobody; then the tablet waits, longer each time.
        finished.wait(20000)
        compare(finished.signalArguments[0][0], false)
        compare(op.sync.phase, SyncService.Waiting)
        verify(!op.sync.online)
        compare(op.sync.backoffMs, 300)
        const next = findChild(page, "nextTry")
        tryVerify(() => next.visible)
        verify(/^Coba lagi pukul \d\d\.\d\d\.\d\d WITA \(\d+ detik lagi\)$/.test(next.text), next.text)
        const status = findChild(page, "statusText")
        verify(status.text.indexOf("Tidak ada sambungan") === 0, status.text)
        compare(findChild(page, "queueText").text, "1 lembar menunggu dikirim")
        verify(status.text.indexOf("dikirim begitu ada sinyal") > 0, status.text)
        finished.wait(5000)
        compare(op.sync.backoffMs, 600)
        finished.wait(5000)
        compare(op.sync.backoffMs, 1200)
        finished.wait(5000)
        compare(op.sync.backoffMs, 1200, "the ceiling")
        compare(op.sync.queueDepth, 1)
        const header = findChild(page, "connection")
        verify(header.visible)
    }

    function test_2_the_sync_bar_switches_language_at_once() {
        const page = win.current()
        const next = findChild(page, "nextTry")
        const status = findChild(page, "statusText")
        tryVerify(() => next.text.indexOf("Coba lagi") === 0)
        op.settings.language = "en"
        verify(next.text.indexOf("Next try at") === 0, next.text)
        verify(status.text.indexOf("No connection to the receiver") === 0, status.text)
        compare(findChild(page, "queueText").text, "1 sheet waiting to be sent")
        op.settings.language = "id"
        verify(status.text.indexOf("Tidak ada sambungan") === 0, status.text)
    }

    function test_3_the_receiver_comes_back_and_the_tablet_syncs_by_itself() {
        fixture.startReceiver()
        // No button pressed: the next probe (at most 1.2 s away) finds it and sends.
        tryCompare(op.sync, "queueDepth", 0, 10000)
        tryCompare(op.sync, "online", true)
        tryCompare(op.sync, "phase", SyncService.Idle)
        compare(fixture.sheetState(tc.tps + "/ppwp"), "accepted")
        compare(op.sync.backoffMs, 0)
        const page = win.current()
        tryVerify(() => !findChild(page, "nextTry").visible)
        verify(findChild(page, "lastSync").text.indexOf("WITA") > 0)
        compare(op.sheets.statusKey("ppwp"), "accepted")
        // The ledger's receipt of the sheet: index and the start of its leaf hash (issue 13).
        verify(/^[0-9]+-[0-9a-f]{8}$/.test(op.sheets.receipt("ppwp")), op.sheets.receipt("ppwp"))
    }

    function test_4_offline_with_nothing_queued_says_so() {
        fixture.stopReceiver()
        finished.clear()
        op.sync.syncNow()
        finished.wait(20000)
        const page = win.current()
        const queue = findChild(page, "queueText").text
        const status = findChild(page, "statusText").text
        compare(queue, "Semua lembar yang difinalkan sudah terkirim")
        verify(status.indexOf("Tidak ada yang menunggu dikirim") > 0, status)
        verify(status.indexOf("antrean") < 0 && status.indexOf("dikirim begitu ada sinyal") < 0, status)
        fixture.startReceiver()
    }

    // The header says "Daring" only while the receiver's last answer is recent: a heartbeat
    // between syncs notices a receiver that stopped, long before the next sync (60 s here).
    function test_5_the_header_stops_saying_online_soon_after_the_receiver_stops() {
        op.sync.setTiming(60000, 300, 1200, 400, 1500)
        op.sync.syncNow()
        tryCompare(op.sync, "phase", SyncService.Idle, 20000)
        const page = win.current()
        const pill = findChild(page, "connectionText")
        tryVerify(() => pill.text === "\u25cf Daring " + op.sync.lastContactTime, 5000, pill.text)
        fixture.stopReceiver()
        const stopped = Date.now()
        tryVerify(() => !op.sync.online, 3000, "still online 3 s after the receiver stopped")
        verify(Date.now() - stopped < 3000)
        compare(pill.text, "\u25cb Terakhir tersambung " + op.sync.lastContactTime)
        verify(/^\d\d\.\d\d WITA$/.test(op.sync.lastContactTime), op.sync.lastContactTime)
        // Kept in the store: a tablet restarted now says the same.
        compare(op.lastSyncTextAfterRestart(), "Terakhir tersambung " + op.sync.lastContactTime)
        fixture.startReceiver()
        tryVerify(() => op.sync.online, 5000, "online again once the receiver answers")
        tryVerify(() => pill.text.indexOf("\u25cf Daring") === 0, 5000, pill.text)
        op.sync.setTiming(60000, 300, 1200)
    }

    // Issue 25, row 6: a receiver rolled back (its later signed heads gone) is noticed by a
    // tablet that kept a later head, on a sync with nothing to send, and the operator is told in
    // the sync bar; sending stops until the desk has looked.
    function test_6_a_rolled_back_receiver_raises_the_alarm_in_the_sync_bar() {
        op.sync.syncNow()
        tryCompare(op.sync, "phase", SyncService.Idle, 20000)
        const kept = op.keptHeadSize()
        verify(kept > 1, "the tablet kept a signed head: " + kept)
        fixture.rollBackHeadsTo(kept - 1)
        op.sync.syncNow()
        tryCompare(op.sync, "phase", SyncService.Stopped, 20000)
        const bar = findChild(win.current(), "statusText")
        tryVerify(() => bar.text.indexOf("Catatan penerima tidak cocok") === 0, 5000, bar.text)
        checkFits(win, "sync bar with the ledger alarm")
    }
}
