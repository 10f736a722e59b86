#pragma once
// The intake table: pushes stored durably as they arrived, before the integrator takes them
// into the ledger (docs/architecture.md, "Sequencing apart from integration"). A receiver
// checks a push and adds it here in a short transaction of its own, without the ledger's writer
// lock; the integrator reads the waiting rows in their order, integrates them in one ledger
// transaction and records each one's answer in that same transaction, so a row is either
// waiting or answered, never integrated twice. Operational: the ledger, not this table, is the
// record; `verify` does not read it. This unit holds every statement on the table.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rekap/central/database.h"

namespace rekap::central::intake_queue {

/// One push as stored: who sent it, whether it was relayed, what the device said of itself,
/// and the pushed items exactly as received (a JSON array).
struct Push {
    std::string sender;
    bool relayed = false;
    std::string report; ///< JSON: the device's report (queue depth, last capture)
    std::string items;  ///< JSON array (table intake_items, while the push waits)
    std::string receivedAt;
};

struct Waiting {
    std::int64_t seq = 0;
    Push push;
};

/// Adds a push; returns its place (seq), which orders integration.
std::int64_t add(const db::WriteTx& db, const Push& push);
/// The oldest waiting pushes, at most `limit`, with their items only for those not in `known`
/// (sorted seqs whose items the caller holds already, decoded).
std::vector<Waiting> waiting(const db::ReadTx& db, int limit,
                             const std::vector<std::int64_t>& known);
/// How many pushes wait.
std::int64_t waitingCount(const db::ReadTx& db);
/// Records a waiting push's answer and deletes its items (the ledger holds what was stored;
/// `intake_items` holds a push's items while it waits, so that its pages are freed whole).
/// Sent without waiting in a pipelined batch: answeredAll() checks a batch's answers at once.
void answer(const db::WriteTx& db, std::int64_t seq, const std::string& answer);
/// Throws unless each of `seqs`, read as waiting at the batch's start, now has its answer.
void answeredAll(const db::ReadTx& db, const std::vector<std::int64_t>& seqs);
/// Every answered push's place and answer, in order (verify).
db::Statement everyAnswer(const db::ReadTx& db);
/// The answer to push `seq`; nullopt while it waits (or when there is no such push).
std::optional<std::string> answerOf(const db::ReadTx& db, std::int64_t seq);
/// The answers to `sender`'s latest `limit` pushes, newest first (waiting ones as nullopt).
std::vector<std::optional<std::string>> answersOf(const db::ReadTx& db, const std::string& sender,
                                                  int limit);

} // namespace rekap::central::intake_queue
