// The form as typed: blanks are not zeros, computed boxes follow what is typed, a rule waits for
// its boxes, drafts round-trip (and old whole-sheet drafts still open).

#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.h"
#include "rekap/error.h"
#include "rekap/sheet_codec.h"
#include "rekap/sheet_form.h"

using namespace rekap;
using namespace rekap::test;

namespace {
const Tps& tps() {
    return *tinyRegency().findTps(AreaCode::parse("9901011001001"));
}
SheetForm startForm(const std::string& contest) {
    const auto& reg = tinyRegency();
    return SheetForm::start(tps(), *reg.ballotFor(tps(), *reg.findContest(contest)));
}
std::vector<std::string> rulesOf(const SheetForm& f) {
    std::vector<std::string> out;
    for (const auto& x : f.findings(*tinyRegency().findContest(f.contest()), tps()))
        out.push_back(x.rule);
    return out;
}
/// Types every entered box of `sheet` into `form` except those in `skip`.
void typeAll(SheetForm& form, const Sheet& sheet, const std::vector<std::string>& skip = {}) {
    auto full = SheetForm::filled(sheet);
    for (const auto& id : full.fields())
        if (!full.isComputed(id) && std::find(skip.begin(), skip.end(), id) == skip.end())
            form.set(id, full.value(id));
}
} // namespace

TEST(SheetForm, StartsBlankButForTheDpt) {
    auto form = startForm("ppwp");
    EXPECT_EQ(form.value("voters.dpt.l"), 100);
    EXPECT_EQ(form.value("voters.dpt.total"), 200);
    EXPECT_FALSE(form.value("voters.from_dpt.l").has_value());
    EXPECT_FALSE(form.value("summary.total").has_value()) << "a computed box of blanks is blank";
    EXPECT_FALSE(form.complete());
    auto blanks = form.blankFields();
    EXPECT_EQ(blanks.front(), "voters.from_dpt.l") << "in the form's order";
    EXPECT_EQ(blanks.back(), "summary.invalid");
    EXPECT_TRUE(rulesOf(form).empty()) << "nothing typed, nothing to check yet";
}

TEST(SheetForm, ComputedBoxesFollowTheTypedOnes) {
    auto form = startForm("ppwp");
    form.set("voters.from_dpt.l", 80);
    EXPECT_FALSE(form.value("voters.from_dpt.total").has_value());
    form.set("voters.from_dpt.p", 90);
    EXPECT_EQ(form.value("voters.from_dpt.total"), 170);
    EXPECT_FALSE(form.value("voters.total.l").has_value()) << "B2 and B3 are still blank";
    form.set("voters.from_dptb.l", 3);
    form.set("voters.from_dpk.l", 1);
    EXPECT_EQ(form.value("voters.total.l"), 84);
    EXPECT_THROW(form.set("summary.total", 5), std::invalid_argument);
    EXPECT_THROW(form.set("voters.total.l", 5), std::invalid_argument);
    EXPECT_THROW(form.set("votes.candidates.9", 5), std::invalid_argument);
    EXPECT_THROW(form.set("ballots.used", -1), std::invalid_argument);
}

TEST(SheetForm, ClearingABoxClearsItsValue) {
    auto form = startForm("ppwp");
    typeAll(form, validPpwpSheet());
    EXPECT_TRUE(form.complete());
    form.set("votes.candidates.2", std::nullopt);
    EXPECT_FALSE(form.value("votes.candidates.2").has_value());
    EXPECT_EQ(form.blankFields(), std::vector<std::string>{"votes.candidates.2"});
    EXPECT_EQ(form.sheet().candidates[1].votes, 0) << "a blank box counts for nothing";
    // R2 names the cleared box, so it is not checked until the box is typed again.
    EXPECT_TRUE(rulesOf(form).empty());
}

TEST(SheetForm, ARuleWaitsUntilItsBoxesAreTyped) {
    auto form = startForm("ppwp");
    auto sheet = validPpwpSheet();
    sheet.ballots.used = 177; // R4 against I.B4 = V.C = 176
    sheet.ballots.unused = 24;
    typeAll(form, sheet, {"summary.invalid", "voters.from_dpk.p"});
    EXPECT_TRUE(rulesOf(form).empty()) << "I.B4 and V.C are not complete yet";
    form.set("voters.from_dpk.p", 0);
    EXPECT_TRUE(rulesOf(form).empty()) << "V.C is not complete yet";
    form.set("summary.invalid", 6);
    auto fs = form.findings(*tinyRegency().findContest("ppwp"), tps());
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].rule, "R4");
    EXPECT_NE(fs[0].messageId.find("Selisih 1"), std::string::npos) << fs[0].messageId;
    EXPECT_NE(fs[0].messageEn.find("Off by 1"), std::string::npos);
    EXPECT_EQ(form.anchor(fs[0]), "ballots.used") << "shown beside the box one can fix";
}

TEST(SheetForm, TheSheetOfACompleteFormIsWhatWasTyped) {
    for (const auto& sheet : {validPpwpSheet(), validPdprSheet(), validPdpdSheet()}) {
        auto form = startForm(sheet.contest);
        typeAll(form, sheet);
        EXPECT_TRUE(form.complete()) << sheet.contest;
        EXPECT_EQ(form.sheet(), sheet) << sheet.contest;
        EXPECT_EQ(SheetForm::filled(sheet).sheet(), sheet) << sheet.contest;
    }
}

TEST(SheetForm, PartyTotalsAreComputedAndNavigationSkipsThem) {
    auto form = startForm("pdpr");
    EXPECT_TRUE(form.isComputed("votes.parties.1.total"));
    EXPECT_FALSE(form.isComputed("votes.parties.1.party_only"));
    form.set("votes.parties.1.party_only", 30);
    form.set("votes.parties.1.candidates.1", 20);
    EXPECT_FALSE(form.value("votes.parties.1.total").has_value());
    form.set("votes.parties.1.candidates.2", 10);
    EXPECT_EQ(form.value("votes.parties.1.total"), 60);
    // Next from the last caleg of party 1 goes over party 2's total to its party-only box.
    EXPECT_EQ(form.nextEntered("votes.parties.1.candidates.2"), "votes.parties.2.party_only");
    EXPECT_EQ(form.nextEntered("votes.parties.2.party_only", -1), "votes.parties.1.candidates.2");
    EXPECT_EQ(form.nextEntered("voters.dpt.p"), "voters.from_dpt.l") << "skips I.A's total";
    EXPECT_EQ(form.nextEntered("voters.from_dpk.p"), "ballots.received") << "skips I.B4";
    EXPECT_EQ(form.nextEntered("summary.invalid"), "");
    const auto& rows = form.rows();
    auto total = std::find_if(rows.begin(), rows.end(),
                              [](const FormRow& r) { return r.kind == FormRow::Kind::PartyTotal; });
    ASSERT_NE(total, rows.end());
    EXPECT_EQ(total->party, 1);
    EXPECT_EQ((total + 1)->kind, FormRow::Kind::PartyOnly);
}

TEST(SheetForm, DraftsRoundTripWithTheirBlanks) {
    auto form = startForm("pdpr");
    form.set("ballots.used", 176);
    form.set("votes.parties.2.candidates.1", 0);
    auto json = form.encodeDraft();
    EXPECT_EQ(json["form"], 1);
    EXPECT_FALSE(json["values"].contains("ballots.damaged")) << "blank stays blank";
    const auto& reg = tinyRegency();
    auto layout = blankSheet(tps().code, *reg.ballotFor(tps(), *reg.findContest("pdpr")));
    auto back = SheetForm::decodeDraft(json, layout, reg);
    EXPECT_EQ(back.value("ballots.used"), 176);
    EXPECT_EQ(back.value("votes.parties.2.candidates.1"), 0);
    EXPECT_FALSE(back.value("ballots.damaged").has_value());
    EXPECT_EQ(back.blankFields(), form.blankFields());
}

TEST(SheetForm, AnOldWholeSheetDraftOpensWithEveryBoxTyped) {
    const auto& reg = tinyRegency();
    auto sheet = validPpwpSheet();
    auto layout = blankSheet(tps().code, *reg.ballotFor(tps(), *reg.findContest("ppwp")));
    auto form = SheetForm::decodeDraft(encodeSheet(sheet), layout, reg);
    EXPECT_TRUE(form.complete());
    EXPECT_EQ(form.sheet(), sheet);
}

TEST(SheetForm, ABadDraftNamesTheBox) {
    const auto& reg = tinyRegency();
    auto layout = blankSheet(tps().code, *reg.ballotFor(tps(), *reg.findContest("ppwp")));
    try {
        SheetForm::decodeDraft({{"form", 1}, {"values", {{"summary.total", 3}}}}, layout, reg);
        FAIL();
    } catch (const DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find("$.values.summary.total"), std::string::npos);
    }
    EXPECT_THROW(
        SheetForm::decodeDraft({{"form", 1}, {"values", {{"ballots.used", -2}}}}, layout, reg),
        DecodeError);
    EXPECT_THROW(SheetForm::decodeDraft({{"form", 2}}, layout, reg), DecodeError);
}
