#pragma once
// What the live tally counts for each sheet (its counted revision's ledger index, state and
// verification), so that a change of one sheet subtracts exactly what it added before. A
// national store has 4,100,000 sheets: kept as strings in a hash map this took about 120 bytes a
// sheet (490 MB); here a sheet of a TPS in the master data is a slot in one array, one per TPS
// and contest in the master data's order (16 bytes, 66 MB at national size, allocated once).
// A sheet the master data does not name (possible only after a master data change removed its
// TPS, when the tally is built again anyway) keeps a string key, so that nothing is dropped.

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "rekap/regency.h"
#include "rekap/sheet_state.h"

namespace rekap::central {

struct CountedRef {
    std::int64_t winnerIdx = -1; ///< ledger index of the counted revision; -1: none
    SheetState state = SheetState::NotReceived;
    bool verified = false;
    bool operator==(const CountedRef&) const = default;
};

class CountedRefs {
public:
    /// Forgets every sheet and lays the slots out for `regency`'s TPS and contests; the regency
    /// must outlive this object's use of it (the store keeps every version loaded).
    void reset(const Regency& regency);
    /// Forgets every sheet and the regency.
    void clear();
    /// What `key` ("TPS/contest") counts now; a default CountedRef (nothing) when unknown.
    CountedRef find(const std::string& key) const;
    void set(const std::string& key, const CountedRef& ref);
    /// Every sheet that counts something, with its key; in no particular order.
    void forEach(const std::function<void(const std::string& key, const CountedRef&)>& f) const;

private:
    /// The slot of `key` in slots_, or -1 when its TPS or contest is not the regency's.
    std::int64_t slotOf(const std::string& key) const;
    const Regency* regency_ = nullptr;
    std::vector<CountedRef> slots_; ///< [tps index * contests + contest index]
    std::unordered_map<std::string, CountedRef> strays_;
};

} // namespace rekap::central
