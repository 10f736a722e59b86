#pragma once
// Reading what a sheet counts from the store (caller holds the store's lock).

#include <map>
#include <memory>
#include <vector>

#include "ledger/ledger_entries.h"
#include "rekap/central/database.h"
#include "rekap/json_reader.h"
#include "rekap/sheet_codec.h"
#include "rekap/tally.h"
#include "sheets/derive.h"

namespace rekap::central {

/// What each of the sheets `keys` counts, with its winner's ledger entry (-1 without one), in two
/// statements whatever their number (what they count, then the winners' entries that `known`
/// does not hold): an integrated batch touches many, and each statement is a round trip on
/// PostgreSQL. `known`: sheets of revisions the caller has decoded already (revision id ->
/// sheet), so that a winner just ingested is not read back and decoded again.
inline std::map<std::string, std::pair<CountedSheet, std::int64_t>>
readCountedAmong(const db::ReadTx& db, const Regency& reg, const std::vector<std::string>& keys,
                 const std::map<std::string, const Sheet*>* known) {
    std::map<std::string, std::pair<CountedSheet, std::int64_t>> out;
    for (const auto& key : keys)
        out[key] = {CountedSheet{}, -1};
    std::map<std::string, std::int64_t> unknown; // sheet -> winner's entry, to be read
    {
        auto st = db.prepareEachTime(
            "SELECT s.sheet, s.state, s.winner, r.device, (SELECT COUNT(*) FROM sheet_heads h "
            "WHERE h.sheet = s.sheet), r.ledger_idx FROM sheets s LEFT JOIN revisions r ON r.id "
            "= s.winner WHERE " +
            db::inJsonArray(db.dialect(), "s.sheet"));
        st.bindAll(nlohmann::json(keys).dump());
        std::vector<std::pair<std::string, std::int64_t>> several; // more than one head
        while (st.step()) {
            auto& [c, idx] = out[st.text(0)];
            c.state = storedSheetState(st.text(1), "sheets.state");
            if (st.isNull(2))
                continue;
            idx = st.int64(5);
            c.verified = merge::isDecision(st.text(3));
            if (c.state == SheetState::Accepted && !c.verified && st.int64(4) > 1)
                several.emplace_back(st.text(0), idx);
            const Sheet* decoded = nullptr;
            if (known)
                if (auto it = known->find(st.text(2)); it != known->end())
                    decoded = it->second;
            if (decoded)
                c.sheet = *decoded;
            else
                unknown[st.text(0)] = idx;
        }
        // After the statement is done: a second reading by someone else may agree (the merge
        // decides; rare).
        for (const auto& [key, idx] : several)
            out[key].first.verified = merge::verified(derive::loadSheet(db, key));
    }
    std::vector<std::int64_t> idxs;
    for (const auto& [key, idx] : unknown)
        idxs.push_back(idx);
    auto entries = ledger_entries::texts(db, idxs);
    for (const auto& [key, idx] : unknown) {
        auto entry = entries.find(idx);
        if (entry == entries.end())
            throw std::runtime_error("sheet " + key + ": its counted revision's ledger entry " +
                                     std::to_string(idx) + " is missing");
        out[key].first.sheet =
            decodeSheet(nlohmann::json::parse(entry->second).at("revision").at("sheet"), reg);
    }
    return out;
}

/// What sheet `key` counts (readCountedAmong). `winnerIdx`, when given, is set to the counted
/// revision's ledger entry (-1 without one).
inline CountedSheet readCounted(const db::ReadTx& db, const Regency& reg, const std::string& key,
                                const std::map<std::string, const Sheet*>* known = nullptr,
                                std::int64_t* winnerIdx = nullptr) {
    auto [counted, idx] = readCountedAmong(db, reg, {key}, known).at(key);
    if (winnerIdx && idx >= 0)
        *winnerIdx = idx;
    return counted;
}

/// One stored sheet as forEachCounted() hands it over.
struct StoredSheet {
    std::string key;
    std::string tps;
    std::string contest;
    std::int64_t winnerIdx = -1; ///< the winner's ledger entry; -1 without one
    CountedSheet counted;
};

/// Every stored sheet in key order with what it counts (as readCounted() reads one), a page of
/// `page` sheets per statement. Reading them one by one costs two statements per sheet: on
/// PostgreSQL two round trips, and a receiver starting on a national store (4,100,000 sheets)
/// had not listened after 6 minutes. Only a page is held in memory.
template <class F>
void forEachCounted(const db::ReadTx& db, const Regency& reg, F&& f, int page = 10000) {
    struct Row {
        StoredSheet sheet;
        bool winner = false;
        std::string device;
        std::int64_t heads = 0;
    };
    std::string after; // sheet keys sort byte by byte on both engines (COLLATE "C")
    for (;;) {
        std::vector<Row> rows;
        {
            auto st = db.prepare(
                "SELECT s.sheet, s.tps, s.contest, s.state, s.winner IS NULL, r.ledger_idx, "
                "r.device, (SELECT COUNT(*) FROM sheet_heads h WHERE h.sheet = s.sheet) FROM "
                "sheets s LEFT JOIN revisions r ON r.id = s.winner WHERE s.sheet > ? ORDER BY "
                "s.sheet LIMIT ?");
            st.bindAll(after, static_cast<std::int64_t>(page));
            while (st.step()) {
                Row row;
                row.sheet.key = st.text(0);
                row.sheet.tps = st.text(1);
                row.sheet.contest = st.text(2);
                row.sheet.counted.state = storedSheetState(st.text(3), "sheets.state");
                if (st.int64(4) == 0) {
                    row.winner = true;
                    row.sheet.winnerIdx = st.isNull(5) ? -1 : st.int64(5);
                    row.device = st.text(6);
                    row.heads = st.int64(7);
                }
                rows.push_back(std::move(row));
            }
        }
        // The winners' entries, one statement for the page (the numbers live there, schema step
        // 4). The statement above is done before a sheet with several heads is read again
        // (second readings: rare).
        std::vector<std::int64_t> idxs;
        for (const auto& row : rows)
            if (row.winner)
                idxs.push_back(row.sheet.winnerIdx);
        auto entries = ledger_entries::texts(db, idxs);
        // The next page starts after this one's last key, taken before f() is handed (and
        // may move) each sheet: read from the moved-from row it was "" and the first page came
        // again, for ever, in any store of more than one page.
        auto last = rows.empty() ? after : rows.back().sheet.key;
        for (auto& row : rows) {
            auto& c = row.sheet.counted;
            if (row.winner) {
                c.verified = merge::isDecision(row.device) ||
                             (c.state == SheetState::Accepted && row.heads > 1 &&
                              merge::verified(derive::loadSheet(db, row.sheet.key)));
                auto entry = entries.find(row.sheet.winnerIdx);
                if (entry == entries.end())
                    throw std::runtime_error("sheet " + row.sheet.key +
                                             ": its counted revision's ledger entry " +
                                             std::to_string(row.sheet.winnerIdx) + " is missing");
                c.sheet = decodeSheet(
                    nlohmann::json::parse(entry->second).at("revision").at("sheet"), reg);
            }
            f(std::move(row.sheet));
        }
        if (static_cast<int>(rows.size()) < page)
            return;
        after = std::move(last);
    }
}

/// A tally of every stored sheet, read from `db` alone.
inline std::unique_ptr<Tally> recountFrom(const db::ReadTx& db, const Regency& reg) {
    auto t = std::make_unique<Tally>(reg);
    forEachCounted(db, reg, [&](StoredSheet s) {
        t->apply(AreaCode::parse(s.tps), s.contest, {}, s.counted);
    });
    return t;
}

} // namespace rekap::central
