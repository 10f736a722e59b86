#pragma once
// Reading what a sheet counts from the store (caller holds the store's lock).

#include <map>
#include <memory>

#include "derive.h"
#include "rekap/central/database.h"
#include "rekap/json_reader.h"
#include "rekap/sheet_codec.h"
#include "rekap/tally.h"

namespace rekap::central {

/// `known`: sheets of revisions the caller has decoded already (revision id -> sheet), so that
/// a winner just ingested is not read back and decoded again.
inline CountedSheet readCounted(db::Database& db, const Regency& reg, const std::string& key,
                                const std::map<std::string, const Sheet*>* known = nullptr) {
    CountedSheet c;
    {
        // The common sheet has one head: verified only by a desk decision. With more heads, a
        // second reading by someone else may agree (rekap/merge.h); the merge decides.
        auto st = db.prepare(
            "SELECT s.state, s.winner, r.device, (SELECT COUNT(*) FROM sheet_heads h WHERE "
            "h.sheet = s.sheet) FROM sheets s LEFT JOIN revisions r ON r.id = s.winner WHERE "
            "s.sheet = ?");
        st.bindAll(key);
        if (!st.step())
            return c;
        c.state = st.text(0);
        if (st.isNull(1))
            return c;
        c.verified = st.text(2) == merge::kDesk || (c.state == "accepted" && st.int64(3) > 1 &&
                                                    merge::verified(derive::loadSheet(db, key)));
        if (known)
            if (auto it = known->find(st.text(1)); it != known->end()) {
                c.sheet = *it->second;
                return c;
            }
    }
    // The numbers live in the winner's ledger entry (schema step 4).
    auto st = db.prepare("SELECT l.entry FROM sheets s JOIN revisions r ON r.id = s.winner JOIN "
                         "ledger l ON l.idx = r.ledger_idx WHERE s.sheet = ?");
    st.bindAll(key);
    st.step();
    c.sheet = decodeSheet(nlohmann::json::parse(st.text(0)).at("revision").at("sheet"), reg);
    return c;
}

/// A tally of every stored sheet, read from `db` alone.
inline std::unique_ptr<Tally> recountFrom(db::Database& db, const Regency& reg) {
    auto t = std::make_unique<Tally>(reg);
    auto st = db.prepare("SELECT sheet, tps, contest FROM sheets ORDER BY sheet");
    while (st.step())
        t->apply(AreaCode::parse(st.text(1)), st.text(2), {}, readCounted(db, reg, st.text(0)));
    return t;
}

} // namespace rekap::central
