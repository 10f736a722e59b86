// CentralStore: the caches that follow the ledger (the tally, remembered device tokens, the
// regency), and reading the ledger itself.
//
// Every process that serves keeps a tally in memory. It is derived from the ledger: whatever
// appended an entry (this process's ingest, an admin command in another process, later another
// receiver on the same database), the entry is taken in by the next catch-up, which re-reads
// the sheets it touched. A catch-up runs at the start of every write transaction and, through
// follow(), whenever SQLite's data_version says another connection committed.

#include <algorithm>
#include <set>

#include "ledger/ledger_entries.h"
#include "ledger/ledger_log.h"
#include "rekap/central/store.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "sheets/counted.h"
#include "sheets/derive.h"

namespace rekap::central {

void StoreCore::catchUpLocked() const {
    lastLook_ = std::chrono::steady_clock::now();
    const auto before = ledger_->size();
    auto rows = ledger_->catchUp(db_);
    if (rows.empty())
        return;
    try {
        takeIn(rows);
    } catch (...) {
        // The database went away half-way (a PostgreSQL restart): forget these entries, so that
        // the next catch-up reads them again and the caches miss none of them.
        ledger_->truncate(before);
        throw;
    }
}

void StoreCore::takeIn(const std::vector<LedgerRow>& rows) const {
    std::set<std::string> touched;
    bool devicesChanged = false, masterData = false;
    for (const auto& r : rows) {
        switch (r.kind) {
        case ledger::Kind::Revision:
        case ledger::Kind::Decision:
            touched.insert(r.sheet);
            break;
        case ledger::Kind::DeviceEnrolled:
        case ledger::Kind::DeviceKey:
        case ledger::Kind::DeviceRevoked:
            devicesChanged = true;
            break;
        case ledger::Kind::MasterData:
            masterData = true;
            break;
        default:
            break;
        }
    }
    if (devicesChanged) {
        // A revocation or a new token elsewhere: authenticate again from the database.
        std::unique_lock write(identitiesMu_);
        identities_.clear();
    }
    if (masterData) {
        // From the ledger's entry, never the regency table (which only mirrors it).
        if (auto md = ledger_->latestMasterData(db_)) {
            const auto* current = regency_.load();
            if (!current || current->contentHash != md->regency->contentHash) {
                regencyDocument_ = std::move(md->document);
                regency_ = md->regency.get();
                regencies_.push_back(std::move(md->regency));
                tally_.reset(); // rebuilt for the new areas when next asked for
                counted_.clear();
            }
        }
    }
    if (tally_ && !touched.empty())
        applySheetsLocked({touched.begin(), touched.end()}, nullptr);
    applied_ = ledger_->size();
    version_ = applied_;
}

void StoreCore::followNow() const {
    std::lock_guard lock(mu_);
    // SQLite says whether another connection committed; on PostgreSQL the catch-up's own query
    // (entries after the last one applied, by primary key) is the cheap look.
    auto now = db_.dataVersion();
    if (now && *now == dataVersion_)
        return; // nobody else committed since the last look
    dataVersion_ = now.value_or(-1);
    catchUpLocked();
}

void LiveTally::follow() const {
    followNow();
}

void StoreCore::followLazily() const {
    if (!db_.dataVersion()) {
        // No cheap "did anyone commit" on this engine (PostgreSQL): a look is a round trip to
        // the server, so a busy dashboard's reads share one every 50 ms. The follower thread
        // looks every 200 ms besides, so another receiver's change still shows within 1 s.
        std::lock_guard lock(mu_);
        if (std::chrono::steady_clock::now() - lastLook_ < std::chrono::milliseconds(50))
            return;
    }
    followNow();
}

void LiveTally::startFollowing(std::chrono::milliseconds every) {
    if (follower_.joinable())
        return;
    follower_ = std::thread([this, every] {
        while (!stopFollowing_) {
            std::this_thread::sleep_for(every);
            try {
                followNow();
            } catch (const std::exception&) {
                // A busy or damaged file: the next look tries again; requests still answer.
            }
        }
    });
}

namespace {
CountedSheet numbersOf(db::Database& db, const Regency& reg, std::int64_t idx, CountedSheet c) {
    if (auto entry = ledger_entries::text(db, idx))
        c.sheet = decodeSheet(nlohmann::json::parse(*entry).at("revision").at("sheet"), reg);
    return c;
}
} // namespace

void StoreCore::applySheetsLocked(const std::vector<std::string>& keys,
                                  const KnownSheets* known) const {
    if (!tally_)
        return; // built from the database when next asked for
    try {
        applySheetsOrThrowLocked(keys, known);
    } catch (const std::exception&) {
        // The database went away half-way (a PostgreSQL restart), after what changed the sheet
        // was committed: this sheet can no longer be brought up to date step by step, so the
        // tally is dropped and built again from the database when next asked for. Throwing
        // instead would fail a push whose sheets are stored.
        tally_.reset();
        counted_.clear();
    }
}

void StoreCore::applySheetsOrThrowLocked(const std::vector<std::string>& keys,
                                         const KnownSheets* known) const {
    const auto& reg = regencyLocked();
    // What the sheets count and which entries those are, read in one snapshot: the numbers
    // added to the tally and the reference kept for the next change must be of the same state,
    // or a receiver that another one outpaces between two reads would keep numbers it no
    // longer recognises as stale. Two statements for all the sheets (readCountedAmong).
    std::map<std::string, std::pair<CountedSheet, std::int64_t>> now;
    db_.snapshot([&] { now = readCountedAmong(db_, reg, keys, known); });
    for (auto& [key, read] : now) {
        auto& after = read.first;
        CountedRef ref{read.second, after.state, after.verified};
        CountedSheet before;
        const auto old = counted_.find(key);
        if (old == ref)
            continue; // nothing this sheet counts moved
        before.state = old.state;
        before.verified = old.verified;
        // What the sheet counted is still in the ledger: entries never change.
        if (old.winnerIdx >= 0)
            before = numbersOf(db_, reg, old.winnerIdx, before);
        auto slash = key.find('/');
        tally_->apply(AreaCode::parse(key.substr(0, slash)), key.substr(slash + 1), before, after);
        counted_.set(key, ref);
    }
}

void StoreCore::buildTallyLocked() const {
    if (loadCheckpointLocked())
        return; // the entries after the checkpoint taken in, nothing decoded before it
    const auto& reg = regencyLocked();
    auto t = std::make_shared<Tally>(reg);
    counted_.reset(reg);
    db_.snapshot([&] { // one state for every sheet, as in applySheetLocked
        forEachCounted(db_, reg, [&](StoredSheet s) {
            t->apply(AreaCode::parse(s.tps), s.contest, {}, s.counted);
            counted_.set(s.key, {s.winnerIdx, s.counted.state, s.counted.verified});
        });
    });
    tally_ = std::move(t);
}

std::shared_ptr<const Tally> LiveTally::tally() const {
    followLazily();
    std::lock_guard lock(mu_);
    // Built on first use, so that admin commands (mint, revoke, ...) open the store at once.
    if (!tally_)
        buildTallyLocked();
    return tally_;
}

std::unique_ptr<Tally> StoreCore::recountLocked() const {
    std::unique_ptr<Tally> out;
    db_.snapshot([&] { out = recountFrom(db_, regencyLocked()); });
    return out;
}

std::unique_ptr<Tally> LiveTally::recount() const {
    std::lock_guard lock(mu_);
    return recountLocked();
}

CountedSheet LiveTally::counted(const std::string& key) const {
    std::lock_guard lock(mu_);
    // Its state and its numbers from one state of the database: another receiver may commit
    // a correction between the two statements.
    CountedSheet out;
    db_.snapshot([&] { out = readCounted(db_, regencyLocked(), key); });
    return out;
}

std::vector<CountedSheet> LiveTally::counted(const std::vector<std::string>& keys) const {
    std::lock_guard lock(mu_);
    std::vector<CountedSheet> out;
    out.reserve(keys.size());
    db_.snapshot([&] {
        for (const auto& key : keys)
            out.push_back(readCounted(db_, regencyLocked(), key));
    });
    return out;
}

std::int64_t LiveTally::version() const {
    followLazily();
    return version_;
}

std::int64_t LedgerView::ledgerSize() const {
    std::lock_guard lock(mu_);
    return ledger_->size();
}

std::optional<ledger::TreeHead> LedgerView::latestHead() const {
    std::lock_guard lock(mu_);
    return ledger_->latestHead(db_);
}

std::optional<ledger::TreeHead> LedgerView::headAt(std::int64_t size) const {
    std::lock_guard lock(mu_);
    for (const auto& h : ledger_->heads(db_))
        if (static_cast<std::int64_t>(h.size) == size)
            return h;
    return std::nullopt;
}

std::string LedgerView::ledgerEntry(std::int64_t index) const {
    std::lock_guard lock(mu_);
    auto entry = ledger_entries::text(db_, index);
    if (!entry)
        throw std::out_of_range("no ledger entry " + std::to_string(index));
    return *entry;
}

std::string LedgerView::ledgerEntryDevice(std::int64_t index) const {
    std::lock_guard lock(mu_);
    auto device = ledger_entries::device(db_, index);
    if (!device)
        throw std::out_of_range("no ledger entry " + std::to_string(index));
    return *device;
}

std::vector<merkle::Hash> LedgerView::inclusionProof(std::int64_t index, std::int64_t size) const {
    followNow();
    std::lock_guard lock(mu_);
    if (index < 0 || size < 0)
        throw std::out_of_range("negative index or size");
    return ledger_->tree().inclusionProof(static_cast<std::uint64_t>(index),
                                          static_cast<std::uint64_t>(size));
}

std::vector<merkle::Hash> LedgerView::consistencyProof(std::int64_t from, std::int64_t to) const {
    followNow();
    std::lock_guard lock(mu_);
    if (from < 0 || to < 0)
        throw std::out_of_range("negative size");
    return ledger_->tree().consistencyProof(static_cast<std::uint64_t>(from),
                                            static_cast<std::uint64_t>(to));
}

} // namespace rekap::central
