#pragma once
// `verify`'s comparison of the derived tables with the ledger (docs/integrity.md, "What verify
// compares"): every table that decides what is counted or shown as a result is rebuilt from the
// ledger as it is replayed and compared whole, every column of every row: revisions, sheets,
// sheet_heads, superseded, devices, photo_attachments, send_backs and the regency's master data. A
// column left out is a column someone can edit by hand without verify noticing (issue 25).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "rekap/central/database.h"
#include "rekap/ledger.h"
#include "rekap/ledger_replay.h"

namespace rekap::central {

/// A difference between a derived table and the ledger.
struct DerivedMismatch {
    std::string what;
    std::int64_t entry = -1; ///< the ledger entry the row derives from, when one does
};

class DerivedCheck {
public:
    /// `db` in the snapshot the ledger is read from.
    explicit DerivedCheck(db::Database& db);
    /// After `replay` took in entry `index`: the rows it derives.
    void applied(const ledger::Replay& replay, std::int64_t index);
    /// After the last entry: every table whole.
    void finish(const ledger::Replay& replay);
    /// The first difference found, if any.
    const std::optional<DerivedMismatch>& mismatch() const { return mismatch_; }
    /// Each photo hash a revision carries, with the first revision that carries it.
    struct PhotoRef {
        std::string revision;
        std::int64_t entry = 0;
    };
    const std::map<std::string, PhotoRef>& photos() const { return photos_; }

private:
    void fail(std::string what, std::int64_t entry);
    void compareRevisionRow(const ledger::AppliedRevision& a, std::int64_t index);
    void compareSheets(const ledger::Replay& replay);
    void compareDevices(const ledger::Replay& replay);
    void comparePhotoAttachments(const ledger::Replay& replay);
    void compareSendBacks(const ledger::Replay& replay);

    /// A row the pull feed (`changes`) must hold for entry `index`, in this order.
    struct Change {
        std::string kind, sheet, tps;
        std::optional<std::string> device;
        nlohmann::json data;
        std::string createdAt;
        std::int64_t entry = 0;
    };
    void expectChange(Change c);
    void compareChange(const Change& want);
    void changesApplied(const ledger::Replay& replay, std::int64_t index);

    db::Database& db_;
    db::Statement revisions_; ///< the revisions table in ledger order, read as entries replay
    bool revisionRow_ = false;
    std::int64_t lastSeq_ = -1;
    /// Each sheet's row in `sheets` as the ledger makes it so far.
    struct SheetRow {
        std::int64_t updatedSeq = 0;
        std::string state;
        std::optional<std::string> winner;
    };
    std::unordered_map<std::string, SheetRow> sheetRows_;
    db::Statement changes_; ///< the pull feed in order, read as entries replay
    bool changeRow_ = false;
    /// A store made before the ledger keeps the feed it had, and its migration wrote its own
    /// rows: only the rows after those (the tail) follow from live entries, so they are
    /// gathered here and compared with the feed's tail at the end.
    std::optional<std::vector<Change>> tail_;
    std::map<std::string, std::string> superseded_; ///< revision -> its decision
    std::map<std::string, PhotoRef> photos_;
    std::optional<DerivedMismatch> mismatch_;
};

} // namespace rekap::central
