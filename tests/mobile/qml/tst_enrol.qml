import QtQuick
import QtTest
import Rekap.Tablet

// Enrolment: typed or by the desk's printed QR code through the camera; every failure as a
// sentence that says what to do, in Bahasa Indonesia, re-worded at once after a language switch.
Item {
    SignalSpy { id: finished; target: op.enrolment; signalName: "finished" }

    TabletCase {
        id: tc
        name: "Enrolment"
        property var win

        function initTestCase() { win = openApp(op) }
        function cleanupTestCase() { win.destroy() }

        function typeAndEnrol(server, code) {
            const page = win.home()
            compare(page.objectName, "enrolPage")
            findChild(page, "server").text = server
            findChild(page, "code").text = code
            finished.clear()
            tap(findChild(page, "enrolButton"))
            finished.wait(20000)
            return finished.signalArguments[0][0]
        }
        function errorText() {
            const error = findChild(win.current(), "enrolError")
            tryVerify(() => error.visible)
            return error.text
        }

        function test_1_no_receiver_at_the_address() {
            verify(!typeAndEnrol(fixture.deadUrl(), "ABCD-EFGH-IJKL"))
            compare(op.enrolment.problem, Problem.NoConnection)
            const text = errorText()
            compare(text, fixture.describe(Problem.NoConnection))
            verify(text.indexOf("Tidak ada sambungan") === 0, text)
        }

        function test_2_unknown_code() {
            verify(!typeAndEnrol(fixture.url, "ZZZZ-ZZZZ-ZZZZ"))
            compare(op.enrolment.problem, Problem.CodeUnknown)
            verify(errorText().indexOf("Kode ini tidak dikenal") === 0, errorText())
        }

        function test_3_a_code_used_by_another_tablet() {
            const code = fixture.mint("operator", tc.tps)
            const other = waitFor(camatDevice.enrolment, "finished")
            camatDevice.enrolment.enrol(fixture.url, code)
            other.wait(20000)
            verify(!typeAndEnrol(fixture.url, code))
            compare(op.enrolment.problem, Problem.CodeUsed)
            const text = errorText()
            verify(text.indexOf("sudah dipakai tablet lain") > 0, text)
            verify(text.indexOf("minta kode baru ke desk") > 0, text)
            verify(text.indexOf("enrolment_code_invalid") < 0 && text.indexOf("HTTP") < 0, text)
        }

        function test_4_not_a_receiver_address() {
            verify(!typeAndEnrol("ftp://rekap.kab.go.id", "ABCD-EFGH"))
            compare(op.enrolment.problem, Problem.BadAddress)
            verify(errorText().indexOf("https://") > 0, errorText())
        }

        function test_5_language_switch_rewords_the_error_at_once() {
            verify(!typeAndEnrol(fixture.url, "ZZZZ-ZZZZ-ZZZZ"))
            const error = findChild(win.current(), "enrolError")
            const title = findChild(win.current(), "title")
            compare(title.text, "Daftarkan tablet ini")
            op.settings.language = "en"
            compare(error.text, "This code is not known. Check the letters, or ask the desk for a new code.")
            compare(title.text, "Enrol this tablet")
            op.settings.language = "id"
            verify(error.text.indexOf("Kode ini tidak dikenal") === 0, error.text)
        }

        function test_6_a_qr_code_that_is_not_an_enrolment() {
            win.home()
            tap(findChild(win.current(), "scanButton"))
            compare(win.current().objectName, "scanPage")
            finished.clear()
            op.enrolment.enrolWithLink("https://example.com/promo")
            compare(op.enrolment.problem, Problem.QrNotRekap)
            const error = findChild(win.current(), "scanError")
            tryVerify(() => error.visible)
            verify(error.text.indexOf("bukan kode pendaftaran Rekap") > 0, error.text)
            op.enrolment.enrolWithLink("rekap://enrol?v=9&server=https%3A%2F%2Fa&code=ABCD")
            compare(op.enrolment.problem, Problem.QrNewer)
        }

        function test_7_the_printed_qr_code_read_by_the_camera_enrols() {
            const code = fixture.mint("operator", tc.tps)
            const png = fixture.printQr(fixture.url, code) // as `rekap-central mint --qr` prints it
            win.home()
            tap(findChild(win.current(), "scanButton"))
            const scan = win.current()
            compare(scan.objectName, "scanPage")
            finished.clear()
            verify(fixture.showToCamera(findChild(scan, "preview"), png))
            finished.wait(20000)
            verify(finished.signalArguments[0][0], op.enrolment.problemText)
            verify(op.enrolment.enrolled)
            compare(op.enrolment.scope, tc.tps)
            tryCompare(win.current(), "objectName", "overviewPage")
            compare(op.sheets.count, 5, "the five sheets of the TPS")
        }
    }
}
