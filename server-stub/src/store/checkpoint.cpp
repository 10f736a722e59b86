// CentralStore: writing and loading the checkpoint of derived state (issue 30,
// checkpoint/derived_checkpoint.h). A receiver on a national store decoded every counted
// revision's ledger entry to build its tally (about 14 minutes on PostgreSQL); from a checkpoint
// it decodes only the entries after it. The checkpoint is trusted only as far as it can be
// checked at start: its Merkle root must be this ledger's root at its size and its master data
// the master data served; anything else is ignored with a warning and the tally is built from
// the first entry. `verify` compares its contents with a rebuild (verify.cpp).

#include <spdlog/spdlog.h>

#include "checkpoint/derived_checkpoint.h"
#include "ledger/ledger_entries.h"
#include "ledger/ledger_log.h"
#include "rekap/central/store.h"
#include "rekap/support/random.h"

namespace rekap::central {

std::optional<CheckpointWritten> StoreCore::writeCheckpointNow() const {
    derived_checkpoint::Stored c;
    {
        std::lock_guard lock(mu_);
        if (!tally_)
            return std::nullopt;
        // One snapshot for the ledger and the sheets: what the tally reflects after this
        // catch-up is exactly the state at the ledger size read in it, even when another
        // receiver commits meanwhile.
        db_.snapshot([&] { catchUpLocked(); });
        if (!tally_ || applied_ == checkpointed_ || applied_ == 0)
            return std::nullopt;
        c.size = applied_;
        c.root = merkle::toHex(ledger_->tree().root(static_cast<std::uint64_t>(applied_)));
        c.masterData = regencyLocked().contentHash;
        c.writtenAt = utcNowText();
        // Encoded here, under the lock, in one pass (no copy of the caches); stored below
        // without it.
        c.state = derived_checkpoint::encode(*tally_, [&](const auto& emit) {
            counted_.forEach([&](const std::string& key, const CountedRef& ref) {
                emit(key, {ref.winnerIdx, ref.state, ref.verified});
            });
        });
    }
    // A connection of its own, so that reads and this process's ingest go on while the text is
    // written: the transaction is one DELETE and one INSERT.
    auto own = db_.connectAgain(true);
    bool written = false;
    own->write([&](const db::WriteTx& tx) { written = derived_checkpoint::write(tx, c); });
    std::lock_guard lock(mu_);
    checkpointed_ = std::max(checkpointed_, c.size);
    if (!written)
        return std::nullopt; // another receiver kept a later one
    return CheckpointWritten{c.size, c.state.size()};
}

bool StoreCore::loadCheckpointLocked() const {
    std::optional<derived_checkpoint::Stored> c;
    try {
        c = derived_checkpoint::read(db_);
    } catch (const std::exception& e) {
        spdlog::warn("the checkpoint of derived state could not be read ({}): the tally is "
                     "built from the first entry",
                     e.what());
        return false;
    }
    if (!c)
        return false;
    auto ignore = [&](const std::string& why) {
        spdlog::warn("the checkpoint of derived state at {} entries is ignored: {}; the tally is "
                     "built from the first entry",
                     c->size, why);
        return false;
    };
    if (c->size > ledger_->size())
        return ignore("it covers more entries than the ledger holds (" +
                      std::to_string(ledger_->size()) + ")");
    if (c->size <= 0)
        return ignore("it covers no entry");
    if (merkle::toHex(ledger_->tree().root(static_cast<std::uint64_t>(c->size))) != c->root)
        return ignore("its root is not this ledger's root at that size (another ledger's)");
    const auto& reg = regencyLocked();
    if (c->masterData != reg.contentHash)
        return ignore("it was counted with other master data");
    auto t = std::make_shared<Tally>(reg);
    CountedRefs refs;
    refs.reset(reg);
    std::size_t areas = 0, wantAreas = 0;
    try {
        derived_checkpoint::decode(
            c->state,
            [&](const std::string& contest, const std::string& area, const AreaTally& sums) {
                if (!t->restoreArea(contest, area, sums))
                    throw std::runtime_error("contest " + contest + " area " + area +
                                             " is not the master data's");
                ++areas;
            },
            [&](std::string key, const derived_checkpoint::SheetRef& ref) {
                refs.set(key, CountedRef{ref.winnerIdx, ref.state, ref.verified});
            });
    } catch (const std::exception& e) {
        return ignore(std::string("it is unreadable: ") + e.what());
    }
    t->forEachArea([&](const auto&, const auto&, const auto&) { ++wantAreas; });
    if (areas != wantAreas)
        return ignore("it holds " + std::to_string(areas) + " areas, the master data " +
                      std::to_string(wantAreas));
    tally_ = std::move(t);
    counted_ = std::move(refs);
    // The entries after it that this process has taken into its tree; later ones come with the
    // next catch-up, as always.
    auto rows = ledger_entries::rowsFrom(db_, c->size);
    std::erase_if(rows, [&](const LedgerRow& r) { return r.idx >= ledger_->size(); });
    takeIn(rows);
    if (!tally_)
        return false; // the database went away while they were taken in: built again
    checkpointed_ = c->size;
    spdlog::info("tally loaded from the checkpoint of derived state at {} entries; {} entries "
                 "after it taken in",
                 c->size, rows.size());
    return true;
}

} // namespace rekap::central
