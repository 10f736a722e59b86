// CentralStore: `verify` (the ledger replayed from its first entry and held against every signed
// head, every derived table and a recount) and the audit export an outsider verifies with
// rekap-verify (docs/integrity.md).

#include <algorithm>
#include <map>
#include <set>

#include "counted.h"
#include "ledger_log.h"
#include "rekap/central/store.h"
#include "rekap/ledger_replay.h"
#include "rekap/revision_key.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

namespace rekap::central {

namespace {

/// How many entries the ledger holds now, as any receiver has committed them.
std::int64_t ledgerSizeIn(db::Database& db) {
    auto st = db.prepare("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger");
    st.step();
    return st.int64(0);
}

struct Failure {
    std::string what;
    std::int64_t entry = -1;
};

/// The derived tables against the replay; the first difference.
std::optional<Failure> compareDerived(db::Database& db, const ledger::Replay& replay) {
    const auto& revs = replay.revisions();
    std::int64_t rows = 0;
    auto st = db.prepare("SELECT id, sheet, status, device, parent, hash, ledger_idx, reading, "
                         "name FROM revisions ORDER BY ledger_idx");
    while (st.step()) {
        ++rows;
        auto id = st.text(0);
        auto it = revs.find(id);
        if (it == revs.end())
            return Failure{"the revisions table holds " + id + ", which no ledger entry records"};
        const auto& r = it->second;
        auto idx = st.isNull(6) ? -1 : st.int64(6);
        if (st.text(1) != r.sheet || (st.text(2) == "rejected") != r.rejected ||
            st.text(3) != r.device || st.optionalText(4) != r.parent || st.text(5) != r.hash ||
            idx != r.index || (st.int64(7) == 2) != r.reading ||
            st.text(8) != revision_key::nameOf(id))
            return Failure{"the revisions table's row for " + id +
                               " differs from its ledger entry (sheet, status, device, parent, "
                               "hash, place, reading or id)",
                           r.index};
    }
    if (rows != static_cast<std::int64_t>(revs.size()))
        return Failure{"the revisions table holds " + std::to_string(rows) +
                       " revisions, the ledger " + std::to_string(revs.size())};

    const auto& sheets = replay.sheets();
    std::map<std::string, std::set<std::string>> heads;
    auto hs = db.prepare("SELECT sheet, revision FROM sheet_heads");
    while (hs.step())
        heads[hs.text(0)].insert(hs.text(1));
    std::int64_t sheetRows = 0;
    auto ss = db.prepare("SELECT sheet, state, winner FROM sheets ORDER BY sheet");
    while (ss.step()) {
        ++sheetRows;
        auto key = ss.text(0);
        auto it = sheets.find(key);
        if (it == sheets.end())
            return Failure{"sheet " + key + " is in the sheets table but not in the ledger"};
        const auto& s = it->second;
        auto state = std::string(merge::stateName(s.state()));
        const auto* w = s.winner();
        std::optional<std::string> winner = w ? std::optional(w->id) : std::nullopt;
        if (ss.text(1) != state || ss.optionalText(2) != winner)
            return Failure{"sheet " + key + " is recorded " + ss.text(1) + " with winner " +
                           ss.optionalText(2).value_or("none") + "; the ledger makes it " + state +
                           " with winner " + winner.value_or("none")};
        std::set<std::string> want;
        for (const auto& h : s.heads)
            want.insert(h.id);
        if (heads[key] != want)
            return Failure{"sheet " + key + "'s heads differ from the ledger's"};
    }
    if (sheetRows != static_cast<std::int64_t>(sheets.size()))
        return Failure{"the sheets table holds " + std::to_string(sheetRows) +
                       " sheets, the ledger " + std::to_string(sheets.size())};

    const auto& devices = replay.devices();
    std::int64_t deviceRows = 0;
    auto ds = db.prepare("SELECT id, role, scope, revoked_at, public_key FROM devices");
    while (ds.step()) {
        ++deviceRows;
        auto id = ds.text(0);
        auto it = devices.find(id);
        if (it == devices.end())
            return Failure{"device " + id +
                           " is in the devices table but never enrolled in the "
                           "ledger"};
        const auto& d = it->second;
        if (ds.text(1) != d.role || ds.text(2) != d.scope || !ds.isNull(3) != d.revoked ||
            ds.optionalText(4) != d.publicKey)
            return Failure{"device " + id +
                           "'s row (role, scope, revocation or key) differs from the ledger"};
    }
    if (deviceRows != static_cast<std::int64_t>(devices.size()))
        return Failure{"the devices table holds " + std::to_string(deviceRows) +
                       " devices, the ledger " + std::to_string(devices.size())};
    auto rg = db.prepare("SELECT content_hash FROM regency WHERE id = 1");
    if (rg.step() && rg.text(0) != replay.regency().contentHash)
        return Failure{"the current master data is not the ledger's latest"};
    return std::nullopt;
}

} // namespace

VerifyReport CentralStore::verify() const {
    VerifyReport rep;
    // A connection of its own, in one read transaction: a snapshot, while ingest goes on.
    auto own = db_.connectAgain(false);
    auto& db = *own;
    db.beginSnapshot();
    auto fail = [&](const std::string& what, std::int64_t entry) {
        if (rep.ok) {
            rep.ok = false;
            rep.failure = what;
            rep.failedEntry = entry;
        }
    };
    std::string receiverKey;
    {
        std::lock_guard lock(mu_);
        receiverKey = ledger_->publicKey(db_);
    }
    rep.receiverKey = receiverKey;
    ledger::Replay replay;
    try {
        auto st = db.prepare("SELECT idx, entry, leaf_hash FROM ledger ORDER BY idx");
        while (st.step()) {
            auto idx = st.int64(0);
            if (idx != replay.size())
                throw ledger::ReplayError(replay.size(), "is missing (the next entry is " +
                                                             std::to_string(idx) + ")");
            replay.apply(st.text(1));
            if (merkle::toHex(replay.tree().leaf(static_cast<std::uint64_t>(idx))) != st.text(2))
                throw ledger::ReplayError(idx, "its stored leaf hash is not the hash of its text");
        }
        rep.entries = replay.size();
        rep.revisions = static_cast<std::int64_t>(replay.revisions().size());
        rep.legacyRevisions = replay.legacyRevisions();
        std::uint64_t lastHead = 0;
        auto hs = db.prepare("SELECT size, root, timestamp, signature FROM tree_heads ORDER BY "
                             "size");
        auto code = replay.size() > 0 ? replay.regency().code.str() : std::string();
        while (hs.step()) {
            ledger::TreeHead h{code, static_cast<std::uint64_t>(hs.int64(0)), hs.text(1),
                               hs.text(2), hs.text(3)};
            replay.checkHead(h);
            lastHead = h.size;
            ++rep.heads;
        }
        if (lastHead != static_cast<std::uint64_t>(replay.size()))
            throw ledger::ReplayError(
                static_cast<std::int64_t>(lastHead),
                "entries " + std::to_string(lastHead) + " to " + std::to_string(replay.size() - 1) +
                    " are covered by no signed head: they were added without the receiver's key");
        if (auto f = compareDerived(db, replay))
            fail(f->what, f->entry);
    } catch (const ledger::ReplayError& e) {
        fail(e.what(), e.index());
    } catch (const StorageError& e) {
        // The database went away (a restart, a failover) or filled up: that says nothing about
        // the ledger, and a failed check would hold the ledger and raise the alarm on the
        // dashboard for nothing. The caller tries again (verifyAtStartup()).
        if (e.unavailable() || e.diskFull())
            throw;
        fail(e.what(), replay.size());
    } catch (const std::exception& e) {
        fail(e.what(), replay.size());
    }
    if (rep.ok && replay.size() > 0) {
        auto rebuilt = replay.tally();
        auto recounted = recountFrom(db, replay.regency());
        if (!(*recounted == *rebuilt))
            fail("the tally recounted from the sheets differs from the ledger's", -1);
        std::lock_guard lock(mu_);
        // The live tally is compared only when it reflects exactly the snapshot read here: it
        // has taken in that many entries, and nobody has added one since (it reads a sheet's
        // state after the entries that touched it, so a commit by another receiver in between
        // puts it ahead of what it has taken in until its next look). Otherwise there is
        // nothing to compare it with, which is no failure.
        if (rep.ok && tally_ && applied_ == replay.size() && !(*tally_ == *recounted) &&
            ledgerSizeIn(db_) == replay.size())
            fail("this receiver's live tally differs from a recount", -1);
    }
    db.exec("COMMIT");
    return rep;
}

void CentralStore::runStartupVerification() {
    auto rep = verify();
    if (!rep.ok) {
        // Nothing more is sealed on top of a ledger that does not verify: new signed heads
        // would vouch for the damage. Devices keep what they hold and retry (503).
        std::lock_guard lock(mu_);
        ledger_->hold(rep.failure);
    }
    std::lock_guard lock(verifyMu_);
    startupVerification_ = rep;
}

std::optional<VerifyReport> CentralStore::startupVerification() const {
    std::lock_guard lock(verifyMu_);
    return startupVerification_;
}

void CentralStore::exportAudit(std::ostream& out) const {
    auto own = db_.connectAgain(false);
    auto& db = *own;
    db.beginSnapshot();
    auto count = [&](const char* sql) {
        auto st = db.prepare(sql);
        st.step();
        return st.int64(0);
    };
    const auto& reg = regency();
    std::string key;
    {
        std::lock_guard lock(mu_);
        key = ledger_->publicKey(db_);
    }
    nlohmann::json header = {{"rekap_audit", 1},
                             {"regency", reg.code.str()},
                             {"name", reg.name},
                             {"receiver_key", key},
                             {"exported_at", utcNowText()},
                             {"entries", count("SELECT COUNT(*) FROM ledger")},
                             {"heads", count("SELECT COUNT(*) FROM tree_heads")}};
    out << header.dump() << "\n";
    // Each entry exactly as stored: its bytes are what the tree hashed.
    auto st = db.prepare("SELECT entry FROM ledger ORDER BY idx");
    while (st.step())
        out << st.text(0) << "\n";
    auto hs = db.prepare("SELECT size, root, timestamp, signature FROM tree_heads ORDER BY size");
    while (hs.step())
        out << nlohmann::json{{"tree_head", ledger::encode({reg.code.str(),
                                                            static_cast<std::uint64_t>(hs.int64(0)),
                                                            hs.text(1), hs.text(2), hs.text(3)})}}
                   .dump()
            << "\n";
    db.exec("COMMIT");
}

} // namespace rekap::central
