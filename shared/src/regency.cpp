#include "rekap/regency.h"

#include <algorithm>

namespace rekap {

void Regency::index() {
    std::sort(tps.begin(), tps.end(), [](const Tps& a, const Tps& b) { return a.code < b.code; });
    tpsIndex_.clear();
    areaIndex_.clear();
    for (std::size_t i = 0; i < tps.size(); ++i)
        tpsIndex_.emplace(tps[i].code.str(), i);
    for (const auto& k : kecamatan)
        areaIndex_.emplace(k.code.str(), &k);
    for (const auto& d : desa)
        areaIndex_.emplace(d.code.str(), &d);
}

const Tps* Regency::findTps(const AreaCode& c) const {
    auto it = tpsIndex_.find(c.str());
    return it == tpsIndex_.end() ? nullptr : &tps[it->second];
}

std::optional<std::size_t> Regency::tpsIndexOf(std::string_view code) const {
    auto it = tpsIndex_.find(std::string(code));
    if (it == tpsIndex_.end())
        return std::nullopt;
    return it->second;
}

const Area* Regency::findArea(const AreaCode& c) const {
    auto it = areaIndex_.find(c.str());
    return it == areaIndex_.end() ? nullptr : it->second;
}

const Contest* Regency::findContest(std::string_view c) const {
    auto it = std::find_if(contests.begin(), contests.end(),
                           [&](const Contest& x) { return x.code == c; });
    return it == contests.end() ? nullptr : &*it;
}

const Party* Regency::findParty(int number) const {
    auto it = std::find_if(parties.begin(), parties.end(),
                           [&](const Party& p) { return p.number == number; });
    return it == parties.end() ? nullptr : &*it;
}

std::string Regency::areaName(const AreaCode& c) const {
    if (c == code)
        return name;
    if (const auto* a = findArea(c))
        return a->name;
    if (const auto* t = findTps(c))
        return t->name;
    return {};
}

std::optional<Ballot> Regency::ballotFor(const Tps& t, const Contest& contest) const {
    if (!t.contests.empty() &&
        std::find(t.contests.begin(), t.contests.end(), contest.code) == t.contests.end())
        return std::nullopt;
    Ballot b{&contest, nullptr};
    if (contest.kind == BallotKind::Party) {
        b.dapil = contest.dapilFor(t.code);
        if (!b.dapil)
            return std::nullopt;
    }
    return b;
}

std::vector<const Tps*> Regency::tpsIn(const AreaCode& area) const {
    // tps is sorted by code, so the TPS of an area form one contiguous run.
    auto lo = std::lower_bound(tps.begin(), tps.end(), area.str(),
                               [](const Tps& t, const std::string& s) { return t.code.str() < s; });
    std::vector<const Tps*> out;
    for (auto it = lo; it != tps.end() && area.contains(it->code); ++it)
        out.push_back(&*it);
    return out;
}

long Regency::dptIn(const AreaCode& area) const {
    long sum = 0;
    for (const auto* t : tpsIn(area))
        sum += t->dpt();
    return sum;
}

const Election& electionOf(const Regency& r) {
    static const Election kGeneral2024{"pemilu-2024", "Pemilu 2024", "2024 general election",
                                       "2024-02-14"};
    return r.election ? *r.election : kGeneral2024;
}

} // namespace rekap
