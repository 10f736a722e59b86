#pragma once
// The receiver's derived tables (revisions, sheets, sheet_heads, superseded, and the pull feed
// in changes), kept from ledger entries by the shared merge (rekap/merge.h). Live ingest and the
// rebuild of an old store's tables both go through here, so the tables are always what the
// ledger says. The caller holds the store's lock and a transaction.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rekap/central/database.h"
#include "rekap/merge.h"
#include "rekap/protocol.h"
#include "rekap/revision.h"
#include "rekap/revision_key.h"
#include "rekap/rules.h"

namespace rekap::central::derive {

/// A revision about to be stored, with what ingest already computed of it.
struct NewRevision {
    const Revision& revision;
    const RevisionTexts& texts; ///< hash, body and sheet JSON
    std::string numbersHash;
    std::vector<Finding> findings;
    bool rejected = false;
    std::int64_t ledgerIdx = 0;
    std::string receivedAt;
    /// The caller read, in this transaction, that the sheet has no row yet (sheetsAmong): the
    /// first revision's row is then written without asking the engine whether it was.
    bool sheetAbsent = false;
};

struct Stored {
    protocol::PushStatus status = protocol::PushStatus::Accepted;
    SheetState state = SheetState::Accepted;
    bool firstWinner = false; ///< the sheet's first accepted revision: what it now counts
};

/// Stores the revision's row and merges it into its sheet (or keeps it as rejected).
Stored addRevision(const db::WriteTx& db, const NewRevision& r);

/// A desk decision: `decision` (device "desk", parent = the chosen head's key) becomes the sheet's
/// only head; the other heads are superseded. Throws std::invalid_argument when the parent is
/// not a head. Returns the superseded ids.
std::vector<std::string> addDecision(const db::WriteTx& db, const Revision& decision,
                                     const RevisionTexts& texts, std::int64_t ledgerIdx,
                                     const std::string& at);

/// Why a second reading may not be stored, or nullopt: it must build on an accepted revision
/// of its sheet, written by another device and another person.
std::optional<std::string> readingProblem(const db::ReadTx& db, const Revision& reading);

/// The sheet's heads and state as the merge sees them.
merge::SheetHeads loadSheet(const db::ReadTx& db, const std::string& sheetKey);

/// The stored revisions whose key is `name` or "<name>@..." (revision_key.h), in ledger order.
std::vector<revision_key::Named> named(const db::ReadTx& db, const std::string& name);
/// named() for many names in one statement: each name found among `names`.
std::map<std::string, std::vector<revision_key::Named>>
namedAmong(const db::ReadTx& db, const std::vector<std::string>& names);
/// Which of the sheets `keys` have a row (any revision stored, counted or not).
std::set<std::string> sheetsAmong(const db::ReadTx& db, const std::vector<std::string>& keys);

/// Where a stored revision stands now (by its key).
SheetState standing(const db::ReadTx& db, const std::string& id);

/// The revision's JSON as stored in its ledger entry.
nlohmann::json revisionJson(const db::ReadTx& db, const std::string& id);

} // namespace rekap::central::derive
