// SheetDesk: sheets as the desk and the camat see them, and the desk's decisions on conflicts.
// The merge itself is rekap/merge.h, kept in the derived tables by derive.cpp.

#include <algorithm>

#include "ledger/ledger_entries.h"
#include "ledger/ledger_log.h"
#include "rekap/central/store.h"
#include "rekap/revision_key.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/random.h"
#include "sheets/derive.h"
#include "sheets/photo_attachments.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

std::optional<SheetRecord> SheetDesk::sheet(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto row = sheet_rows::sheet(db_, key);
    if (!row)
        return std::nullopt;
    SheetRecord s{key, row->state, row->winner, {}};
    for (const auto& h : derive::loadSheet(db_, key).heads)
        s.heads.push_back(h.id);
    return s;
}

std::vector<SheetRecord> SheetDesk::conflicts() const {
    std::vector<std::string> keys;
    {
        std::lock_guard lock(mu_);
        keys = sheet_rows::keysInState(db_, SheetState::Conflict);
    }
    std::vector<SheetRecord> out;
    for (const auto& k : keys)
        if (auto s = sheet(k))
            out.push_back(*s);
    return out;
}

std::vector<StoredRevision> SheetDesk::revisionsOf(const std::string& sheetKey) const {
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    auto rows = sheet_rows::revisionsOf(db_, sheetKey);
    std::vector<std::int64_t> idxs;
    for (const auto& row : rows)
        idxs.push_back(row.ledgerIdx);
    auto entries = ledger_entries::texts(db_, idxs);
    std::vector<StoredRevision> out;
    for (const auto& row : rows) {
        auto entry = entries.find(row.ledgerIdx);
        if (entry == entries.end())
            throw std::runtime_error("revision " + row.id + ": its ledger entry " +
                                     std::to_string(row.ledgerIdx) + " is missing");
        StoredRevision r;
        r.seq = row.seq;
        r.revision = decodeRevision(nlohmann::json::parse(entry->second).at("revision"), reg);
        r.hash = row.hash;
        r.receivedAt = row.receivedAt;
        r.findings = protocol::decodeFindings(nlohmann::json::parse(row.findings));
        r.ledgerIndex = row.ledgerIdx;
        // Named by their keys, as the sheet's heads and winner are (revision_key.h).
        r.revision.id = row.id;
        r.revision.parent = row.parent;
        out.push_back(std::move(r));
    }
    for (auto& r : out)
        r.state = derive::standing(db_, r.revision.id);
    for (const auto& a : photo_attachments::ofSheet(db_, sheetKey))
        for (auto& r : out)
            if (r.revision.id == a.revision)
                r.laterPhotos.push_back({a.photo, a.attachedAt, a.receivedAt, a.ledgerIdx});
    return out;
}

std::int64_t SheetDesk::revisionCount() const {
    std::lock_guard lock(mu_);
    return sheet_rows::revisionCount(db_);
}

bool SheetDesk::photoNamedBy(const std::string& sha256, const std::string& tps) const {
    if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
        return false;
    std::lock_guard lock(mu_);
    // The photo is in the revision's canonical text, as it was signed: a TPS has a handful of
    // revisions, read in one statement.
    const auto named = "\"photo\":\"" + sha256 + "\"";
    for (const auto& [idx, text] : ledger_entries::texts(db_, sheet_rows::entriesOfTps(db_, tps)))
        if (text.find(named) != std::string::npos)
            return true;
    return photo_attachments::namedBy(db_, sha256, tps);
}

std::string SheetDesk::resolve(const std::string& sheetKey, const std::string& chosen,
                               const std::string& reason, const std::string& by) {
    if (reason.empty())
        throw std::invalid_argument("a resolution needs a reason");
    if (by.empty())
        throw std::invalid_argument("a resolution needs the name of who decided");
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    std::string id = newUuid();
    writeLedger([&](const db::WriteTx& tx) {
        auto heads = derive::loadSheet(tx, sheetKey).heads;
        if (heads.empty())
            throw std::invalid_argument("no accepted revision for sheet " + sheetKey);
        if (std::none_of(heads.begin(), heads.end(),
                         [&](const merge::Head& h) { return h.id == chosen; }))
            throw std::invalid_argument("revision " + chosen + " is not a head of sheet " +
                                        sheetKey + " (see: rekap-central conflicts)");
        auto base = decodeRevision(derive::revisionJson(tx, chosen), reg);
        Revision res;
        res.id = id;
        res.parent = std::string(revision_key::nameOf(chosen)); // as signed: the id
        res.device = std::string(merge::kDecisionAuthor);
        res.operatorName = by;
        res.capturedAt = utcNowText();
        res.reason = reason;
        res.photo = base.photo;
        res.sheet = base.sheet;
        auto hash = res.hash();
        // Signed by the receiver: the desk's decision is as checkable as a device's sheet.
        res.signature = ledger_->sign(tx, revisionSigningText(res, hash));
        auto texts = revisionTexts(res);
        auto at = res.capturedAt;
        std::vector<std::string> superseded;
        for (const auto& h : heads)
            if (h.id != chosen)
                superseded.push_back(h.id);
        auto idx =
            ledger_->append(tx, ledger::Kind::Decision, sheetKey, std::nullopt, at, [&](auto i) {
                return ledger::entryText(ledger::Kind::Decision, i, at,
                                         {{"sheet", sheetKey},
                                          {"chosen", chosen},
                                          {"superseded", superseded},
                                          {"revision", nlohmann::json::parse(texts.body)}});
            });
        res.parent = chosen; // the tables hold keys
        derive::addDecision(tx, res, texts, idx, at);
    });
    if (tally_)
        applySheetLocked(sheetKey, nullptr);
    applied_ = ledger_->size();
    version_ = applied_;
    return id;
}

} // namespace rekap::central
