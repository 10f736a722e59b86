#pragma once
// A regency's master data: its area tree with names, the DPT of every TPS, its contests and
// ballots, and its time zone. Loaded from a regency file (see docs/master-data.md).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rekap/area_code.h"
#include "rekap/contest.h"
#include "rekap/time_zone.h"

namespace rekap {

/// A named area above TPS level (kecamatan or desa).
struct Area {
    AreaCode code;
    std::string name;
    bool synthetic = false; ///< generated, not a real name or code
};

/// A polling station with its voter list size (DPT) by sex.
struct Tps {
    AreaCode code;
    std::string name;
    int dptL = 0;
    int dptP = 0;
    std::string dptSource;             ///< where the DPT comes from, e.g. "sirekap" or "generated"
    std::vector<std::string> contests; ///< contests it receives; empty = all of the regency's
    bool synthetic = false;            ///< the TPS itself is generated, not KPU's
    int dpt() const { return dptL + dptP; }
};

/// Which election a regency file is for, so that a desk running two (February's and
/// November's, one store each) shows which one a screen belongs to.
struct Election {
    std::string code;   ///< e.g. "pilkada-2024"
    std::string name;   ///< Bahasa Indonesia, e.g. "Pilkada Serentak 2024"
    std::string nameEn; ///< English
    std::string date;   ///< voting day, YYYY-MM-DD
};

class Regency {
public:
    Regency() = default;
    // Move-only: the indexes point into the vectors, which a move keeps and a copy would not.
    Regency(const Regency&) = delete;
    Regency& operator=(const Regency&) = delete;
    Regency(Regency&&) = default;
    Regency& operator=(Regency&&) = default;

    AreaCode code;
    std::string name;
    std::string province;
    TimeZone timeZone = TimeZone::WIB;
    std::string version;       ///< the file's own version label
    std::string contentHash;   ///< SHA-256 of the file's canonical JSON, set by the loader
    int maxVotersPerTps = 300; ///< 300 at the general election, 600 at the Pilkada
    std::vector<Party> parties;
    std::vector<Contest> contests;
    std::vector<Area> kecamatan;
    std::vector<Area> desa;
    std::vector<Tps> tps;
    std::string provenance;           ///< free text: sources and what is synthetic
    std::optional<Election> election; ///< absent in files made before it existed

    /// Builds the look-up indexes; call after filling the vectors.
    void index();

    const Tps* findTps(const AreaCode& code) const;
    /// The position of the TPS of that code in `tps`; nullopt when there is none.
    std::optional<std::size_t> tpsIndexOf(std::string_view code) const;
    const Area* findArea(const AreaCode& code) const; ///< kecamatan or desa
    const Contest* findContest(std::string_view code) const;
    const Party* findParty(int number) const;
    /// The name of any area of the regency ("" when unknown).
    std::string areaName(const AreaCode& code) const;
    /// What `tps` receives for `contest`; nullopt when it does not take part in that contest.
    std::optional<Ballot> ballotFor(const Tps& tps, const Contest& contest) const;
    /// All TPS inside `area` (the whole regency for its own code), in code order.
    std::vector<const Tps*> tpsIn(const AreaCode& area) const;
    /// Sum of DPT over `tpsIn(area)`.
    long dptIn(const AreaCode& area) const;

private:
    std::unordered_map<std::string, std::size_t> tpsIndex_;
    std::unordered_map<std::string, const Area*> areaIndex_;
};

/// The election a regency file is for: its `election` block, or, for a file without one, the
/// general election of 14 February 2024, for which every file made before the block existed was
/// made (Banyuasin's and Hulu Sungai Selatan's). The dashboard and the tablet show it, so that a
/// desk running one store per election can tell February's from November's.
const Election& electionOf(const Regency& r);

} // namespace rekap
