// The devices' routes: enrolment, push, relay, pull, photos and the ledger answers a tablet
// checks its receipts with. Each route group registers its own routes from its own file
// (device_routes.cpp, desk_routes.cpp, ledger_routes.cpp, reading_routes.cpp), and
// desk_access.cpp's matrix names who may call each.

#include "rekap/central/server.h"

#include <arpa/inet.h>
#include <cstring>
#include <spdlog/spdlog.h>
#include <tuple>

#include "api/desk_access.h"
#include "api/download_slots.h"
#include "api/failure_limiter.h"
#include "api/http_util.h"
#include "api/metrics.h"
#include "api/viewer.h"
#include "desk/desk_sessions.h"
#include "http/codec.h"
#include "http/listener.h"
#include "http/router.h"
#include "rekap/central/push.h"
#include "rekap/json_reader.h"

namespace rekap::central {

namespace {

/// RFC 7240's `Prefer: respond-async`, among whatever else the header prefers.
bool preferAsync(const http::Request& req) {
    return req.header("Prefer").find("respond-async") != std::string::npos;
}

DeviceReport reportOf(const http::Request& req) {
    DeviceReport r;
    if (req.hasHeader(protocol::kHeaderQueueDepth)) {
        try {
            r.queueDepth = std::max(0, std::stoi(req.header(protocol::kHeaderQueueDepth)));
        } catch (const std::exception&) {
            throw ApiError(Problem::BadRequest,
                           std::string(protocol::kHeaderQueueDepth) + " must be a number");
        }
    }
    auto last = req.header(protocol::kHeaderLastCapture);
    if (!last.empty() && isUtcTimestamp(last))
        r.lastCaptureAt = last;
    r.appVersion = req.header(protocol::kHeaderAppVersion).substr(0, 40);
    return r;
}

std::uint64_t headerNumber(const http::Request& req, const char* name) {
    auto v = req.header(name);
    try {
        std::size_t used = 0;
        auto n = std::stoull(v, &used);
        if (used == v.size() && !v.empty() && v.front() != '-')
            return n;
    } catch (const std::exception&) {
    }
    throw ApiError(Problem::BadRequest, std::string("header ") + name + " must be a whole number");
}

/// The first group of an enrolment code as the desk reads it out (case, spaces and dashes
/// ignored): what a failure is counted under beside the address.
std::string codePrefix(const std::string& code) {
    std::string out;
    for (char c : code) {
        if (out.size() == 4)
            break;
        if (c != ' ' && c != '-')
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace

void CentralServer::deviceRoutes() {
    auto& r = *router_;
    auto device = [this](http::Request& req) {
        if (req.hasHeader(protocol::kHeaderProtocol)) {
            int v = static_cast<int>(headerNumber(req, protocol::kHeaderProtocol));
            if (v < options_.minProtocol)
                throw ApiError(Problem::ProtocolTooOld,
                               "this app speaks protocol " + std::to_string(v) +
                                   "; the receiver needs " + std::to_string(options_.minProtocol) +
                                   ": update the app");
        }
        auto d = store_.registry().authenticate(bearer(req));
        req.user = d.id;
        return d;
    };
    auto report = [this](const http::Request& req) {
        auto rep = reportOf(req);
        if (rep.queueDepth)
            metrics_->reportedQueueDepth(*rep.queueDepth);
        return rep;
    };

    r.get(
        "/api/v1/health",
        [this](http::Request&, http::Response& res) {
            sendJson(res, 200,
                     {{"status", "ok"},
                      {"protocol", protocol::kVersion},
                      {"regency", store_.masterData().initialized()
                                      ? store_.masterData().regency().code.str()
                                      : ""}});
        },
        http::Access::Public);

    // For load balancers and systemd: the process answers and its store can be read.
    r.get(
        "/healthz",
        [this](http::Request&, http::Response& res) {
            sendJson(res, 200,
                     {{"status", "ok"}, {"initialized", store_.masterData().initialized()}});
        },
        http::Access::Public);

    r.get(
        "/metrics",
        [this](http::Request& req, http::Response& res) {
            bool local = req.client == "127.0.0.1" || req.client == "::1";
            auto login = sessions_->user(deskCookie(req));
            if (!local && !(login && access::allows(req, access::bitOf(login->role))))
                throw ApiError(Problem::Forbidden,
                               "metrics are served to the receiver's own host and the desk only");
            Metrics::Gauges g;
            g.connections = listener_->openConnections();
            g.queuedRequests = listener_->queuedRequests();
            g.busyWorkers = listener_->busyWorkers();
            g.bufferedBytes = listener_->bufferedBytes();
            g.integrator = store_.intake().integrating();
            std::tie(g.ledgerRoundTrips, g.sideRoundTrips) = store_.intake().roundTrips();
            for (const auto& d : store_.registry().devices())
                if (!d.revoked && d.queueDepth > 0) {
                    g.devicesQueued += d.queueDepth;
                    ++g.devicesWithQueue;
                }
            res.status = 200;
            res.setContent(metrics_->text(g), "text/plain; version=0.0.4; charset=utf-8");
        },
        http::Access::Public);

    r.post(
        "/api/v1/enrol",
        [this](http::Request& req, http::Response& res) {
            auto request = protocol::decodeEnrolRequest(parseJsonText(req.body(), "request"));
            // Counted by address and by the code's first group: the wrong codes of one tablet
            // behind a carrier's NAT do not lock out the right code of another behind it, and
            // one address still cannot try more than ten times the limit in all.
            int max = options_.failuresPerMinute;
            FailureLimiter::Attempt attempt;
            if (refuseLimited(req, res, "enrol",
                              failures_->begin(
                                  {{"enrol " + req.client, 10 * max},
                                   {"enrol " + req.client + " " + codePrefix(request.code), max}},
                                  attempt)))
                return;
            try {
                auto answer = store_.registry().enrol(request);
                attempt.succeeded();
                req.user = answer.device;
                sendJson(res, 200, protocol::encode(answer));
            } catch (const ApiError& e) {
                if (e.status() == 401) {
                    attempt.failed();
                    failed(req, "enrol", e.body().message);
                }
                throw;
            }
        },
        http::Limits{options_.smallBodyBytes, options_.smallBodyBytes}, http::Access::Public);

    r.get(
        "/api/v1/master-data",
        [this, device, report](http::Request& req, http::Response& res) {
            auto d = device(req);
            store_.registry().recordContact(d.id, report(req));
            // Appended piece by piece: GCC 12 at -O3 warns (-Werror=restrict, its bug 105329)
            // on "literal" + a temporary std::string.
            std::string etag = "\"";
            etag += store_.masterData().masterDataVersion();
            etag += '"';
            res.setHeader("ETag", std::move(etag));
            res.setContent(store_.masterData().regencyDocument(), "application/json");
        },
        http::Access::Device);

    r.post(
        "/api/v1/sync/push",
        [this, device, report](http::Request& req, http::Response& res) {
            auto d = device(req); // before the body is inflated: strangers cost nothing
            std::optional<std::int64_t> since, treeSize;
            if (req.hasHeader(protocol::kHeaderSince))
                since = static_cast<std::int64_t>(
                    std::min<std::uint64_t>(headerNumber(req, protocol::kHeaderSince), INT64_MAX));
            if (req.hasHeader(protocol::kHeaderTreeSize))
                treeSize = static_cast<std::int64_t>(std::min<std::uint64_t>(
                    headerNumber(req, protocol::kHeaderTreeSize), INT64_MAX));
            auto rep = report(req);
            const auto& body = req.body();
            // RFC 7240: answered once stored durably, before integration (protocol.md).
            auto when = preferAsync(req) ? AnswerWhen::Stored : AnswerWhen::Integrated;
            auto answer = handlePush(store_, d, body, rep, treeSize, when);
            if (when == AnswerWhen::Stored)
                res.setHeader("Preference-Applied", "respond-async");
            metrics_->ingested(answer["results"]);
            if (since) // after the commit: the page holds what this push changed
                answer["pull"] =
                    protocol::encode(store_.intake().pull(d, *since, options_.pullLimit));
            sendJson(res, 200, answer);
        },
        http::Limits{options_.maxBodyBytes, options_.maxInflatedBytes}, http::Access::Device);

    // What became of revisions answered `queued`, for a device with nothing to push.
    r.post(
        "/api/v1/sync/receipts",
        [this, device](http::Request& req, http::Response& res) {
            auto d = device(req);
            std::optional<std::int64_t> treeSize;
            if (req.hasHeader(protocol::kHeaderTreeSize))
                treeSize = static_cast<std::int64_t>(std::min<std::uint64_t>(
                    headerNumber(req, protocol::kHeaderTreeSize), INT64_MAX));
            sendJson(res, 200, handleReceipts(store_, d, req.body(), treeSize));
        },
        http::Limits{64 * 1024, 64 * 1024}, http::Access::Device);

    // A photo attached to a revision already sent, signed by its device (docs/protocol.md,
    // "Photos attached later"); the photo's bytes then go up like any other photo.
    r.post(
        "/api/v1/sync/photo-attachments",
        [this, device, report](http::Request& req, http::Response& res) {
            auto d = device(req);
            std::optional<std::int64_t> treeSize;
            if (req.hasHeader(protocol::kHeaderTreeSize))
                treeSize = static_cast<std::int64_t>(std::min<std::uint64_t>(
                    headerNumber(req, protocol::kHeaderTreeSize), INT64_MAX));
            auto rep = report(req);
            auto answer = handlePhotoAttachments(store_, d, req.body(), treeSize);
            store_.registry().recordContact(d.id, rep);
            sendJson(res, 200, answer);
        },
        http::Limits{64 * 1024, 64 * 1024}, http::Access::Device);

    // The QR relay (docs/relay.md): a tablet forwards revisions other tablets signed. Any
    // enrolled tablet may carry them: the signatures, not the carrier, vouch for the numbers.
    r.post(
        "/api/v1/sync/relay",
        [this, device, report](http::Request& req, http::Response& res) {
            auto carrier = device(req);
            auto rep = report(req);
            auto answer = handleRelay(store_, carrier, req.body());
            metrics_->ingested(answer["results"]);
            store_.registry().recordContact(carrier.id, rep);
            sendJson(res, 200, answer);
        },
        http::Limits{options_.maxBodyBytes, options_.maxInflatedBytes}, http::Access::Device);

    r.get(
        "/api/v1/sync/pull",
        [this, device, report](http::Request& req, http::Response& res) {
            auto d = device(req);
            std::int64_t since = 0;
            int limit = options_.pullLimit;
            try {
                if (req.hasParam("since"))
                    since = std::stoll(req.param("since"));
                if (req.hasParam("limit"))
                    limit = std::clamp(std::stoi(req.param("limit")), 1, options_.pullLimit);
            } catch (const std::exception&) {
                throw ApiError(Problem::BadRequest, "since and limit must be whole numbers");
            }
            store_.registry().recordContact(d.id, report(req));
            sendJson(res, 200, protocol::encode(store_.intake().pull(d, since, limit)));
        },
        http::Access::Device);

    // A device enrolled before devices signed (protocol 1) registers its first key once.
    r.post(
        "/api/v1/device/key",
        [this, device](http::Request& req, http::Response& res) {
            auto d = device(req);
            auto j = parseJsonText(req.body(), "request");
            JsonReader rd(j);
            rd.rejectUnknownKeys({"public_key"});
            auto key = rd.field("public_key").string();
            store_.registry().registerDeviceKey(d.id, key);
            // The receiver's key too: a tablet enrolled before keys existed learns it here (on
            // first use) and from then on checks every head it is given.
            sendJson(res, 200,
                     {{"device", d.id},
                      {"public_key", key},
                      {"receiver_key", store_.masterData().receiverKey()}});
        },
        http::Limits{options_.smallBodyBytes, options_.smallBodyBytes}, http::Access::Device);

    const std::string photoPath = R"(/api/v1/photos/([0-9a-f]{64}))";
    r.get(
        photoPath,
        [this, device](http::Request& req, http::Response& res) {
            auto d = device(req);
            const auto& sha = req.matches[1];
            if (auto owner = photos_.owner(sha); owner && !mayRead(viewerOf(d), *owner)) {
                // Its own sheet's photo, begun by another device: it uploads it from the start.
                if (d.role == protocol::Role::Operator &&
                    photos_.rightfulUploader(sha, {d.id, d.scope}))
                    return sendJson(res, 200, {{"complete", false}, {"offset", 0}});
                throw ApiError(Problem::Forbidden,
                               "this photo belongs to TPS " + owner->tps + ", not to " + d.scope);
            }
            auto s = photos_.status(sha);
            sendJson(res, 200, {{"complete", s.complete}, {"offset", s.offset}});
        },
        http::Access::Device);
    r.patch(
        photoPath,
        [this, device](http::Request& req, http::Response& res) {
            auto d = device(req);
            if (d.role != protocol::Role::Operator)
                throw ApiError(Problem::Forbidden, "a camat device does not upload photos");
            auto offset = headerNumber(req, "Upload-Offset");
            auto length = headerNumber(req, "Upload-Length");
            auto s = photos_.append(req.matches[1], offset, length, req.body(), {d.id, d.scope});
            sendJson(res, 200, {{"complete", s.complete}, {"offset", s.offset}});
        },
        http::Limits{options_.maxBodyBytes, options_.maxBodyBytes}, http::Access::Device);
}

} // namespace rekap::central
