// CentralStore: `verify` (the ledger replayed from its first entry and held against every signed
// head, every derived table and a recount) and the audit export an outsider verifies with
// rekap-verify (docs/integrity.md).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "checkpoint/derived_checkpoint.h"
#include "intake/intake_queue.h"
#include "ledger/ledger_entries.h"
#include "ledger/ledger_log.h"
#include "rekap/central/store.h"
#include "rekap/ledger_replay.h"
#include "rekap/revision_key.h"
#include "rekap/sha256.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"
#include "sheets/counted.h"
#include "store/push_job.h"
#include "store/verify_derived.h"

namespace rekap::central {

namespace {

/// How many entries the ledger holds now, as any receiver has committed them.
std::int64_t ledgerSizeIn(db::Database& db) {
    return ledger_entries::size(db);
}

/// SHA-256 of a file's bytes (a photo: at most PhotoLimits::maxSize), or nullopt when unreadable.
std::optional<std::string> sha256OfFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return std::nullopt;
    return sha256Hex(bytes);
}

/// Why the photo file stored for `sha` does not hold the photo of that hash; nullopt when it
/// does; "" when no such file has arrived (yet): a photo is optional and may be on its way.
std::optional<std::string> photoProblem(const std::filesystem::path& dir, const std::string& sha) {
    auto file = dir / (sha + ".jpg");
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return std::string(); // not arrived (yet): nothing to check
    auto actual = sha256OfFile(file);
    if (!actual)
        return "cannot read " + file.string();
    if (*actual != sha)
        return file.string() + " hashes to " + actual->substr(0, 12) +
               "…: the file was replaced or changed on disk";
    return std::nullopt;
}

} // namespace

namespace {
/// The first answer in the intake that the ledger does not vouch for: the receipts a device is
/// served later (POST /sync/receipts) are read from there, so each must name an entry of this
/// ledger with its leaf, and a stored revision's entry must be that revision's.
std::optional<std::string> intakeAnswerProblem(db::Database& db, const ledger::Replay& replay) {
    // Entry -> revision's key, sorted by entry: 16 bytes a revision, where a hash map of
    // copied keys took about 100 (4,100,000 revisions at national size).
    std::vector<std::pair<std::int64_t, const std::string*>> revisionAt;
    revisionAt.reserve(replay.revisions().size());
    for (const auto& [key, info] : replay.revisions())
        revisionAt.emplace_back(info.index, &key);
    std::sort(revisionAt.begin(), revisionAt.end());
    auto revisionOf = [&](std::int64_t idx) -> const std::string* {
        auto at = std::lower_bound(revisionAt.begin(), revisionAt.end(),
                                   std::pair<std::int64_t, const std::string*>(idx, nullptr));
        return at != revisionAt.end() && at->first == idx ? at->second : nullptr;
    };
    auto st = intake_queue::everyAnswer(db);
    while (st.step()) {
        auto where = "the intake's answer to push " + std::to_string(st.int64(0));
        PushJob job;
        try {
            decodeAnswer(st.text(1), job);
        } catch (const std::exception& e) {
            return where + " cannot be read: " + e.what();
        }
        for (const auto& r : job.results) {
            if (!r.ledgerIndex)
                continue;
            auto idx = *r.ledgerIndex;
            if (idx < 0 || idx >= replay.size())
                return where + " names entry " + std::to_string(idx) + ", past the ledger's end";
            auto leaf = merkle::toHex(replay.tree().leaf(static_cast<std::uint64_t>(idx)));
            if (r.receipt != ledger::receiptCode(idx, leaf))
                return where + ": the receipt of " + r.id + " is not entry " + std::to_string(idx) +
                       "'s";
            const auto* at = revisionOf(idx);
            bool stored = r.status != protocol::PushStatus::Refused;
            if (stored && (!at || revision_key::nameOf(*at) != r.id))
                return where + ": entry " + std::to_string(idx) + " is not revision " + r.id;
            if (!stored && at)
                return where + ": the refusal of " + r.id + " names revision entry " +
                       std::to_string(idx);
        }
    }
    return std::nullopt;
}
} // namespace

VerifyReport LedgerView::verify() const {
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
    // The heads' numbers are read back from this snapshot when the tally is rebuilt rather than
    // held, decoded, for every sheet while the whole ledger is replayed.
    replay.readSheetsFrom([&](const std::vector<std::int64_t>& idxs) {
        auto texts = ledger_entries::texts(db, idxs);
        std::vector<std::string> out;
        out.reserve(idxs.size());
        for (auto idx : idxs) {
            auto text = texts.find(idx);
            if (text == texts.end())
                throw ledger::ReplayError(idx, "is missing");
            out.push_back(std::move(text->second));
        }
        return out;
    });
    // Each signed head is checked when the replay reaches its size, against the root of that
    // moment: the tree keeps no inner node the current root does not need.
    replay.keepCompactTree();
    std::unique_ptr<Tally> rebuilt; // the replay's tally of the whole ledger, built once
    try {
        DerivedCheck derived(db);
        // The checkpoint of derived state, held against the replay when it reaches its size.
        auto checkpoint = derived_checkpoint::read(db);
        std::optional<std::string> checkpointDiff;
        bool checkpointCompared = false;
        auto heads = ledger_entries::everyHead(db);
        bool head = heads.step();
        std::uint64_t lastHead = 0;
        // Heads signed before the master data names the regency (which is in what a head
        // signs): checked once it does, against the root taken when the replay reached them
        // (rebuilt later from the leaves, a store forged with many such heads would take
        // quadratic time). Only the ledger's first entries come before it.
        std::vector<std::pair<ledger::TreeHead, std::optional<merkle::Hash>>> early;
        // A head that fails is named after the whole ledger has replayed, as when the heads were
        // checked at the end: an entry changed and hashed again fails its head's root, but what
        // the replay finds wrong with the entry itself (a signature, a rule) says more.
        std::optional<ledger::ReplayError> headFailure;
        auto check = [&](const ledger::TreeHead& h, const std::optional<merkle::Hash>& root) {
            if (headFailure)
                return; // the first, by size, is the one named
            try {
                if (root)
                    replay.checkHead(h, *root);
                else
                    replay.checkHead(h);
            } catch (const ledger::ReplayError& e) {
                headFailure = e;
            }
        };
        auto checkEarly = [&](const std::string& code) {
            for (auto& [h, root] : early) {
                h.regency = code;
                check(h, root);
            }
            early.clear();
        };
        // The heads of `size` entries or fewer not checked yet, by size.
        auto checkHeadsUpTo = [&](std::uint64_t size) {
            for (; head && static_cast<std::uint64_t>(heads.int64(0)) <= size;
                 head = heads.step()) {
                auto h = ledger_entries::headAt(heads, "");
                lastHead = h.size;
                ++rep.heads;
                if (!replay.hasRegency()) {
                    // Its size is the replay's now, or (at the end) more than it holds.
                    std::optional<merkle::Hash> root;
                    if (h.size == static_cast<std::uint64_t>(replay.size()))
                        root = replay.tree().root();
                    early.emplace_back(std::move(h), root);
                    continue;
                }
                h.regency = replay.regency().code.str();
                checkEarly(h.regency);
                check(h, std::nullopt);
            }
        };
        auto st = ledger_entries::all(db);
        while (st.step()) {
            auto idx = st.int64(0);
            if (idx != replay.size())
                throw ledger::ReplayError(replay.size(), "is missing (the next entry is " +
                                                             std::to_string(idx) + ")");
            checkHeadsUpTo(static_cast<std::uint64_t>(idx));
            // Held against the checkpoint when entries follow the ones it covers; one covering
            // the whole ledger (the usual case after a clean stop) is held against the tally
            // the end of the check builds anyway.
            if (checkpoint && checkpoint->size > 0 && idx == checkpoint->size) {
                checkpointDiff = derived_checkpoint::differs(*checkpoint, replay);
                checkpointCompared = true;
            }
            replay.apply(st.text(1));
            if (merkle::toHex(replay.tree().leaf(static_cast<std::uint64_t>(idx))) != st.text(2))
                throw ledger::ReplayError(idx, "its stored leaf hash is not the hash of its text");
            derived.applied(replay, idx);
        }
        if (checkpoint && !checkpointCompared) {
            // It covers the whole ledger, more entries than there are, or none.
            if (checkpoint->size == replay.size() && replay.size() > 0)
                rebuilt = replay.tally();
            checkpointDiff = derived_checkpoint::differs(*checkpoint, replay, rebuilt.get());
        }
        rep.entries = replay.size();
        rep.revisions = static_cast<std::int64_t>(replay.revisions().size());
        rep.legacyRevisions = replay.legacyRevisions();
        // The rest: heads of the whole ledger, and any that claim more entries than it holds.
        checkHeadsUpTo(std::numeric_limits<std::uint64_t>::max());
        // A ledger with entries and no master data fails here, as it should.
        checkEarly(replay.size() > 0 ? replay.regency().code.str() : std::string());
        if (headFailure)
            throw *headFailure;
        if (lastHead != static_cast<std::uint64_t>(replay.size()))
            throw ledger::ReplayError(
                static_cast<std::int64_t>(lastHead),
                "entries " + std::to_string(lastHead) + " to " + std::to_string(replay.size() - 1) +
                    " are covered by no signed head: they were added without the receiver's key");
        derived.finish(replay);
        if (const auto& m = derived.mismatch())
            fail(m->what, m->entry);
        if (checkpointDiff)
            fail(*checkpointDiff, -1);
        if (auto problem = intakeAnswerProblem(db, replay))
            fail(*problem, -1);
        // The receiver signs with the key in its key file: it must be the ledger's (first and
        // only) receiver key, or what it signs next is signed by someone else's key.
        if (replay.receiverKey()) {
            std::lock_guard lock(mu_);
            if (auto problem = ledger_->keyFileProblem(db_))
                fail("the receiver's signing key: " + *problem, -1);
        }
        // Each photo a revision refers to, where it has arrived: the desk and second readers
        // are served the file, so it must still be the photo whose hash the device signed.
        if (!photoDir_.empty())
            for (const auto& [sha, ref] : derived.photos()) {
                auto problem = photoProblem(photoDir_, sha);
                if (problem && !problem->empty()) {
                    fail("the photo of revision " + ref.revision + ": " + *problem, ref.entry);
                    break;
                }
                rep.photos += problem ? 0 : 1;
            }
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
        if (!rebuilt)
            rebuilt = replay.tally();
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

void LedgerView::runStartupVerification() {
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

std::optional<VerifyReport> LedgerView::startupVerification() const {
    std::lock_guard lock(verifyMu_);
    return startupVerification_;
}

void LedgerView::exportAudit(std::ostream& out) const {
    auto own = db_.connectAgain(false);
    auto& db = *own;
    db.beginSnapshot();
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
                             {"entries", ledger_entries::count(db)},
                             {"heads", ledger_entries::headCount(db)}};
    out << header.dump() << "\n";
    // Each entry exactly as stored: its bytes are what the tree hashed.
    auto st = ledger_entries::all(db);
    while (st.step())
        out << st.text(1) << "\n";
    for (const auto& h : ledger_entries::heads(db, reg.code.str()))
        out << nlohmann::json{{"tree_head", ledger::encode(h)}}.dump() << "\n";
    db.exec("COMMIT");
}

} // namespace rekap::central
