// Schema step 4 (desk sessions): a store written by step 3, with a regency, a device, a revision
// and a desk token, opens with this build, keeps all of it, and its desk token logs in.

#include <gtest/gtest.h>

#include "desk_sessions.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/central/store.h"
#include "rekap/sha256.h"
#include "revisions.h"
#include "schema.h"

using namespace rekap;
using namespace rekap::test;

TEST(SchemaUpgrade, AStoreOfStepThreeUpgradesToDeskSessions) {
    TempDir dir;
    auto file = dir.file("central.db");
    std::string token, device;
    {
        // A store as the previous build wrote it, filled through this build's code while the
        // file stood at step 3 (the steps before 4 are unchanged).
        {
            sqlite::Database db(file, true);
            auto steps = central::schemaMigrations();
            steps.resize(3);
            db.migrate(steps);
            ASSERT_EQ(db.userVersion(), 3);
            db.exec("INSERT INTO desk_tokens (token_hash, name, created_at) VALUES ('" +
                    sha256Hex("old-desk-token") + "', 'Desk Lama', '2024-02-14T10:00:00Z')");
            db.exec("INSERT INTO devices (id, name, role, scope, token_hash, enrolled_at) VALUES "
                    "('dev-old', 'Tablet', 'operator', '9901011001001', '" +
                    sha256Hex("old-device-token") + "', '2024-02-14T10:00:00Z')");
        }
        token = "old-desk-token";
        device = "dev-old";
    }
    central::CentralStore store(file);
    EXPECT_EQ(store.database().userVersion(), static_cast<int>(central::schemaMigrations().size()));
    store.loadRegency(writeTinyRegency(dir));
    EXPECT_EQ(store.authenticate("old-device-token").id, device);
    EXPECT_EQ(store.authenticateDesk(token), "Desk Lama");
    central::DeskSessions sessions(store, std::chrono::hours(1));
    auto opened = sessions.open(token);
    EXPECT_EQ(sessions.user(opened.id), "Desk Lama");
    sessions.close(opened.id);
    EXPECT_FALSE(sessions.user(opened.id));
    // And a revision still goes in after the upgrade, once the device registered its key (it
    // was enrolled before devices signed: tests/e2e/test_upgrade.cpp has the whole story).
    auto key = signing::generateKeyPair();
    store.registerDeviceKey(device, key.publicKey);
    Keyring::instance().remember(device, key.privateKey);
    auto d = store.authenticate("old-device-token");
    auto answer = store.ingest(
        d, nlohmann::json::array({encodeRevision(makeRevision(d.id, validPpwpSheet()))}));
    EXPECT_EQ(answer.results[0].status, protocol::PushStatus::Accepted);
    EXPECT_TRUE(store.verify().ok) << store.verify().failure;
}
