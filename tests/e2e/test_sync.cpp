// Sync end to end: devices with the real sync client against a real rekap-central on 127.0.0.1,
// through a proxy that cuts connections where told.

#include <gtest/gtest.h>

#include <fstream>

#include "revisions.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;
using sync::SyncError;

TEST_F(SyncFixture, CaptureOfflineThenSync) {
    FaultProxy proxy(live.port());
    auto opts = fastOptions();
    opts.maxAttempts = 2;
    auto d = device("9901011001001", proxy.url(), opts);
    live.stop(); // no signal
    auto r1 = record(d, validPpwpSheet());
    auto r2 = record(d, validPdprSheet());
    try {
        d.client->sync();
        FAIL() << "synced with the receiver down";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Transient);
    }
    EXPECT_EQ(d.store->outbox().queueDepth(), 2);
    EXPECT_EQ(stateOf(d, r1.id), SheetState::Queued);
    live.start(); // signal returns
    auto report = d.client->sync();
    EXPECT_EQ(report.accepted, 2);
    EXPECT_EQ(d.store->outbox().queueDepth(), 0);
    EXPECT_EQ(stateOf(d, r2.id), SheetState::Accepted);
    EXPECT_EQ(live.store().sheets().revisionCount(), 2);
    // The receiver heard the device's queue on every contact.
    EXPECT_EQ(live.store().registry().devices()[0].queueDepth, 0);
    EXPECT_EQ(live.store().registry().devices()[0].lastCaptureAt, r2.capturedAt);
}

TEST_F(SyncFixture, ConnectionCutMidRequestBeforeTheReceiverCommitted) {
    FaultProxy proxy(live.port());
    auto d = device("9901011001001", proxy.url());
    auto r = record(d, validPpwpSheet());
    proxy.cutNextRequestAfter(150); // the headers, not the body: nothing can be committed
    auto report = d.client->sync();
    EXPECT_GE(report.retries, 1);
    EXPECT_EQ(report.accepted, 1);
    EXPECT_EQ(stateOf(d, r.id), SheetState::Accepted);
    EXPECT_EQ(live.store().sheets().revisionCount(), 1);
}

TEST_F(SyncFixture, ConnectionCutAfterTheReceiverCommitted) {
    FaultProxy proxy(live.port());
    auto d = device("9901011001001", proxy.url());
    auto r = record(d, validPpwpSheet());
    proxy.dropNextResponse(); // committed, but the device never hears
    auto report = d.client->sync();
    EXPECT_GE(report.retries, 1);
    EXPECT_EQ(report.duplicates, 1) << "the retry finds it already stored";
    EXPECT_EQ(report.accepted, 0);
    EXPECT_EQ(stateOf(d, r.id), SheetState::Accepted);
    EXPECT_EQ(live.store().sheets().revisionCount(), 1) << "exactly one copy";
}

TEST_F(SyncFixture, TheSameBatchSentTwice) {
    auto d = device();
    record(d, validPpwpSheet());
    record(d, validPdpdSheet());
    d.client->sync();
    // As if the acknowledgement had been lost: everything goes again.
    sqlite::Database(d.store->path().string()).exec("UPDATE revisions SET state = 'queued'");
    auto report = d.client->sync();
    EXPECT_EQ(report.duplicates, 2);
    EXPECT_EQ(live.store().sheets().revisionCount(), 2);
    for (const auto& e : d.store->outbox().all())
        EXPECT_EQ(e.state, SheetState::Accepted);
}

TEST_F(SyncFixture, TwoDevicesSubmittingTheSameSheetAreBothKeptAndFlagged) {
    auto a = device();
    auto b = device();
    auto ra = record(a, validPpwpSheet());
    auto rb = record(b, moveOneVote(validPpwpSheet()));
    a.client->sync();
    EXPECT_EQ(b.client->sync().conflicts, 1);
    EXPECT_EQ(stateOf(b, rb.id), SheetState::Conflict);
    auto pulled = a.client->sync(); // nothing to send: a learns of the conflict by pulling
    EXPECT_EQ(pulled.pulls, 1);
    EXPECT_EQ(stateOf(a, ra.id), SheetState::Conflict);
    auto revs = live.store().sheets().revisionsOf("9901011001001/ppwp");
    ASSERT_EQ(revs.size(), 2u);
    EXPECT_EQ(revs[0].revision.sheet, ra.sheet); // nothing overwritten
    EXPECT_EQ(revs[1].revision.sheet, rb.sheet);
    EXPECT_EQ(live.store().sheets().sheet("9901011001001/ppwp")->state, SheetState::Conflict);
}

TEST_F(SyncFixture, CorrectionAfterSyncFastForwards) {
    auto d = device();
    auto r1 = record(d, validPpwpSheet());
    d.client->sync();
    auto r2 = record(d, moveOneVote(validPpwpSheet()), "salah baca paslon 02");
    EXPECT_EQ(r2.parent, r1.id);
    EXPECT_EQ(d.client->sync().accepted, 1);
    auto s = live.store().sheets().sheet("9901011001001/ppwp");
    EXPECT_EQ(s->state, SheetState::Accepted);
    EXPECT_EQ(s->winner, r2.id);
}

TEST_F(SyncFixture, StaleCorrectionConflictsAndTheAdjudicationReachesTheDevice) {
    auto a = device();
    auto b = device();
    auto ra = record(a, validPpwpSheet());
    a.client->sync();
    auto rb = record(b, moveOneVote(validPpwpSheet()));
    b.client->sync();
    auto resolution =
        live.store().sheets().resolve("9901011001001/ppwp", rb.id, "plano dicek", "Desk");
    // a corrects from its own, now stale, revision before hearing of the decision.
    auto stale = record(a, moveOneVote(moveOneVote(validPpwpSheet())), "koreksi");
    EXPECT_EQ(stale.parent, ra.id);
    auto report = a.client->sync();
    EXPECT_EQ(report.conflicts, 1);
    EXPECT_EQ(live.store().sheets().sheet("9901011001001/ppwp")->state, SheetState::Conflict);
    // The pull in that same sync brought the decision: a's next correction builds on it.
    EXPECT_EQ(a.store->outbox().head("9901011001001/ppwp"), resolution);
    EXPECT_EQ(stateOf(a, ra.id), SheetState::Superseded);
    auto desk = a.store->outbox().entry(resolution);
    ASSERT_TRUE(desk);
    EXPECT_TRUE(desk->decision);
    EXPECT_EQ(desk->revision.reason, "plano dicek");
    EXPECT_EQ(desk->revision.sheet, rb.sheet);
    b.client->sync();
    EXPECT_EQ(b.store->outbox().head("9901011001001/ppwp"), resolution);
    EXPECT_EQ(stateOf(b, rb.id), SheetState::Accepted);
}

TEST_F(SyncFixture, RejectedSheetComesBackWithItsFindings) {
    auto d = device();
    auto bad = validPpwpSheet();
    bad.candidates[1].votes = 190;
    sync::Capture::FinalizeOptions o;
    o.allowRuleErrors = true;
    auto r = d.store->capture().finalize(bad, "Siti", o);
    EXPECT_EQ(d.client->sync().rejected, 1);
    auto e = d.store->outbox().entry(r.id);
    EXPECT_EQ(e->state, SheetState::Rejected);
    ASSERT_FALSE(e->findings.empty());
    EXPECT_EQ(e->findings[0].rule, "R2");
}

TEST_F(SyncFixture, PhotoUploadCutHalfwayIsResumed) {
    FaultProxy proxy(live.port());
    auto opts = fastOptions();
    opts.photoChunkBytes = 16 * 1024;
    opts.maxAttempts = 1;
    auto d = device("9901011001001", proxy.url(), opts);
    std::string photo;
    for (int i = 0; photo.size() < 100000; ++i)
        photo += std::to_string(i * 7919) + ",";
    auto file = live.dir().file("plano.jpg");
    std::ofstream(file, std::ios::binary) << photo;
    sync::Capture::FinalizeOptions o;
    o.photo = d.store->photos().add(file);
    record(d, validPdpdSheet());
    d.store->capture().finalize(validPpwpSheet(), "Siti", o);
    d.client->sync(); // numbers first; photo goes too
    EXPECT_TRUE(d.store->photos().pending().empty());
    // A second photo, cut halfway.
    std::string second = photo + "second";
    auto file2 = live.dir().file("plano2.jpg");
    std::ofstream(file2, std::ios::binary) << second;
    auto sha2 = d.store->photos().add(file2);
    proxy.cutAfterTotalBytes(60000);
    EXPECT_THROW(d.client->sync(), SyncError);
    proxy.passEverything();
    auto stored = live.dir().path() / "photos";
    auto part = stored / (sha2 + ".part");
    ASSERT_TRUE(std::filesystem::exists(part));
    auto partial = std::filesystem::file_size(part);
    EXPECT_GT(partial, 0u);
    EXPECT_LT(partial, second.size());
    auto report = d.client->sync();
    EXPECT_EQ(report.photos, 1);
    std::ifstream in(stored / (sha2 + ".jpg"), std::ios::binary);
    std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(got, second);
    EXPECT_FALSE(std::filesystem::exists(part));
}

TEST_F(SyncFixture, RevokedDeviceStopsAtOnce) {
    FaultProxy proxy(live.port());
    auto d = device("9901011001001", proxy.url());
    record(d, validPpwpSheet());
    live.store().registry().revokeDevice(d.store->identity().enrolment()->device);
    int before = proxy.connections();
    try {
        d.client->sync();
        FAIL() << "a revoked device synced";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Fatal);
        EXPECT_EQ(e.code(), "device_revoked");
    }
    EXPECT_EQ(proxy.connections() - before, 1) << "no retries after a fatal answer";
    EXPECT_EQ(d.store->outbox().queueDepth(), 1) << "nothing lost on the device";
}

TEST_F(SyncFixture, ProgressAndCancellation) {
    auto opts = fastOptions();
    opts.maxBatchCount = 1;
    auto d = device("9901011001001", {}, opts);
    record(d, validPpwpSheet());
    record(d, validPdprSheet());
    record(d, validPdpdSheet());
    std::vector<sync::SyncProgress> seen;
    try {
        d.client->sync([&](const sync::SyncProgress& p) {
            seen.push_back(p);
            if (p.phase == "push" && p.sheetsDone == 1)
                d.client->cancel();
        });
        FAIL() << "the sync went on after the cancel";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Cancelled) << e.what();
    }
    ASSERT_GE(seen.size(), 2u);
    EXPECT_EQ(seen.back().sheetsDone, 1u) << "it stopped at the first batch after the cancel";
    EXPECT_EQ(seen.front().sheetsTotal, 3u);
    EXPECT_GT(seen.front().bytesTotal, 0u);
    EXPECT_EQ(d.store->outbox().queueDepth(), 2);
    d.client->resetCancel();
    auto report = d.client->sync([&](const sync::SyncProgress& p) { seen.push_back(p); });
    // The first sheet was answered when stored before the cancel: its receipt comes now.
    EXPECT_EQ(report.accepted, 3);
    EXPECT_EQ(live.store().sheets().revisionCount(), 3);
}

TEST_F(SyncFixture, OversizedBatchesAreSplit) {
    // The receiver takes small bodies only; the client halves its batches until they fit.
    central::ServerOptions small;
    small.maxBodyBytes = 900;
    LiveCentral tight(small);
    sync::DeviceFile store(tight.dir().file("d.db"));
    sync::SyncClient client(store, fastOptions());
    client.enrol(tight.url(), tight.mint(protocol::Role::Operator, "9901011001001"), "t");
    // 20 corrections: each fits, together their random ids and hashes do not.
    sync::Capture::FinalizeOptions o;
    o.reason = "koreksi";
    auto sheet = validPpwpSheet();
    for (int i = 0; i < 20; ++i) {
        sheet.disabledVoters = {i % 2, 1, 1 + i % 2};
        store.capture().finalize(sheet, "Siti", o);
    }
    auto report = client.sync();
    EXPECT_EQ(report.accepted, 20);
    EXPECT_GE(report.batches, 2) << "everything fitted in one request: nothing was split";
    EXPECT_EQ(tight.store().sheets().revisionCount(), 20);
}

TEST_F(SyncFixture, APushAnswerCarriesThePullSoNoPullRequestIsMade) {
    // Answered once integrated: a page taken when a push is only stored lacks what its
    // integration changes, so a tablet answered early pulls after its receipts instead.
    auto final = fastOptions();
    final.answerWhenStored = false;
    auto a = device("9901011001001", {}, final);
    auto b = device();
    auto ra = record(a, validPpwpSheet());
    a.client->sync();
    auto rb = record(b, moveOneVote(validPpwpSheet()));
    EXPECT_EQ(b.client->sync().conflicts, 1);
    // a has another sheet to send: the push's answer brings the conflict b made, and a's own
    // new sheet's state, without a pull request (a round trip saved on 2G).
    auto rc = record(a, validPdprSheet());
    auto report = a.client->sync();
    EXPECT_EQ(report.accepted, 1);
    EXPECT_EQ(report.pulls, 0);
    EXPECT_GE(report.changes, 2);
    EXPECT_EQ(stateOf(a, ra.id), SheetState::Conflict);
    EXPECT_EQ(stateOf(a, rc.id), SheetState::Accepted);
    // Nothing was left behind: a pull from where a now stands finds nothing.
    auto again = a.client->sync();
    EXPECT_EQ(again.pulls, 1);
    EXPECT_EQ(again.changes, 0);
    // And the camat sees nothing left on a's tablet, though its last request was the push.
    for (const auto& d : live.store().registry().devices())
        EXPECT_EQ(d.queueDepth, 0) << d.id;
    (void)rb;
}

TEST_F(SyncFixture, APullPageTooLongForThePushAnswerIsPulledToTheEnd) {
    live.stop();
    live.options().pullLimit = 2; // a page holds two changes
    live.start();
    auto a = device();
    auto b = device();
    for (const auto& s : {validPpwpSheet(), validPdprSheet(), validPdpdSheet()})
        record(b, s);
    b.client->sync();                                   // three sheet states for a to hear of
    auto ra = record(a, moveOneVote(validPpwpSheet())); // and a conflict with b's PPWP
    auto report = a.client->sync();
    EXPECT_EQ(report.conflicts, 1);
    EXPECT_GE(report.pulls, 1);   // the answer's page said more; the rest was pulled
    EXPECT_EQ(report.changes, 5); // master data loaded, b's three sheets, the conflict
    EXPECT_EQ(stateOf(a, ra.id), SheetState::Conflict);
    EXPECT_EQ(a.client->sync().changes, 0);
}

// Answered when stored (Prefer: respond-async, docs/protocol.md) by a receiver whose integrator
// runs, as `serve`'s does: the sync waits briefly for the receipts and ends with every sheet
// accepted and its receipt kept, checked against the signed head.
TEST_F(SyncFixture, AnswersGivenWhenStoredEndTheSyncWithEverySheetAcceptedAndItsReceipt) {
    auto d = device();
    std::vector<Revision> sent;
    for (const auto& s : {validPpwpSheet(), validPdprSheet(), validPdpdSheet()})
        sent.push_back(record(d, s));
    auto report = d.client->sync();
    EXPECT_EQ(report.accepted, 3);
    EXPECT_EQ(report.waiting, 0);
    for (const auto& r : sent) {
        EXPECT_EQ(stateOf(d, r.id), SheetState::Accepted) << r.id;
        EXPECT_EQ(d.store->outbox().entry(r.id)->storedAt, "");
        ASSERT_TRUE(d.store->receipts().of(r.id)) << r.id;
        EXPECT_TRUE(d.client->checkReceipt(r.id).checked);
    }
    EXPECT_EQ(live.store().sheets().revisionCount(), 3);
}

// A tablet whose sheets were answered `queued` (the receiver stored them, its integrator not
// running yet) and whose app is then closed: the next sync gets their receipts without sending
// them again (no push request at all), and the receiver holds each once.
TEST_F(SyncFixture, SheetsAnsweredQueuedGetTheirReceiptsAfterARestartWithoutBeingSentAgain) {
    using namespace std::chrono_literals;
    LiveCentral slow({}, {}, StoreKind::SQLite, /*integrating=*/false);
    FaultProxy proxy(slow.port());
    auto opts = fastOptions();
    opts.receiptPatience = 300ms;
    auto file = slow.dir().file("tablet.db");
    std::vector<Revision> sent;
    {
        sync::DeviceFile store(file);
        sync::SyncClient(store, opts)
            .enrol(proxy.url(), slow.mint(protocol::Role::Operator, "9901011001001"), "tablet");
        for (const auto& s : {validPpwpSheet(), validPdprSheet(), validPdpdSheet()})
            sent.push_back(store.capture().finalize(s, "Siti", {}));
        auto report = sync::SyncClient(store, opts).sync();
        EXPECT_EQ(report.accepted, 0);
        EXPECT_EQ(report.waiting, 3);
        for (const auto& r : sent) {
            auto e = store.outbox().entry(r.id);
            EXPECT_EQ(e->state, SheetState::Sending) << "stored, not failed, not queued";
            EXPECT_NE(e->storedAt, "");
        }
        EXPECT_EQ(store.outbox().queueDepth(), 0) << "nothing left on the device";
    } // the app is closed
    auto pushes = [&] {
        int n = 0;
        for (const auto& r : proxy.requests())
            n += r.has("POST /api/v1/sync/push") ? 1 : 0;
        return n;
    };
    EXPECT_EQ(pushes(), 1);
    slow.store().intake().startIntegrating();
    sync::DeviceFile store(file);
    EXPECT_EQ(store.outbox().awaiting(500).size(), 3u) << "still waiting after the restart";
    sync::SyncClient client(store, opts);
    auto report = client.sync();
    EXPECT_EQ(report.accepted, 3);
    EXPECT_EQ(report.waiting, 0);
    EXPECT_EQ(report.batches, 0);
    EXPECT_EQ(pushes(), 1) << "the sheets were sent again";
    for (const auto& r : sent) {
        EXPECT_EQ(store.outbox().entry(r.id)->state, SheetState::Accepted) << r.id;
        ASSERT_TRUE(store.receipts().of(r.id)) << r.id;
        EXPECT_TRUE(client.checkReceipt(r.id).checked);
    }
    EXPECT_EQ(slow.store().sheets().revisionCount(), 3);
}
