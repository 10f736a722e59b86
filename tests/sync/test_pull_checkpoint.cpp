// The pull checkpoint: where a device stands in the receiver's change feed. It survives the
// store being closed and opened again; a pull cut between pages resumes after the last page
// applied, not from the start; it never moves backwards; and a new master-data version named by
// a page is fetched once and kept. What the device asked for is read from the proxy's record of
// its requests (since=...), not inferred.

#include <gtest/gtest.h>

#include <fstream>

#include "revisions.h"
#include "store_sql.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;
using sync::SyncError;

namespace {

/// The `since` of each pull request recorded after the first `from` records.
std::vector<std::int64_t> pullsSince(const FaultProxy& proxy, std::size_t from = 0) {
    std::vector<std::int64_t> out;
    auto records = proxy.requests();
    for (auto i = from; i < records.size(); ++i) {
        const auto& line = records[i].line;
        auto at = line.find("/api/v1/sync/pull?since=");
        if (at != std::string::npos)
            out.push_back(std::stoll(line.substr(at + 24)));
    }
    return out;
}

std::vector<std::int64_t> changeSeqs(central::CentralStore& store) {
    std::vector<std::int64_t> out;
    auto sql = test::sqlOf(store);
    auto st = sql->prepare("SELECT seq FROM changes ORDER BY seq");
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

} // namespace

TEST_F(SyncFixture, TheCheckpointSurvivesTheStoreBeingReopened) {
    FaultProxy proxy(live.port());
    auto file = live.dir().file("reopened.db");
    std::int64_t checkpoint = 0;
    {
        sync::DeviceFile store(file);
        sync::SyncClient client(store, fastOptions());
        client.enrol(proxy.url(), live.mint(protocol::Role::Operator, "9901011001001"), "t");
        client.sync();
        checkpoint = store.feed().checkpoint();
        ASSERT_GT(checkpoint, 0);
        EXPECT_EQ(checkpoint, latestChange());
    }
    // Meanwhile another device's sheet makes one more change.
    auto other = device();
    record(other, validPpwpSheet());
    other.client->sync();
    ASSERT_GT(latestChange(), checkpoint);

    sync::DeviceFile store(file); // as after a restart of the app
    EXPECT_EQ(store.feed().checkpoint(), checkpoint);
    auto seen = proxy.requests().size();
    auto report = sync::SyncClient(store, fastOptions()).sync();
    EXPECT_EQ(pullsSince(proxy, seen), std::vector<std::int64_t>{checkpoint});
    EXPECT_EQ(report.changes, 1) << "only what happened since, not the whole feed again";
    EXPECT_EQ(store.feed().checkpoint(), latestChange());
}

TEST_F(SyncFixture, APullCutBetweenPagesResumesAfterTheLastPageApplied) {
    live.stop();
    live.options().pullLimit = 1; // one change a page
    live.start();
    auto a = device();
    for (const auto& s : {validPpwpSheet(), validPdprSheet(), validPdpdSheet()})
        record(a, s);
    a.client->sync(); // three sheet states, after the master data: four changes
    auto seqs = changeSeqs(live.store());
    ASSERT_EQ(seqs.size(), 4u);

    FaultProxy proxy(live.port());
    auto opts = fastOptions();
    opts.maxAttempts = 2;
    auto b = device("9901011001001", proxy.url(), opts);
    // b has nothing to send: it pulls, page by page. The third page does not come.
    auto noThirdPage = RequestFault::answer("GET /api/v1/sync/pull", 503, 10);
    noThirdPage.skip = 2;
    proxy.addRequestFault(noThirdPage);
    auto seen = proxy.requests().size();
    try {
        b.client->sync();
        FAIL() << "the sync finished though its third page never came";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.kind(), SyncError::Kind::Transient) << e.what();
    }
    // Two pages applied, each moving the checkpoint with it.
    EXPECT_EQ(b.store->feed().checkpoint(), seqs[1]);
    auto firstTry = pullsSince(proxy, seen);
    ASSERT_GE(firstTry.size(), 3u);
    EXPECT_EQ(firstTry[0], 0);
    EXPECT_EQ(firstTry[1], seqs[0]);
    EXPECT_EQ(firstTry[2], seqs[1]);

    proxy.passEverything();
    seen = proxy.requests().size();
    auto report = b.client->sync();
    auto resumed = pullsSince(proxy, seen);
    ASSERT_FALSE(resumed.empty());
    EXPECT_EQ(resumed.front(), seqs[1]) << "the pull started over instead of resuming";
    EXPECT_EQ(report.changes, 2) << "the two pages not yet applied, each once";
    EXPECT_EQ(b.store->feed().checkpoint(), seqs.back());
    // And every pull asked from where the one before left off: never backwards.
    for (std::size_t i = 1; i < resumed.size(); ++i)
        EXPECT_GE(resumed[i], resumed[i - 1]);
}

TEST_F(SyncFixture, TheCheckpointNeverMovesBackwards) {
    auto d = device();
    d.client->sync();
    auto at = d.store->feed().checkpoint();
    ASSERT_GT(at, 0);
    // A page taken earlier arrives late (a replayed answer): it may bring its changes again,
    // which applying twice leaves as they are, but it does not move the checkpoint back.
    protocol::PullResponse stale;
    stale.next = at - 1;
    stale.masterDataVersion = d.store->masterData().version();
    d.store->feed().apply(stale);
    EXPECT_EQ(d.store->feed().checkpoint(), at);
    stale.next = 0;
    d.store->feed().apply(stale);
    EXPECT_EQ(d.store->feed().checkpoint(), at);
    protocol::PullResponse later = stale;
    later.next = at + 5;
    d.store->feed().apply(later);
    EXPECT_EQ(d.store->feed().checkpoint(), at + 5);
}

TEST_F(SyncFixture, ANewMasterDataVersionIsFetchedOnceAndKept) {
    FaultProxy proxy(live.port());
    auto file = live.dir().file("md.db");
    auto before = live.store().masterData().masterDataVersion();
    {
        sync::DeviceFile store(file);
        sync::SyncClient client(store, fastOptions());
        client.enrol(proxy.url(), live.mint(protocol::Role::Operator, "9901011001001"), "t");
        EXPECT_EQ(store.masterData().version(), before);
        EXPECT_FALSE(client.sync().masterDataUpdated);
    }
    // The desk loads a new version of the same regency (a TPS renamed).
    auto doc = tinyRegencyJson();
    doc["version"] = "test-2";
    doc["tps"][0]["name"] = "TPS 001 (pindah ke balai desa)";
    auto path = live.dir().file("tiny-2.json");
    std::ofstream(path) << doc.dump();
    live.store().masterData().loadRegency(path);
    auto after = live.store().masterData().masterDataVersion();
    ASSERT_NE(after, before);

    sync::DeviceFile store(file);
    sync::SyncClient client(store, fastOptions());
    auto seen = proxy.requests().size();
    auto report = client.sync();
    EXPECT_TRUE(report.masterDataUpdated);
    EXPECT_EQ(store.masterData().version(), after);
    EXPECT_EQ(store.masterData().regency()->findTps(AreaCode::parse("9901011001001"))->name,
              "TPS 001 (pindah ke balai desa)");
    int fetches = 0;
    auto records = proxy.requests();
    for (auto i = seen; i < records.size(); ++i)
        fetches += records[i].has("GET /api/v1/master-data");
    EXPECT_EQ(fetches, 1);
    // Kept: after a restart it is still the new version, and the next sync fetches nothing.
    sync::DeviceFile reopened(file);
    EXPECT_EQ(reopened.masterData().version(), after);
    seen = proxy.requests().size();
    EXPECT_FALSE(sync::SyncClient(reopened, fastOptions()).sync().masterDataUpdated);
    for (auto i = seen; i < proxy.requests().size(); ++i)
        EXPECT_FALSE(proxy.requests()[i].has("master-data"));
}
