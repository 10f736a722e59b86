#pragma once
// Contests and their ballots, as data loaded from a regency file: the same build runs the 2024
// general election (ppwp, pdpr, pdpd, pdprdp, pdprdk) and the Pilkada (pilgub, pilbup, ...).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rekap/area_code.h"

namespace rekap {

/// How section IV of a contest's C.Hasil is counted.
enum class BallotKind {
    Paslon,     ///< votes per pair (PPWP, Pilkada): "paslon"
    Party,      ///< per party: party-only votes + per candidate (DPR, DPRD): "party"
    Individual, ///< per individual candidate (DPD): "individual"
};

std::string_view ballotKindName(BallotKind kind);
std::optional<BallotKind> parseBallotKind(std::string_view name);

/// A paslon, a DPD candidate, or a candidate (caleg) on a party's list; numbered from 1.
struct Candidate {
    int number = 0;
    std::string name;
};

/// A party as printed on the ballot: 1 PKB, 2 Gerindra, ...
struct Party {
    int number = 0;
    std::string abbreviation;
    std::string name;
};

/// One party's candidates in one dapil.
struct PartyList {
    int party = 0;
    std::vector<Candidate> candidates;
    const Candidate* findCandidate(int number) const;
};

/// An electoral district: the areas it covers (kabupaten, kecamatan or desa codes) and its lists.
struct Dapil {
    std::string code;
    std::string name;
    std::vector<AreaCode> areas;
    std::vector<PartyList> lists;
    bool covers(const AreaCode& tps) const;
    const PartyList* findList(int party) const;
};

/// Spare ballots at the general election (2 % of the DPT) and at the Pilkada (2.5 %).
inline constexpr int kGeneralBallotReservePermille = 20;
inline constexpr int kPilkadaBallotReservePermille = 25;

/// One contest of the election, e.g. "ppwp".
struct Contest {
    std::string code;
    std::string name;
    BallotKind kind = BallotKind::Paslon;
    std::vector<Candidate> candidates; ///< Paslon and Individual contests
    std::vector<Dapil> dapils;         ///< Party contests
    bool syntheticCandidates = false;  ///< candidate names and dapils are generated, not real
    std::string nameEn;                ///< English name ("" = the name is shown in both languages)
    std::string form;                  ///< KPU's form for it, e.g. "C.Hasil-KWK" ("" = not named)
    /// Spare ballots per TPS in permille of its DPT: 20 (2 %) at the general election, 25
    /// (2.5 %) at the Pilkada. Rule R6 and the winner alert take the TPS's ballots from it.
    int ballotReservePermille = kGeneralBallotReservePermille;
    const Candidate* findCandidate(int number) const;
    const Dapil* dapilFor(const AreaCode& tps) const;
};

/// What one TPS receives for one contest: the contest and, for party contests, its dapil.
struct Ballot {
    const Contest* contest = nullptr;
    const Dapil* dapil = nullptr;
};

} // namespace rekap
