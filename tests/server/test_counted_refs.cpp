// CountedRefs (rekap/central/counted_refs.h): what the live tally counts for each sheet, as one
// slot per TPS and contest of the master data. Every sheet set must be found again, listed with
// its own key, and forgotten on reset; a sheet whose TPS or contest the master data does not
// name is kept too (by its key), not dropped or put in another sheet's slot.

#include <gtest/gtest.h>
#include <map>

#include "rekap/central/counted_refs.h"

using namespace rekap;
using rekap::central::CountedRef;
using rekap::central::CountedRefs;

namespace {

Regency twoTpsTwoContests() {
    Regency r;
    r.code = AreaCode::parse("9901");
    for (auto code : {"9901011001001", "9901011001002"}) {
        Tps t;
        t.code = AreaCode::parse(code);
        r.tps.push_back(std::move(t));
    }
    for (auto code : {"ppwp", "dpd"}) {
        Contest c;
        c.code = code;
        r.contests.push_back(std::move(c));
    }
    r.index();
    return r;
}

std::map<std::string, CountedRef> listed(const CountedRefs& refs) {
    std::map<std::string, CountedRef> out;
    refs.forEach([&](const std::string& key, const CountedRef& ref) {
        EXPECT_TRUE(out.emplace(key, ref).second) << key << " listed twice";
    });
    return out;
}

} // namespace

TEST(CountedRefs, EachSheetIsFoundAgainAndListedWithItsOwnKey) {
    auto reg = twoTpsTwoContests();
    CountedRefs refs;
    refs.reset(reg);
    std::map<std::string, CountedRef> want{
        {"9901011001001/ppwp", {11, SheetState::Accepted, true}},
        {"9901011001001/dpd", {12, SheetState::Conflict, false}},
        {"9901011001002/ppwp", {13, SheetState::Accepted, false}},
        {"9901011001002/dpd", {-1, SheetState::Rejected, false}},
    };
    for (const auto& [key, ref] : want)
        refs.set(key, ref);
    for (const auto& [key, ref] : want)
        EXPECT_EQ(refs.find(key), ref) << key;
    EXPECT_EQ(listed(refs), want);
    // A sheet counting nothing again is not listed (a checkpoint keeps what counts).
    refs.set("9901011001002/dpd", {});
    want.erase("9901011001002/dpd");
    EXPECT_EQ(listed(refs), want);
    EXPECT_EQ(refs.find("9901011001002/dpd"), CountedRef{});
}

TEST(CountedRefs, ASheetTheMasterDataDoesNotNameIsKeptByItsKey) {
    auto reg = twoTpsTwoContests();
    CountedRefs refs;
    refs.reset(reg);
    const CountedRef gone{21, SheetState::Accepted, false}, other{22, SheetState::Conflict, true};
    refs.set("9901011002001/ppwp", gone);      // a TPS no longer in the master data
    refs.set("9901011001001/dprd-kab", other); // a contest it does not hold
    EXPECT_EQ(refs.find("9901011002001/ppwp"), gone);
    EXPECT_EQ(refs.find("9901011001001/dprd-kab"), other);
    EXPECT_EQ(refs.find("9901011001001/ppwp"), CountedRef{}); // no other slot written
    EXPECT_EQ(listed(refs), (std::map<std::string, CountedRef>{{"9901011002001/ppwp", gone},
                                                               {"9901011001001/dprd-kab", other}}));
    refs.set("9901011002001/ppwp", {});
    EXPECT_EQ(listed(refs).size(), 1u);
}

TEST(CountedRefs, ResetAndClearForgetEverySheet) {
    auto reg = twoTpsTwoContests();
    CountedRefs refs;
    refs.reset(reg);
    refs.set("9901011001001/ppwp", {1, SheetState::Accepted, false});
    refs.set("9901011002001/ppwp", {2, SheetState::Accepted, false});
    refs.reset(reg);
    EXPECT_TRUE(listed(refs).empty());
    refs.set("9901011001001/ppwp", {1, SheetState::Accepted, false});
    refs.clear();
    EXPECT_TRUE(listed(refs).empty());
    // Without a regency every sheet is kept by its key.
    refs.set("9901011001001/ppwp", {3, SheetState::Accepted, false});
    EXPECT_EQ(refs.find("9901011001001/ppwp").winnerIdx, 3);
}
