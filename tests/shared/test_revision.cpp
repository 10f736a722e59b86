// Revisions: fixed hash vectors (so every machine and both sides agree), and decoding errors.

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/error.h"
#include "rekap/revision.h"
#include "rekap/sha256.h"

using namespace rekap;
using namespace rekap::test;

namespace {
Revision sampleRevision() {
    Revision r;
    r.id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    r.device = "dev-1";
    r.operatorName = "Siti Aminah";
    r.capturedAt = "2024-02-14T10:06:00Z";
    r.sheet = validPpwpSheet();
    return r;
}
std::string decodeError(const nlohmann::json& j) {
    try {
        decodeRevision(j, tinyRegency(), "rev.json");
    } catch (const DecodeError& e) {
        return e.what();
    }
    return "ok";
}
} // namespace

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_TRUE(isSha256Hex(sha256Hex("x")));
    EXPECT_FALSE(isSha256Hex("ABC"));
}

TEST(Revision, CanonicalTextIsFixed) {
    auto r = sampleRevision();
    EXPECT_EQ(canonicalRevisionText(r),
              R"({"captured_at":"2024-02-14T10:06:00Z","device":"dev-1",)"
              R"("id":"0f8fad5b-d9cb-469f-a165-70867728950e","operator":"Siti Aminah",)"
              R"("sheet":{"ballots":{"damaged":3,"received":204,"unused":25,"used":176},)"
              R"("contest":"ppwp","disabled_voters":{"l":2,"p":1,"total":3},)"
              R"("summary":{"invalid":6,"total":176,"valid":170},"tps":"9901011001001",)"
              R"("voters":{"dpt":{"l":100,"p":100,"total":200},"from_dpk":{"l":1,"p":0,)"
              R"("total":1},"from_dpt":{"l":80,"p":90,"total":170},"from_dptb":{"l":3,"p":2,)"
              R"("total":5},"total":{"l":84,"p":92,"total":176}},"votes":{"candidates":[)"
              R"({"number":1,"votes":70},{"number":2,"votes":90},{"number":3,"votes":10}]}}})");
}

TEST(Revision, HashVectors) {
    // Fixed vectors, computed independently with Python's json.dumps(sort_keys=True,
    // separators=(',', ':'), ensure_ascii=True) and hashlib. A change here breaks idempotent sync
    // with every device in the field.
    auto r = sampleRevision();
    EXPECT_EQ(r.hash(), sha256Hex(canonicalRevisionText(r)));
    EXPECT_EQ(r.hash(), "c626a66084fa958853f39245d9f38bbdfaeba54c8903fb2644bd23a7f52562a2");
    r.parent = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    r.reason = "Salah baca: paslon 02 = 90";
    r.operatorName = "Siti Aminah \xC3\xA9"; // non-ASCII is escaped, not platform-dependent
    EXPECT_EQ(r.hash(), "bf1e330443bd121edd6d39596488974ff8ac1d239b97b79d90591a43af1dc125");
}

TEST(Revision, HashChangesWithAnyNumber) {
    auto a = sampleRevision();
    auto b = a;
    b.sheet.disabledVoters = {1, 2, 3};
    EXPECT_NE(a.hash(), b.hash());
}

TEST(Revision, RoundTrip) {
    auto r = sampleRevision();
    r.photo = sha256Hex("photo bytes");
    auto j = encodeRevision(r);
    EXPECT_EQ(j["hash"], r.hash());
    EXPECT_EQ(decodeRevision(j, tinyRegency()), r);
}

TEST(Revision, HashMismatchIsRefused) {
    auto j = encodeRevision(sampleRevision());
    j["sheet"]["votes"]["candidates"][0]["votes"] = 71;
    auto e = decodeError(j);
    EXPECT_NE(e.find("rev.json: $.hash: does not match the content"), std::string::npos) << e;
}

TEST(Revision, DecodingErrors) {
    auto j = encodeRevision(sampleRevision());
    j.erase("hash");
    j["id"] = "0F8FAD5B-D9CB-469F-A165-70867728950E";
    EXPECT_EQ(decodeError(j), "rev.json: $.id: '0F8FAD5B-D9CB-469F-A165-70867728950E' is not a "
                              "lower-case UUID");
    j = encodeRevision(sampleRevision());
    j.erase("hash");
    j["parent"] = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    EXPECT_EQ(decodeError(j),
              "rev.json: $: a correction (a revision with a parent) needs a reason");
    j["reason"] = "x";
    j["parent"] = j["id"];
    EXPECT_EQ(decodeError(j), "rev.json: $.parent: a revision cannot be its own parent");
    j = encodeRevision(sampleRevision());
    j["captured_at"] = "2024-02-14 10:06";
    EXPECT_EQ(decodeError(j),
              "rev.json: $.captured_at: expected a UTC time like 2024-02-14T10:06:00Z");
    j = encodeRevision(sampleRevision());
    j["photo"] = "abc";
    EXPECT_NE(decodeError(j).find("$.photo: expected the photo's SHA-256"), std::string::npos);
    j = encodeRevision(sampleRevision());
    j["sheet"]["summary"]["valid"] = "170";
    EXPECT_EQ(decodeError(j),
              "rev.json: $.sheet.summary.valid: expected a whole number, got string");
    j = encodeRevision(sampleRevision());
    j["device"] = "";
    EXPECT_EQ(decodeError(j), "rev.json: $.device: must not be empty");
}

TEST(Revision, TimestampShape) {
    EXPECT_TRUE(isUtcTimestamp("2024-02-14T23:59:59Z"));
    EXPECT_FALSE(isUtcTimestamp("2024-13-14T10:00:00Z"));
    EXPECT_FALSE(isUtcTimestamp("2024-02-14T10:00:00+08:00"));
}
