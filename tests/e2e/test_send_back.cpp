// A sheet sent back to its operator ("perlu perbaikan", issue 28): the desk marks a sheet with a
// reason; the receiver signs the mark and keeps it as a send_back ledger entry; the operator's
// tablet takes it from the pull feed once its signature is checked; the operator's correction
// (an ordinary revision, here with a new plano photo) answers it; verify and the replay derive
// all of it from the ledger. Real devices, a real receiver on 127.0.0.1, the desk over HTTP.

#include <gtest/gtest.h>
#include <httplib.h>

#include "ledger_edit.h"
#include "rekap/ledger_replay.h"
#include "rekap/send_back.h"
#include "rekap/signing.h"
#include "revisions.h"
#include "store_sql.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;
using sync::SyncError;

namespace {

const std::string kSheet = "9901011001001/ppwp";

} // namespace

class SendBackTest : public SyncFixture {
protected:
    void SetUp() override {
        client = std::make_unique<httplib::Client>("127.0.0.1", live.port());
        desk = live.store().deskTokens().createDeskToken("Koordinator Rina");
    }
    httplib::Result post(const std::string& token, const json& body) {
        return client->Post("/api/v1/sheets/send-back", {{"Authorization", "Bearer " + token}},
                            body.dump(), "application/json");
    }
    json get(const std::string& path, const std::string& token) {
        auto res = client->Get(path.c_str(), {{"Authorization", "Bearer " + token}});
        EXPECT_EQ(res->status, 200) << path << ": " << res->body;
        return json::parse(res->body);
    }
    /// The TPS's status row as a camat of its kecamatan reads it.
    json camatRow(const std::string& camatToken) {
        auto status = get("/api/v1/status?area=990101", camatToken);
        for (const auto& d : status["desa"])
            for (const auto& t : d["tps"])
                if (t["tps"] == "9901011001001")
                    return t;
        ADD_FAILURE() << "no TPS 9901011001001 in " << status.dump();
        return {};
    }
    std::vector<std::string> entries() {
        std::vector<std::string> out;
        for (std::int64_t i = 0; i < live.store().ledger().ledgerSize(); ++i)
            out.push_back(live.store().ledger().ledgerEntry(i));
        return out;
    }
    std::unique_ptr<httplib::Client> client;
    std::string desk;
};

TEST_F(SendBackTest, TheDeskSendsASheetBackAndTheOperatorsCorrectionWithANewPhotoAnswersIt) {
    auto d = device();
    sync::Capture::FinalizeOptions first;
    first.photo = d.store->photos().add(writePhoto(3000, 1));
    auto r = d.store->capture().finalize(validPpwpSheet(), "Siti", first);
    d.client->sync();
    auto camat = enrolSigned(live.store(), live.mint(protocol::Role::Camat, "990101")).token;

    auto res = post(desk, {{"sheet", kSheet}, {"reason", "Suara paslon 2 tidak terbaca di foto"}});
    ASSERT_EQ(res->status, 200) << res->body;
    auto mark = json::parse(res->body);
    EXPECT_EQ(mark["state"], "waiting");
    EXPECT_EQ(mark["revision"], r.id);
    EXPECT_EQ(mark["by"], "Koordinator Rina");
    EXPECT_EQ(mark["place"]["tps"]["name"], "TPS 001");
    // Its own ledger entry, signed by the receiver.
    auto entry =
        json::parse(live.store().ledger().ledgerEntry(mark["ledger_index"].get<std::int64_t>()));
    EXPECT_EQ(entry["kind"], "send_back");
    auto signedMark = decodeSendBack(entry["mark"]);
    EXPECT_TRUE(sendBackSignatureValid(signedMark, live.store().masterData().receiverKey()));
    EXPECT_EQ(signedMark.reason, "Suara paslon 2 tidak terbaca di foto");
    auto v = live.store().ledger().verify();
    EXPECT_TRUE(v.ok) << v.failure;
    // The desk's list and the camat's status say it waits, with its reason.
    auto list = get("/api/v1/send-backs", desk);
    EXPECT_EQ(list["waiting"], 1);
    ASSERT_EQ(list["send_backs"].size(), 1u);
    EXPECT_EQ(list["send_backs"][0]["reason"], "Suara paslon 2 tidak terbaca di foto");
    auto row = camatRow(camat);
    EXPECT_EQ(row["send_backs"]["ppwp"]["state"], "waiting");
    EXPECT_EQ(row["send_backs"]["ppwp"]["reason"], "Suara paslon 2 tidak terbaca di foto");

    // The tablet's next sync brings it, its signature checked.
    EXPECT_FALSE(d.store->sendBacks().of(kSheet));
    d.client->sync();
    auto onTablet = d.store->sendBacks().of(kSheet);
    ASSERT_TRUE(onTablet);
    EXPECT_EQ(onTablet->reason, "Suara paslon 2 tidak terbaca di foto");
    EXPECT_EQ(onTablet->revision, r.id);
    EXPECT_EQ(onTablet->by, "Koordinator Rina");
    EXPECT_FALSE(onTablet->answered);
    EXPECT_TRUE(d.store->receipts().ledgerAlarm().empty());

    // The correction: the normal path, a new revision by the same tablet, with a new photo.
    sync::Capture::FinalizeOptions fix;
    fix.reason = "perbaikan: foto ulang";
    fix.photo = d.store->photos().add(writePhoto(3000, 2));
    auto corrected = d.store->capture().finalize(moveOneVote(validPpwpSheet()), "Siti", fix);
    EXPECT_EQ(corrected.parent, r.id);
    EXPECT_FALSE(d.store->sendBacks().of(kSheet)->answered) << "queued: not at the receiver yet";
    d.client->sync();
    EXPECT_TRUE(d.store->sendBacks().of(kSheet)->answered);
    auto marks = live.store().sheets().sendBacksOf(kSheet);
    ASSERT_EQ(marks.size(), 1u);
    EXPECT_EQ(marks[0].answeredBy, corrected.id);
    EXPECT_EQ(get("/api/v1/send-backs", desk)["answered"], 1);
    EXPECT_EQ(camatRow(camat)["send_backs"]["ppwp"]["state"], "answered");
    // The sheet keeps both photos in its history, and counts the correction.
    auto sheet = get("/api/v1/sheets/9901011001001/ppwp", desk);
    ASSERT_EQ(sheet["history"].size(), 2u);
    EXPECT_EQ(sheet["history"][0]["photos"][0]["photo"],
              "/api/v1/photos/" + *first.photo + "/content");
    EXPECT_EQ(sheet["history"][1]["photo"], "/api/v1/photos/" + *fix.photo + "/content");
    EXPECT_EQ(sheet["winner"], corrected.id);
    ASSERT_EQ(sheet["send_backs"].size(), 1u);
    EXPECT_EQ(sheet["send_backs"][0]["state"], "answered");
    EXPECT_EQ(sheet["send_backs"][0]["answered_by"], corrected.id);
    v = live.store().ledger().verify();
    EXPECT_TRUE(v.ok) << v.failure;
    // The sheet can be sent back again once answered.
    EXPECT_EQ(post(desk, {{"sheet", kSheet}, {"reason", "DPT masih salah"}})->status, 200);
    d.client->sync();
    EXPECT_EQ(d.store->sendBacks().of(kSheet)->reason, "DPT masih salah");
    EXPECT_FALSE(d.store->sendBacks().of(kSheet)->answered);
}

TEST_F(SendBackTest, BadRequestsAreRefusedNamingTheFieldAndOnlyTheDeskSendsBack) {
    auto d = device();
    record(d, validPpwpSheet());
    d.client->sync();
    auto expectError = [&](const std::string& token, const json& body, int status,
                           const std::string& path) {
        auto res = post(token, body);
        EXPECT_EQ(res->status, status) << body.dump() << ": " << res->body;
        if (!path.empty()) {
            EXPECT_EQ(json::parse(res->body)["error"]["path"], path) << res->body;
        }
    };
    auto size = live.store().ledger().ledgerSize();
    expectError(desk, {{"sheet", kSheet}, {"reason", "  "}}, 400, "$.reason");
    expectError(desk, {{"sheet", kSheet}}, 400, "$.reason");
    expectError(desk, {{"sheet", kSheet}, {"reason", std::string(501, 'x')}}, 400, "$.reason");
    expectError(desk, {{"sheet", "9901011001001"}, {"reason", "x"}}, 400, "$.sheet");
    expectError(desk, {{"sheet", "99010110/ppwp"}, {"reason", "x"}}, 400, "$.sheet");
    expectError(desk, {{"sheet", "9901011001001/nope"}, {"reason", "x"}}, 400, "$.sheet");
    expectError(desk, {{"sheet", kSheet}, {"reason", "x"}, {"who", "y"}}, 400, "$.who");
    // A sheet no tablet has sent: nothing to send back.
    expectError(desk, {{"sheet", "9901011001001/pdpr"}, {"reason", "x"}}, 404, "$.sheet");
    // Devices do not send sheets back, not even the TPS's own.
    expectError(d.store->identity().enrolment()->token, {{"sheet", kSheet}, {"reason", "x"}}, 403,
                "");
    EXPECT_EQ(live.store().ledger().ledgerSize(), size) << "nothing recorded";
    // One mark waits at a time.
    expectError(desk, {{"sheet", kSheet}, {"reason", "foto buram"}}, 200, "");
    expectError(desk, {{"sheet", kSheet}, {"reason", "lagi"}}, 409, "$.sheet");
    EXPECT_EQ(live.store().ledger().ledgerSize(), size + 1);
}

TEST_F(SendBackTest, AMarkTheReceiverDidNotSignIsRefusedByTheTabletAndRaisesTheAlarm) {
    auto d = device();
    auto r = record(d, validPpwpSheet());
    d.client->sync();
    auto checkpoint = d.store->feed().checkpoint();
    SendBack forged{AreaCode::parse("9901011001001"),
                    "ppwp",
                    r.id,
                    d.store->identity().enrolment()->device,
                    "Ulangi semua angka",
                    "Desk",
                    "2024-02-14T12:00:00Z",
                    std::nullopt};
    signSendBack(forged, signing::generateKeyPair().privateKey);
    test::sqlOf(live.store())
        ->prepare("INSERT INTO changes (kind, sheet, tps, device, data, created_at) VALUES "
                  "('send_back', ?, ?, NULL, ?, '2024-02-14T12:00:00Z')")
        .bindAll(kSheet, std::string("9901011001001"), json{{"mark", encode(forged)}}.dump())
        .run();
    try {
        d.client->sync();
        ADD_FAILURE() << "the sync went through";
    } catch (const SyncError& e) {
        EXPECT_EQ(e.code(), "ledger_inconsistent");
        EXPECT_NE(std::string(e.what()).find("not signed by the receiver's key"), std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(d.store->receipts().ledgerAlarm().empty());
    EXPECT_FALSE(d.store->sendBacks().of(kSheet)) << "nothing of it kept";
    EXPECT_EQ(d.store->feed().checkpoint(), checkpoint);
}

TEST_F(SendBackTest, AnOlderTabletPassesOverTheNewPullItemAndKeepsSyncing) {
    // A tablet of an earlier version knows no "send_back": its pull decodes every item (the
    // decoder takes any kind) and its store applies only the kinds it knows. The same holds
    // for a kind this version does not know, which is what an older tablet meets here.
    auto d = device();
    record(d, validPpwpSheet());
    d.client->sync();
    ASSERT_EQ(post(desk, {{"sheet", kSheet}, {"reason", "foto buram"}})->status, 200);
    auto res = client->Get("/api/v1/sync/pull?since=0",
                           {{"Authorization", "Bearer " + d.store->identity().enrolment()->token}});
    ASSERT_EQ(res->status, 200) << res->body;
    auto page = protocol::decodePullResponse(json::parse(res->body));
    bool found = false;
    for (auto& c : page.changes)
        if (c.kind == "send_back") {
            found = true;
            c.kind = "send_back_v9"; // unknown to this store, as send_back is to an older one
        }
    ASSERT_TRUE(found);
    d.store->feed().apply(page);
    EXPECT_EQ(d.store->feed().checkpoint(), page.next) << "the checkpoint moves past it";
    EXPECT_FALSE(d.store->sendBacks().of(kSheet));
    // And it keeps syncing: the next revision goes, and so does the pull after it.
    record(d, validPdprSheet());
    auto report = d.client->sync();
    EXPECT_EQ(report.accepted, 1);
}

TEST_F(SendBackTest, VerifyNamesAMarkEditedOrRemovedByHand) {
    auto d = device();
    record(d, validPpwpSheet());
    d.client->sync();
    ASSERT_EQ(post(desk, {{"sheet", kSheet}, {"reason", "foto buram"}})->status, 200);
    ASSERT_TRUE(live.store().ledger().verify().ok);
    auto db = live.store().location();
    // Answered by hand: the desk would read "diperbaiki" for a sheet never corrected.
    editWithSqlite3(live.dir(), db, "UPDATE send_backs SET answered_by = 'x', answered_idx = 99;");
    auto answered = live.store().ledger().verify();
    EXPECT_FALSE(answered.ok);
    EXPECT_NE(answered.failure.find("send_backs"), std::string::npos) << answered.failure;
    editWithSqlite3(
        live.dir(), db,
        "UPDATE send_backs SET answered_by = NULL, answered_idx = NULL, reason = 'ok';");
    auto reason = live.store().ledger().verify();
    EXPECT_FALSE(reason.ok);
    EXPECT_NE(reason.failure.find("send_backs"), std::string::npos) << reason.failure;
    editWithSqlite3(live.dir(), db, "DELETE FROM send_backs;");
    auto removed = live.store().ledger().verify();
    EXPECT_FALSE(removed.ok);
    EXPECT_NE(removed.failure.find("send_backs"), std::string::npos) << removed.failure;
}

TEST_F(SendBackTest, VerifyNamesAMarkMissingFromTheTabletsFeed) {
    auto d = device();
    record(d, validPpwpSheet());
    d.client->sync();
    ASSERT_EQ(post(desk, {{"sheet", kSheet}, {"reason", "foto buram"}})->status, 200);
    editWithSqlite3(live.dir(), live.store().location(),
                    "DELETE FROM changes WHERE kind = 'send_back';");
    auto v = live.store().ledger().verify();
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.failure.find("send_back"), std::string::npos) << v.failure;
}

TEST_F(SendBackTest, TheReplayChecksTheMarksSignatureItsRevisionAndItsAnswer) {
    auto d = device();
    auto r = record(d, validPpwpSheet());
    auto other = record(d, validPdprSheet()); // the same tablet's revision of another sheet
    d.client->sync();
    ASSERT_EQ(post(desk, {{"sheet", kSheet}, {"reason", "foto buram"}})->status, 200);
    auto all = entries();
    auto replayAll = [&](const std::vector<std::string>& list) {
        ledger::Replay replay;
        for (const auto& e : list)
            replay.apply(e);
        return replay.sendBacks();
    };
    auto marks = replayAll(all);
    ASSERT_EQ(marks.size(), 1u);
    EXPECT_EQ(marks[0].revision, r.id);
    EXPECT_FALSE(marks[0].answeredBy);
    auto last = json::parse(all.back());
    ASSERT_EQ(last["kind"], "send_back");
    auto fails = [&](const std::function<void(json&)>& change, const std::string& words) {
        auto copy = all;
        auto e = last;
        change(e);
        copy.back() = e.dump();
        try {
            replayAll(copy);
            ADD_FAILURE() << "replayed: " << copy.back();
        } catch (const ledger::ReplayError& err) {
            EXPECT_EQ(err.index(), static_cast<std::int64_t>(copy.size()) - 1);
            EXPECT_NE(std::string(err.what()).find(words), std::string::npos) << err.what();
        }
    };
    fails([](json& e) { e["mark"]["reason"] = "semua angka salah"; }, "not signed");
    fails([](json& e) { e["mark"].erase("signature"); }, "not signed");
    fails([](json& e) { e["revision"] = "00000000-0000-4000-8000-000000000002"; }, "does not hold");
    // The entry names a revision the ledger holds, but not the one the mark signed.
    fails([&](json& e) { e["revision"] = other.id; }, "does not hold");
    // Sent back twice while the first waits.
    auto twice = all;
    auto again = last;
    again["index"] = all.size();
    twice.push_back(again.dump());
    try {
        replayAll(twice);
        ADD_FAILURE() << "a second waiting mark replayed";
    } catch (const ledger::ReplayError& err) {
        EXPECT_NE(std::string(err.what()).find("still waits"), std::string::npos) << err.what();
    }
    // The correction answers it; a second reading would not have.
    sync::Capture::FinalizeOptions fix;
    fix.reason = "perbaikan";
    auto corrected = d.store->capture().finalize(moveOneVote(validPpwpSheet()), "Siti", fix);
    d.client->sync();
    marks = replayAll(entries());
    ASSERT_EQ(marks.size(), 1u);
    EXPECT_EQ(marks[0].answeredBy, corrected.id);
}

TEST_F(SendBackTest, TheCamatReadsTheRuleAndMessageOfARejectedSheet) {
    auto d = device();
    auto bad = validPpwpSheet();
    bad.candidates[1].votes = 190;
    sync::Capture::FinalizeOptions o;
    o.allowRuleErrors = true;
    d.store->capture().finalize(bad, "Siti", o);
    EXPECT_EQ(d.client->sync().rejected, 1);
    auto camat = enrolSigned(live.store(), live.mint(protocol::Role::Camat, "990101")).token;
    auto row = camatRow(camat);
    EXPECT_EQ(row["contests"]["ppwp"], "rejected");
    ASSERT_TRUE(row["rejections"]["ppwp"].is_array()) << row.dump();
    ASSERT_FALSE(row["rejections"]["ppwp"].empty());
    EXPECT_EQ(row["rejections"]["ppwp"][0]["rule"], "R2");
    EXPECT_FALSE(row["rejections"]["ppwp"][0]["message_id"].get<std::string>().empty())
        << row.dump();
    // A rejected sheet can be sent back too: its rejected revision is the one to correct.
    auto res = post(desk, {{"sheet", kSheet}, {"reason", "Jumlah suara sah tidak cocok"}});
    EXPECT_EQ(res->status, 200) << res->body;
}
