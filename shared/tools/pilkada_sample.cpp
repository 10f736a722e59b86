#include "pilkada_sample.h"

#include <algorithm>
#include <sstream>

#include "generate.h"
#include "rekap/winner_alert.h"

namespace rekap::tools {

namespace {

LpCount lp(int total, Rng& rng) {
    int l = total / 2 + (total > 1 ? rng.between(-total / 10, total / 10) : 0);
    l = std::clamp(l, 0, total);
    return {l, total - l, total};
}

Sheet makeSheet(const Regency& reg, const Tps& tps, const Contest& contest, Rng& rng) {
    Sheet s = blankSheet(tps.code, *reg.ballotFor(tps, contest));
    auto& v = s.voters;
    v.dpt = {tps.dptL, tps.dptP, tps.dpt()};
    v.fromDpt = lp(tps.dpt() * rng.between(60, 85) / 100, rng);
    v.fromDptb = lp(rng.between(0, 3), rng);
    v.fromDpk = lp(rng.between(0, 2), rng);
    v.total = {v.fromDpt.l + v.fromDptb.l + v.fromDpk.l, v.fromDpt.p + v.fromDptb.p + v.fromDpk.p,
               v.fromDpt.total + v.fromDptb.total + v.fromDpk.total};
    const int cast = v.total.total;
    s.disabledVoters = lp(rng.between(0, 2), rng);
    const int received = static_cast<int>(ballotCapacity(tps.dpt(), contest.ballotReservePermille));
    const int damaged = std::min(rng.between(0, 2), std::max(0, received - cast));
    s.ballots = {received, cast, damaged, std::max(0, received - cast - damaged)};
    s.ballots.received = s.ballots.used + s.ballots.damaged + s.ballots.unused;
    const int invalid = rng.between(0, std::max(0, cast / 30));
    s.summary = {cast - invalid, invalid, cast};
    // Valid votes over the paslon by random weights; the remainder to the first.
    std::vector<int> weights;
    int sum = 0;
    for (std::size_t i = 0; i < s.candidates.size(); ++i)
        sum += weights.emplace_back(rng.between(20, 100));
    int given = 0;
    for (std::size_t i = 0; i < s.candidates.size(); ++i) {
        s.candidates[i].votes = s.summary.valid * weights[i] / sum;
        given += s.candidates[i].votes;
    }
    s.candidates[0].votes += s.summary.valid - given;
    return s;
}

std::string kpuRow(const Sheet& s, const Tps& tps, int misreadBy, int minute) {
    std::ostringstream row;
    row << tps.code.str();
    for (std::size_t i = 0; i < s.candidates.size(); ++i)
        row << "," << s.candidates[i].votes + (i == 0 ? misreadBy : 0);
    row << "," << s.summary.valid << "," << s.summary.invalid << "," << s.summary.total << ","
        << tps.dpt() << "," << tps.dptL << "," << tps.dptP << "," << s.voters.fromDpt.total << ","
        << s.voters.fromDptb.total << "," << s.voters.fromDpk.total << "," << s.voters.total.total
        << ",11-27 " << 14 + minute / 60 << ":";
    row << (minute % 60 < 10 ? "0" : "") << minute % 60;
    return row.str();
}

} // namespace

std::string pilkadaSampleCsvName(const std::string& contest) {
    return "kpu-sirekap-" + contest + "-GENERATED.csv";
}

PilkadaSample makePilkadaSample(const Regency& reg, int tpsCount, std::uint64_t seed) {
    PilkadaSample out;
    Rng rng(seed);
    const int kpuExtra = 3; // TPS that only KPU has
    const int last = std::min<int>(tpsCount + kpuExtra, static_cast<int>(reg.tps.size()));
    for (const auto& contest : reg.contests) {
        if (contest.kind != BallotKind::Paslon)
            continue;
        std::ostringstream csv;
        csv << "kode";
        for (const auto& c : contest.candidates)
            csv << ",c" << c.number;
        csv << ",suara_sah,suara_tidak_sah,suara_total,dpt_j,dpt_l,dpt_p,pengguna_dpt_j,"
               "pengguna_dptb_j,pengguna_non_dpt_j,pengguna_total_j,ts\n";
        for (int i = 0; i < last; ++i) {
            const auto& tps = reg.tps[static_cast<std::size_t>(i)];
            if (!reg.ballotFor(tps, contest))
                continue;
            auto sheet = makeSheet(reg, tps, contest, rng);
            const auto code = tps.code.str();
            if (i < tpsCount) {
                out.sheets.push_back(sheet);
                if (i % 10 == 7) { // KPU has not published this one yet
                    out.deskOnly[contest.code].push_back(code);
                    continue;
                }
            } else {
                out.kpuOnly[contest.code].push_back(code);
            }
            // A misread digit, the 948-for-58 kind: paslon 01 read 100 too high.
            const bool misread = i < tpsCount && i % 10 == 3;
            if (misread)
                out.kpuMisread[contest.code].push_back(code);
            csv << kpuRow(sheet, tps, misread ? 100 : 0, i) << "\n";
        }
        out.kpuCsv[contest.code] = csv.str();
    }
    return out;
}

} // namespace rekap::tools
