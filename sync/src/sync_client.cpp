#include "rekap/sync/sync_client.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

#include "gzip.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/merkle.h"
#include "rekap/push_bounds.h"
#include "rekap/send_back.h"
#include "rekap/sha256.h"
#include "rekap/signing.h"

namespace rekap::sync {

using Kind = SyncError::Kind;

namespace {
/// Counts each final outcome in the report; `queued` (stored, receipt to come) is not one.
void countResults(const std::vector<protocol::PushResult>& results, SyncReport& report) {
    for (const auto& r : results) {
        switch (r.status) {
        case protocol::PushStatus::Accepted:
            ++report.accepted;
            break;
        case protocol::PushStatus::Duplicate:
            ++report.duplicates;
            break;
        case protocol::PushStatus::Conflict:
            ++report.conflicts;
            break;
        case protocol::PushStatus::Rejected:
            ++report.rejected;
            break;
        case protocol::PushStatus::Refused:
            ++report.refused;
            break;
        case protocol::PushStatus::Queued:
            break;
        }
    }
}

/// The most ids one `awaiting` list holds (docs/protocol.md): a push's worth.
std::size_t maxAwaiting() {
    return protocol::PushBounds{}.maxItems;
}
} // namespace

SyncClient::SyncClient(DeviceFile& store)
    : SyncClient(store, SyncOptions()) {}

SyncClient::SyncClient(DeviceFile& store, SyncOptions options)
    : store_(store)
    , options_(std::move(options))
    , http_(options_.http) {}

std::chrono::milliseconds retryDelay(int retry, std::chrono::milliseconds base,
                                     std::chrono::milliseconds cap, std::mt19937& rng) {
    auto c = std::min<long long>(cap.count(), base.count() << std::clamp(retry - 1, 0, 20));
    std::uniform_int_distribution<long long> d(c / 2, c);
    return std::chrono::milliseconds(d(rng));
}

void SyncClient::cancel() {
    {
        std::lock_guard lock(waitMu_);
        cancel_ = true;
    }
    waitCv_.notify_all();
}

void SyncClient::sleepFor(std::chrono::milliseconds d) {
    std::unique_lock lock(waitMu_);
    if (waitCv_.wait_for(lock, d, [this] { return cancel_.load(); }))
        throw SyncError(Kind::Cancelled, "sync cancelled");
}

std::vector<std::string> SyncClient::deviceHeaders() const {
    std::vector<std::string> h = {
        std::string(protocol::kHeaderProtocol) + ": " + std::to_string(protocol::kVersion),
        std::string(protocol::kHeaderQueueDepth) + ": " +
            std::to_string(store_.outbox().queueDepth()),
        std::string(protocol::kHeaderAppVersion) + ": " + options_.appVersion};
    if (auto last = store_.outbox().lastCaptureAt())
        h.push_back(std::string(protocol::kHeaderLastCapture) + ": " + *last);
    if (auto e = store_.identity().enrolment())
        h.push_back("Authorization: Bearer " + e->token);
    return h;
}

HttpResponse SyncClient::call(HttpRequest request, SyncReport& report,
                              const std::function<void(const HttpResponse&)>& read,
                              bool authenticated) {
    if (authenticated) {
        auto h = deviceHeaders();
        request.headers.insert(request.headers.end(), h.begin(), h.end());
    }
    std::string last, lastCode;
    SyncError::Detail lastDetail;
    for (int attempt = 0; attempt < options_.maxAttempts; ++attempt) {
        if (cancel_)
            throw SyncError(Kind::Cancelled, "sync cancelled");
        if (attempt > 0) {
            ++report.retries;
            auto wait = retryDelay(attempt, options_.baseBackoff, options_.maxBackoff, jitter_);
            if (options_.onRetry)
                options_.onRetry(attempt, wait);
            sleepFor(wait);
        }
        HttpResponse res;
        try {
            res = http_.send(request, &cancel_);
        } catch (const TransportError& e) {
            if (e.cancelled())
                throw SyncError(Kind::Cancelled, "sync cancelled");
            last = e.what();
            lastCode.clear();
            lastDetail = {0, e.failure(), {}};
            continue;
        }
        report.bytesSent += request.body.size();
        if (res.status >= 200 && res.status < 300) {
            if (!read)
                return res;
            // An answer cut or emptied on the way (say, a connection closed inside the
            // headers, before any length was announced) can look like a short success. It is a
            // lost answer like any other: what the request did at the receiver is idempotent.
            try {
                read(res);
                return res;
            } catch (const DecodeError& e) {
                last = request.method + " " + request.url + ": unreadable answer: " + e.what();
            } catch (const nlohmann::json::exception& e) {
                last = request.method + " " + request.url + ": unreadable answer: " + e.what();
            }
            continue;
        }
        auto err = protocol::decodeError(res.body);
        std::string what = request.method + " " + request.url + ": HTTP " +
                           std::to_string(res.status) + " " + err.code + ": " + err.message;
        if (res.status == 408 || res.status == 429 || res.status >= 500) {
            last = what;
            lastCode = err.code;
            lastDetail = {res.status, TransportFailure::None, err.reason};
            continue;
        }
        // Revoked, unknown token, protocol too old, or a request the receiver cannot take:
        // retrying record after record would only repeat the same answer.
        throw SyncError(Kind::Fatal, what, err.code,
                        {res.status, TransportFailure::None, err.reason});
    }
    throw SyncError(Kind::Transient,
                    "gave up after " + std::to_string(options_.maxAttempts) + " attempts: " + last,
                    lastCode, lastDetail);
}

protocol::EnrolResponse SyncClient::enrol(const std::string& server, const std::string& code,
                                          const std::string& deviceName) {
    SyncReport report;
    protocol::EnrolRequest req{code, store_.identity().pendingEnrolmentId(), deviceName,
                               store_.identity().deviceKey().publicKey};
    auto base = server;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    protocol::EnrolResponse answer;
    call(
        {"POST",
         base + "/api/v1/enrol",
         {"Content-Type: application/json"},
         protocol::encode(req).dump()},
        report,
        [&](const HttpResponse& res) {
            answer = protocol::decodeEnrolResponse(parseJsonText(res.body, "enrol response"));
        },
        false);
    store_.identity().save({base, answer.device, answer.token, answer.role, answer.scope,
                            answer.regency, answer.receiverKey});
    store_.identity().setKeyRegistered();
    fetchMasterData(report);
    return answer;
}

void SyncClient::fetchMasterData(SyncReport& report) {
    // Checked before it replaces the copy: a cut document is retried, never stored.
    call({"GET", store_.identity().enrolment()->server + "/api/v1/master-data", {}, {}}, report,
         [&](const HttpResponse& res) { store_.masterData().save(res.body); });
}

std::string SyncClient::get(const std::string& pathAndQuery) {
    auto e = store_.identity().enrolment();
    if (!e)
        throw SyncError(Kind::Fatal, "this device is not enrolled yet");
    SyncReport report;
    // The read API answers JSON: anything else is an answer cut on the way.
    return call({"GET", e->server + pathAndQuery, {}, {}}, report,
                [](const HttpResponse& res) { parseJsonText(res.body, "answer"); })
        .body;
}

bool SyncClient::reachable() {
    auto e = store_.identity().enrolment();
    if (!e)
        return false;
    try {
        return http_.send({"GET", e->server + "/api/v1/health", {}, {}}, &cancel_).status == 200;
    } catch (const TransportError&) {
        return false;
    }
}

SyncReport SyncClient::sync(const std::function<void(const SyncProgress&)>& progress) {
    if (!store_.identity().enrolment())
        throw SyncError(Kind::Fatal, "this device is not enrolled yet");
    SyncReport report;
    store_.outbox().requeueSending();
    if (!store_.identity().keyRegistered() &&
        store_.identity().enrolment()->role == protocol::Role::Operator)
        registerKey(report);
    // Numbers first: they are small and what the desk waits for. Then what changed at the
    // receiver, so that a desk decision reaches the device even while a photo cannot get
    // through; photos last: they may take long on 2G, and change nothing a pull would bring.
    bool upToDate = push(report, progress);
    bool askedReceipts = collectReceipts(report);
    sendAttachments(report);
    forwardRelayed(report);
    if (!upToDate)
        pull(report, progress);
    uploadPhotos(report, progress);
    // A sync that pushed nothing saw no signed head: fetch one, so that a receiver rolled back
    // (or rewritten) is noticed by every tablet that kept a later head, whatever it sends.
    if (report.batches == 0 && !askedReceipts)
        checkLedgerHead(report);
    report.waiting = static_cast<int>(store_.outbox().awaiting(SIZE_MAX).size());
    return report;
}

bool SyncClient::collectReceipts(SyncReport& report) {
    auto server = store_.identity().enrolment()->server;
    bool asked = false;
    auto wait = options_.receiptWait;
    std::chrono::milliseconds waited{0};
    while (true) {
        auto ids = store_.outbox().awaiting(maxAwaiting());
        if (ids.empty())
            return asked;
        if (asked) {
            if (waited + wait > options_.receiptPatience)
                return asked; // the next sync asks again
            sleepFor(wait);
            waited += wait;
            wait *= 2;
        }
        std::vector<std::string> headers = {"Content-Type: application/json"};
        addTreeSizeHeader(headers);
        nlohmann::json answer;
        try {
            call({"POST", server + "/api/v1/sync/receipts", headers,
                  nlohmann::json{{"awaiting", ids}}.dump()},
                 report, [&](const HttpResponse& res) {
                     answer = parseJsonText(res.body, "receipts response");
                     protocol::decodePushResponse({{"results", answer.at("receipts")}});
                 });
        } catch (const SyncError& e) {
            // A receiver without the route (replaced by an older one): it cannot say what became
            // of them, so they go again, answered duplicate where it has them.
            if (e.httpStatus() != 404)
                throw;
            store_.outbox().resendForgotten(ids);
            return true;
        }
        asked = true;
        std::string alarm;
        auto head = checkTreeHead(answer, alarm);
        applyReceipts(ids, answer, head, report);
        if (!alarm.empty()) {
            store_.receipts().setLedgerAlarm(alarm);
            throw SyncError(Kind::Fatal, alarm, "ledger_inconsistent");
        }
    }
}

void SyncClient::applyReceipts(const std::vector<std::string>& asked, const nlohmann::json& answer,
                               const std::optional<ledger::TreeHead>& head, SyncReport& report) {
    auto receipts = protocol::decodePushResponse({{"results", answer.at("receipts")}});
    store_.outbox().applyResults(receipts, head, AnsweredWhen::Stored);
    countResults(receipts, report);
    std::set<std::string> answered;
    for (const auto& r : receipts)
        answered.insert(r.id);
    std::vector<std::string> forgotten;
    for (const auto& id : asked)
        if (!answered.count(id))
            forgotten.push_back(id);
    if (!forgotten.empty())
        store_.outbox().resendForgotten(forgotten);
}

void SyncClient::checkLedger() {
    SyncReport report;
    checkLedgerHead(report);
}

void SyncClient::checkLedgerHead(SyncReport& report) {
    auto server = store_.identity().enrolment()->server;
    nlohmann::json answer;
    try {
        call({"GET", server + "/api/v1/ledger/head", {}, {}}, report, [&](const HttpResponse& res) {
            auto j = parseJsonText(res.body, "ledger head");
            answer = {{"tree_head", j.at("tree_head")}};
            ledger::decodeTreeHead(answer["tree_head"], "ledger head", "$.tree_head");
        });
    } catch (const SyncError& e) {
        if (e.httpStatus() == 404) // an empty ledger, or a receiver older than the ledger
            return;
        throw;
    }
    auto head = ledger::decodeTreeHead(answer["tree_head"], "ledger head", "$.tree_head");
    if (auto last = store_.receipts().lastTreeHead(); last && last->size < head.size) {
        call({"GET",
              server + "/api/v1/ledger/proof?from=" + std::to_string(last->size) +
                  "&to=" + std::to_string(head.size),
              {},
              {}},
             report, [&](const HttpResponse& res) {
                 answer["consistency"] = parseJsonText(res.body, "consistency proof").at("proof");
             });
    }
    std::string alarm;
    checkTreeHead(answer, alarm);
    if (!alarm.empty()) {
        store_.receipts().setLedgerAlarm(alarm);
        throw SyncError(Kind::Fatal, alarm, "ledger_inconsistent");
    }
}

std::string SyncClient::decisionProblem(const protocol::PullResponse& page) const {
    auto key = store_.identity().enrolment()->receiverKey;
    auto reg = store_.masterData().regency();
    if (key.empty() || !reg)
        return {}; // nothing to check against: enrolled before the receiver had a key
    for (const auto& c : page.changes) {
        if (c.kind == "send_back") {
            // "Perlu perbaikan" reaches the operator only when the desk made it.
            try {
                auto mark = decodeSendBack(c.data.at("mark"), "$.data.mark");
                if (mark.sheetKey() != c.sheet)
                    return "the desk's send-back filed under sheet " + c.sheet +
                           " in the pull feed is of sheet " + mark.sheetKey();
                if (!sendBackSignatureValid(mark, key))
                    return "the desk's send-back of sheet " + c.sheet +
                           " in the pull feed is not signed by the receiver's key " +
                           signing::fingerprint(key) + ": it was not made by the desk";
            } catch (const std::exception& e) {
                return "the desk's send-back of sheet " + c.sheet +
                       " in the pull feed is malformed: " + e.what();
            }
            continue;
        }
        if (c.kind != "resolution")
            continue;
        try {
            auto rev = decodeRevision(c.data.at("revision"), *reg, "pull", "$.data.revision");
            if (rev.device != "desk" || rev.sheet.key() != c.sheet)
                return "the desk decision for sheet " + c.sheet +
                       " in the pull feed is not a decision of that sheet";
            if (!revisionSignatureValid(rev, rev.hash(), key))
                return "the desk decision for sheet " + c.sheet +
                       " in the pull feed is not signed by the receiver's key " +
                       signing::fingerprint(key) + ": it was not made by the desk";
        } catch (const std::exception& e) {
            return "the desk decision for sheet " + c.sheet +
                   " in the pull feed is malformed: " + e.what();
        }
    }
    return {};
}

void SyncClient::addTreeSizeHeader(std::vector<std::string>& headers) const {
    if (auto last = store_.receipts().lastTreeHead())
        headers.push_back(std::string(protocol::kHeaderTreeSize) + ": " +
                          std::to_string(last->size));
}

void SyncClient::sendAttachments(SyncReport& report) {
    auto server = store_.identity().enrolment()->server;
    while (true) {
        auto batch = store_.attachments().batch(protocol::kMaxPhotoAttachments);
        if (batch.empty())
            return;
        auto attachments = nlohmann::json::array();
        for (const auto& a : batch)
            attachments.push_back(a.body);
        std::vector<std::string> headers = {"Content-Type: application/json"};
        addTreeSizeHeader(headers);
        std::vector<protocol::PushResult> results;
        nlohmann::json answer;
        try {
            call({"POST", server + "/api/v1/sync/photo-attachments", headers,
                  nlohmann::json{{"attachments", attachments}}.dump()},
                 report, [&](const HttpResponse& res) {
                     answer = parseJsonText(res.body, "photo attachments response");
                     results = protocol::decodePushResponse(answer);
                 });
        } catch (const SyncError& e) {
            // A receiver older than this device has no such route: the attachments wait for it
            // (the photo's bytes still go up, so nothing is lost meanwhile).
            if (e.httpStatus() == 404) {
                report.attachmentsUnsupported = true;
                return;
            }
            throw;
        }
        std::string alarm;
        checkTreeHead(answer, alarm); // keeps the head when it holds
        store_.attachments().applyResults(batch, results);
        if (!alarm.empty()) {
            store_.receipts().setLedgerAlarm(alarm);
            throw SyncError(Kind::Fatal, alarm, "ledger_inconsistent");
        }
        int answered = 0;
        for (const auto& r : results)
            if (r.status != protocol::PushStatus::Refused)
                ++answered;
        report.attached += answered;
        if (store_.attachments().batch(protocol::kMaxPhotoAttachments).size() >= batch.size())
            return; // nothing moved (not yet received revisions): next sync
    }
}

void SyncClient::forwardRelayed(SyncReport& report) {
    auto server = store_.identity().enrolment()->server;
    while (true) {
        auto batch = store_.relay().batch(options_.maxBatchCount, options_.maxBatchBytes);
        if (batch.empty())
            return;
        std::string body = gzipCompress(nlohmann::json{{"revisions", batch}}.dump());
        std::vector<protocol::PushResult> results;
        // An answer lost on the way leaves them queued: sent again, they are answered as
        // duplicates, never stored twice.
        call({"POST",
              server + "/api/v1/sync/relay",
              {"Content-Type: application/json", "Content-Encoding: gzip"},
              body},
             report, [&](const HttpResponse& res) {
                 results = protocol::decodePushResponse(parseJsonText(res.body, "relay response"));
             });
        store_.relay().applyResults(results);
        report.relayed += static_cast<int>(results.size());
        if (results.size() < batch.size()) // an answer that skipped some: try those next sync
            return;
    }
}

bool SyncClient::push(SyncReport& report,
                      const std::function<void(const SyncProgress&)>& progress) {
    bool upToDate = false;
    auto server = store_.identity().enrolment()->server;
    SyncProgress p{"push", 0, 0, 0, 0};
    for (const auto& e : store_.outbox().all())
        if (e.state == SheetState::Queued) {
            ++p.sheetsTotal;
            p.bytesTotal += encodeRevision(e.revision).dump().size();
        }
    if (progress)
        progress(p);
    auto batchCount = options_.maxBatchCount;
    while (true) {
        auto batch = store_.outbox().takeBatch(batchCount, options_.maxBatchBytes);
        if (batch.empty())
            break;
        auto revisions = nlohmann::json::array();
        std::size_t raw = 0;
        for (const auto& e : batch) {
            revisions.push_back(encodeRevision(e.revision));
            raw += revisions.back().dump().size();
        }
        // What the receiver stored earlier and has not yet given a receipt for rides along.
        auto awaiting = store_.outbox().awaiting(maxAwaiting());
        nlohmann::json request = {{"revisions", revisions}};
        if (!awaiting.empty())
            request["awaiting"] = awaiting;
        std::string body = gzipCompress(request.dump());
        // Answered as soon as stored (docs/protocol.md): on 2G the device need not hold the
        // line open while the receiver integrates. A receiver that ignores it answers as before.
        std::vector<std::string> headers = {"Content-Type: application/json",
                                            "Content-Encoding: gzip",
                                            std::string(protocol::kHeaderSince) + ": " +
                                                std::to_string(store_.feed().checkpoint())};
        if (options_.answerWhenStored)
            headers.push_back("Prefer: respond-async");
        addTreeSizeHeader(headers);
        std::vector<protocol::PushResult> results;
        nlohmann::json answer;
        auto when = AnsweredWhen::Integrated;
        try {
            call({"POST", server + "/api/v1/sync/push", headers, body}, report,
                 [&](const HttpResponse& res) {
                     answer = parseJsonText(res.body, "push response");
                     results = protocol::decodePushResponse(answer);
                     if (answer.contains("receipts"))
                         protocol::decodePushResponse({{"results", answer["receipts"]}});
                     when =
                         res.header("Preference-Applied").find("respond-async") != std::string::npos
                             ? AnsweredWhen::Stored
                             : AnsweredWhen::Integrated;
                 });
        } catch (const SyncError& e) {
            store_.outbox().requeueSending();
            if (e.code() == protocol::error::kPayloadTooLarge && batchCount > 1) {
                batchCount = std::max<std::size_t>(1, batch.size() / 2);
                continue;
            }
            throw;
        }
        ++report.batches;
        store_.failPoint("push.answered");
        std::string alarm;
        auto head = checkTreeHead(answer, alarm);
        store_.outbox().applyResults(results, head, when);
        if (!awaiting.empty() && answer.contains("receipts"))
            applyReceipts(awaiting, answer, head, report);
        store_.outbox().requeueSending(); // anything the answer did not mention goes again
        store_.failPoint("push.applied");
        if (!alarm.empty()) {
            store_.receipts().setLedgerAlarm(alarm);
            throw SyncError(Kind::Fatal, alarm, "ledger_inconsistent");
        }
        // The pull page the answer carries, applied after the results as a pull would be.
        // Without one (an older receiver) or with an unreadable one, the sync pulls instead.
        std::optional<protocol::PullResponse> page;
        try {
            page = protocol::decodeFoldedPull(answer);
        } catch (const DecodeError&) {
        }
        // A page taken when the push was only stored lacks what its integration changes: the
        // sync pulls after the receipts are in.
        upToDate = page && !page->more && when == AnsweredWhen::Integrated;
        if (page)
            applyPage(*page, report);
        countResults(results, report);
        p.sheetsDone += batch.size();
        p.bytesDone += raw;
        if (progress)
            progress(p);
        // An answer that settled none of the batch (a final `queued` is no answer): taking the
        // same revisions again would go round forever; they go with the next sync.
        if (std::none_of(results.begin(), results.end(), [&](const protocol::PushResult& r) {
                return r.status != protocol::PushStatus::Queued || when == AnsweredWhen::Stored;
            }))
            break;
    }
    return upToDate;
}

Receipt SyncClient::checkReceipt(const std::string& revisionId) {
    auto receipt = store_.receipts().of(revisionId);
    if (!receipt)
        throw SyncError(Kind::Fatal, "no receipt for revision " + revisionId + " (not sent yet?)");
    auto mine = store_.outbox().entry(revisionId);
    auto fail = [&](const std::string& what) {
        store_.receipts().setLedgerAlarm("receipt " + receipt->code + ": " + what);
        return SyncError(Kind::Fatal, "receipt " + receipt->code + ": " + what,
                         "ledger_inconsistent");
    };
    auto entryText = get("/api/v1/ledger/entries/" + std::to_string(receipt->ledgerIndex));
    nlohmann::json entry;
    try {
        entry = nlohmann::json::parse(entryText);
    } catch (const nlohmann::json::exception&) {
        throw SyncError(Kind::Transient, "unreadable ledger entry");
    }
    const auto* rev = entry.contains("revision") ? &entry["revision"] : nullptr;
    if (!mine || !rev || rev->value("id", "") != revisionId ||
        rev->value("hash", "") != mine->hash ||
        rev->value("signature", "") != mine->revision.signature.value_or(""))
        throw fail("ledger entry " + std::to_string(receipt->ledgerIndex) +
                   " does not hold this device's revision as it was sent");
    auto leaf = merkle::leafHash(entryText);
    auto code = ledger::parseReceiptCode(receipt->code);
    if (!code || merkle::toHex(leaf).rfind(code->second, 0) != 0)
        throw fail("the entry's hash does not match the receipt");
    auto proofText = get("/api/v1/ledger/proof?index=" + std::to_string(receipt->ledgerIndex) +
                         "&size=" + std::to_string(receipt->head.size));
    std::optional<std::vector<merkle::Hash>> proof;
    try {
        proof = merkle::fromHex(
            nlohmann::json::parse(proofText).at("proof").get<std::vector<std::string>>());
    } catch (const nlohmann::json::exception&) {
        throw SyncError(Kind::Transient, "unreadable inclusion proof");
    }
    auto root = merkle::fromHex(receipt->head.root);
    if (!proof || !root ||
        !merkle::verifyInclusion(leaf, static_cast<std::uint64_t>(receipt->ledgerIndex),
                                 receipt->head.size, *proof, *root))
        throw fail("the entry is not in the signed head of " + std::to_string(receipt->head.size) +
                   " entries");
    auto key = store_.identity().enrolment()->receiverKey;
    if (!key.empty() &&
        !signing::verify(key, ledger::signingText(receipt->head), receipt->head.signature))
        throw fail("the head is not signed by the receiver's key");
    store_.receipts().markChecked(revisionId);
    receipt->checked = true;
    receipt->proof = merkle::toHex(*proof);
    return *receipt;
}

void SyncClient::registerKey(SyncReport& report) {
    auto e = store_.identity().enrolment();
    std::string receiverKey;
    call({"POST",
          e->server + "/api/v1/device/key",
          {"Content-Type: application/json"},
          nlohmann::json{{"public_key", store_.identity().deviceKey().publicKey}}.dump()},
         report, [&](const HttpResponse& res) {
             receiverKey = parseJsonText(res.body, "device key response").value("receiver_key", "");
         });
    // Enrolled before receivers had keys: the key is learned on first use, and every head after
    // this one is checked against it.
    if (e->receiverKey.empty() && !receiverKey.empty())
        store_.identity().setReceiverKey(receiverKey);
    store_.identity().setKeyRegistered();
}

std::optional<ledger::TreeHead> SyncClient::checkTreeHead(const nlohmann::json& answer,
                                                          std::string& alarm) {
    std::optional<ledger::TreeHead> head;
    try {
        head = protocol::decodePushTreeHead(answer);
    } catch (const DecodeError& e) {
        alarm = std::string("the receiver sent a malformed tree head: ") + e.what();
        return std::nullopt;
    }
    auto key = store_.identity().enrolment()->receiverKey;
    if (!head && !key.empty()) {
        // A receiver with a key always answers a push with its signed head: leaving it out
        // would dodge this check.
        alarm = "the receiver answered the push without its signed tree head";
        return std::nullopt;
    }
    if (!head || key.empty())
        return head; // an older receiver, or enrolled before it had a key: nothing to hold
    if (!signing::verify(key, ledger::signingText(*head), head->signature)) {
        alarm = "the receiver's tree head of " + std::to_string(head->size) +
                " entries is not signed by its key " + signing::fingerprint(key);
        return std::nullopt;
    }
    if (auto last = store_.receipts().lastTreeHead()) {
        bool consistent = false;
        if (head->size < last->size) {
            consistent = false;
        } else if (head->size == last->size) {
            consistent = head->root == last->root;
        } else {
            auto proof = protocol::decodePushConsistency(answer);
            auto hashes = proof ? merkle::fromHex(*proof) : std::nullopt;
            auto r1 = merkle::fromHex(last->root), r2 = merkle::fromHex(head->root);
            consistent = hashes && r1 && r2 &&
                         merkle::verifyConsistency(last->size, head->size, *r1, *r2, *hashes);
        }
        if (!consistent) {
            alarm = "the receiver's ledger of " + std::to_string(head->size) +
                    " entries does not extend the one of " + std::to_string(last->size) +
                    " entries it signed before: its history was rewritten";
            return std::nullopt;
        }
    }
    store_.receipts().saveTreeHead(*head);
    return head;
}

namespace {
/// {"complete": bool, "offset": n}: where the receiver's copy of a photo stands.
struct PhotoStatus {
    bool complete = false;
    std::size_t offset = 0;
};

PhotoStatus readPhotoStatus(const HttpResponse& res) {
    auto j = parseJsonText(res.body, "photo status");
    JsonReader r(j);
    return {r.field("complete").boolean(),
            static_cast<std::size_t>(r.field("offset").integer(0, INT64_MAX))};
}
} // namespace

void SyncClient::uploadPhotos(SyncReport& report,
                              const std::function<void(const SyncProgress&)>& progress) {
    auto pending = store_.photos().pending();
    SyncProgress p{"photos", 0, pending.size(), 0, 0};
    for (const auto& sha : pending) {
        uploadPhoto(sha, report, p, progress);
        store_.photos().markUploaded(sha);
        ++report.photos;
        ++p.sheetsDone;
    }
}

void SyncClient::uploadPhoto(const std::string& sha, SyncReport& report, SyncProgress& p,
                             const std::function<void(const SyncProgress&)>& progress) {
    std::ifstream in(store_.photos().path(sha), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string bytes = buf.str();
    p.bytesTotal += bytes.size();
    auto url = store_.identity().enrolment()->server + "/api/v1/photos/" + sha;
    PhotoStatus at;
    auto askWhere = [&] {
        call({"GET", url, {}, {}}, report,
             [&](const HttpResponse& res) { at = readPhotoStatus(res); });
    };
    askWhere(); // resume where the receiver stands
    // Each time the receiver says the upload stands elsewhere than the chunk was sent for; a
    // PATCH stored whose answer was lost is the usual cause. Bounded, so that a receiver that
    // never agrees cannot hold the sync forever.
    int realigned = 0;
    while (!at.complete) {
        if (at.offset > bytes.size())
            throw SyncError(Kind::Fatal, "photo " + sha + ": the receiver holds " +
                                             std::to_string(at.offset) + " bytes of a " +
                                             std::to_string(bytes.size()) + "-byte photo");
        auto chunk = bytes.substr(at.offset, options_.photoChunkBytes);
        PhotoStatus next;
        try {
            call({"PATCH",
                  url,
                  {"Content-Type: application/octet-stream",
                   "Upload-Offset: " + std::to_string(at.offset),
                   "Upload-Length: " + std::to_string(bytes.size())},
                  chunk},
                 report, [&](const HttpResponse& res) { next = readPhotoStatus(res); });
        } catch (const SyncError& e) {
            // 409 offset_mismatch: the receiver's copy stands elsewhere; ask where, go on there.
            if (e.httpStatus() != 409 || ++realigned > options_.maxAttempts)
                throw;
            askWhere();
            continue;
        }
        if (!next.complete && next.offset <= at.offset && ++realigned > options_.maxAttempts)
            throw SyncError(Kind::Transient, "photo " + sha + ": the upload does not advance");
        p.bytesDone += chunk.size();
        at = next;
        store_.failPoint("photo.chunk");
        if (progress)
            progress(p);
    }
}

void SyncClient::pull(SyncReport& report,
                      const std::function<void(const SyncProgress&)>& progress) {
    auto server = store_.identity().enrolment()->server;
    SyncProgress p{"pull", 0, 0, 0, 0};
    while (true) {
        protocol::PullResponse page;
        auto since = store_.feed().checkpoint();
        call({"GET", server + "/api/v1/sync/pull?since=" + std::to_string(since), {}, {}}, report,
             [&](const HttpResponse& res) {
                 page = protocol::decodePullResponse(parseJsonText(res.body, "pull response"));
             });
        ++report.pulls;
        applyPage(page, report);
        store_.failPoint("pull.applied");
        p.sheetsDone += page.changes.size();
        if (progress)
            progress(p);
        if (!page.more)
            break;
        // Another page, yet the checkpoint stands still: asking again would loop forever.
        if (store_.feed().checkpoint() <= since)
            throw SyncError(Kind::Transient, "the pull does not advance past " +
                                                 std::to_string(since) +
                                                 ": the receiver said "
                                                 "more, with next " +
                                                 std::to_string(page.next));
    }
}

void SyncClient::applyPage(const protocol::PullResponse& page, SyncReport& report) {
    // A decision changes what the tablet shows as counted and which of its sheets it corrects
    // next: taken only when the receiver signed it. A forged one stops the sync, the page
    // unapplied (the checkpoint stays), and raises the ledger alarm.
    if (auto problem = decisionProblem(page); !problem.empty()) {
        store_.receipts().setLedgerAlarm(problem);
        throw SyncError(Kind::Fatal, problem, "ledger_inconsistent");
    }
    if (page.masterDataVersion != store_.masterData().version()) {
        fetchMasterData(report);
        report.masterDataUpdated = true;
    }
    store_.feed().apply(page);
    report.changes += static_cast<int>(page.changes.size());
}

} // namespace rekap::sync

namespace rekap::sync {

std::optional<ReadingClaim> SyncClient::claimReading(const std::string& reader) {
    auto e = store_.identity().enrolment();
    if (!e)
        throw SyncError(SyncError::Kind::Fatal, "this device is not enrolled yet");
    SyncReport report;
    std::optional<ReadingClaim> out;
    call({"POST",
          e->server + "/api/v1/reading/next",
          {"Content-Type: application/json"},
          nlohmann::json{{"operator", reader}}.dump()},
         report, [&](const HttpResponse& res) {
             auto j = parseJsonText(res.body, "reading claim");
             out.reset();
             const auto& c = j.at("claim");
             if (c.is_null())
                 return;
             ReadingClaim r;
             r.sheet = c.at("sheet").get<std::string>();
             r.tps = c.at("tps").get<std::string>();
             r.contest = c.at("contest").get<std::string>();
             r.contestName = c.at("contest_name").get<std::string>();
             r.tpsName = c.at("tps_name").get<std::string>();
             r.desaName = c.at("desa_name").get<std::string>();
             r.kecamatanName = c.at("kecamatan_name").get<std::string>();
             r.parent = c.at("parent").get<std::string>();
             auto url = c.at("photo").get<std::string>(); // /api/v1/photos/<sha>/content
             constexpr std::string_view prefix = "/api/v1/photos/";
             if (url.rfind(prefix, 0) != 0 || url.size() < prefix.size() + 64)
                 throw DecodeError("$.claim.photo", "not a photo of this receiver: " + url);
             r.photo = url.substr(prefix.size(), 64);
             r.expiresAt = c.at("expires_at").get<std::string>();
             out = std::move(r);
         });
    return out;
}

void SyncClient::downloadPhoto(const std::string& sha256, const std::filesystem::path& to) {
    auto e = store_.identity().enrolment();
    if (!e)
        throw SyncError(SyncError::Kind::Fatal, "this device is not enrolled yet");
    SyncReport report;
    std::string bytes;
    // A photo cut on the way does not hash to its name: fetched again, like any cut answer.
    call({"GET", e->server + "/api/v1/photos/" + sha256 + "/content", {}, {}}, report,
         [&](const HttpResponse& res) {
             if (sha256Hex(res.body) != sha256)
                 throw DecodeError("photo", "the photo's bytes do not hash to " + sha256);
             bytes = res.body;
         });
    auto tmp = to;
    tmp += ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            throw SyncError(SyncError::Kind::Fatal, "cannot write " + tmp.string());
    }
    std::filesystem::rename(tmp, to);
}

} // namespace rekap::sync
