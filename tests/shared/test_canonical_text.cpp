// The direct canonical writer against the JSON tree it replaces: for random sheets of every
// ballot kind and revisions with awkward strings, the bytes (and so every hash) are the same.

#include <gtest/gtest.h>

#include <random>

#include "fixtures.h"
#include "rekap/canonical_text.h"
#include "rekap/master_data.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

/// The revision's JSON as a tree, the way it was built before the direct writer.
json treeOf(const Revision& r) {
    json j = {{"id", r.id},
              {"device", r.device},
              {"operator", r.operatorName},
              {"captured_at", r.capturedAt},
              {"sheet", encodeSheet(r.sheet)}};
    if (r.parent)
        j["parent"] = *r.parent;
    if (!r.reason.empty())
        j["reason"] = r.reason;
    if (r.photo)
        j["photo"] = *r.photo;
    return j;
}

void scramble(Sheet& s, std::mt19937& rng) {
    std::uniform_int_distribution<int> n(-5, 1200);
    for (auto* c : {&s.voters.dpt, &s.voters.fromDpt, &s.voters.fromDptb, &s.voters.fromDpk,
                    &s.voters.total, &s.disabledVoters})
        *c = {n(rng), n(rng), n(rng)};
    s.ballots = {n(rng), n(rng), n(rng), n(rng)};
    s.summary = {n(rng), n(rng), n(rng)};
    for (auto& c : s.candidates)
        c.votes = n(rng);
    std::shuffle(s.candidates.begin(), s.candidates.end(), rng);
    for (auto& p : s.parties) {
        p.partyOnly = n(rng);
        p.total = n(rng);
        for (auto& c : p.candidates)
            c.votes = n(rng);
        std::shuffle(p.candidates.begin(), p.candidates.end(), rng);
    }
    std::shuffle(s.parties.begin(), s.parties.end(), rng);
}

const std::vector<std::string> kNames = {
    "Siti",       "Nur \"Ina\" Aini", "back\\slash", "tab\there", "line\nbreak",
    "del\x7f",    "ctl\x01",          "Dédé Ümar",   "平和",      "emoji \xf0\x9f\x97\xb3",
    std::string()};

} // namespace

TEST(CanonicalText, SheetsMatchTheJsonTreeByteForByte) {
    std::mt19937 rng(11);
    for (int i = 0; i < 300; ++i) {
        for (auto s : {validPpwpSheet(), validPdprSheet(), validPdpdSheet()}) {
            scramble(s, rng);
            for (bool ascii : {false, true}) {
                std::string direct;
                canonical::appendSheet(direct, s, ascii);
                ASSERT_EQ(direct, encodeSheet(s).dump(-1, ' ', ascii));
            }
        }
    }
}

TEST(CanonicalText, RevisionsMatchTheJsonTreeByteForByte) {
    std::mt19937 rng(12);
    for (std::size_t i = 0; i < 400; ++i) {
        Revision r;
        r.id = "0b5c7a4e-1f2d-4c3b-9a8e-7d6c5b4a3f2" + std::to_string(i % 10);
        r.device = "dev-" + kNames[i % kNames.size()];
        r.operatorName = kNames[(i + 3) % kNames.size()];
        r.capturedAt = "2024-02-14T10:06:00Z";
        if (i % 2)
            r.parent = "9a8e7d6c-5b4a-4f2d-8c3b-0b5c7a4e1f20";
        if (i % 3)
            r.reason = kNames[(i + 5) % kNames.size()];
        if (i % 5 == 0)
            r.photo = std::string(64, 'a');
        r.sheet = i % 3 == 0 ? validPpwpSheet() : i % 3 == 1 ? validPdprSheet() : validPdpdSheet();
        scramble(r.sheet, rng);
        auto tree = treeOf(r);
        // What hash() digests: no hash, ASCII-escaped.
        EXPECT_EQ(canonicalRevisionText(r), tree.dump(-1, ' ', true)) << i;
        EXPECT_EQ(r.hash(), sha256Hex(tree.dump(-1, ' ', true)));
        // What the receiver stores: with the hash, UTF-8 as it came.
        auto texts = revisionTexts(r);
        tree["hash"] = texts.hash;
        EXPECT_EQ(texts.body, tree.dump()) << i;
        EXPECT_EQ(texts.sheet, encodeSheet(r.sheet).dump());
        EXPECT_EQ(encodeRevision(r), tree);
    }
}

TEST(CanonicalText, InvalidUtf8IsRefusedAsTheSerializerRefusesIt) {
    Revision r;
    r.id = "0b5c7a4e-1f2d-4c3b-9a8e-7d6c5b4a3f20";
    r.device = "d";
    r.operatorName = "bad \xff byte";
    r.capturedAt = "2024-02-14T10:06:00Z";
    r.sheet = validPpwpSheet();
    EXPECT_THROW(r.hash(), json::type_error);
}
