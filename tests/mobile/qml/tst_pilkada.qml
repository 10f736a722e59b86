import QtQuick
import QtTest
import Rekap.Tablet

// The Pilkada on the same tablet: a receiver with Hulu Sungai Selatan's Pilkada file of
// 27 November 2024, and an operator's tablet showing which election it is, the TPS's two
// C.Hasil-KWK sheets (gubernur, bupati), typing with the rules (R6 at the Pilkada's 2.5 %
// reserve), the review, the plano photo, and both sheets sent and counted.
TabletCase {
    id: tc
    name: "Pilkada"
    property var win
    // A generated Pilkada TPS: DPT 417 (L 195, P 222).
    readonly property string pilkadaTps: "6306012001001"

    SignalSpy { id: synced; target: op.sync; signalName: "finished" }

    /// Boxes for a sheet with these paslon votes and invalid votes, consistent by every rule:
    /// 3 voters from the DPTb and one from the DPK, ballots received 440, one damaged.
    function sheet(votes, invalid) {
        let valid = 0
        const out = {}
        for (let i = 0; i < votes.length; ++i) {
            out["votes.candidates." + (i + 1)] = votes[i]
            valid += votes[i]
        }
        const cast = valid + invalid
        const fromDpt = cast - 4
        Object.assign(out, {
            "voters.from_dpt.l": Math.floor(fromDpt / 2), "voters.from_dpt.p": fromDpt - Math.floor(fromDpt / 2),
            "voters.from_dptb.l": 2, "voters.from_dptb.p": 1,
            "voters.from_dpk.l": 0, "voters.from_dpk.p": 1,
            "ballots.received": 440, "ballots.used": cast, "ballots.damaged": 1,
            "ballots.unused": 440 - cast - 1,
            "disabled_voters.l": 1, "disabled_voters.p": 0,
            "summary.valid": valid, "summary.invalid": invalid })
        return out
    }

    function initTestCase() {
        fixture.useRegency("hss-6306-pilkada-2024.json")
        enrol(op, "operator", pilkadaTps)
        op.settings.operatorName = "Siti Aminah"
        win = openApp(op)
    }
    function cleanupTestCase() {
        op.settings.language = "id"
        win.destroy()
    }

    function test_1_the_overview_shows_the_election_and_its_two_sheets() {
        const page = win.home()
        waitForRendering(page)
        const election = findChild(page, "electionName")
        verify(election && election.visible)
        compare(election.text, "Pilkada Serentak 2024 \u00b7 27-11-2024")
        const gub = findChild(page, "sheet:pilgub"), bup = findChild(page, "sheet:pilbup")
        verify(gub && gub.visible && bup && bup.visible)
        compare(gub.name, "Gubernur dan Wakil Gubernur Kalimantan Selatan")
        compare(bup.name, "Bupati dan Wakil Bupati Hulu Sungai Selatan")
        verify(!findChild(page, "sheet:ppwp"), "no general-election sheet")
        compare(op.sheets.count, 2)
        checkFits(win, "Pilkada overview")
        // In English: the election's and the contests' English names.
        op.settings.language = "en"
        tryCompare(election, "text", "2024 simultaneous regional head elections \u00b7 27-11-2024")
        tryCompare(findChild(page, "sheet:pilbup"), "name", "Regent and Vice-Regent of Hulu Sungai Selatan")
        op.settings.language = "id"
        tryCompare(findChild(page, "sheet:pilbup"), "name", "Bupati dan Wakil Bupati Hulu Sungai Selatan")
    }

    function test_2_the_bupati_sheet_is_the_kwk_form_typed_with_its_rules() {
        win.home()
        const page = win.showSheet("pilbup")
        const editor = page.editor
        compare(page.editor.contestName, "Bupati dan Wakil Bupati Hulu Sungai Selatan")
        // I.A from the Pilkada's DPT; three paslon in section IV, blank until typed.
        compare(findChild(page, "count:voters.dpt.l").text, "195")
        compare(findChild(page, "count:voters.dpt.p").text, "222")
        verify(findChild(page, "count:votes.candidates.3"))
        verify(!findChild(page, "count:votes.candidates.4"))
        compare(editor.blankCount, 17) // 6 of I, 4 of II, 2 of III, 3 of IV, 2 of V
        // Typed as a finger would, one box.
        typeInto(page, "votes.candidates.1", "140")
        compare(editor.text("votes.candidates.1"), "140")
        // R2: a misread paslon line, caught beside its row.
        fill(editor, sheet([140, 100, 78], 6))
        compare(editor.errorCount, 0)
        editor.setText("votes.candidates.2", "200")
        compare(editor.errorCount, 1)
        waitForRendering(page)
        verify(findChild(page, "message:R2"))
        editor.setText("votes.candidates.2", "100")
        compare(editor.errorCount, 0)
        // R6 at the Pilkada's reserve: DPT 417 + 2.5 % allows 427 votes (the general
        // election's 2 % would stop at 425), not 428.
        fill(editor, sheet([300, 100, 21], 6)) // 427
        compare(editor.errorCount, 0, "427 votes are within DPT + 2.5 %")
        fill(editor, sheet([300, 100, 22], 6)) // 428
        compare(editor.errorCount, 1)
        waitForRendering(page)
        const r6 = findChild(page, "message:R6")
        verify(r6 && r6.visible)
        verify(r6.text.indexOf("102,5%") >= 0, r6.text)
        op.settings.language = "en"
        tryVerify(() => findChild(page, "message:R6").text.indexOf("102.5%") >= 0)
        op.settings.language = "id"
        fill(editor, sheet([140, 100, 78], 6))
        compare(editor.errorCount, 0)
        verify(editor.canFinalize)
    }

    function test_3_the_plano_photo_then_the_review_and_send() {
        const page = win.current()
        compare(page.objectName, "sheetPage")
        tap(findChild(page, "photoButton"))
        const capture = win.current()
        compare(capture.objectName, "capturePage")
        verify(fixture.showPlanoToCamera(findChild(capture, "preview"), "white"))
        const shutter = findChild(capture, "shutter")
        tryVerify(() => shutter.enabled)
        tap(shutter)
        tryVerify(() => findChild(capture, "usePhoto").visible)
        tap(findChild(capture, "usePhoto"))
        tryCompare(win.current(), "objectName", "sheetPage")
        // The review lists every box of the KWK form: I 5 x 3, II 4, III 3, IV 3 paslon, V 3.
        const review = win.showReview()
        waitForRendering(review)
        let boxes = 0
        for (const line of page.editor.reviewLines())
            boxes += line.values.length
        compare(boxes, 28)
        const finalize = findChild(review, "finalizeButton")
        tryVerify(() => finalize.enabled)
        tap(finalize)
        const dialog = findChild(review, "confirmFinalize")
        tryVerify(() => dialog.opened)
        synced.clear()
        tap(findChild(dialog, "confirmYes"))
        tryCompare(win.current(), "objectName", "overviewPage")
        synced.wait(20000)
        tryCompare(op.sync, "queueDepth", 0)
        const key = pilkadaTps + "/pilbup"
        compare(fixture.sheetState(key), "accepted")
        compare(fixture.votes(key, 3), 78)
        verify(op.lastPhoto().length === 64, "the revision names its plano photo")
        tryVerify(() => fixture.currentPhoto(key) === op.lastPhoto(), 20000, "the photo reached the desk")
    }

    function test_4_the_gubernur_sheet_has_two_paslon_and_is_counted_too() {
        win.home()
        const page = win.showSheet("pilgub")
        verify(findChild(page, "count:votes.candidates.2"))
        verify(!findChild(page, "count:votes.candidates.3"), "two paslon for gubernur")
        fill(page.editor, sheet([170, 150], 4))
        compare(page.editor.errorCount, 0)
        synced.clear()
        verify(page.editor.finalize("Siti Aminah", ""), page.editor.lastError)
        synced.wait(20000)
        tryCompare(op.sync, "queueDepth", 0)
        compare(fixture.sheetState(pilkadaTps + "/pilgub"), "accepted")
        compare(fixture.votes(pilkadaTps + "/pilgub", 1), 170)
        compare(fixture.votes(pilkadaTps + "/pilgub", 2), 150)
    }
}
