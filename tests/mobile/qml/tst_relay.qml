import QtQuick
import QtTest
import Rekap.Tablet

// The QR relay on two real tablets (docs/relay.md): the operator's tablet, with no signal,
// shows its queued sheet as QR codes on screen; pictures of the screen are shown to the camat's
// camera; the camat's tablet forwards the sheet when the receiver can be reached; the operator's
// tablet learns on its next sync that the receiver has it, and nothing is stored twice.
TabletCase {
    id: tc
    name: "Relay"
    property var opWin
    property var camWin
    property var pictures: []

    function initTestCase() {
        enrol(op, "operator", tc.tps)
        enrol(camatDevice, "camat", "630601")
        fixture.stopReceiver() // nobody has signal
        const editor = op.sheets.open("ppwp")
        fill(editor, tc.ppwp)
        verify(editor.finalize("Siti", ""))
        tryCompare(op.sync, "queueDepth", 1)
        opWin = openApp(op)
        camWin = openApp(camatDevice)
    }
    function cleanupTestCase() { opWin.destroy(); camWin.destroy() }

    function test_1_the_operator_shows_its_queue_as_qr_codes() {
        opWin.showOutbox()
        const outbox = opWin.current()
        const button = findChild(outbox, "relayButton")
        verify(button.visible)
        compare(button.text, "Kirim lewat QR (1 lembar)")
        tap(button)
        const page = opWin.current()
        compare(page.objectName, "relayShowPage")
        findChild(page, "relayAuto").checked = false // pictures of each code in turn
        // The series carries the sheet, not each code.
        const carries = findChild(page, "relayCarries").text
        verify(carries.indexOf("Bersama-sama, " + op.relayCodes.count + " kode ini membawa 1 lembar") >= 0, carries)
        const code = findChild(page, "relayCode")
        verify(op.relayCodes.count >= 1)
        for (let i = 0; i < op.relayCodes.count; ++i) {
            page.index = i
            compare(findChild(page, "relayPosition").text,
                    "Kode " + (i + 1) + " dari " + op.relayCodes.count)
            compare(code.text, op.relayCodes.codes[i])
            waitForRendering(code)
            const file = fixture.tempFile("relay-" + i + ".png")
            // A picture of the whole screen, as the camat's camera sees the operator's tablet.
            grabImage(opWin.contentItem).save(file)
            verify(fixture.sizeOf(file).width > 200, file)
            pictures.push(file)
        }
    }

    // A camera sends frames all the time; the scanner reads one every 200 ms. So the picture
    // is shown again and again, as it stays in view, until `done` holds.
    function hold(preview, file, done) {
        for (let i = 0; i < 50 && !done(); ++i) {
            verify(fixture.showToCamera(preview, file))
            wait(100)
        }
        verify(done(), "read " + file)
    }

    function test_2_the_camat_scans_them_twice_over_and_keeps_the_sheet_once() {
        const home = camWin.home()
        tap(findChild(home, "relayScanButton"))
        const page = camWin.current()
        compare(page.objectName, "relayScanPage")
        const preview = findChild(page, "preview")
        // No camera: the words say so, with no aiming frame drawn across them.
        verify(!findChild(page, "aimFrame").visible, "no frame over the no-camera message")
        for (let i = 0; i < pictures.length; ++i)
            hold(preview, pictures[i], () => camatDevice.relayInbox.scannedCodes === i + 1)
        compare(camatDevice.relayInbox.queued, 1)
        const message = findChild(page, "relayMessage")
        verify(message.text.indexOf("1 lembar diterima") >= 0, message.text)
        // The same code again (the scanner reads a code once while it stays in view: another
        // code first, as a camat moving along the series).
        verify(pictures.length > 1, "a PPWP sheet takes two codes")
        hold(preview, pictures[0], () => message.text.indexOf("sudah dipindai") >= 0)
        compare(camatDevice.relayInbox.count, 1)
        compare(camatDevice.relayInbox.get(0, "statusKey"), "queued")
        compare(fixture.revisionCount(), 0)
        const list = findChild(page, "relayList")
        compare(list.count, 1)
    }

    function test_3_forwarded_when_there_is_signal() {
        fixture.startReceiver()
        const page = camWin.current()
        const forward = findChild(page, "relayForward")
        tryVerify(() => forward.enabled, 10000, "forward once the camat's sync is idle")
        tap(forward)
        tryCompare(camatDevice.relayInbox, "queued", 0, 20000)
        compare(camatDevice.relayInbox.get(0, "statusKey"), "accepted")
        compare(fixture.revisionCount(), 1)
        compare(fixture.sheetState(tc.tps + "/ppwp"), "accepted")
        compare(fixture.votes(tc.tps + "/ppwp", 1), 119)
    }

    function test_4_the_operator_learns_it_on_its_next_sync() {
        op.sync.syncNow()
        tryCompare(op.sync, "queueDepth", 0, 20000)
        tryCompare(op.outbox, "count", 1)
        tryVerify(() => op.outbox.get(0, "statusKey") === "accepted", 10000)
        compare(fixture.revisionCount(), 1)
        // Nothing left to show.
        tryCompare(op.relayCodes, "count", 0)
    }
}
