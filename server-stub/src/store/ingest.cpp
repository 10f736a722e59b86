// Intake: what devices send, from the request to the intake and back. A push is checked on its
// request's thread (push_job.cpp), stored in the intake durably by a group commit on the side
// connection, without the ledger's writer lock, and answered when stored or when integrated
// (AnswerWhen); the integrator (integrate.cpp) takes it into the ledger. Also the pull feed
// and the receipts of pushes answered early.

#include <algorithm>
#include <set>

#include "devices/device_table.h"
#include "intake/intake_queue.h"
#include "ledger/ledger_log.h"
#include "rekap/central/api_error.h"
#include "rekap/error.h"
#include "rekap/support/random.h"
#include "sheets/sheet_rows.h"
#include "store/push_job.h"

namespace rekap::central {

using protocol::PushResult;
using protocol::PushStatus;

PushAnswer Intake::ingest(const DeviceRecord& device, const nlohmann::json& revisions,
                          const DeviceReport& report, AnswerWhen when) {
    if (!revisions.is_array())
        throw ApiError(Problem::BadRequest, "expected an array", "$.revisions");
    // Read once: a push is checked against the master data current when it arrived.
    auto job = std::make_shared<PushJob>();
    job->device = device;
    job->report = report;
    job->items = preparePush(revisions, device, regency());
    job->itemsText = revisions.dump();
    return submit(job, when);
}

PushAnswer Intake::relay(const DeviceRecord& carrier, const nlohmann::json& revisions) {
    if (!revisions.is_array())
        throw ApiError(Problem::BadRequest, "expected an array", "$.revisions");
    auto job = std::make_shared<PushJob>();
    job->device = carrier;
    job->relayed = true;
    job->items = prepareRelay(
        revisions, carrier, [&](const std::string& id) { return device(id); }, regency());
    job->itemsText = revisions.dump();
    return submit(job, AnswerWhen::Integrated);
}

PushAnswer Intake::submit(const std::shared_ptr<PushJob>& job, AnswerWhen when) {
    PushAnswer answer;
    if (job->items.empty()) {
        // Nothing to store (a device asking for receipts with its push): what it said of
        // itself is all there is.
        std::lock_guard lock(sideMu_);
        if (!job->relayed)
            side_->autocommit([&](const db::WriteTx& tx) {
                device_table::recordContact(tx, job->device.id, job->report);
            });
        answer.treeHead = ledger_->latestHead(*side_);
        return answer;
    }
    sequence(job);
    if (when == AnswerWhen::Stored) {
        // Stored durably: what needs no ledger is known now, the rest comes with a receipt.
        for (const auto& p : job->items)
            answer.results.push_back(
                p.refusal
                    ? *p.refusal
                    : PushResult{
                          p.id, PushStatus::Queued, SheetState::Queued, p.findings, {}, {}, {}});
        std::lock_guard lock(sideMu_);
        answer.treeHead = ledger_->latestHead(*side_);
        return answer;
    }
    awaitIntegration(job);
    if (job->error)
        std::rethrow_exception(job->error);
    answer.results = std::move(job->results);
    std::lock_guard lock(sideMu_);
    answer.treeHead = ledger_->latestHead(*side_);
    return answer;
}

// Group commit into the intake: pushes that arrive while another group is being stored wait,
// then go together in one transaction with one fsync; whichever waiting caller finds no group
// running leads the next one. Only the intake is written: the ledger's lock is not taken.
void StoreCore::sequence(const std::shared_ptr<PushJob>& job) {
    std::unique_lock group(groupMu_);
    pending_.push_back(job);
    groupDone_.wait(group, [&] { return job->seq != 0 || job->error || !groupRunning_; });
    if (job->seq == 0 && !job->error) {
        groupRunning_ = true;
        auto jobs = std::move(pending_); // this one and every push that queued behind it
        pending_.clear();
        group.unlock();
        try {
            std::lock_guard side(sideMu_);
            side_->writeApart([&](const db::WriteTx& tx) {
                auto at = utcNowText();
                for (auto& j : jobs) {
                    j->seq = intake_queue::add(
                        tx, {j->device.id, j->relayed, encodeReport(j->report), j->itemsText, at});
                    // Known before the commit makes it visible: the integrator never decodes
                    // again a push this process holds checked.
                    std::lock_guard l(integrateMu_);
                    local_[j->seq] = j;
                }
                if (tx.dialect() == db::Dialect::PostgreSQL)
                    tx.prepare("SELECT pg_notify('rekap_intake', '')").step();
            });
        } catch (...) {
            std::lock_guard l(integrateMu_);
            for (auto& j : jobs) { // nothing was stored: the device retries
                local_.erase(j->seq);
                j->seq = 0;
                j->error = std::current_exception();
            }
        }
        {
            std::lock_guard l(integrateMu_);
            workPending_ = true;
        }
        work_.notify_one();
        group.lock();
        groupRunning_ = false;
        groupDone_.notify_all();
    }
    if (job->error)
        std::rethrow_exception(job->error);
}

void StoreCore::awaitIntegration(const std::shared_ptr<PushJob>& job) {
    std::unique_lock l(integrateMu_);
    while (!job->done) {
        if (!integratorRunning_) {
            // No integrator here (an admin command, a test, the benchmark): integrate now,
            // with whatever else waits, as the group commit did.
            l.unlock();
            integrateBatch();
            l.lock();
        } else {
            // Woken when a batch of this process commits, or another receiver's (LISTEN).
            integrated_.wait_for(
                l, std::chrono::milliseconds(integratorRole_ || listening_ ? 100 : 10));
            if (integratorRole_)
                continue;
        }
        if (job->done)
            break;
        // Another process integrated it (the receiver holding the role, or a `serve` beside
        // this command): its answer is in the intake.
        l.unlock();
        std::optional<std::string> kept;
        {
            std::lock_guard side(sideMu_);
            kept = intake_queue::answerOf(*side_, job->seq);
        }
        l.lock();
        if (kept && !job->done) {
            local_.erase(job->seq);
            decodeAnswer(*kept, *job);
            job->done = true;
            // What this receiver serves next holds what it acknowledged: its caches take in
            // the other receiver's batch before the device hears back.
            l.unlock();
            followNow();
            l.lock();
        }
    }
}

PushAnswer Intake::receipts(const DeviceRecord& device, const std::vector<std::string>& ids) {
    std::set<std::string> wanted(ids.begin(), ids.end());
    PushAnswer out;
    bool waiting = false;
    std::lock_guard lock(sideMu_);
    db::ReadTx tx(*side_);
    // Newest first: a retry's answer (duplicate, the same entry and receipt) stands for the
    // first; a device asks about its last few pushes only.
    for (const auto& kept : intake_queue::answersOf(tx, device.id, 1000)) {
        if (wanted.empty())
            break;
        if (!kept) {
            waiting = true;
            continue;
        }
        PushJob job;
        decodeAnswer(*kept, job);
        for (auto& r : job.results)
            if (wanted.erase(r.id))
                out.results.push_back(std::move(r));
    }
    if (waiting) // not found among the answered: still in the intake
        for (const auto& id : ids)
            if (wanted.count(id))
                out.results.push_back({id, PushStatus::Queued, SheetState::Queued, {}, {}, {}, {}});
    out.treeHead = ledger_->latestHead(tx);
    return out;
}

protocol::PullResponse Intake::pull(const DeviceRecord& device, std::int64_t since, int limit) {
    protocol::PullResponse out;
    out.masterDataVersion = regency().contentHash;
    // On the side connection: a pull never waits behind an integration. The feed and the
    // position it ends at are one statement, so one state (feedFor).
    std::lock_guard lock(sideMu_);
    auto feed = sheet_rows::feedFor(*side_, device.id, device.scope, since, limit);
    out.changes = std::move(feed.changes);
    out.more = feed.more;
    out.next = feed.next;
    return out;
}

} // namespace rekap::central
