#pragma once
// Reading the sheets unit's tables for the store's answers: a sheet and its revisions, the
// pull feed, a kecamatan's states, the reading queue's candidates, what verify compares. The
// rows are derived from the ledger (derive.h writes them); a revision's own text is its ledger
// entry, which the caller reads from the ledger unit by the index given here. This unit holds
// every statement on revisions, sheets, sheet_heads, superseded and changes; the caller holds
// the store's lock (and, to write, its transaction).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rekap/central/database.h"
#include "rekap/protocol.h"
#include "rekap/sheet_state.h"

namespace rekap::central::sheet_rows {

/// A stored revision's row (its text is ledger entry `ledgerIdx`).
struct RevisionRow {
    std::int64_t seq = 0;
    std::string id; ///< its key (rekap/revision_key.h)
    std::optional<std::string> parent;
    std::string device, tps, contest, hash, receivedAt, findings; ///< findings: JSON text
    std::int64_t ledgerIdx = 0;
};
std::optional<RevisionRow> revision(const db::ReadTx& db, const std::string& id);
/// revision() for many keys in one statement: those found among `ids`, by key.
std::map<std::string, RevisionRow> revisionsAmong(const db::ReadTx& db,
                                                  const std::vector<std::string>& ids);
/// A sheet's revisions in ledger order.
std::vector<RevisionRow> revisionsOf(const db::ReadTx& db, const std::string& sheet);
/// The sheet's first entries from tablets (not second readings), newest first.
std::vector<RevisionRow> firstEntriesOf(const db::ReadTx& db, const std::string& sheet);
/// The ledger entries of the revisions of TPS `tps`'s sheets.
std::vector<std::int64_t> entriesOfTps(const db::ReadTx& db, const std::string& tps);
std::int64_t revisionCount(const db::ReadTx& db);
bool anyRevision(const db::ReadTx& db);

struct SheetRow {
    std::string sheet, tps, contest;
    SheetState state = SheetState::Accepted;
    std::optional<std::string> winner;
};
std::optional<SheetRow> sheet(const db::ReadTx& db, const std::string& key);
/// Sheets in `state`, in key order, whose TPS code starts with `prefix` ("" for all).
std::vector<std::string> keysInState(const db::ReadTx& db, SheetState state,
                                     const std::string& prefix = "");
/// Sheets whose TPS code starts with `prefix`.
std::vector<SheetRow> sheetsIn(const db::ReadTx& db, const std::string& prefix);
/// The findings (JSON text) of each rejected sheet's latest revision whose TPS code starts with
/// `prefix`: sheet row, findings.
std::vector<std::pair<SheetRow, std::string>> rejectedIn(const db::ReadTx& db,
                                                         const std::string& prefix);

/// A sheet that counts something (accepted or in conflict) with its counted revision.
struct Counting {
    std::string sheet;
    SheetState state = SheetState::Accepted;
    std::string winner, device, operatorName;
    std::optional<std::string> attachedPhoto; ///< the latest photo attached to the winner later
    std::int64_t winnerIdx = 0;
};
/// Those of TPS codes starting with `area` (and `contest`, unless empty), in code order.
std::vector<Counting> countingIn(const db::ReadTx& db, const std::string& area,
                                 const std::string& contest);

/// The pull feed (changes) for a device after `since`, at most `limit` rows and whether more
/// wait; `next` is where the device's next pull starts.
struct Feed {
    std::vector<protocol::Change> changes;
    bool more = false;
    std::int64_t next = 0;
};
Feed feedFor(const db::ReadTx& db, const std::string& device, const std::string& scope,
             std::int64_t since, int limit);
/// A feed item for everyone (master data) or for a TPS's devices (`tps`).
void addChange(const db::WriteTx& db, const std::string& kind, const std::string& sheet,
               const std::string& tps, const std::string& data, const std::string& at);

/// For `verify`, which compares every row with the ledger's replay: cursors over whole tables
/// in a stable order, their columns as listed.
/// seq, id, hash, numbers_hash, sheet, tps, contest, parent, device, operator, captured_at,
/// received_at, status, findings, body, ledger_idx, line, signature, reading, name.
db::Statement everyRevision(const db::ReadTx& db);
/// seq, kind, sheet, tps, device, data, created_at; from `fromSeq` on.
db::Statement feedFrom(const db::ReadTx& db, std::int64_t fromSeq);
std::vector<std::int64_t> feedSeqs(const db::ReadTx& db);
/// sheet, tps, contest, state, winner, updated_seq.
db::Statement everySheet(const db::ReadTx& db);
/// sheet, revision: every row of sheet_heads, in the order of sheet keys and then revision keys
/// byte by byte (as a std::map of std::string orders them), read as they go rather than held.
db::Statement everyHead(const db::ReadTx& db);
/// superseded revision -> the resolution that set it aside.
std::map<std::string, std::string> everySuperseded(const db::ReadTx& db);

} // namespace rekap::central::sheet_rows
