#pragma once
// The simulations' oracle: what the desk must read, summed as plain integers from the sheets the
// simulation generated, per candidate, party and caleg, at every level (each TPS, desa,
// kecamatan and the kabupaten), with the TPS counts. It uses none of the receiver's tally code:
// it is compared with the tally report the desk reads (central::tallyReport), field by field.

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "rekap/central/store.h"
#include "rekap/regency.h"
#include "rekap/sheet.h"

namespace rekap::sim {

class PlainSums {
public:
    explicit PlainSums(const Regency& regency)
        : regency_(regency) {}
    /// A sheet the tally must count (verified: the desk decided it).
    void counted(const Sheet& sheet, bool verified = false);
    /// A sheet whose only revisions the rules rejected.
    void rejected(const AreaCode& tps, const std::string& contest);
    /// Every difference from the receiver's reports of each area that holds a sheet above, and
    /// of the kabupaten; empty when all agree. `areas` is set to how many reports were read.
    std::vector<std::string> compare(const central::CentralStore& store,
                                     int* areas = nullptr) const;

private:
    struct Figures {
        long reported = 0, rejected = 0, verified = 0;
        long valid = 0, invalid = 0, total = 0;
        std::map<int, long> candidates;         ///< paslon or DPD candidate -> votes
        std::map<int, long> parties, partyOnly; ///< party -> votes, party-only votes
        std::map<std::tuple<std::string, int, int>, long> calegs; ///< (dapil, party, number)
    };
    /// The TPS itself and the three areas above it, by plain prefixes of its code.
    std::vector<Figures*> levels(const AreaCode& tps, const std::string& contest);

    const Regency& regency_;
    std::map<std::pair<std::string, std::string>, Figures> areas_; ///< (contest, area code)
};

} // namespace rekap::sim
