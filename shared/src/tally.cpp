#include "rekap/tally.h"

#include <mutex>

namespace rekap {

std::uint64_t VoteKey::packed() const {
    return (static_cast<std::uint64_t>(kind) << 48) | (static_cast<std::uint64_t>(dapil) << 32) |
           (static_cast<std::uint64_t>(party) << 16) | number;
}

VoteKey VoteKey::unpack(std::uint64_t v) {
    VoteKey k;
    k.kind = static_cast<Kind>((v >> 48) & 0xff);
    k.dapil = static_cast<std::uint16_t>((v >> 32) & 0xffff);
    k.party = static_cast<std::uint8_t>((v >> 16) & 0xff);
    k.number = static_cast<std::uint16_t>(v & 0xffff);
    return k;
}

Tally::Tally(const Regency& regency)
    : regency_(regency) {
    // The static part: which TPS, and how many voters, each area has for each contest.
    for (const auto& contest : regency.contests) {
        auto& areas = areas_[contest.code];
        for (const auto& tps : regency.tps) {
            if (!regency.ballotFor(tps, contest))
                continue;
            for (auto level : {AreaLevel::Kabupaten, AreaLevel::Kecamatan, AreaLevel::Desa}) {
                auto& a = areas[tps.code.ancestor(level).str()];
                ++a.tpsTotal;
                a.dpt += tps.dpt();
                a.ballots += ballotCapacity(tps.dpt(), contest.ballotReservePermille);
            }
        }
    }
}

void addSheet(const Regency& regency, AreaTally& t, const CountedSheet& s, long sign,
              long ballots) {
    if (s.state == SheetState::Rejected) {
        t.tpsRejected += sign;
        t.ballotsRejected += sign * ballots;
        return;
    }
    if (!s.sheet || !isCounted(s.state))
        return;
    t.tpsReported += sign;
    t.ballotsReported += sign * ballots;
    const bool conflict = s.state == SheetState::Conflict;
    if (conflict) {
        t.tpsConflict += sign;
        t.ballotsConflict += sign * ballots;
    }
    const auto& sh = *s.sheet;
    const bool doubtful = conflict || !s.verified;
    if (doubtful && !conflict)
        t.unverifiedValid += sign * sh.summary.valid;
    if (s.verified) {
        t.tpsVerified += sign;
        t.verifiedValid += sign * sh.summary.valid;
    }
    t.valid += sign * sh.summary.valid;
    t.invalid += sign * sh.summary.invalid;
    t.total += sign * sh.summary.total;
    t.voters += sign * sh.voters.total.total;
    auto bump = [&](VoteKey k, long v) {
        auto& cell = t.votes[k.packed()];
        cell += sign * v;
    };
    // The lines a leader is chosen among (rekap/winner_alert.h): what of them is in doubt.
    auto line = [&](VoteKey k, long v) {
        bump(k, v);
        if (doubtful)
            t.doubtful[k.packed()] += sign * v;
    };
    for (const auto& c : sh.candidates)
        line({VoteKey::Candidate, 0, 0, static_cast<std::uint16_t>(c.number)}, c.votes);
    if (!sh.parties.empty()) {
        const auto* contest = regency.findContest(sh.contest);
        const auto* dapil = contest ? contest->dapilFor(sh.tps) : nullptr;
        std::uint16_t dapilIndex =
            dapil ? static_cast<std::uint16_t>(dapil - contest->dapils.data()) : std::uint16_t{0};
        for (const auto& p : sh.parties) {
            auto party = static_cast<std::uint8_t>(p.party);
            line({VoteKey::PartyTotal, 0, party, 0}, p.total);
            bump({VoteKey::PartyOnly, 0, party, 0}, p.partyOnly);
            for (const auto& c : p.candidates)
                bump({VoteKey::Caleg, dapilIndex, party, static_cast<std::uint16_t>(c.number)},
                     c.votes);
        }
    }
}

void Tally::apply(const AreaCode& tps, const std::string& contest, const CountedSheet& before,
                  const CountedSheet& after) {
    if (before == after)
        return;
    std::unique_lock lock(mu_);
    auto it = areas_.find(contest);
    if (it == areas_.end())
        return;
    const auto* place = regency_.findTps(tps);
    const auto* c = regency_.findContest(contest);
    const long ballots = place && c ? ballotCapacity(place->dpt(), c->ballotReservePermille) : 0;
    for (auto level : {AreaLevel::Kabupaten, AreaLevel::Kecamatan, AreaLevel::Desa}) {
        auto& t = it->second[tps.ancestor(level).str()];
        addSheet(regency_, t, before, -1, ballots);
        addSheet(regency_, t, after, +1, ballots);
        // Keep the maps small: a candidate whose votes fall back to zero leaves no entry, so
        // that an incremental tally and a recount compare equal.
        t.votes.dropZeros();
        t.doubtful.dropZeros();
    }
    ++version_;
}

Uncertainty uncertaintyOf(const AreaTally& t) {
    return {t.ballots - t.ballotsReported - t.ballotsRejected, t.ballotsRejected, t.ballotsConflict,
            t.unverifiedValid};
}

std::optional<AreaTally> Tally::area(const std::string& contest, const AreaCode& code) const {
    std::shared_lock lock(mu_);
    auto it = areas_.find(contest);
    if (it == areas_.end())
        return std::nullopt;
    auto a = it->second.find(code.str());
    if (a == it->second.end())
        return std::nullopt;
    return a->second;
}

std::uint64_t Tally::version() const {
    std::shared_lock lock(mu_);
    return version_;
}

bool Tally::operator==(const Tally& other) const {
    std::shared_lock a(mu_), b(other.mu_);
    return areas_ == other.areas_;
}

void Tally::forEachArea(
    const std::function<void(const std::string&, const std::string&, const AreaTally&)>& f) const {
    std::shared_lock lock(mu_);
    for (const auto& [contest, areas] : areas_)
        for (const auto& [code, sums] : areas)
            f(contest, code, sums);
}

bool Tally::restoreArea(const std::string& contest, const std::string& area,
                        const AreaTally& sums) {
    std::unique_lock lock(mu_);
    auto c = areas_.find(contest);
    if (c == areas_.end())
        return false;
    auto a = c->second.find(area);
    if (a == c->second.end())
        return false;
    const auto& fixed = a->second;
    if (fixed.tpsTotal != sums.tpsTotal || fixed.dpt != sums.dpt || fixed.ballots != sums.ballots)
        return false;
    a->second = sums;
    ++version_;
    return true;
}

} // namespace rekap
