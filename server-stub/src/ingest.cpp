// CentralStore: ingest (the merge of the revision model), the pull feed, and adjudication.
//
// A sheet's accepted revisions form a tree. Its heads are the accepted revisions nothing
// accepted builds on yet. A revision whose (nearest accepted) parent is a head replaces it: a
// fast-forward. Any other accepted revision becomes one more head. When the heads hold different
// numbers the sheet is in conflict (rule R7); the provisional winner is the head the receiver
// accepted first (lowest seq), which every replica of this database computes the same way.

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "contact.h"
#include "counted.h"
#include "rekap/central/api_error.h"
#include "rekap/central/store.h"
#include "rekap/error.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/random.h"

namespace rekap::central {

using protocol::PushResult;
using protocol::PushStatus;
using protocol::RevisionState;

namespace {

struct Head {
    std::string id;
    std::int64_t seq;
    std::string content;
};

std::vector<Head> headsOf(sqlite::Database& db, const std::string& sheet) {
    auto st = db.prepare("SELECT r.id, r.seq, r.content FROM sheet_heads h JOIN revisions r ON "
                         "r.id = h.revision WHERE h.sheet = ? ORDER BY r.seq");
    st.bindAll(sheet);
    std::vector<Head> out;
    while (st.step())
        out.push_back({st.text(0), st.int64(1), st.text(2)});
    return out;
}

/// The nearest ancestor of `parent` (itself included) that was accepted: a correction of a
/// rejected revision builds on what the rejected one tried to correct.
std::optional<std::string> effectiveParent(sqlite::Database& db, std::optional<std::string> id) {
    auto st = db.prepare("SELECT parent, status FROM revisions WHERE id = ?");
    for (int depth = 0; id && depth < 10000; ++depth) {
        st.reset();
        st.bindAll(*id);
        if (!st.step())
            return std::nullopt; // never received: builds on nothing the receiver knows
        if (st.text(1) == "accepted")
            return id;
        id = st.optionalText(0);
    }
    return std::nullopt;
}

/// Recomputes a sheet's state from its heads and records a change when it moved.
std::string settleSheet(sqlite::Database& db, const Sheet& sheet, std::int64_t seq) {
    auto heads = headsOf(db, sheet.key());
    std::set<std::string> contents;
    for (const auto& h : heads)
        contents.insert(h.content);
    std::string state = contents.size() > 1 ? "conflict" : "accepted";
    std::string winner = heads.front().id; // ordered by seq: the first accepted
    auto old = db.prepare("SELECT state, winner FROM sheets WHERE sheet = ?");
    old.bindAll(sheet.key());
    bool had = old.step();
    bool moved = !had || old.text(0) != state || old.optionalText(1) != winner;
    db.prepare("INSERT INTO sheets (sheet, tps, contest, state, winner, updated_seq) VALUES "
               "(?, ?, ?, ?, ?, ?) ON CONFLICT (sheet) DO UPDATE SET state = excluded.state, "
               "winner = excluded.winner, updated_seq = excluded.updated_seq")
        .bindAll(sheet.key(), sheet.tps.str(), sheet.contest, state, winner, seq)
        .run();
    if (moved) {
        auto ids = nlohmann::json::array();
        for (const auto& h : heads)
            ids.push_back(h.id);
        db.prepare("INSERT INTO changes (kind, sheet, tps, data, created_at) VALUES "
                   "('sheet_state', ?, ?, ?, ?)")
            .bindAll(sheet.key(), sheet.tps.str(),
                     nlohmann::json{{"state", state}, {"winner", winner}, {"heads", ids}}.dump(),
                     utcNowText())
            .run();
    }
    return state;
}

RevisionState standing(sqlite::Database& db, const std::string& id) {
    auto st = db.prepare(
        "SELECT r.status, EXISTS (SELECT 1 FROM superseded s WHERE s.revision = r.id), "
        "EXISTS (SELECT 1 FROM sheet_heads h WHERE h.revision = r.id), "
        "(SELECT state FROM sheets WHERE sheet = r.sheet) FROM revisions r WHERE r.id = ?");
    st.bindAll(id);
    if (!st.step())
        throw std::logic_error("no revision " + id);
    if (st.text(0) == "rejected")
        return RevisionState::Rejected;
    if (st.int64(1))
        return RevisionState::Superseded;
    if (st.int64(2) && st.text(3) == "conflict")
        return RevisionState::Conflict;
    return RevisionState::Accepted;
}

PushResult refused(const std::string& id, const std::string& code, const std::string& message,
                   const std::string& path = {}) {
    PushResult r;
    r.id = id;
    r.status = PushStatus::Refused;
    r.error = protocol::ErrorBody{code, message, path};
    return r;
}

/// One pushed revision, checked before the group commit: decoding, the scope checks, the hash
/// and the rules are pure work on the request's thread, so that the pushes waiting for a
/// commit are decoded on every core while the leader of the group writes.
struct Prepared {
    std::string id;
    std::optional<PushResult> refusal; ///< decided without the store
    Revision rev;
    RevisionTexts texts;
    std::string contentHash; ///< of the sheet alone: equal for heads that agree on the numbers
    std::vector<Finding> findings;
    bool inserted = false;    ///< stored by this push (neither a retry nor refused)
    bool firstWinner = false; ///< the first accepted revision of its sheet: what it now counts
};

Prepared prepare(const nlohmann::json& item, std::size_t i, const DeviceRecord& device,
                 const Regency& reg) {
    Prepared p;
    std::string path = "$.revisions[" + std::to_string(i) + "]";
    if (item.is_object() && item.contains("id") && item["id"].is_string())
        p.id = item["id"].get<std::string>();
    try {
        p.rev = decodeRevision(item, reg, {}, path, &p.texts);
    } catch (const DecodeError& e) {
        p.refusal = refused(p.id, protocol::error::kBadRequest, e.detail(), e.where());
        return p;
    }
    if (device.role != protocol::Role::Operator)
        p.refusal =
            refused(p.id, protocol::error::kForbidden, "a camat device does not submit sheets");
    else if (p.rev.sheet.tps.str() != device.scope)
        p.refusal =
            refused(p.id, protocol::error::kForbidden,
                    "this device records TPS " + device.scope + ", not " + p.rev.sheet.tps.str(),
                    path + ".sheet.tps");
    else if (p.rev.device != device.id)
        p.refusal =
            refused(p.id, protocol::error::kForbidden,
                    "the revision names device " + p.rev.device + " but was sent by " + device.id,
                    path + ".device");
    else {
        p.findings = validateSheet(p.rev.sheet, reg);
        p.contentHash = sha256Hex(p.texts.sheet);
    }
    return p;
}

/// Stores one prepared revision; the caller holds the transaction.
PushResult store(sqlite::Database& db, Prepared& p) {
    const auto& rev = p.rev;
    const auto& hash = p.texts.hash;
    const auto& findings = p.findings;
    bool rejected = hasErrors(findings);
    // The UNIQUE id decides what is a retry: a second copy is never inserted, and "no row
    // inserted" is the cue to compare it with the first.
    db.prepare("INSERT INTO revisions (id, hash, content, sheet, tps, contest, parent, device, "
               "operator, captured_at, received_at, status, findings, body) VALUES "
               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
        .bindAll(rev.id, hash, p.contentHash, rev.sheet.key(), rev.sheet.tps.str(),
                 rev.sheet.contest, rev.parent, rev.device, rev.operatorName, rev.capturedAt,
                 utcNowText(), std::string(rejected ? "rejected" : "accepted"),
                 protocol::encodeFindings(findings).dump(), p.texts.body)
        .run();
    if (db.changes() == 0) {
        auto existing = db.prepare("SELECT hash, findings FROM revisions WHERE id = ?");
        existing.bindAll(rev.id);
        existing.step();
        if (existing.text(0) != hash)
            return refused(rev.id, protocol::error::kHashMismatch,
                           "revision " + rev.id +
                               " was already received with different content: a revision "
                               "never changes; record a correction instead");
        PushResult r{rev.id, PushStatus::Duplicate, standing(db, rev.id), {}, {}};
        r.findings = protocol::decodeFindings(nlohmann::json::parse(existing.text(1)));
        return r;
    }
    p.inserted = true;
    auto seq = db.lastInsertRowid();
    PushResult r{rev.id, PushStatus::Accepted, RevisionState::Accepted, findings, {}};
    if (rejected) {
        // Kept with its findings, never counted; the sheet is "rejected" only while nothing
        // accepted exists for it.
        db.prepare("INSERT INTO sheets (sheet, tps, contest, state, winner, updated_seq) VALUES "
                   "(?, ?, ?, 'rejected', NULL, ?) ON CONFLICT (sheet) DO NOTHING")
            .bindAll(rev.sheet.key(), rev.sheet.tps.str(), rev.sheet.contest, seq)
            .run();
        db.prepare("INSERT INTO changes (kind, sheet, tps, device, data, created_at) VALUES "
                   "('rejection', ?, ?, ?, ?, ?)")
            .bindAll(rev.sheet.key(), rev.sheet.tps.str(), rev.device,
                     nlohmann::json{{"revision", rev.id},
                                    {"findings", protocol::encodeFindings(findings)}}
                         .dump(),
                     utcNowText())
            .run();
        r.status = PushStatus::Rejected;
        r.state = RevisionState::Rejected;
        return r;
    }
    if (!rev.parent) {
        // Most revisions are a sheet's first: no heads to read, nothing to compare.
        db.prepare("INSERT INTO sheets (sheet, tps, contest, state, winner, updated_seq) VALUES "
                   "(?, ?, ?, 'accepted', ?, ?) ON CONFLICT (sheet) DO NOTHING")
            .bindAll(rev.sheet.key(), rev.sheet.tps.str(), rev.sheet.contest, rev.id, seq)
            .run();
        if (db.changes() == 1) {
            db.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?)")
                .bindAll(rev.sheet.key(), rev.id)
                .run();
            db.prepare("INSERT INTO changes (kind, sheet, tps, data, created_at) VALUES "
                       "('sheet_state', ?, ?, ?, ?)")
                .bindAll(rev.sheet.key(), rev.sheet.tps.str(),
                         nlohmann::json{{"state", "accepted"},
                                        {"winner", rev.id},
                                        {"heads", nlohmann::json::array({rev.id})}}
                             .dump(),
                         utcNowText())
                .run();
            p.firstWinner = true;
            return r;
        }
    }
    auto parent = effectiveParent(db, rev.parent);
    if (parent)
        db.prepare("DELETE FROM sheet_heads WHERE sheet = ? AND revision = ?")
            .bindAll(rev.sheet.key(), *parent)
            .run();
    db.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?)")
        .bindAll(rev.sheet.key(), rev.id)
        .run();
    if (settleSheet(db, rev.sheet, seq) == "conflict") {
        r.status = PushStatus::Conflict;
        r.state = RevisionState::Conflict;
    }
    return r;
}

} // namespace

// Group commit: pushes that arrive while another group is committing wait, then go together in
// one transaction with one fsync; each push is acknowledged only after that commit. A push
// whose processing fails is rolled back to its savepoint alone. One group is in flight at a
// time; whichever waiting caller finds no group running leads the next one.
struct CentralStore::PushJob {
    const DeviceRecord& device;
    std::vector<Prepared> items;
    const DeviceReport& report;
    std::vector<PushResult> results;
    std::exception_ptr error;
    bool done = false;
};

std::vector<PushResult> CentralStore::ingest(const DeviceRecord& device,
                                             const nlohmann::json& revisions,
                                             const DeviceReport& report) {
    if (!revisions.is_array())
        throw ApiError(400, protocol::error::kBadRequest, "expected an array", "$.revisions");
    // The regency is loaded before serving and not replaced while the receiver runs (init is
    // its own command), so it is read here without the store's lock, as the reports do.
    const auto& reg = regency();
    std::vector<Prepared> items;
    items.reserve(revisions.size());
    for (std::size_t i = 0; i < revisions.size(); ++i)
        items.push_back(prepare(revisions[i], i, device, reg));
    auto job = std::make_shared<PushJob>(PushJob{device, std::move(items), report, {}, {}, false});
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
    return std::move(job->results);
}

/// A sheet a group changes: what it counted before the group, and, when the group's last
/// change to it was its first accepted revision, that revision (it counts that, unverified).
struct CentralStore::TouchedSheet {
    AreaCode tps;
    CountedSheet before;
    std::optional<std::string> firstWinner;
};

void CentralStore::ingestGroup(const std::vector<std::shared_ptr<PushJob>>& jobs) {
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    std::map<std::string, TouchedSheet> touched;
    db_.transaction([&] {
        touched.clear();
        for (auto& job : jobs) {
            job->results.clear();
            job->error = nullptr;
            // Prepared once and cached: exec() would compile each statement every time.
            db_.prepare("SAVEPOINT push").run();
            try {
                ingestOne(*job, reg, touched);
                db_.prepare("RELEASE push").run();
            } catch (...) {
                db_.prepare("ROLLBACK TO push").run();
                db_.prepare("RELEASE push").run();
                job->results.clear();
                job->error = std::current_exception();
            }
        }
    });
    // Committed: now, and only now, the tally moves. A winner stored just now is taken from the
    // decoded revision rather than read back; a push rolled back stored nothing.
    std::map<std::string, const Sheet*> known;
    for (const auto& job : jobs)
        if (!job->error)
            for (const auto& p : job->items)
                if (p.inserted)
                    known.emplace(p.rev.id, &p.rev.sheet);
    for (const auto& [key, t] : touched) {
        auto contest = key.substr(key.find('/') + 1);
        auto first = t.firstWinner ? known.find(*t.firstWinner) : known.end();
        if (first != known.end()) {
            CountedSheet after;
            after.state = "accepted";
            after.sheet = *first->second;
            tally_->apply(t.tps, contest, t.before, after);
        } else {
            tally_->apply(t.tps, contest, t.before, readCounted(db_, reg, key, &known));
        }
    }
}

void CentralStore::ingestOne(PushJob& job, const Regency& reg,
                             std::map<std::string, TouchedSheet>& touched) {
    for (auto& p : job.items) {
        p.inserted = p.firstWinner = false; // a group retried after a failed commit
        if (p.refusal) {
            job.results.push_back(*p.refusal);
            continue;
        }
        auto key = p.rev.sheet.key();
        TouchedSheet* t = nullptr;
        if (tally_) {
            auto it = touched.find(key);
            if (it == touched.end())
                it =
                    touched
                        .emplace(key, TouchedSheet{p.rev.sheet.tps, readCounted(db_, reg, key), {}})
                        .first;
            t = &it->second;
        }
        job.results.push_back(store(db_, p));
        if (t && p.inserted)
            t->firstWinner = p.firstWinner ? std::optional(p.rev.id) : std::nullopt;
    }
    // The device counted this push's revisions in the queue it reported, and each one answered
    // leaves it: what the camat sees must not wait for the device's next request (a device
    // whose push answer carries its pull makes none).
    auto after = job.report;
    if (after.queueDepth)
        after.queueDepth = std::max(0, *after.queueDepth - static_cast<int>(job.results.size()));
    writeContact(db_, job.device.id, after);
}

protocol::PullResponse CentralStore::pull(const DeviceRecord& device, std::int64_t since,
                                          int limit) {
    std::lock_guard lock(mu_);
    protocol::PullResponse out;
    out.masterDataVersion = regency().contentHash;
    // Three disjoint parts, each answered from an index (schema step 3): what was addressed to
    // this device, what concerns everyone (master data), and what happened in its area (codes
    // are digits, so the area's codes are those from its code up to its code followed by ':').
    // One condition with substr() instead read every change after `since`: a device's first
    // sync scanned the regency's whole history. The unary + keeps SQLite off the other indexes
    // (device IS NULL matches nearly every row; seq > 0 all of them).
    auto st = db_.prepare(
        "SELECT seq, kind, sheet, data FROM changes WHERE device = ?2 AND seq > ?1 "
        "UNION ALL SELECT seq, kind, sheet, data FROM changes WHERE +device IS NULL AND tps = '' "
        "AND seq > ?1 "
        "UNION ALL SELECT seq, kind, sheet, data FROM changes WHERE +device IS NULL AND tps >= ?3 "
        "AND tps < ?3 || ':' AND tps != '' AND +seq > ?1 "
        "ORDER BY seq LIMIT ?4");
    st.bindAll(since, device.id, device.scope, static_cast<std::int64_t>(limit) + 1);
    while (st.step()) {
        if (static_cast<int>(out.changes.size()) == limit) {
            out.more = true;
            break;
        }
        out.changes.push_back(
            {st.int64(0), st.text(1), st.text(2), nlohmann::json::parse(st.text(3))});
    }
    if (out.more) {
        out.next = out.changes.back().seq;
    } else {
        auto max = db_.prepare("SELECT COALESCE(MAX(seq), 0) FROM changes");
        max.step();
        out.next = std::max(since, max.int64(0));
    }
    return out;
}

std::optional<SheetRecord> CentralStore::sheet(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT state, winner FROM sheets WHERE sheet = ?");
    st.bindAll(key);
    if (!st.step())
        return std::nullopt;
    SheetRecord s{key, st.text(0), st.optionalText(1), {}};
    for (const auto& h : headsOf(db_, key))
        s.heads.push_back(h.id);
    return s;
}

std::vector<SheetRecord> CentralStore::conflicts() const {
    std::vector<std::string> keys;
    {
        std::lock_guard lock(mu_);
        auto st = db_.prepare("SELECT sheet FROM sheets WHERE state = 'conflict' ORDER BY sheet");
        while (st.step())
            keys.push_back(st.text(0));
    }
    std::vector<SheetRecord> out;
    for (const auto& k : keys)
        out.push_back(*sheet(k));
    return out;
}

std::vector<StoredRevision> CentralStore::revisionsOf(const std::string& sheetKey) const {
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    auto st = db_.prepare("SELECT seq, body, hash, received_at, findings, id FROM revisions WHERE "
                          "sheet = ? ORDER BY seq");
    st.bindAll(sheetKey);
    std::vector<StoredRevision> out;
    while (st.step()) {
        StoredRevision r;
        r.seq = st.int64(0);
        r.revision = decodeRevision(nlohmann::json::parse(st.text(1)), reg);
        r.hash = st.text(2);
        r.receivedAt = st.text(3);
        r.findings = protocol::decodeFindings(nlohmann::json::parse(st.text(4)));
        out.push_back(std::move(r));
    }
    for (auto& r : out)
        r.state = standing(db_, r.revision.id);
    return out;
}

std::int64_t CentralStore::revisionCount() const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT COUNT(*) FROM revisions");
    st.step();
    return st.int64(0);
}

std::string CentralStore::resolve(const std::string& sheetKey, const std::string& chosen,
                                  const std::string& reason, const std::string& by) {
    if (reason.empty())
        throw std::invalid_argument("a resolution needs a reason");
    if (by.empty())
        throw std::invalid_argument("a resolution needs the name of who decided");
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    std::string id = newUuid();
    auto before = readCounted(db_, reg, sheetKey);
    db_.transaction([&] {
        auto heads = headsOf(db_, sheetKey);
        if (heads.empty())
            throw std::invalid_argument("no accepted revision for sheet " + sheetKey);
        auto it =
            std::find_if(heads.begin(), heads.end(), [&](const Head& h) { return h.id == chosen; });
        if (it == heads.end())
            throw std::invalid_argument("revision " + chosen + " is not a head of sheet " +
                                        sheetKey + " (see: rekap-central conflicts)");
        auto body = db_.prepare("SELECT body FROM revisions WHERE id = ?");
        body.bindAll(chosen);
        body.step();
        auto base = decodeRevision(nlohmann::json::parse(body.text(0)), reg);
        Revision res;
        res.id = id;
        res.parent = chosen;
        res.device = "desk";
        res.operatorName = by;
        res.capturedAt = utcNowText();
        res.reason = reason;
        res.photo = base.photo;
        res.sheet = base.sheet;
        auto sheetJson = encodeSheet(res.sheet);
        db_.prepare(
               "INSERT INTO revisions (id, hash, content, sheet, tps, contest, parent, device, "
               "operator, captured_at, received_at, status, findings, body) VALUES "
               "(?, ?, ?, ?, ?, ?, ?, 'desk', ?, ?, ?, 'accepted', '[]', ?)")
            .bindAll(res.id, res.hash(), sha256Hex(sheetJson.dump()), sheetKey, res.sheet.tps.str(),
                     res.sheet.contest, chosen, by, res.capturedAt, res.capturedAt,
                     encodeRevision(res).dump())
            .run();
        auto seq = db_.lastInsertRowid();
        for (const auto& h : heads)
            if (h.id != chosen)
                db_.prepare("INSERT INTO superseded (revision, resolution) VALUES (?, ?)")
                    .bindAll(h.id, id)
                    .run();
        db_.prepare("DELETE FROM sheet_heads WHERE sheet = ?").bindAll(sheetKey).run();
        db_.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?)")
            .bindAll(sheetKey, id)
            .run();
        settleSheet(db_, res.sheet, seq);
        auto superseded = nlohmann::json::array();
        for (const auto& h : heads)
            if (h.id != chosen)
                superseded.push_back(h.id);
        db_.prepare("INSERT INTO changes (kind, sheet, tps, data, created_at) VALUES "
                    "('resolution', ?, ?, ?, ?)")
            .bindAll(sheetKey, res.sheet.tps.str(),
                     nlohmann::json{{"revision", encodeRevision(res)},
                                    {"chosen", chosen},
                                    {"superseded", superseded}}
                         .dump(),
                     res.capturedAt)
            .run();
    });
    auto slash = sheetKey.find('/');
    if (tally_)
        tally_->apply(AreaCode::parse(sheetKey.substr(0, slash)), sheetKey.substr(slash + 1),
                      before, readCounted(db_, reg, sheetKey));
    return id;
}

} // namespace rekap::central
