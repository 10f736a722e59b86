// Issue 30: the dashboard's tally report written as text (tallyReportText, what GET
// /api/v1/tally sends) is byte for byte the JSON tree it was built as before (tallyReport,
// dumped as the route dumped it), on real regencies (Banyuasin, Hulu Sungai Selatan's general
// election and its Pilkada), at every area level and for every contest, with sheets in every
// state a report tells apart: counted, in conflict, decided by the desk, verified by a second
// reading, only rejected, not received. The tree reads each TPS's sheet whole (readCounted);
// the text reads a desa's counted lines in two statements (sheets/counted_lines.h): the two
// readings are held to each other here too.

#include <gtest/gtest.h>

#include <random>
#include <regex>

#include "../sim/sheet_maker.h"
#include "fixtures.h"
#include "rekap/central/api_error.h"
#include "rekap/central/reports.h"
#include "rekap/central/store.h"
#include "rekap/merge.h"
#include "revisions.h"
#include "store_location.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;
using protocol::PushStatus;

namespace {

class TallyText : public ::testing::TestWithParam<std::tuple<std::string, StoreKind>> {
protected:
    void SetUp() override {
        location = std::make_unique<StoreLocation>(std::get<1>(GetParam()), dir);
        if (location->unavailable())
            REKAP_WITHOUT_POSTGRES();
        store = std::make_unique<central::CentralStore>(location->location(), location->options());
        store->masterData().loadRegency(dataDir() + "/regencies/" + std::get<0>(GetParam()));
    }

    const Regency& reg() const { return store->masterData().regency(); }

    central::DeviceRecord enrol(const AreaCode& area, const std::string& name) {
        auto role =
            area.level() == AreaLevel::Kecamatan ? protocol::Role::Camat : protocol::Role::Operator;
        auto code = store->registry().mintCodes(role, area, 1, std::chrono::hours(1), name)[0];
        return store->registry().authenticate(enrolSigned(*store, code, name).token);
    }

    PushStatus push(const central::DeviceRecord& d, const Revision& r) {
        return store->intake().ingest(d, json::array({encodeRevision(r)})).results.at(0).status;
    }

    /// Every sheet of each TPS in `tps`, from one tablet per TPS; returns the revisions.
    std::vector<Revision> send(const std::vector<const Tps*>& tps) {
        std::vector<Revision> out;
        for (const auto* t : tps) {
            auto device = enrol(t->code, "KPPS " + t->code.str());
            for (const auto& c : reg().contests) {
                if (!reg().ballotFor(*t, c))
                    continue;
                auto r = makeRevision(device.id, sim::makeSheet(reg(), *t, c, rng));
                r.photo = std::string(64, 'a');
                sign(r);
                EXPECT_EQ(push(device, r), PushStatus::Accepted) << r.sheet.key();
                out.push_back(r);
            }
        }
        return out;
    }

    /// Both writers on one report, the clock's UTC text (read by each) set aside.
    void expectSame(const std::string& contest, const AreaCode& area) {
        static const std::regex utc("\"utc\":\"[^\"]*\"");
        auto tree = central::tallyReport(*store, contest, area, now)
                        .dump(-1, ' ', false, json::error_handler_t::replace);
        auto text = central::tallyReportText(*store, contest, area, now);
        EXPECT_EQ(std::regex_replace(text, utc, "\"utc\":\"\""),
                  std::regex_replace(tree, utc, "\"utc\":\"\""))
            << contest << " " << area.str();
        ++compared;
    }

    TempDir dir;
    std::unique_ptr<StoreLocation> location;
    std::unique_ptr<central::CentralStore> store;
    std::mt19937_64 rng{30};
    const std::chrono::system_clock::time_point now =
        std::chrono::sys_days(std::chrono::year(2024) / 2 / 14) + std::chrono::hours(13);
    int compared = 0;
};

std::string caseName(const ::testing::TestParamInfo<std::tuple<std::string, StoreKind>>& info) {
    auto file = std::get<0>(info.param);
    std::string name;
    for (char c : file.substr(0, file.find('.')))
        name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return name + (std::get<1>(info.param) == StoreKind::SQLite ? "_sqlite" : "_postgresql");
}

} // namespace

TEST_P(TallyText, TheTextIsTheTreeAtEveryLevelForEveryContest) {
    // Two desa with four TPS or more of the first kecamatan that has two (the first whole, the
    // second half), a third of it without sheets, and one TPS of the last kecamatan.
    AreaCode kec = reg().code;
    std::vector<AreaCode> desa, others;
    for (const auto& k : reg().kecamatan) {
        desa.clear();
        others.clear();
        kec = k.code;
        for (const auto& d : reg().desa)
            if (kec.contains(d.code))
                (desa.size() < 2 && reg().tpsIn(d.code).size() >= 4 ? desa : others)
                    .push_back(d.code);
        if (desa.size() == 2 && !others.empty())
            break;
    }
    ASSERT_EQ(desa.size(), 2u);
    ASSERT_FALSE(others.empty());
    desa.push_back(others.front());
    auto whole = reg().tpsIn(desa[0]);
    auto half = reg().tpsIn(desa[1]);
    half.resize(half.size() / 2);
    auto sent = send(whole);
    send(half);
    send({reg().tpsIn(reg().kecamatan.back().code).front()});

    const auto& contest = reg().contests.front();
    // In conflict: a second tablet of the first TPS sends other numbers.
    const auto* t0 = whole[0];
    auto other = enrol(t0->code, "KPPS lain");
    auto firstOf = [&](const Tps* t) {
        for (const auto& r : sent)
            if (r.sheet.tps == t->code && r.sheet.contest == contest.code)
                return r;
        throw std::logic_error("no sheet sent");
    };
    EXPECT_EQ(push(other, makeRevision(other.id, sim::shiftOneVote(firstOf(t0).sheet))),
              PushStatus::Conflict);
    // Decided by the desk: the same on the second TPS, then the desk takes the second tablet's.
    const auto* t1 = whole[1];
    auto other1 = enrol(t1->code, "KPPS lain");
    auto chosen = makeRevision(other1.id, sim::shiftOneVote(firstOf(t1).sheet));
    EXPECT_EQ(push(other1, chosen), PushStatus::Conflict);
    store->sheets().resolve(t1->code.str() + "/" + contest.code, chosen.id, "plano", "Desk");
    // Verified by a second reading: the camat types the third TPS's sheets again, the same.
    auto camat = enrol(kec, "camat");
    for (const auto& r : sent)
        if (r.sheet.tps == whole[2]->code) {
            auto reading =
                makeRevision(camat.id, r.sheet, r.id, std::string(merge::kSecondReading));
            reading.operatorName = "Camat Budi";
            sign(reading);
            push(camat, reading);
            EXPECT_TRUE(store->live().counted(r.sheet.key()).verified) << r.sheet.key();
        }
    // Only rejected: a misread first entry on a TPS of the second desa not sent yet.
    const auto* t3 = reg().tpsIn(desa[1]).back();
    auto misreader = enrol(t3->code, "KPPS salah");
    EXPECT_EQ(push(misreader, makeRevision(misreader.id,
                                           sim::misread(sim::makeSheet(reg(), *t3, contest, rng)))),
              PushStatus::Rejected);

    for (const auto& c : reg().contests) {
        expectSame(c.code, reg().code);
        for (const auto& k : reg().kecamatan)
            expectSame(c.code, k.code);
        for (const auto& d : desa) // the third has no sheet
            expectSame(c.code, d);
        for (const auto* t : reg().tpsIn(desa[0]))
            expectSame(c.code, t->code);
        expectSame(c.code, t3->code);
        expectSame(c.code, reg().tpsIn(desa[2]).front()->code);
    }
    EXPECT_GE(compared, 40);
}

TEST_P(TallyText, UnknownContestsAndAreasAreNotFoundAsBefore) {
    auto kab = reg().code;
    EXPECT_THROW(central::tallyReportText(*store, "nope", kab), central::ApiError);
    EXPECT_THROW(
        central::tallyReportText(*store, reg().contests.front().code, AreaCode::parse("9999")),
        central::ApiError);
}

INSTANTIATE_TEST_SUITE_P(
    Regencies, TallyText,
    ::testing::Combine(::testing::Values("banyuasin-1607.json", "hss-6306.json",
                                         "hss-6306-pilkada-2024.json"),
                       ::testing::Values(StoreKind::SQLite, StoreKind::PostgreSQL)),
    caseName);
