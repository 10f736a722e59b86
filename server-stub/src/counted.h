#pragma once
// Reading what a sheet counts from the store (caller holds the store's lock).

#include <map>

#include "rekap/central/tally.h"
#include "rekap/json_reader.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/sqlite.h"

namespace rekap::central {

/// `known`: sheets of revisions the caller has decoded already (revision id -> sheet), so that
/// a winner just ingested is not read back and decoded again.
inline CountedSheet readCounted(sqlite::Database& db, const Regency& reg, const std::string& key,
                                const std::map<std::string, const Sheet*>* known = nullptr) {
    CountedSheet c;
    {
        auto st = db.prepare("SELECT s.state, s.winner, r.device FROM sheets s LEFT JOIN "
                             "revisions r ON r.id = s.winner WHERE s.sheet = ?");
        st.bindAll(key);
        if (!st.step())
            return c;
        c.state = st.text(0);
        if (st.isNull(1))
            return c;
        c.verified = st.text(2) == "desk";
        if (known)
            if (auto it = known->find(st.text(1)); it != known->end()) {
                c.sheet = *it->second;
                return c;
            }
    }
    auto st = db.prepare(
        "SELECT r.body FROM sheets s JOIN revisions r ON r.id = s.winner WHERE s.sheet = ?");
    st.bindAll(key);
    st.step();
    c.sheet = decodeSheet(nlohmann::json::parse(st.text(0)).at("sheet"), reg);
    return c;
}

} // namespace rekap::central
