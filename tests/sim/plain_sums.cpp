#include "plain_sums.h"

#include <cmath>
#include <set>

#include "rekap/central/reports.h"

namespace rekap::sim {

using nlohmann::json;

std::vector<PlainSums::Figures*> PlainSums::levels(const AreaCode& tps,
                                                   const std::string& contest) {
    const auto code = tps.str();
    // TPS 13 digits, desa 10, kecamatan 6, kabupaten 4.
    std::vector<Figures*> out;
    for (std::size_t length : {13, 10, 6, 4})
        out.push_back(&areas_[{contest, code.substr(0, length)}]);
    return out;
}

void PlainSums::counted(const Sheet& s, bool verified) {
    const auto* contest = regency_.findContest(s.contest);
    const auto* dapil = contest ? contest->dapilFor(s.tps) : nullptr;
    for (auto* f : levels(s.tps, s.contest)) {
        ++f->reported;
        f->verified += verified;
        f->valid += s.summary.valid;
        f->invalid += s.summary.invalid;
        f->total += s.summary.total;
        for (const auto& c : s.candidates)
            f->candidates[c.number] += c.votes;
        for (const auto& p : s.parties) {
            f->parties[p.party] += p.total;
            f->partyOnly[p.party] += p.partyOnly;
            for (const auto& c : p.candidates)
                f->calegs[{dapil ? dapil->code : "?", p.party, c.number}] += c.votes;
        }
    }
}

void PlainSums::rejected(const AreaCode& tps, const std::string& contest) {
    for (auto* f : levels(tps, contest))
        ++f->rejected;
}

namespace {
template <typename K> void dropZeros(std::map<K, long>& m) {
    std::erase_if(m, [](const auto& kv) { return kv.second == 0; });
}
} // namespace

std::vector<std::string> PlainSums::compare(const central::CentralStore& store, int* read) const {
    std::vector<std::string> out;
    auto want = areas_;
    for (const auto& c : regency_.contests)
        want[{c.code, regency_.code.str()}]; // the kabupaten, even with nothing counted
    if (read)
        *read = 0;
    for (auto& [key, w] : want) {
        const auto& [contest, area] = key;
        auto r = central::tallyReport(store, contest, AreaCode::parse(area));
        if (read)
            ++*read;
        auto where = contest + " " + area + ": ";
        auto check = [&](const std::string& what, long got, long expected) {
            if (got != expected)
                out.push_back(where + what + " is " + std::to_string(got) + ", the sheets say " +
                              std::to_string(expected));
        };
        long tpsTotal = 0, dpt = 0;
        const auto* c = regency_.findContest(contest);
        for (const auto& t : regency_.tps)
            if (t.code.str().rfind(area, 0) == 0 && regency_.ballotFor(t, *c)) {
                ++tpsTotal;
                dpt += t.dptL + t.dptP;
            }
        check("TPS total", r["tps"]["total"], tpsTotal);
        // "Data masuk": votes cast so far over the DPT of the TPS that hold the contest (the
        // Pilkada's own DPT, not February's), in percent to two decimals.
        check("DPT", r["dpt"], dpt);
        double masuk =
            dpt > 0
                ? std::round(10000.0 * static_cast<double>(w.total) / static_cast<double>(dpt)) /
                      100.0
                : 0.0;
        if (std::abs(r["data_masuk"]["votes_over_dpt"].get<double>() - masuk) > 1e-9)
            out.push_back(where + "data masuk is " + r["data_masuk"]["votes_over_dpt"].dump() +
                          "%, the sheets say " + std::to_string(masuk) + "%");
        check("TPS reported", r["tps"]["reported"], w.reported);
        check("TPS rejected", r["tps"]["rejected"], w.rejected);
        check("TPS verified", r["tps"]["verified"], w.verified);
        check("TPS in conflict", r["tps"]["conflict"], 0);
        check("valid votes", r["votes"]["valid"], w.valid);
        check("invalid votes", r["votes"]["invalid"], w.invalid);
        check("votes cast", r["votes"]["total"], w.total);
        if (r.contains("candidates")) {
            std::map<int, long> got;
            for (const auto& cand : r["candidates"])
                got[cand["number"].get<int>()] = cand["votes"].get<long>();
            dropZeros(got);
            dropZeros(w.candidates);
            if (got != w.candidates)
                out.push_back(where + "votes per candidate differ");
        } else {
            std::map<int, long> parties, partyOnly;
            std::map<std::tuple<std::string, int, int>, long> calegs;
            for (const auto& p : r["parties"]) {
                int n = p["number"];
                parties[n] = p["votes"];
                partyOnly[n] = p["party_only"];
                for (const auto& cal : p["candidates"])
                    calegs[{cal["dapil"].get<std::string>(), n, cal["number"].get<int>()}] =
                        cal["votes"].get<long>();
            }
            for (auto* m : {&parties, &partyOnly, &w.parties, &w.partyOnly})
                dropZeros(*m);
            dropZeros(calegs);
            dropZeros(w.calegs);
            if (parties != w.parties)
                out.push_back(where + "votes per party differ");
            if (partyOnly != w.partyOnly)
                out.push_back(where + "party-only votes differ");
            if (calegs != w.calegs)
                out.push_back(where + "votes per caleg differ");
        }
    }
    return out;
}

} // namespace rekap::sim
