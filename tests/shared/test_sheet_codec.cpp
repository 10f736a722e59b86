// Round trips and every decoding error path of the sheet codec.

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rekap/error.h"
#include "rekap/sheet_codec.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {
/// The error message of decoding `j`, or "ok".
std::string decodeError(const json& j) {
    try {
        decodeSheet(j, tinyRegency(), "sheet.json");
    } catch (const DecodeError& e) {
        return e.what();
    }
    return "ok";
}
} // namespace

TEST(SheetCodec, RoundTripsEveryBallotKind) {
    for (const auto& s : {validPpwpSheet(), validPdprSheet(), validPdpdSheet()}) {
        auto j = encodeSheet(s);
        EXPECT_EQ(decodeSheet(j, tinyRegency()), s) << j.dump();
        // Through text as well, as it travels.
        EXPECT_EQ(decodeSheet(json::parse(j.dump()), tinyRegency()), s);
    }
}

TEST(SheetCodec, EncodingIsCanonicalWhateverTheOrderOfSectionIV) {
    auto a = validPdprSheet();
    auto b = a;
    std::swap(b.parties[0], b.parties[1]);
    std::swap(b.parties[1].candidates[0], b.parties[1].candidates[1]);
    EXPECT_EQ(encodeSheet(a).dump(), encodeSheet(b).dump());
    // Decoding sorts as well, so decoded sheets compare equal.
    EXPECT_EQ(decodeSheet(encodeSheet(b), tinyRegency()), a);
}

TEST(SheetCodec, WrongTypeNamesThePath) {
    auto j = encodeSheet(validPpwpSheet());
    j["voters"]["from_dpt"]["l"] = "80";
    EXPECT_EQ(decodeError(j),
              "sheet.json: $.voters.from_dpt.l: expected a whole number, got string");
}

TEST(SheetCodec, NegativeCount) {
    auto j = encodeSheet(validPpwpSheet());
    j["votes"]["candidates"][1]["votes"] = -3;
    EXPECT_EQ(decodeError(j),
              "sheet.json: $.votes.candidates[1].votes: must be at least 0, got -3");
}

TEST(SheetCodec, OutOfRangeCount) {
    auto j = encodeSheet(validPpwpSheet());
    j["summary"]["valid"] = 100000;
    EXPECT_EQ(decodeError(j), "sheet.json: $.summary.valid: must be at most 99999, got 100000");
}

TEST(SheetCodec, FractionalCount) {
    auto j = encodeSheet(validPpwpSheet());
    j["ballots"]["used"] = 17.5;
    EXPECT_EQ(decodeError(j),
              "sheet.json: $.ballots.used: expected a whole number, got fraction 17.5");
}

TEST(SheetCodec, MissingField) {
    auto j = encodeSheet(validPpwpSheet());
    j["summary"].erase("invalid");
    EXPECT_EQ(decodeError(j), "sheet.json: $.summary: missing field 'invalid'");
    j = encodeSheet(validPpwpSheet());
    j.erase("ballots");
    EXPECT_EQ(decodeError(j), "sheet.json: $: missing field 'ballots'");
}

TEST(SheetCodec, UnknownField) {
    auto j = encodeSheet(validPpwpSheet());
    j["voters"]["dptx"] = {{"l", 1}};
    EXPECT_EQ(decodeError(j), "sheet.json: $.voters.dptx: unknown field 'dptx'");
}

TEST(SheetCodec, UnknownContest) {
    auto j = encodeSheet(validPpwpSheet());
    j["contest"] = "pilpres";
    EXPECT_EQ(decodeError(j), "sheet.json: $.contest: unknown contest 'pilpres'");
}

TEST(SheetCodec, ContestNotOnThisTpsBallot) {
    auto j = encodeSheet(validPdpdSheet());
    j["tps"] = "9901011002001";
    EXPECT_EQ(decodeError(j),
              "sheet.json: $.contest: TPS 9901011002001 does not receive contest pdpd");
}

TEST(SheetCodec, UnknownAndBadTps) {
    auto j = encodeSheet(validPpwpSheet());
    j["tps"] = "9901011001009";
    EXPECT_NE(decodeError(j).find("$.tps: TPS 9901011001009 is not in the master data"),
              std::string::npos);
    j["tps"] = "990101";
    EXPECT_EQ(decodeError(j), "sheet.json: $.tps: expected a 13-digit TPS code, got '990101'");
    j["tps"] = "99x";
    EXPECT_NE(decodeError(j).find("$.tps: area code '99x' must contain only digits"),
              std::string::npos);
}

TEST(SheetCodec, UnknownCandidate) {
    auto j = encodeSheet(validPpwpSheet());
    j["votes"]["candidates"][2]["number"] = 4;
    EXPECT_EQ(decodeError(j),
              "sheet.json: $.votes.candidates[2].number: no paslon number 4 on this ballot");
}

TEST(SheetCodec, MissingCandidate) {
    auto j = encodeSheet(validPpwpSheet());
    j["votes"]["candidates"].erase(1);
    EXPECT_EQ(decodeError(j), "sheet.json: $.votes.candidates: missing paslon number 2 (Dua)");
}

TEST(SheetCodec, RepeatedCandidate) {
    auto j = encodeSheet(validPdpdSheet());
    j["votes"]["candidates"][2]["number"] = 1;
    EXPECT_EQ(decodeError(j),
              "sheet.json: $.votes.candidates[2].number: candidate 1 appears twice");
}

TEST(SheetCodec, PartyErrors) {
    auto j = encodeSheet(validPdprSheet());
    j["votes"]["parties"][1]["party"] = 5;
    EXPECT_EQ(decodeError(j),
              "sheet.json: $.votes.parties[1].party: party 5 has no list in dapil D1");
    j = encodeSheet(validPdprSheet());
    j["votes"]["parties"].erase(0);
    EXPECT_EQ(decodeError(j), "sheet.json: $.votes.parties: missing party 1 (PKB)");
    j = encodeSheet(validPdprSheet());
    j["votes"]["parties"][0]["candidates"][0]["number"] = 3;
    EXPECT_EQ(decodeError(j), "sheet.json: $.votes.parties[0].candidates[0].number: no candidate "
                              "number 3 on this ballot");
    j = encodeSheet(validPdprSheet());
    j["votes"]["parties"][0].erase("party_only");
    EXPECT_EQ(decodeError(j), "sheet.json: $.votes.parties[0]: missing field 'party_only'");
}

TEST(SheetCodec, SectionIVShapeMustMatchTheBallotKind) {
    auto j = encodeSheet(validPpwpSheet());
    j["votes"] = {{"parties", json::array()}};
    EXPECT_EQ(decodeError(j), "sheet.json: $.votes.parties: unknown field 'parties'");
}

TEST(SheetCodec, NotAnObject) {
    EXPECT_EQ(decodeError(json::array()), "sheet.json: $: expected an object, got array");
    auto j = encodeSheet(validPpwpSheet());
    j["voters"] = 5;
    EXPECT_EQ(decodeError(j), "sheet.json: $.voters: expected an object, got number 5");
}

TEST(SheetCodec, BlankSheetFollowsTheBallot) {
    const auto& reg = tinyRegency();
    const auto* tps = reg.findTps(AreaCode::parse("9901011001001"));
    auto s = blankSheet(tps->code, *reg.ballotFor(*tps, *reg.findContest("pdpr")));
    ASSERT_EQ(s.parties.size(), 2u);
    EXPECT_EQ(s.parties[1].candidates.size(), 2u);
    EXPECT_NO_THROW(decodeSheet(encodeSheet(s), reg));
}
