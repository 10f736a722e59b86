// CentralStore: ingest (revisions into the ledger and the merge), the pull feed, and the desk's
// decisions. The merge itself is rekap/merge.h, kept in the derived tables by derive.cpp.

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "devices/device_table.h"
#include "ledger/ledger_entries.h"
#include "ledger/ledger_log.h"
#include "readings/reading_claims.h"
#include "rekap/central/api_error.h"
#include "rekap/central/store.h"
#include "rekap/error.h"
#include "rekap/revision_key.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/random.h"
#include "sheets/counted.h"
#include "sheets/derive.h"
#include "sheets/photo_attachments.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

using protocol::PushResult;
using protocol::PushStatus;

namespace {

PushResult refused(const std::string& id, const std::string& code, const std::string& message,
                   const std::string& path = {}) {
    PushResult r;
    r.id = id;
    r.status = PushStatus::Refused;
    r.error = protocol::ErrorBody{code, message, path};
    return r;
}

/// One pushed revision, checked before the group commit: decoding, the scope checks, the
/// signature, the hash and the rules are pure work on the request's thread, so that the pushes
/// waiting for a commit are checked on every core while the leader of the group writes.
struct Prepared {
    std::string id;
    std::string claimed; ///< relayed: the device the item names (who signed it, if anyone)
    std::optional<std::string> parentId; ///< the parent as the device named it
    std::optional<PushResult> refusal;   ///< decided without the store
    Revision rev;
    RevisionTexts texts;
    std::string numbersHash;
    std::vector<Finding> findings;
    bool inserted = false;    ///< stored by this push (neither a retry nor refused)
    bool firstWinner = false; ///< the first accepted revision of its sheet: what it now counts
};

Prepared prepare(const nlohmann::json& item, std::size_t i, const DeviceRecord& device,
                 const Regency& reg) {
    Prepared p;
    std::string path = "$.revisions[" + std::to_string(i) + "]";
    if (item.is_object() && item.contains("id") && item["id"].is_string())
        p.id = item["id"].get<std::string>(); // echoed whole: the device matches results by id
    try {
        p.rev = decodeRevision(item, reg, {}, path, &p.texts);
    } catch (const DecodeError& e) {
        p.refusal = refused(p.id, protocol::error::kBadRequest, e.detail(), e.where());
        return p;
    }
    bool reading = p.rev.reason == merge::kSecondReading;
    if (device.role != protocol::Role::Operator && !reading)
        p.refusal = refused(p.id, protocol::error::kForbidden,
                            "a camat device sends only second readings (reason \"" +
                                std::string(merge::kSecondReading) + "\") of its kecamatan");
    else if (device.role != protocol::Role::Operator &&
             !AreaCode::parse(device.scope).contains(p.rev.sheet.tps))
        p.refusal = refused(p.id, protocol::error::kForbidden,
                            "this camat reads kecamatan " + device.scope + ", not TPS " +
                                p.rev.sheet.tps.str(),
                            path + ".sheet.tps");
    else if (device.role == protocol::Role::Operator && reading)
        p.refusal =
            refused(p.id, protocol::error::kForbidden,
                    "only the desk and the camat read a sheet a second time: the reason \"" +
                        std::string(merge::kSecondReading) + "\" is kept for them",
                    path + ".reason");
    else if (device.role == protocol::Role::Operator && p.rev.sheet.tps.str() != device.scope)
        p.refusal =
            refused(p.id, protocol::error::kForbidden,
                    "this device records TPS " + device.scope + ", not " + p.rev.sheet.tps.str(),
                    path + ".sheet.tps");
    else if (p.rev.device != device.id)
        p.refusal =
            refused(p.id, protocol::error::kForbidden,
                    "the revision names device " + p.rev.device + " but was sent by " + device.id,
                    path + ".device");
    else if (!device.publicKey)
        p.refusal = refused(p.id, protocol::error::kSignature,
                            "this device has no key yet: update the app, which registers one");
    else if (!p.rev.signature)
        p.refusal = refused(p.id, protocol::error::kSignature,
                            "the revision is not signed: every revision carries its device's "
                            "signature",
                            path + ".signature");
    else if (!revisionSignatureValid(p.rev, p.texts.hash, *device.publicKey))
        p.refusal = refused(p.id, protocol::error::kSignature,
                            "the signature is not this device's: the revision was changed after "
                            "it was signed, or signed with another key",
                            path + ".signature");
    else {
        p.findings = validateSheet(p.rev.sheet, reg);
        p.numbersHash = sha256Hex(p.texts.sheet);
        p.parentId = p.rev.parent;
    }
    return p;
}

} // namespace

// Group commit: pushes that arrive while another group is committing wait, then go together in
// one transaction with one fsync; each push is acknowledged only after that commit. A push
// whose processing fails is rolled back to its savepoint alone. One group is in flight at a
// time; whichever waiting caller finds no group running leads the next one.
struct StoreCore::PushJob {
    const DeviceRecord& device; ///< who sent it: the signer, or a relay's carrier
    std::vector<Prepared> items;
    const DeviceReport& report;
    bool relayed = false;
    std::vector<PushResult> results;
    std::exception_ptr error;
    bool done = false;
};

namespace {

/// The one refusal entry of a push: the first refused item in the shape of earlier entries
/// (device, revision_id, code, message, hash), and when there were more, each of them in
/// "items". `device` is who sent the push; a relayed item names the device it claims apart.
nlohmann::json refusalEntry(const std::vector<PushResult>& results,
                            const std::vector<Prepared>& items, const std::string& sender,
                            bool relayed, const std::vector<std::size_t>& at,
                            const std::vector<std::string>& hashes) {
    auto item = [&](std::size_t k) {
        const auto& r = results[at[k]];
        nlohmann::json f = {{"revision_id", r.id}, {"code", r.error->code}};
        if (!r.error->path.empty())
            f["path"] = r.error->path;
        if (!hashes[k].empty())
            f["hash"] = hashes[k];
        if (relayed)
            f["claimed_device"] = items[at[k]].claimed;
        return f;
    };
    auto f = item(0);
    f.erase("path");
    f["device"] = sender;
    f["message"] = results[at[0]].error->message;
    if (relayed)
        f["relayed"] = true;
    if (at.size() > 1) {
        f["count"] = at.size();
        auto all = nlohmann::json::array();
        for (std::size_t k = 0; k < at.size(); ++k)
            all.push_back(item(k));
        f["items"] = std::move(all);
    }
    return f;
}

} // namespace

PushAnswer Intake::ingest(const DeviceRecord& device, const nlohmann::json& revisions,
                          const DeviceReport& report) {
    if (!revisions.is_array())
        throw ApiError(Problem::BadRequest, "expected an array", "$.revisions");
    // Read once: a push is checked against the master data current when it arrived.
    const auto& reg = regency();
    std::vector<Prepared> items;
    items.reserve(revisions.size());
    for (std::size_t i = 0; i < revisions.size(); ++i)
        items.push_back(prepare(revisions[i], i, device, reg));
    return commitJob(
        std::make_shared<PushJob>(PushJob{device, std::move(items), report, false, {}, {}, false}));
}

PushAnswer Intake::relay(const DeviceRecord& carrier, const nlohmann::json& revisions) {
    if (!revisions.is_array())
        throw ApiError(Problem::BadRequest, "expected an array", "$.revisions");
    const auto& reg = regency();
    // Each item is judged as its claimed device's own push; one job carries them all, so that
    // what is refused costs the carrier one ledger entry, whatever devices the items name.
    std::map<std::string, std::optional<DeviceRecord>> signers;
    std::vector<Prepared> items;
    items.reserve(revisions.size());
    for (std::size_t i = 0; i < revisions.size(); ++i) {
        const auto& item = revisions[i];
        std::string origin;
        if (item.is_object() && item.contains("device") && item["device"].is_string())
            origin = item["device"].get<std::string>();
        auto known = signers.find(origin);
        if (known == signers.end())
            known = signers.emplace(origin, origin.empty() ? std::nullopt : device(origin)).first;
        const auto& signer = known->second;
        auto path = "$.revisions[" + std::to_string(i) + "]";
        Prepared p;
        if (!signer || signer->revoked) {
            if (item.is_object() && item.contains("id") && item["id"].is_string())
                p.id = item["id"].get<std::string>();
            p.refusal =
                !signer
                    ? refused(p.id, protocol::error::kForbidden,
                              "relayed by " + carrier.id + ": no enrolled device " + origin,
                              path + ".device")
                    : refused(p.id, protocol::error::kDeviceRevoked,
                              "device " + origin + " was revoked by the desk", path + ".device");
        } else {
            p = prepare(item, i, *signer, reg);
        }
        p.claimed = origin;
        items.push_back(std::move(p));
    }
    static const DeviceReport none;
    return commitJob(
        std::make_shared<PushJob>(PushJob{carrier, std::move(items), none, true, {}, {}, false}));
}

PushAnswer Intake::commitJob(std::shared_ptr<PushJob> job) {
    std::unique_lock group(groupMu_);
    pending_.push_back(job);
    groupDone_.wait(group, [&] { return job->done || !groupRunning_; });
    if (!job->done) {
        groupRunning_ = true;
        auto jobs = std::move(pending_); // this one and every push that queued behind it
        pending_.clear();
        group.unlock();
        try {
            ingestGroup(jobs);
        } catch (...) {
            for (auto& j : jobs) // the commit itself failed (a full disk): nothing was stored
                j->error = std::current_exception();
        }
        if (auto* observer = groupObserver_.load()) {
            std::size_t revisions = 0;
            for (const auto& j : jobs)
                revisions += j->items.size();
            observer->groupCommitted(jobs.size(), revisions);
        }
        group.lock();
        for (auto& j : jobs)
            j->done = true;
        groupRunning_ = false;
        groupDone_.notify_all();
    }
    if (job->error)
        std::rethrow_exception(job->error);
    PushAnswer answer;
    answer.results = std::move(job->results);
    answer.treeHead = latestHead();
    return answer;
}

void Intake::ingestGroup(const std::vector<std::shared_ptr<PushJob>>& jobs) {
    std::lock_guard lock(mu_);
    std::vector<std::string> touched;
    writeLedger([&](const db::WriteTx& tx) {
        touched.clear();
        for (auto& job : jobs) {
            job->results.clear();
            job->error = nullptr;
            auto mark = ledger_->size();
            auto marked = touched.size();
            try {
                tx.savepoint([&] { ingestOne(tx, *job, touched); });
            } catch (...) {
                ledger_->truncate(mark);
                touched.resize(marked);
                job->results.clear();
                job->error = std::current_exception();
            }
        }
    });
    // Committed: now, and only now, the caches move. A winner stored just now is taken from the
    // decoded revision rather than read back; a push rolled back stored nothing.
    if (tally_) {
        KnownSheets known;
        for (const auto& job : jobs)
            if (!job->error)
                for (const auto& p : job->items)
                    if (p.inserted)
                        known.emplace(p.rev.id, &p.rev.sheet);
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        for (const auto& key : touched)
            applySheetLocked(key, &known);
    }
    applied_ = ledger_->size();
    version_ = applied_;
}

void Intake::ingestOne(const db::WriteTx& tx, PushJob& job, std::vector<std::string>& touched) {
    // Revoked by another process since this push authenticated: refused whole, atomically with
    // the revocation's entry.
    // (A device with no row at all is an in-process caller such as the national benchmark: over
    // HTTP a push is authenticated against its row first.)
    if (device_table::active(tx, job.device.id) == false)
        throw ApiError(Problem::DeviceRevoked,
                       "device " + job.device.id + " was revoked by the desk");
    auto at = utcNowText();
    // Refusals are answered one by one but recorded once per push, under the device that sent
    // it: a push of many bad items is one ledger entry, not one per item, and a relay's carrier
    // answers for what it carried, never the device an item names.
    std::vector<std::size_t> refusedAt;
    std::vector<std::string> refusedHash;
    auto refusal = [&](const Prepared& p, PushResult r) {
        refusedAt.push_back(job.results.size());
        refusedHash.push_back(p.texts.hash);
        job.results.push_back(std::move(r));
    };
    std::map<std::string, bool> signerActive; // relayed: revoked by the desk since relay()
    auto activeSigner = [&](const std::string& id) {
        auto it = signerActive.find(id);
        if (it != signerActive.end())
            return it->second;
        return signerActive[id] = device_table::active(tx, id).value_or(true);
    };
    for (auto& p : job.items) {
        p.inserted = p.firstWinner = false; // a group retried after a failed commit
        if (p.refusal) {
            refusal(p, *p.refusal);
            continue;
        }
        // Stored under its key, its parent read as its device meant it (revision_key.h); the
        // device is answered by the id it chose.
        auto& rev = p.rev;
        rev.id = p.id;
        rev.parent = p.parentId;
        if (job.relayed && !activeSigner(rev.device)) {
            refusal(p, refused(p.id, protocol::error::kDeviceRevoked,
                               "device " + rev.device + " was revoked by the desk"));
            continue;
        }
        rev.id = revision_key::keyFor(p.id, rev.device, derive::named(tx, p.id));
        if (rev.parent)
            rev.parent = revision_key::parentKey(*rev.parent, rev.device, rev.sheet.key(),
                                                 derive::named(tx, *rev.parent));
        if (auto existing = sheet_rows::revision(tx, rev.id)) {
            // The device's id decides what is a retry: never stored twice (UNIQUE (device, name)
            // backs it). Another device's use of the id is no retry: that one has its own key.
            if (existing->hash != p.texts.hash) {
                refusal(p, refused(p.id, protocol::error::kHashMismatch,
                                   "revision " + p.id +
                                       " was already received with different content: a revision "
                                       "never changes; record a correction instead"));
                continue;
            }
            PushResult r{p.id, PushStatus::Duplicate, derive::standing(tx, rev.id), {}, {}, {}, {}};
            r.findings = protocol::decodeFindings(nlohmann::json::parse(existing->findings));
            r.ledgerIndex = existing->ledgerIdx;
            // The same receipt as the answer that was lost.
            r.receipt = ledger::receiptCode(*r.ledgerIndex, ledger_->leafHex(*r.ledgerIndex));
            job.results.push_back(std::move(r));
            continue;
        }
        if (rev.reason == merge::kSecondReading)
            if (auto why = derive::readingProblem(tx, rev)) {
                refusal(p, refused(p.id, protocol::error::kForbidden, *why));
                continue;
            }
        bool rejected = hasErrors(p.findings);
        auto idx = ledger_->append(
            tx, ledger::Kind::Revision, rev.sheet.key(), rev.device, at, [&](auto i) {
                return ledger::revisionEntry(i, at, p.texts.body, rejected, p.findings);
            });
        auto stored =
            derive::addRevision(tx, {rev, p.texts, p.numbersHash, p.findings, rejected, idx, at});
        // A camat's reading the rules accept ends its claim, as a desk clerk's does; one the
        // rules reject is typed again, the sheet staying with the camat.
        if (rev.reason == merge::kSecondReading && !rejected)
            reading_claims::release(tx, rev.sheet.key(), rev.device);
        p.inserted = true;
        p.firstWinner = stored.firstWinner;
        touched.push_back(rev.sheet.key());
        job.results.push_back({p.id,
                               stored.status,
                               stored.state,
                               p.findings,
                               {},
                               idx,
                               ledger::receiptCode(idx, ledger_->leafHex(idx))});
    }
    if (!refusedAt.empty()) {
        auto idx = ledger_->append(tx, ledger::Kind::Refusal, "", job.device.id, at, [&](auto i) {
            return ledger::entryText(ledger::Kind::Refusal, i, at,
                                     refusalEntry(job.results, job.items, job.device.id,
                                                  job.relayed, refusedAt, refusedHash));
        });
        auto receipt = ledger::receiptCode(idx, ledger_->leafHex(idx));
        for (auto k : refusedAt) {
            job.results[k].ledgerIndex = idx;
            job.results[k].receipt = receipt;
        }
    }
    // The device counted this push's revisions in the queue it reported, and each one answered
    // leaves it: what the camat sees must not wait for the device's next request (a device
    // whose push answer carries its pull makes none).
    if (job.relayed) // carried by another tablet: this device's queue is unknown
        return;
    auto after = job.report;
    if (after.queueDepth)
        after.queueDepth = std::max(0, *after.queueDepth - static_cast<int>(job.results.size()));
    device_table::recordContact(tx, job.device.id, after);
}

protocol::PullResponse Intake::pull(const DeviceRecord& device, std::int64_t since, int limit) {
    std::lock_guard lock(mu_);
    protocol::PullResponse out;
    out.masterDataVersion = regency().contentHash;
    // The feed and the position it ends at are read in one snapshot: another receiver (or
    // an admin command) may commit a change between two statements, and a position read
    // after it would tell the device it had a change it was never sent.
    db_.snapshot([&] {
        auto feed = sheet_rows::feedFor(db_, device.id, device.scope, since, limit);
        out.changes = std::move(feed.changes);
        out.more = feed.more;
        out.next = feed.next;
    });
    return out;
}

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
