// The QR relay end to end (docs/relay.md): an operator's tablet with no signal shows its queued
// revisions as QR codes; the codes are drawn to pixels (libqrencode) and read back (zxing-cpp),
// as a camera would; a camat's tablet keeps them and forwards them to a real rekap-central; the
// operator's tablet learns the outcome on its own next sync. Exactly once, whatever is scanned
// twice, cut short, changed on the way or carried for a revoked tablet.

#include <gtest/gtest.h>

#include <ZXing/ReadBarcode.h>
#include <memory>
#include <qrencode.h>

#include "rekap/error.h"
#include "rekap/sheet_codec.h"
#include "rekap/sync/relay_code.h"
#include "revisions.h"
#include "sync_fixture.h"

using namespace rekap;
using namespace rekap::test;

namespace {

/// `text` as a QR code drawn at 3 pixels a module (level M, as the tablet draws it), then read
/// back from the pixels by zxing-cpp: what reaches the camat's tablet through its camera.
std::string throughCamera(const std::string& text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
        QRcode_encodeData(static_cast<int>(text.size()),
                          reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!qr)
        throw std::runtime_error("cannot draw a QR code of " + std::to_string(text.size()) +
                                 " characters");
    constexpr int kQuiet = 4, kScale = 3;
    const int side = (qr->width + 2 * kQuiet) * kScale;
    std::vector<unsigned char> pixels(static_cast<std::size_t>(side) * side, 255);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            int my = y / kScale - kQuiet, mx = x / kScale - kQuiet;
            if (my >= 0 && mx >= 0 && my < qr->width && mx < qr->width &&
                (qr->data[my * qr->width + mx] & 1))
                pixels[static_cast<std::size_t>(y) * side + x] = 0;
        }
    auto hints = ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode);
    auto result = ZXing::ReadBarcode({pixels.data(), side, side, ZXing::ImageFormat::Lum}, hints);
    if (!result.isValid())
        throw std::runtime_error("zxing could not read the code back");
    return result.text();
}

class Relay : public SyncFixture {
protected:
    /// A camat's tablet of the tiny regency's first kecamatan, enrolled (master data fetched).
    Device camat() {
        Device d;
        d.store = std::make_unique<sync::DeviceFile>(live.dir().file("camat.db"));
        sync::SyncClient(*d.store, fastOptions())
            .enrol(live.url(), live.mint(protocol::Role::Camat, "990101"), "camat tablet");
        d.client = std::make_unique<sync::SyncClient>(*d.store, fastOptions());
        return d;
    }
    /// The operator's queued revisions as its relay page shows them.
    std::vector<std::string> codesOf(Device& operatorTablet, std::size_t maxFrameChars = 600) {
        std::vector<nlohmann::json> queued;
        for (const auto& e : operatorTablet.store->outbox().all())
            if (e.state == SheetState::Queued)
                queued.push_back(encodeRevision(e.revision));
        return sync::relay::encodeSeries(queued, {maxFrameChars});
    }
    std::int64_t stored() { return live.store().sheets().revisionCount(); }
    std::string relayedState(Device& carrier, const std::string& id) {
        for (const auto& r : carrier.store->relay().relayed())
            if (r.id == id)
                return std::string(sheetStateName(r.state));
        return "";
    }
};

} // namespace

TEST_F(Relay, CodesReadFromPicturesAreStoredOnceAndTheOperatorLearnsOnItsNextSync) {
    auto op = device();
    auto cam = camat();
    auto a = record(op, validPpwpSheet());
    auto b = record(op, validPdprSheet());
    auto c = record(op, validPdpdSheet());
    auto codes = codesOf(op, 300); // small codes: a group spans several
    ASSERT_GT(codes.size(), 3u);
    for (const auto& code : codes)
        cam.store->relay().addCode(throughCamera(code));
    // The camat's hand shakes: codes read twice change nothing.
    auto again = cam.store->relay().addCode(throughCamera(codes.front()));
    EXPECT_TRUE(again.repeated);
    EXPECT_TRUE(again.missing.empty());
    EXPECT_EQ(cam.store->relay().queueDepth(), 3);

    auto report = cam.client->sync();
    EXPECT_EQ(report.relayed, 3);
    EXPECT_EQ(stored(), 3);
    for (const auto& id : {a.id, b.id, c.id})
        EXPECT_EQ(relayedState(cam, id), "accepted");
    // The camat syncs again: nothing is sent twice.
    EXPECT_EQ(cam.client->sync().relayed, 0);

    // The operator's tablet gets a signal: its push is answered as duplicates of what the relay
    // brought, with the same receipts, and nothing is stored again.
    auto mine = op.client->sync();
    EXPECT_EQ(mine.duplicates, 3);
    EXPECT_EQ(mine.accepted, 0);
    EXPECT_EQ(stored(), 3);
    for (const auto& id : {a.id, b.id, c.id}) {
        EXPECT_EQ(stateOf(op, id), SheetState::Accepted);
        ASSERT_TRUE(op.store->receipts().of(id)) << id;
    }
    EXPECT_EQ(op.store->outbox().queueDepth(), 0);
    // The ledger holds each revision once, as the operator's tablet signed it.
    EXPECT_EQ(live.store().sheets().revisionsOf(a.sheet.key()).size(), 1u);
    EXPECT_EQ(live.store().sheets().revisionsOf(a.sheet.key()).front().revision.device,
              op.store->identity().enrolment()->device);
}

TEST_F(Relay, ACutSeriesRelaysItsWholeGroupsAndTheRestGoesWithTheOperatorsSync) {
    auto op = device();
    auto cam = camat();
    auto a = record(op, validPpwpSheet());
    auto b = record(op, validPdprSheet());
    auto c = record(op, validPdpdSheet());
    auto codes = codesOf(op, 200); // each sheet a group of its own, over several codes
    std::vector<sync::relay::Frame> frames;
    for (const auto& code : codes)
        frames.push_back(*sync::relay::parseFrame(code));
    ASSERT_EQ(frames.front().groupStart, 1);
    const int firstGroup = frames.front().groupSize;
    ASSERT_LT(firstGroup + 1, static_cast<int>(codes.size()));
    // The operator walks away after the first group and one code of the second.
    sync::RelayScan last;
    for (int i = 0; i <= firstGroup; ++i)
        last = cam.store->relay().addCode(throughCamera(codes[static_cast<std::size_t>(i)]));
    EXPECT_EQ(last.added, 0);
    EXPECT_EQ(last.scanned, firstGroup + 1);
    EXPECT_EQ(last.missing.size(), codes.size() - static_cast<std::size_t>(firstGroup) - 1);
    EXPECT_EQ(cam.store->relay().queueDepth(), 1);

    EXPECT_EQ(cam.client->sync().relayed, 1);
    EXPECT_EQ(stored(), 1);
    EXPECT_EQ(relayedState(cam, a.id), "accepted");

    auto mine = op.client->sync();
    EXPECT_EQ(mine.duplicates, 1);
    EXPECT_EQ(mine.accepted, 2);
    EXPECT_EQ(stored(), 3);
    for (const auto& id : {a.id, b.id, c.id})
        EXPECT_EQ(stateOf(op, id), SheetState::Accepted);

    // The rest of the series scanned later, after the operator's own sync: duplicates only.
    for (std::size_t i = static_cast<std::size_t>(firstGroup) + 1; i < codes.size(); ++i)
        cam.store->relay().addCode(throughCamera(codes[i]));
    EXPECT_EQ(cam.client->sync().relayed, 2);
    EXPECT_EQ(stored(), 3);
    EXPECT_EQ(relayedState(cam, b.id), "accepted");
}

TEST_F(Relay, ANumberChangedOnTheWayIsRefusedAndTheTrueSheetStillCounts) {
    auto op = device();
    auto cam = camat();
    auto truth = record(op, validPpwpSheet());
    // Clumsy: one paslon's votes raised, the rest left as it was. The camat's tablet sees the
    // content no longer matches its hash and does not even keep it.
    auto clumsy = encodeRevision(truth);
    clumsy["sheet"] = encodeSheet(moveOneVote(truth.sheet));
    EXPECT_THROW(for (const auto& code
                      : sync::relay::encodeSeries({clumsy})) cam.store->relay()
                     .addCode(code),
                 DecodeError);
    EXPECT_EQ(cam.store->relay().queueDepth(), 0);
    // Careful: the hash recomputed too. Only the operator's key could sign that.
    auto forged = truth;
    forged.sheet = moveOneVote(truth.sheet);
    ASSERT_NE(encodeRevision(forged)["hash"], encodeRevision(truth)["hash"]);
    for (const auto& code : sync::relay::encodeSeries({encodeRevision(forged)}))
        cam.store->relay().addCode(throughCamera(code));
    ASSERT_EQ(cam.store->relay().queueDepth(), 1);
    cam.client->sync();
    EXPECT_EQ(relayedState(cam, truth.id), "refused");
    EXPECT_NE(cam.store->relay().relayed().front().error.find("signature"), std::string::npos)
        << cam.store->relay().relayed().front().error;
    EXPECT_EQ(stored(), 0);

    // The operator's own push is not held against it: the true sheet is accepted and counted.
    auto mine = op.client->sync();
    EXPECT_EQ(mine.accepted, 1);
    EXPECT_EQ(stored(), 1);
    auto kept = live.store().sheets().revisionsOf(truth.sheet.key());
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept.front().hash, truth.hash());
}

TEST_F(Relay, SheetsOfARevokedOrUnknownTabletAreRefused) {
    auto op = device();
    auto cam = camat();
    auto r = record(op, validPpwpSheet());
    live.store().registry().revokeDevice(op.store->identity().enrolment()->device);
    auto stranger = record(op, validPdpdSheet());
    stranger.device = "no-such-device";
    std::vector<nlohmann::json> queued = {encodeRevision(r), encodeRevision(stranger)};
    for (const auto& code : sync::relay::encodeSeries(queued))
        cam.store->relay().addCode(throughCamera(code));
    cam.client->sync();
    auto rows = cam.store->relay().relayed();
    ASSERT_EQ(rows.size(), 2u);
    for (const auto& row : rows) {
        EXPECT_EQ(row.state, SheetState::Refused) << row.id;
        EXPECT_FALSE(row.error.empty());
    }
    EXPECT_NE(rows[0].error.find("device_revoked"), std::string::npos) << rows[0].error;
    EXPECT_EQ(stored(), 0);
}

TEST_F(Relay, WhatIsNotARelayCodeOrIsMisreadIsRefusedWithoutHarm) {
    auto op = device();
    auto cam = camat();
    record(op, validPpwpSheet());
    EXPECT_THROW(cam.store->relay().addCode("rekap://enrol?code=ABC"), DecodeError);
    EXPECT_THROW(cam.store->relay().addCode("RKR1/zz/1/1/1/1/abc"), DecodeError);
    EXPECT_THROW(cam.store->relay().addCode("RKR1/0123abcd/3/2/1/1/abc"), DecodeError);
    // A whole group whose data was misread: refused, and its codes dropped so that scanning
    // the right ones completes it.
    auto codes = codesOf(op, 200);
    auto frame = *sync::relay::parseFrame(codes.front());
    ASSERT_GT(frame.groupSize, 1);
    for (int i = 1; i < frame.groupSize; ++i)
        cam.store->relay().addCode(codes[static_cast<std::size_t>(i)]);
    auto broken = frame;
    auto& c = broken.data[broken.data.size() / 2]; // inside the compressed sheet
    c = c == 'A' ? 'B' : 'A';
    EXPECT_THROW(cam.store->relay().addCode(sync::relay::encodeFrame(broken)), DecodeError);
    EXPECT_EQ(cam.store->relay().queueDepth(), 0);
    sync::RelayScan scan;
    for (const auto& code : codes)
        scan = cam.store->relay().addCode(code);
    EXPECT_TRUE(scan.missing.empty());
    EXPECT_EQ(cam.store->relay().queueDepth(), 1);
    EXPECT_EQ(cam.client->sync().relayed, 1);
    EXPECT_EQ(stored(), 1);
}

TEST_F(Relay, ARelayRequestNeedsAnEnrolledTablet) {
    auto op = device();
    auto r = record(op, validPpwpSheet());
    sync::HttpClient http;
    auto body = nlohmann::json{{"revisions", {encodeRevision(r)}}}.dump();
    auto res = http.send(
        {"POST", live.url() + "/api/v1/sync/relay", {"Content-Type: application/json"}, body});
    EXPECT_EQ(res.status, 401);
    EXPECT_EQ(stored(), 0);
}

TEST_F(Relay, AnOversizedOrMalformedRelayIsRefusedAndNothingIsStored) {
    auto op = device();
    auto cam = camat();
    record(op, validPpwpSheet());
    sync::HttpClient http;
    const std::vector<std::string> headers = {"Content-Type: application/json",
                                              "Authorization: Bearer " +
                                                  cam.store->identity().enrolment()->token};
    // Larger than any push may be (8 MiB as sent): refused before it is read whole.
    std::string huge = R"({"revisions": [")" + std::string(9u << 20, 'x') + R"("]})";
    auto big = http.send({"POST", live.url() + "/api/v1/sync/relay", headers, huge});
    EXPECT_EQ(big.status, 413) << big.body;
    // Not a list of revisions: the answer names the field.
    auto bad = http.send(
        {"POST", live.url() + "/api/v1/sync/relay", headers, R"({"revisions": {"id": "x"}})"});
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_NE(bad.body.find("$.revisions"), std::string::npos) << bad.body;
    auto unknown = http.send(
        {"POST", live.url() + "/api/v1/sync/relay", headers, R"({"revisions": [], "extra": 1})"});
    EXPECT_EQ(unknown.status, 400) << unknown.body;
    EXPECT_EQ(stored(), 0);
}
