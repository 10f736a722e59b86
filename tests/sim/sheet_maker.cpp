#include "sheet_maker.h"

namespace rekap::sim {

namespace {
int uniform(std::mt19937_64& rng, int lo, int hi) {
    return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}
/// Splits `total` into `n` parts at random.
std::vector<int> split(int total, std::size_t n, std::mt19937_64& rng) {
    std::vector<int> parts(n, 0);
    for (int i = 0; i < total; ++i)
        ++parts[rng() % n];
    return parts;
}
} // namespace

Sheet makeSheet(const Regency& reg, const Tps& tps, const Contest& contest, std::mt19937_64& rng) {
    Sheet s = blankSheet(tps.code, *reg.ballotFor(tps, contest));
    auto& v = s.voters;
    v.dpt = {tps.dptL, tps.dptP, tps.dpt()};
    int turnoutL = tps.dptL * uniform(rng, 60, 90) / 100,
        turnoutP = tps.dptP * uniform(rng, 60, 90) / 100;
    v.fromDpt = {turnoutL, turnoutP, turnoutL + turnoutP};
    v.fromDptb = {uniform(rng, 0, 2), uniform(rng, 0, 2), 0};
    v.fromDptb.total = v.fromDptb.l + v.fromDptb.p;
    v.fromDpk = {0, uniform(rng, 0, 1), 0};
    v.fromDpk.total = v.fromDpk.l + v.fromDpk.p;
    v.total = {v.fromDpt.l + v.fromDptb.l + v.fromDpk.l, v.fromDpt.p + v.fromDptb.p + v.fromDpk.p,
               0};
    v.total.total = v.total.l + v.total.p;
    int voted = v.total.total;
    s.disabledVoters = {uniform(rng, 0, 1), uniform(rng, 0, 1), 0};
    s.disabledVoters.total = s.disabledVoters.l + s.disabledVoters.p;
    // DPT + the contest's reserve (2 %, at the Pilkada 2.5 %), rounded up.
    int received = (tps.dpt() * (1000 + contest.ballotReservePermille) + 999) / 1000;
    int damaged = std::min(uniform(rng, 0, 2), received - voted);
    s.ballots = {received, voted, damaged, received - voted - damaged};
    int invalid = uniform(rng, 0, std::max(0, voted / 30));
    s.summary = {voted - invalid, invalid, voted};
    if (!s.parties.empty()) {
        auto perParty = split(s.summary.valid, s.parties.size(), rng);
        for (std::size_t i = 0; i < s.parties.size(); ++i) {
            auto& p = s.parties[i];
            auto lines = split(perParty[i], p.candidates.size() + 1, rng);
            p.partyOnly = lines[0];
            for (std::size_t c = 0; c < p.candidates.size(); ++c)
                p.candidates[c].votes = lines[c + 1];
            p.total = perParty[i];
        }
    } else {
        auto lines = split(s.summary.valid, s.candidates.size(), rng);
        for (std::size_t i = 0; i < s.candidates.size(); ++i)
            s.candidates[i].votes = lines[i];
    }
    return s;
}

Sheet shiftOneVote(Sheet s) {
    if (!s.candidates.empty()) {
        std::size_t from = 0;
        for (std::size_t i = 1; i < s.candidates.size(); ++i)
            if (s.candidates[i].votes > s.candidates[from].votes)
                from = i;
        --s.candidates[from].votes;
        ++s.candidates[(from + 1) % s.candidates.size()].votes;
    } else {
        // From the party with the most party-only votes to the next one.
        std::size_t from = 0;
        for (std::size_t i = 1; i < s.parties.size(); ++i)
            if (s.parties[i].partyOnly > s.parties[from].partyOnly)
                from = i;
        auto& a = s.parties[from];
        auto& b = s.parties[(from + 1) % s.parties.size()];
        --a.partyOnly;
        --a.total;
        ++b.partyOnly;
        ++b.total;
    }
    return s;
}

Sheet misread(Sheet s) {
    s.summary.valid += 100; // the 948-for-58 kind: a digit read wrong
    s.summary.invalid = std::max(0, s.summary.invalid);
    s.summary.total = s.summary.valid + s.summary.invalid;
    return s;
}

} // namespace rekap::sim
