// Upgrading to the ledger (schema step 4, protocol 2): a receiver store written by the previous
// version (schema steps 1-3, as its code wrote rows) is opened by this one, which builds its
// ledger from the old tables, marks the old revisions unsigned, applies today's authorship
// rules (a sheet another device once overwrote becomes a conflict) and passes verify; a tablet
// enrolled before devices signed (device schema step 1, a revision still queued) is updated,
// signs what it queued, registers its key and syncs to the upgraded receiver.

#include <gtest/gtest.h>

#include "../../server-stub/src/schema/schema.h"
#include "../../sync/src/device_schema.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/api_error.h"
#include "rekap/central/server.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"
#include "rekap/support/sqlite.h"
#include "rekap/sync/sync_client.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

const std::string kTps = "9901011001001";

Revision revision(const std::string& id, const std::string& device, const Sheet& s,
                  std::optional<std::string> parent = std::nullopt) {
    Revision r;
    r.id = id;
    r.device = device;
    r.operatorName = "Operator " + device;
    r.capturedAt = "2024-02-14T09:00:00Z";
    r.parent = std::move(parent);
    if (r.parent)
        r.reason = "koreksi";
    r.sheet = s;
    return r;
}

/// A receiver store exactly as the version before the ledger left it.
class OldReceiver {
public:
    explicit OldReceiver(const std::string& path)
        : db_(path, true) {
        const auto& steps = central::schemaMigrations();
        for (int v = 0; v < 3; ++v)
            db_.transaction([&] {
                db_.exec(steps[v]);
                db_.exec("PRAGMA user_version = " + std::to_string(v + 1));
            });
        auto doc = tinyRegencyJson();
        db_.prepare("INSERT INTO regency (id, code, document, content_hash, loaded_at) VALUES (1, "
                    "'9901', ?, ?, '2024-02-13T01:00:00Z')")
            .bindAll(doc.dump(), tinyRegency().contentHash)
            .run();
    }
    void device(const std::string& id, const std::string& role, const std::string& scope,
                const std::string& token, const std::string& at) {
        db_.prepare("INSERT INTO devices (id, name, role, scope, token_hash, enrolled_at) VALUES "
                    "(?, ?, ?, ?, ?, ?)")
            .bindAll(id, id, role, scope, sha256Hex(token), at)
            .run();
    }
    void revoke(const std::string& id, const std::string& at) {
        db_.prepare("UPDATE devices SET revoked_at = ? WHERE id = ?").bindAll(at, id).run();
    }
    void revision(const Revision& r, const std::string& at, bool rejected = false) {
        auto findings = validateSheet(r.sheet, tinyRegency());
        db_.prepare(
               "INSERT INTO revisions (id, hash, content, sheet, tps, contest, parent, device, "
               "operator, captured_at, received_at, status, findings, body) VALUES (?, ?, ?, "
               "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bindAll(r.id, r.hash(), sha256Hex(encodeSheet(r.sheet).dump()), r.sheet.key(),
                     r.sheet.tps.str(), r.sheet.contest, r.parent, r.device, r.operatorName,
                     r.capturedAt, at, std::string(rejected ? "rejected" : "accepted"),
                     protocol::encodeFindings(findings).dump(), encodeRevision(r).dump())
            .run();
    }
    void sheet(const std::string& key, const std::string& state, std::optional<std::string> winner,
               const std::vector<std::string>& heads) {
        db_.prepare("INSERT INTO sheets (sheet, tps, contest, state, winner, updated_seq) VALUES "
                    "(?, ?, ?, ?, ?, 1)")
            .bindAll(key, key.substr(0, 13), key.substr(14), state, winner)
            .run();
        for (const auto& h : heads)
            db_.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?)")
                .bindAll(key, h)
                .run();
    }
    void superseded(const std::string& id, const std::string& by) {
        db_.prepare("INSERT INTO superseded (revision, resolution) VALUES (?, ?)")
            .bindAll(id, by)
            .run();
    }
    void change(const std::string& kind, const std::string& sheet, const json& data) {
        db_.prepare("INSERT INTO changes (kind, sheet, tps, data, created_at) VALUES (?, ?, ?, ?, "
                    "'2024-02-14T10:00:00Z')")
            .bindAll(kind, sheet, sheet.substr(0, 13), data.dump())
            .run();
    }

private:
    sqlite::Database db_;
};

Sheet moved(Sheet s) {
    s.candidates[0].votes -= 1;
    s.candidates[1].votes += 1;
    return s;
}

} // namespace

TEST(Upgrade, AnOldReceiverStoreGetsItsLedgerAndTodaysRules) {
    TempDir dir;
    auto path = dir.file("central.db");
    const std::string a1 = "0f8fad5b-d9cb-469f-a165-70867728950a",
                      b1 = "0f8fad5b-d9cb-469f-a165-70867728950b",
                      c1 = "0f8fad5b-d9cb-469f-a165-70867728950c",
                      a2 = "0f8fad5b-d9cb-469f-a165-708677289502",
                      a3 = "0f8fad5b-d9cb-469f-a165-708677289503",
                      b3 = "0f8fad5b-d9cb-469f-a165-708677289504",
                      d3 = "0f8fad5b-d9cb-469f-a165-708677289505";
    {
        OldReceiver old(path);
        old.device("dev-a", "operator", kTps, "token-a", "2024-02-14T08:00:00Z");
        old.device("dev-b", "operator", kTps, "token-b", "2024-02-14T08:01:00Z");
        old.device("dev-c", "operator", "9901011002001", "token-c", "2024-02-14T08:02:00Z");
        old.device("dev-k", "camat", "990101", "token-k", "2024-02-14T08:03:00Z");
        auto other = validPpwpSheet();
        other.tps = AreaCode::parse("9901011002001");
        old.revision(revision(a1, "dev-a", validPpwpSheet()), "2024-02-14T09:00:00Z");
        // dev-b "corrected" dev-a's sheet and the old merge let it replace the head.
        old.revision(revision(b1, "dev-b", moved(validPpwpSheet()), a1), "2024-02-14T09:01:00Z");
        old.revision(revision(c1, "dev-c", other), "2024-02-14T09:02:00Z");
        auto bad = validPdpdSheet();
        bad.summary.invalid += 5;
        old.revision(revision(a2, "dev-a", bad), "2024-02-14T09:03:00Z", true);
        old.revision(revision(a3, "dev-a", validPdprSheet()), "2024-02-14T09:04:00Z");
        auto pdpr = validPdprSheet();
        pdpr.parties[0].partyOnly += 1;
        pdpr.parties[0].total += 1;
        pdpr.parties[1].partyOnly -= 1;
        pdpr.parties[1].total -= 1;
        old.revision(revision(b3, "dev-b", pdpr), "2024-02-14T09:05:00Z");
        auto decision = revision(d3, "desk", validPdprSheet(), a3);
        decision.operatorName = "Desk Lama";
        decision.reason = "plano";
        old.revision(decision, "2024-02-14T09:06:00Z");
        old.superseded(b3, d3);
        old.revoke("dev-c", "2024-02-14T09:10:00Z");
        old.sheet(kTps + "/ppwp", "accepted", b1, {b1});
        old.sheet("9901011002001/ppwp", "accepted", c1, {c1});
        old.sheet(kTps + "/pdpd", "rejected", std::nullopt, {});
        old.sheet(kTps + "/pdpr", "accepted", d3, {d3});
        old.change("sheet_state", kTps + "/ppwp", {{"state", "accepted"}, {"winner", b1}});
    }
    central::CentralStore store(path);
    auto rep = store.ledger().verify();
    ASSERT_TRUE(rep.ok) << rep.failure;
    EXPECT_EQ(rep.revisions, 7);
    EXPECT_EQ(rep.legacyRevisions, 6); // the desk's decision is signed by the receiver now
    EXPECT_TRUE(store.masterData().receiverKey().size() > 0);
    // dev-b's overwrite is a conflict for the desk now; dev-a's numbers are counted meanwhile.
    auto ppwp = store.sheets().sheet(kTps + "/ppwp");
    EXPECT_EQ(ppwp->state, SheetState::Conflict);
    EXPECT_EQ(ppwp->winner, a1);
    EXPECT_EQ(ppwp->heads.size(), 2u);
    EXPECT_EQ(store.sheets().sheet(kTps + "/pdpr")->winner, d3);
    EXPECT_TRUE(store.live().counted(kTps + "/pdpr").verified);
    EXPECT_EQ(store.sheets().sheet(kTps + "/pdpd")->state, SheetState::Rejected);
    // Devices hear of the one sheet whose state moved, after what they had already pulled.
    auto camat = store.registry().authenticate("token-k");
    auto pull = store.intake().pull(camat, 1, 100);
    ASSERT_EQ(pull.changes.size(), 1u);
    EXPECT_EQ(pull.changes[0].sheet, kTps + "/ppwp");
    EXPECT_EQ(pull.changes[0].data["state"], "conflict");
    EXPECT_TRUE(*store.live().tally() == *store.live().recount());
    // The old tokens still work; the revoked device stays revoked.
    EXPECT_EQ(store.registry().authenticate("token-a").id, "dev-a");
    EXPECT_THROW(store.registry().authenticate("token-c"), central::ApiError);
    // Opened again: nothing is migrated twice.
    auto size = store.ledger().ledgerSize();
    central::CentralStore again(path);
    EXPECT_EQ(again.ledger().ledgerSize(), size);
}

TEST(Upgrade, ATabletEnrolledBeforeKeysSignsWhatItQueuedAndSyncs) {
    TempDir dir;
    auto path = dir.file("central.db");
    {
        OldReceiver old(path);
        old.device("dev-a", "operator", kTps, "token-a", "2024-02-14T08:00:00Z");
    }
    central::CentralStore store(path);
    store.intake().startIntegrating(); // as `serve` does
    central::PhotoStore photos(dir.path() / "photos");
    central::ServerOptions options;
    options.port = 0;
    central::CentralServer server(store, photos, options);
    auto port = server.start();

    // The tablet's store as the previous app version left it: enrolled, one sheet queued.
    auto devicePath = dir.file("tablet.db");
    auto queued = revision("0f8fad5b-d9cb-469f-a165-7086772895aa", "dev-a", validPpwpSheet());
    {
        sqlite::Database db(devicePath, true);
        db.transaction([&] {
            db.exec(sync::deviceMigrations()[0]);
            db.exec("PRAGMA user_version = 1");
        });
        auto set = [&](const std::string& k, const std::string& v) {
            db.prepare("INSERT INTO settings (key, value) VALUES (?, ?)").bindAll(k, v).run();
        };
        set("server", "http://127.0.0.1:" + std::to_string(port));
        set("device", "dev-a");
        set("token", "token-a");
        set("role", "operator");
        set("scope", kTps);
        set("regency", "9901");
        db.prepare("INSERT INTO master_data (id, document, version) VALUES (1, ?, ?)")
            .bindAll(tinyRegencyJson().dump(), tinyRegency().contentHash)
            .run();
        db.prepare("INSERT INTO revisions (id, sheet, parent, body, hash, captured_at, state, "
                   "findings, updated_at) VALUES (?, ?, NULL, ?, ?, ?, 'queued', '[]', ?)")
            .bindAll(queued.id, queued.sheet.key(), encodeRevision(queued).dump(), queued.hash(),
                     queued.capturedAt, queued.capturedAt)
            .run();
    }
    sync::DeviceFile tablet(devicePath); // the updated app opens it
    EXPECT_FALSE(tablet.identity().keyRegistered());
    auto entry = tablet.outbox().entry(queued.id);
    ASSERT_TRUE(entry && entry->revision.signature);
    EXPECT_EQ(entry->hash, queued.hash()); // signing does not change the revision
    sync::SyncOptions o;
    o.maxAttempts = 1;
    auto report = sync::SyncClient(tablet, o).sync();
    EXPECT_EQ(report.accepted, 1);
    EXPECT_TRUE(tablet.identity().keyRegistered());
    // It learned the receiver's key when it registered its own, and checked the push's head.
    EXPECT_EQ(tablet.identity().enrolment()->receiverKey, store.masterData().receiverKey());
    ASSERT_TRUE(tablet.receipts().lastTreeHead());
    EXPECT_EQ(tablet.receipts().lastTreeHead()->size, store.ledger().latestHead()->size);
    EXPECT_EQ(tablet.outbox().entry(queued.id)->state, SheetState::Accepted);
    EXPECT_EQ(tablet.receipts().all().size(), 1u);
    auto rep = store.ledger().verify();
    EXPECT_TRUE(rep.ok) << rep.failure;
    // A second key is never accepted for the same device.
    try {
        store.registry().registerDeviceKey("dev-a", signing::generateKeyPair().publicKey);
        FAIL() << "a device's key was replaced";
    } catch (const central::ApiError& e) {
        EXPECT_EQ(e.status(), 409);
    }
    server.stop();
}

TEST(LedgerHistory, ATabletCatchesAReceiverThatRewroteItsHistory) {
    // The receiver's ledger after the tablet last synced is replaced by another history of the
    // same length or longer (a restored, edited copy re-signed with the receiver's own key). The
    // tablet holds the head it last checked; the new head does not extend it.
    TempDir dir;
    auto path = dir.file("central.db");
    std::string code1, code2;
    {
        central::CentralStore store(path);
        store.masterData().loadRegency(writeTinyRegency(dir));
        code1 = store.registry().mintCodes(protocol::Role::Operator, AreaCode::parse(kTps), 1,
                                           std::chrono::hours(1), "")[0];
        code2 = store.registry().mintCodes(protocol::Role::Operator, AreaCode::parse(kTps), 1,
                                           std::chrono::hours(1), "")[0];
    }
    central::ServerOptions options;
    options.port = 0;
    auto serve = [&](const std::string& file, int port) {
        auto store = std::make_unique<central::CentralStore>(file);
        store->intake().startIntegrating(); // as `serve` does
        auto photos = std::make_unique<central::PhotoStore>(dir.path() / "photos");
        options.port = port;
        auto server = std::make_unique<central::CentralServer>(*store, *photos, options);
        server->start();
        return std::make_tuple(std::move(store), std::move(photos), std::move(server));
    };
    auto [store, photos, server] = serve(path, 0);
    auto port = server->port();
    sync::DeviceFile tablet(dir.file("tablet.db"));
    sync::SyncOptions o;
    o.maxAttempts = 1;
    sync::SyncClient(tablet, o).enrol("http://127.0.0.1:" + std::to_string(port), code1, "t");
    server->stop();
    server.reset();
    store.reset();
    // The copy the intruder will restore: before the tablet's sheet.
    std::filesystem::copy_file(path, dir.file("fork.db"));
    std::filesystem::copy_file(path + ".key", dir.file("fork.db.key"));

    std::tie(store, photos, server) = serve(path, port);
    tablet.capture().finalize(validPpwpSheet(), "Siti", {});
    EXPECT_EQ(sync::SyncClient(tablet, o).sync().accepted, 1);
    auto seen = tablet.receipts().lastTreeHead();
    ASSERT_TRUE(seen);
    server->stop();
    server.reset();
    store.reset();

    // Another history from the same starting point, signed with the same key.
    std::tie(store, photos, server) = serve(dir.file("fork.db"), port);
    auto other =
        store->registry().enrol({code2, newUuid(), "x", signing::generateKeyPair().publicKey});
    (void)other;
    ASSERT_GE(store->ledger().ledgerSize(), static_cast<std::int64_t>(seen->size));
    tablet.capture().finalize(validPdpdSheet(), "Siti", {});
    try {
        sync::SyncClient(tablet, o).sync();
        FAIL() << "the tablet accepted a rewritten ledger";
    } catch (const sync::SyncError& e) {
        EXPECT_EQ(e.code(), "ledger_inconsistent") << e.what();
    }
    EXPECT_NE(tablet.receipts().ledgerAlarm().find("rewritten"), std::string::npos)
        << tablet.receipts().ledgerAlarm();
    EXPECT_EQ(tablet.receipts().lastTreeHead(), seen); // the head it trusted stays
    server->stop();
    // The server before its store: a tuple's elements go first to last, and the server's
    // destructor still reaches the store (a use after free, seen under the sanitizers).
    server.reset();
    store.reset();
}
