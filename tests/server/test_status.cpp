// The camat's sync status per TPS: which reported, which still sit on a device, which conflict
// or were rejected, and which sent only some of their sheets. Each status is set up on its own,
// then in combinations that show the order in which they win: conflict, rejected, on_device,
// partial, accepted, not_received. The expected figures are written by hand.

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/central/reports.h"
#include "rekap/central/store.h"
#include "revisions.h"
#include "store_test.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class Status : public StoreSuite {
protected:
    /// Pushes `sheets` from `d`, the device reporting `queueDepth` revisions on it (those sent
    /// included, as a push reports it).
    void push(const central::DeviceRecord& d, const std::vector<Sheet>& sheets, int queueDepth) {
        auto revs = json::array();
        for (const auto& s : sheets)
            revs.push_back(encodeRevision(makeRevision(d.id, s)));
        central::DeviceReport report;
        report.queueDepth = queueDepth;
        store->intake().ingest(d, revs, report);
    }
    /// A device's word on what it holds, as any request carries it.
    void reports(const central::DeviceRecord& d, int queueDepth) {
        central::DeviceReport r;
        r.queueDepth = queueDepth;
        store->registry().recordContact(d.id, r);
    }
    std::string statusOf(const std::string& tps) {
        for (const auto& s : store->sheets().status(AreaCode::parse("9901")))
            if (s.tps == tps)
                return std::string(sheetStateName(s.status));
        return "(no such TPS)";
    }
    static Sheet misread(Sheet s) {
        s.summary.invalid += 1; // R3
        return s;
    }
    const std::string tps = "9901011001001"; // takes ppwp, pdpr and pdpd
};

} // namespace

TEST_P(Status, NothingYetIsNotReceived) {
    enrol(tps);
    EXPECT_EQ(statusOf(tps), "not_received");
}

TEST_P(Status, OneSheetOfSeveralIsPartialNotAccepted) {
    auto d = enrol(tps);
    push(d, {validPpwpSheet()}, 1);
    EXPECT_EQ(statusOf(tps), "partial") << "1 of 3 sheets in: not yet the TPS's result";
    push(d, {validPdprSheet()}, 1);
    EXPECT_EQ(statusOf(tps), "partial");
    push(d, {validPdpdSheet()}, 1);
    EXPECT_EQ(statusOf(tps), "accepted");
}

TEST_P(Status, ATpsWithOneContestIsAcceptedWithItsOneSheet) {
    const std::string single = "9901011002001"; // takes ppwp only
    auto d = enrol(single);
    auto s = validPpwpSheet();
    s.tps = AreaCode::parse(single);
    s.voters.dpt = {120, 130, 250};
    push(d, {s}, 1);
    EXPECT_EQ(statusOf(single), "accepted");
    auto all = store->sheets().status(AreaCode::parse(single.substr(0, 10)));
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].expectedContests, 1);
}

TEST_P(Status, OnDeviceWhileADeviceStillHoldsRevisions) {
    auto a = enrol(tps, "a");
    auto b = enrol(tps, "b");
    reports(b, 2); // b recorded two sheets, offline
    EXPECT_EQ(statusOf(tps), "on_device") << "nothing arrived, but two sheets wait on b";
    push(a, {validPpwpSheet(), validPdprSheet(), validPdpdSheet()}, 3);
    EXPECT_EQ(statusOf(tps), "on_device") << "everything in, yet b still holds two";
    reports(b, 0); // b synced them (duplicates of a's numbers, say)
    EXPECT_EQ(statusOf(tps), "accepted");
    // The depth a push reports counts what it sends: answered, they leave the device.
    push(b, {validPpwpSheet()}, 1);
    EXPECT_EQ(statusOf(tps), "accepted");
    auto devices = store->sheets().status(AreaCode::parse(tps))[0].devices;
    ASSERT_EQ(devices.size(), 2u);
    for (const auto& dev : devices)
        EXPECT_EQ(dev.queueDepth, 0) << dev.id;
}

TEST_P(Status, OnDeviceOutranksPartial) {
    auto d = enrol(tps);
    push(d, {validPpwpSheet()}, 3); // two more still queued on it
    EXPECT_EQ(statusOf(tps), "on_device");
    reports(d, 0);
    EXPECT_EQ(statusOf(tps), "partial");
}

TEST_P(Status, ConflictOutranksEverything) {
    auto a = enrol(tps, "a");
    auto b = enrol(tps, "b");
    push(a, {validPpwpSheet(), misread(validPdprSheet())}, 2);
    EXPECT_EQ(statusOf(tps), "rejected");
    push(b, {moveOneVote(validPpwpSheet())}, 4); // a conflict, and three more on b
    EXPECT_EQ(statusOf(tps), "conflict") << "before rejected and on_device";
    auto s = store->sheets().status(AreaCode::parse(tps))[0];
    EXPECT_EQ(s.contests["ppwp"], SheetState::Conflict);
    EXPECT_EQ(s.contests["pdpr"], SheetState::Rejected);
    EXPECT_EQ(s.contests.count("pdpd"), 0u);
}

TEST_P(Status, RejectedOutranksOnDevice) {
    auto d = enrol(tps);
    push(d, {misread(validPpwpSheet())}, 3);
    EXPECT_EQ(statusOf(tps), "rejected") << "the rejection needs the camat first";
}

TEST_P(Status, TheReportCountsEachTpsOnceUnderItsStatus) {
    auto a = enrol(tps, "a");
    push(a, {validPpwpSheet()}, 1); // partial
    auto other = "9901011002001";
    auto b = enrol(other);
    auto s = validPpwpSheet();
    s.tps = AreaCode::parse(other);
    s.voters.dpt = {120, 130, 250};
    push(b, {moveOneVote(s)}, 1); // accepted (its only contest)
    auto c = enrol("9901021001001");
    reports(c, 1); // on_device
    auto r = central::statusReport(*store, AreaCode::parse("9901"));
    EXPECT_EQ(r["totals"],
              (json{{"partial", 1}, {"accepted", 1}, {"on_device", 1}, {"not_received", 1}}));
    auto tpsOf = [&](const std::string& code) {
        for (const auto& d : r["desa"])
            for (const auto& t : d["tps"])
                if (t["tps"] == code)
                    return t;
        return json();
    };
    EXPECT_EQ(tpsOf(tps)["status"], "partial");
    EXPECT_EQ(tpsOf(tps)["expected_contests"], 3);
    EXPECT_EQ(tpsOf(tps)["contests"], (json{{"ppwp", "accepted"}}));
    EXPECT_EQ(tpsOf("9901021001001")["devices"][0]["queue_depth"], 1);
}

INSTANTIATE_STORE_SUITE(Status);
