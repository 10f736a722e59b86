#include "rekap/sync/sync_client.h"

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "gzip.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"

namespace rekap::sync {

using Kind = SyncError::Kind;

SyncClient::SyncClient(DeviceStore& store, SyncOptions options)
    : store_(store)
    , options_(std::move(options))
    , http_(options_.http) {}

void SyncClient::sleepFor(std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
        if (cancel_)
            throw SyncError(Kind::Cancelled, "sync cancelled");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::vector<std::string> SyncClient::deviceHeaders() const {
    std::vector<std::string> h = {
        std::string(protocol::kHeaderProtocol) + ": " + std::to_string(protocol::kVersion),
        std::string(protocol::kHeaderQueueDepth) + ": " + std::to_string(store_.queueDepth()),
        std::string(protocol::kHeaderAppVersion) + ": " + options_.appVersion};
    if (auto last = store_.lastCaptureAt())
        h.push_back(std::string(protocol::kHeaderLastCapture) + ": " + *last);
    if (auto e = store_.enrolment())
        h.push_back("Authorization: Bearer " + e->token);
    return h;
}

HttpResponse SyncClient::call(HttpRequest request, SyncReport& report, bool authenticated) {
    if (authenticated) {
        auto h = deviceHeaders();
        request.headers.insert(request.headers.end(), h.begin(), h.end());
    }
    static thread_local std::mt19937 jitter{std::random_device{}()};
    std::string last, lastCode;
    SyncError::Detail lastDetail;
    for (int attempt = 0; attempt < options_.maxAttempts; ++attempt) {
        if (cancel_)
            throw SyncError(Kind::Cancelled, "sync cancelled");
        if (attempt > 0) {
            ++report.retries;
            // Exponential back-off with jitter, so that a kecamatan's tablets coming back into
            // signal together do not retry in lock-step.
            auto cap =
                std::min<long long>(options_.maxBackoff.count(), options_.baseBackoff.count()
                                                                     << std::min(attempt - 1, 20));
            std::uniform_int_distribution<long long> d(cap / 2, cap);
            sleepFor(std::chrono::milliseconds(d(jitter)));
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
        if (res.status >= 200 && res.status < 300)
            return res;
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
    protocol::EnrolRequest req{code, store_.pendingEnrolmentId(), deviceName};
    auto base = server;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    auto res = call({"POST",
                     base + "/api/v1/enrol",
                     {"Content-Type: application/json"},
                     protocol::encode(req).dump()},
                    report, false);
    auto answer = protocol::decodeEnrolResponse(parseJsonText(res.body, "enrol response"));
    store_.saveEnrolment(
        {base, answer.device, answer.token, answer.role, answer.scope, answer.regency});
    auto md = call({"GET", base + "/api/v1/master-data", {}, {}}, report);
    store_.saveMasterData(md.body);
    return answer;
}

std::string SyncClient::get(const std::string& pathAndQuery) {
    auto e = store_.enrolment();
    if (!e)
        throw SyncError(Kind::Fatal, "this device is not enrolled yet");
    SyncReport report;
    return call({"GET", e->server + pathAndQuery, {}, {}}, report).body;
}

bool SyncClient::reachable() {
    auto e = store_.enrolment();
    if (!e)
        return false;
    try {
        return http_.send({"GET", e->server + "/api/v1/health", {}, {}}, &cancel_).status == 200;
    } catch (const TransportError&) {
        return false;
    }
}

SyncReport SyncClient::sync(const std::function<void(const SyncProgress&)>& progress) {
    if (!store_.enrolment())
        throw SyncError(Kind::Fatal, "this device is not enrolled yet");
    SyncReport report;
    store_.requeueSending();
    // Numbers first: they are small and what the desk waits for; photos may take long on 2G.
    bool upToDate = push(report, progress);
    uploadPhotos(report, progress); // photos change nothing a pull would bring
    if (!upToDate)
        pull(report, progress);
    return report;
}

bool SyncClient::push(SyncReport& report,
                      const std::function<void(const SyncProgress&)>& progress) {
    bool upToDate = false;
    auto server = store_.enrolment()->server;
    SyncProgress p{"push", 0, 0, 0, 0};
    for (const auto& e : store_.outbox())
        if (e.state == OutboxState::Queued) {
            ++p.sheetsTotal;
            p.bytesTotal += encodeRevision(e.revision).dump().size();
        }
    if (progress)
        progress(p);
    auto batchCount = options_.maxBatchCount;
    while (true) {
        auto batch = store_.takeBatch(batchCount, options_.maxBatchBytes);
        if (batch.empty())
            break;
        auto revisions = nlohmann::json::array();
        std::size_t raw = 0;
        for (const auto& e : batch) {
            revisions.push_back(encodeRevision(e.revision));
            raw += revisions.back().dump().size();
        }
        std::string body = gzipCompress(nlohmann::json{{"revisions", revisions}}.dump());
        HttpResponse res;
        try {
            res = call(
                {"POST",
                 server + "/api/v1/sync/push",
                 {"Content-Type: application/json", "Content-Encoding: gzip",
                  std::string(protocol::kHeaderSince) + ": " + std::to_string(store_.checkpoint())},
                 body},
                report);
        } catch (const SyncError& e) {
            store_.requeueSending();
            if (e.code() == protocol::error::kPayloadTooLarge && batchCount > 1) {
                batchCount = std::max<std::size_t>(1, batch.size() / 2);
                continue;
            }
            throw;
        }
        std::vector<protocol::PushResult> results;
        nlohmann::json answer;
        try {
            answer = parseJsonText(res.body, "push response");
            results = protocol::decodePushResponse(answer);
        } catch (const DecodeError& e) {
            store_.requeueSending();
            throw SyncError(Kind::Transient, std::string("unreadable push response: ") + e.what());
        }
        ++report.batches;
        store_.applyResults(results);
        store_.requeueSending(); // anything the answer did not mention goes again
        // The pull page the answer carries, applied after the results as a pull would be.
        // Without one (an older receiver) or with an unreadable one, the sync pulls instead.
        std::optional<protocol::PullResponse> page;
        try {
            page = protocol::decodeFoldedPull(answer);
        } catch (const DecodeError&) {
        }
        upToDate = page && !page->more;
        if (page)
            applyPage(*page, report);
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
            }
        }
        p.sheetsDone += batch.size();
        p.bytesDone += raw;
        if (progress)
            progress(p);
    }
    return upToDate;
}

void SyncClient::uploadPhotos(SyncReport& report,
                              const std::function<void(const SyncProgress&)>& progress) {
    auto server = store_.enrolment()->server;
    auto pending = store_.pendingPhotos();
    SyncProgress p{"photos", 0, pending.size(), 0, 0};
    for (const auto& sha : pending) {
        std::ifstream in(store_.photoPath(sha), std::ios::binary);
        std::stringstream buf;
        buf << in.rdbuf();
        const std::string bytes = buf.str();
        p.bytesTotal += bytes.size();
        auto url = server + "/api/v1/photos/" + sha;
        // Resume where the receiver stands.
        auto status = nlohmann::json::parse(call({"GET", url, {}, {}}, report).body);
        std::size_t offset = status.value("offset", 0);
        bool complete = status.value("complete", false);
        while (!complete) {
            auto chunk = bytes.substr(offset, options_.photoChunkBytes);
            auto res = call({"PATCH",
                             url,
                             {"Content-Type: application/octet-stream",
                              "Upload-Offset: " + std::to_string(offset),
                              "Upload-Length: " + std::to_string(bytes.size())},
                             chunk},
                            report);
            auto j = nlohmann::json::parse(res.body);
            offset = j.value("offset", offset + chunk.size());
            complete = j.value("complete", false);
            p.bytesDone += chunk.size();
            if (progress)
                progress(p);
        }
        store_.markPhotoUploaded(sha);
        ++report.photos;
        ++p.sheetsDone;
    }
}

void SyncClient::pull(SyncReport& report,
                      const std::function<void(const SyncProgress&)>& progress) {
    auto server = store_.enrolment()->server;
    SyncProgress p{"pull", 0, 0, 0, 0};
    while (true) {
        auto res = call({"GET",
                         server + "/api/v1/sync/pull?since=" + std::to_string(store_.checkpoint()),
                         {},
                         {}},
                        report);
        ++report.pulls;
        protocol::PullResponse page;
        try {
            page = protocol::decodePullResponse(parseJsonText(res.body, "pull response"));
        } catch (const DecodeError& e) {
            throw SyncError(Kind::Transient, std::string("unreadable pull response: ") + e.what());
        }
        applyPage(page, report);
        p.sheetsDone += page.changes.size();
        if (progress)
            progress(p);
        if (!page.more)
            break;
    }
}

void SyncClient::applyPage(const protocol::PullResponse& page, SyncReport& report) {
    if (page.masterDataVersion != store_.masterDataVersion()) {
        auto md = call({"GET", store_.enrolment()->server + "/api/v1/master-data", {}, {}}, report);
        store_.saveMasterData(md.body);
        report.masterDataUpdated = true;
    }
    store_.applyChanges(page);
    report.changes += static_cast<int>(page.changes.size());
}

} // namespace rekap::sync
