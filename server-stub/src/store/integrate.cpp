// The integrator (docs/architecture.md, "Sequencing apart from integration"): one per store,
// it takes the pushes that receivers stored in the intake, in their order, and integrates a batch
// of them in one ledger transaction: their entries appended, the Merkle tree extended, one head
// signed, the authorship rules applied, every derived table and the tally brought along, and
// each push's answer recorded in the intake. A receiver that dies between storing a push and
// its integration loses nothing: the push waits in the intake for whichever integrator comes
// next. On PostgreSQL the role is a session advisory lock, so when its holder dies another
// receiver takes it over; correctness does not rest on it (the batch reads what waits under the
// ledger's writer lock, and an answered push is never taken again), only efficiency does.

#include <algorithm>
#include <map>
#include <set>

#include "devices/device_table.h"
#include "intake/intake_queue.h"
#include "ledger/ledger_log.h"
#include "readings/reading_claims.h"
#include "rekap/central/api_error.h"
#include "rekap/error.h"
#include "rekap/revision_key.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/random.h"
#include "sheets/counted.h"
#include "sheets/derive.h"
#include "sheets/sheet_rows.h"
#include "store/batch_look_ahead.h"
#include "store/push_job.h"

namespace rekap::central {

using protocol::PushResult;
using protocol::PushStatus;

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

void StoreCore::ingestOne(const db::WriteTx& tx, PushJob& job, BatchLookAhead& look,
                          std::vector<std::string>& touched) {
    // Revoked by another process since this push authenticated: refused whole, atomically with
    // the revocation's entry.
    // (A device with no row at all is an in-process caller such as the national benchmark: over
    // HTTP a push is authenticated against its row first.)
    if (look.active(job.device.id) == false)
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
        return signerActive[id] = look.active(id).value_or(true);
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
            refusal(p, refusedResult(p.id, protocol::error::kDeviceRevoked,
                                     "device " + rev.device + " was revoked by the desk"));
            continue;
        }
        rev.id = revision_key::keyFor(p.id, rev.device, look.named(p.id));
        if (rev.parent)
            rev.parent = revision_key::parentKey(*rev.parent, rev.device, rev.sheet.key(),
                                                 look.named(*rev.parent));
        if (auto existing = look.revision(rev.id)) {
            // The device's id decides what is a retry: never stored twice (UNIQUE (device, name)
            // backs it). Another device's use of the id is no retry: that one has its own key.
            if (existing->hash != p.texts.hash) {
                refusal(
                    p, refusedResult(p.id, protocol::error::kHashMismatch,
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
                refusal(p, refusedResult(p.id, protocol::error::kForbidden, *why));
                continue;
            }
        bool rejected = hasErrors(p.findings);
        auto idx = ledger_->append(
            tx, ledger::Kind::Revision, rev.sheet.key(), rev.device, at, [&](auto i) {
                return ledger::revisionEntry(i, at, p.texts.body, rejected, p.findings);
            });
        derive::NewRevision added{rev, p.texts, p.numbersHash, p.findings, rejected, idx, at};
        added.sheetAbsent = look.sheetAbsent(rev.sheet.key());
        auto stored = derive::addRevision(tx, added);
        look.wrote(rev.id, rev.sheet.key());
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

namespace {
/// Pushes integrated in one batch at most: enough to spread a head's signature and a commit's
/// fsync, few enough that a batch's transaction stays short.
constexpr int kBatchPushes = 512;
/// The integrator's session lock on PostgreSQL ("Rekap" + 2, beside the writer lock's key:
/// pg_locks shows a bigint key as its high and low 32 bits).
constexpr const char* kRoleLock =
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND "
    "pid = pg_backend_pid() AND classid = 82 AND objid = 1447342450 AND objsubid = 1 AND "
    "granted) THEN 1 WHEN pg_try_advisory_lock(353634660722) THEN 1 ELSE 0 END";
} // namespace

std::shared_ptr<PushJob> StoreCore::jobFromIntake(const db::ReadTx& tx, std::int64_t seq,
                                                  const std::string& sender, bool relayed,
                                                  const std::string& report,
                                                  const std::string& items) {
    // A push another receiver stored, or this one before it restarted: checked again from its
    // bytes (its signature too: the intake is not the ledger, and what it holds is trusted no
    // more than a request).
    auto job = std::make_shared<PushJob>();
    job->seq = seq;
    job->relayed = relayed;
    job->itemsText = items;
    try {
        job->report = decodeReport(report);
        auto device = device_table::byId(tx, sender);
        if (!device)
            throw ApiError(Problem::Unauthorized, "unknown device " + sender);
        job->device = *device;
        auto revisions = nlohmann::json::parse(items);
        const auto& reg = regencyLocked();
        job->items =
            relayed ? prepareRelay(
                          revisions, *device,
                          [&](const std::string& id) { return device_table::byId(tx, id); }, reg)
                    : preparePush(revisions, *device, reg);
    } catch (...) {
        job->error = std::current_exception();
    }
    return job;
}

std::size_t StoreCore::integrateBatch() {
    // PostgreSQL: pipelined, a round trip per read rather than one per statement. A statement
    // that fails in a pipelined batch dooms all of it, and is read only later, perhaps in
    // another push; so that batch is integrated again waiting for each statement, where a push
    // whose statement fails is answered with its failure alone (its savepoint) and the rest go
    // on. A database that is gone fails both alike and is not tried twice.
    if (db_.dialect() == db::Dialect::PostgreSQL) {
        try {
            return integrateBatchOnce(true);
        } catch (const StorageError& e) {
            if (e.unavailable() || e.diskFull())
                throw;
        }
    }
    return integrateBatchOnce(false);
}

std::size_t StoreCore::integrateBatchOnce(bool pipelined) {
    std::lock_guard batch(batchMu_);
    std::lock_guard lock(mu_);
    // Most calls find nothing: look before taking the ledger's writer lock.
    if (intake_queue::waitingCount(db_) == 0)
        return 0;
    auto failBatch = [&](const std::vector<std::shared_ptr<PushJob>>& failed) {
        // Nothing was integrated: the pushes wait in the intake for the next batch. Those this
        // process holds are answered with the failure (the device retries; its retry is a
        // duplicate of whichever copy is integrated first).
        std::lock_guard l(integrateMu_);
        for (const auto& job : failed)
            if (local_.erase(job->seq)) {
                job->error = std::current_exception();
                job->done = true;
            }
        integrated_.notify_all();
    };
    std::vector<std::shared_ptr<PushJob>> jobs;
    std::vector<std::exception_ptr> errorsBefore; // a pipelined attempt's jobs, as they were
    std::vector<std::string> touched;
    auto started = std::chrono::steady_clock::now();
    try {
        writeLedger(
            [&](const db::WriteTx& tx) {
                jobs.clear();
                errorsBefore.clear();
                touched.clear();
                std::vector<std::int64_t> known;
                {
                    std::lock_guard l(integrateMu_);
                    for (const auto& [seq, job] : local_)
                        known.push_back(seq); // in order: a std::map
                }
                for (auto& w : intake_queue::waiting(tx, kBatchPushes, known)) {
                    std::shared_ptr<PushJob> job;
                    {
                        std::lock_guard l(integrateMu_);
                        if (auto it = local_.find(w.seq); it != local_.end())
                            job = it->second;
                    }
                    if (!job)
                        job = jobFromIntake(tx, w.seq, w.push.sender, w.push.relayed, w.push.report,
                                            w.push.items);
                    jobs.push_back(std::move(job));
                    errorsBefore.push_back(jobs.back()->error);
                }
                BatchLookAhead look(tx, jobs);
                std::vector<std::int64_t> seqs;
                for (auto& job : jobs) {
                    seqs.push_back(job->seq);
                    job->results.clear();
                    auto decodeFailed = job->error && job->items.empty();
                    if (!decodeFailed) {
                        job->error = nullptr;
                        auto mark = ledger_->size();
                        auto marked = touched.size();
                        try {
                            tx.savepoint([&] { ingestOne(tx, *job, look, touched); });
                        } catch (...) {
                            ledger_->truncate(mark);
                            touched.resize(marked);
                            job->results.clear();
                            job->error = std::current_exception();
                        }
                    }
                    intake_queue::answer(tx, job->seq, encodeAnswer(*job));
                }
                intake_queue::answeredAll(tx, seqs);
                if (tx.dialect() == db::Dialect::PostgreSQL)
                    tx.prepare("SELECT pg_notify('rekap_integrated', '')").run();
                if (faultStall_.count() > 0) // fault tests: a process killed inside a batch
                    std::this_thread::sleep_for(faultStall_);
            },
            pipelined);
    } catch (const StorageError& e) {
        if (pipelined && !e.unavailable() && !e.diskFull()) {
            // Tried again at once, waiting for each statement (integrateBatch): the jobs go
            // back to what they were, still waiting.
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                jobs[i]->results.clear();
                jobs[i]->error = errorsBefore[i];
            }
            throw;
        }
        failBatch(jobs);
        throw;
    } catch (...) {
        failBatch(jobs);
        throw;
    }
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
        applySheetsLocked(touched, &known);
    }
    applied_ = ledger_->size();
    version_ = applied_;
    auto held = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (auto* observer = groupObserver_.load()) {
        std::size_t revisions = 0;
        for (const auto& j : jobs)
            revisions += j->items.size();
        observer->groupCommitted(jobs.size(), revisions);
        observer->batchIntegrated(held);
    }
    std::lock_guard l(integrateMu_);
    for (auto& job : jobs) {
        local_.erase(job->seq);
        job->done = true;
    }
    integrated_.notify_all();
    return jobs.size();
}

bool StoreCore::holdIntegratorRole() {
    if (db_.dialect() == db::Dialect::SQLite)
        return integratorRole_ = true; // one `serve` per file
    // Held on the side connection, whose session outlives its transactions; asked whether this
    // session holds it first, so that a connection opened again after a restart (which lost the
    // lock with the old session) takes it anew, and a held lock is not taken twice.
    std::lock_guard side(sideMu_);
    try {
        auto st = side_->prepare(kRoleLock);
        return integratorRole_ = st.step() && st.int64(0) == 1;
    } catch (const std::exception&) {
        return integratorRole_ = false; // the server went away, and the lock with it
    }
}

void StoreCore::integrateLoop() {
    auto lastRoleCheck = std::chrono::steady_clock::time_point{};
    while (!stopFollowing_) {
        auto now = std::chrono::steady_clock::now();
        if (!integratorRole_ || now - lastRoleCheck > std::chrono::seconds(1)) {
            lastRoleCheck = now;
            if (!holdIntegratorRole()) {
                std::unique_lock l(integrateMu_);
                work_.wait_for(l, std::chrono::milliseconds(200));
                continue;
            }
        }
        std::size_t n = 0;
        try {
            n = integrateBatch();
        } catch (const std::exception&) {
            // The database refused (full, restarting): what waits stays in the intake.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        if (n > 0)
            continue;
        // Idle: woken by this process's pushes, and by another receiver's through LISTEN; the
        // timeout is the fallback should a notification be lost with a connection.
        std::unique_lock l(integrateMu_);
        work_.wait_for(l, std::chrono::milliseconds(200), [&] { return workPending_; });
        workPending_ = false;
    }
}

void StoreCore::listenLoop(const std::shared_ptr<db::Notifications>& heard) {
    listening_ = true;
    while (!stopFollowing_) {
        auto channels = heard->wait(200);
        if (channels.empty())
            continue;
        {
            std::lock_guard l(integrateMu_);
            if (std::find(channels.begin(), channels.end(), "rekap_intake") != channels.end())
                workPending_ = true;
        }
        work_.notify_all();
        integrated_.notify_all();
    }
}

void Intake::startIntegrating() {
    if (integratorRunning_.exchange(true))
        return;
    integrator_ = std::thread([this] { integrateLoop(); });
    // Connected before `serve` listens: its connections are all open when it answers.
    if (std::shared_ptr<db::Notifications> heard =
            db::listen(db_.location(), {"rekap_intake", "rekap_integrated"})) {
        heard->wait(0);
        listener_ = std::thread([this, heard] { listenLoop(heard); });
    }
}

} // namespace rekap::central
