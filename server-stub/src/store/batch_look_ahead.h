#pragma once
// What an integrator's batch would otherwise read push by push (the senders' standing, the
// names and keys its revisions take, whether their sheets exist), read for the whole batch in
// four statements at its start: on PostgreSQL each read is a round trip, and a pipelined batch
// then sends its writes without waiting for any (integrate.cpp; db::transactionPipelined).
//
// Exact, not a cache: it is read inside the batch's transaction, under the ledger's writer
// lock, so nothing else changes these rows meanwhile; and a name, key or sheet the batch itself
// writes is read again from the transaction, which sees its own writes.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rekap/central/database.h"
#include "rekap/revision_key.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

struct PushJob;

class BatchLookAhead {
public:
    BatchLookAhead(const db::ReadTx& tx, const std::vector<std::shared_ptr<PushJob>>& jobs);

    /// device_table::active.
    std::optional<bool> active(const std::string& device) const;
    /// derive::named.
    std::vector<revision_key::Named> named(const std::string& name) const;
    /// sheet_rows::revision.
    std::optional<sheet_rows::RevisionRow> revision(const std::string& key) const;
    /// True when the sheet has no row (derive::NewRevision::sheetAbsent); false when it has one
    /// or this batch cannot say.
    bool sheetAbsent(const std::string& sheetKey) const;
    /// The batch stored a revision with this key on this sheet: read them again from now on.
    void wrote(const std::string& key, const std::string& sheetKey);

private:
    const db::ReadTx& tx_;
    std::map<std::string, bool> active_;
    std::set<std::string> devices_;
    std::map<std::string, std::vector<revision_key::Named>> named_;
    std::set<std::string> names_, writtenNames_;
    std::map<std::string, sheet_rows::RevisionRow> revisions_;
    std::set<std::string> keys_, writtenKeys_;
    std::set<std::string> sheets_, sheetKeys_, writtenSheets_;
};

} // namespace rekap::central
