#pragma once
// Reading what a sheet counts from the store (caller holds the store's lock).

#include "rekap/central/tally.h"
#include "rekap/json_reader.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/sqlite.h"

namespace rekap::central {

inline CountedSheet readCounted(sqlite::Database& db, const Regency& reg, const std::string& key) {
    auto st = db.prepare("SELECT s.state, r.body, r.device FROM sheets s LEFT JOIN revisions r ON "
                         "r.id = s.winner WHERE s.sheet = ?");
    st.bindAll(key);
    CountedSheet c;
    if (!st.step())
        return c;
    c.state = st.text(0);
    if (!st.isNull(1)) {
        auto body = nlohmann::json::parse(st.text(1));
        c.sheet = decodeSheet(body.at("sheet"), reg);
        c.verified = st.text(2) == "desk";
    }
    return c;
}

} // namespace rekap::central
