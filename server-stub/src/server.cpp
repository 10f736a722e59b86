// CentralServer: the device API (enrolment, master data, push, pull, photos), the operator's
// endpoints (/healthz, /metrics), and what every request goes through: the client's address,
// the security headers, compression of the answer, the access log and the metrics.

#include "rekap/central/server.h"

#include <arpa/inet.h>
#include <cstring>
#include <spdlog/spdlog.h>

#include "desk_access.h"
#include "desk_sessions.h"
#include "download_slots.h"
#include "failure_limiter.h"
#include "http/codec.h"
#include "http/listener.h"
#include "http/router.h"
#include "http_util.h"
#include "metrics.h"
#include "rekap/central/push.h"
#include "rekap/json_reader.h"
#include "viewer.h"

namespace rekap::central {

namespace {

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

/// The textual form inet_ntop gives, with IPv4-mapped IPv6 addresses as plain IPv4, so that
/// "127.0.0.1", "::ffff:127.0.0.1" and "::1" compare as the kernel reports them.
std::string normalAddress(std::string a) {
    while (!a.empty() && (a.front() == ' ' || a.front() == '\t'))
        a.erase(0, 1);
    while (!a.empty() && (a.back() == ' ' || a.back() == '\t'))
        a.pop_back();
    if (a.size() > 2 && a.front() == '[' && a.back() == ']')
        a = a.substr(1, a.size() - 2);
    char buf[INET6_ADDRSTRLEN] = {};
    in_addr v4{};
    in6_addr v6{};
    if (inet_pton(AF_INET, a.c_str(), &v4) == 1)
        return inet_ntop(AF_INET, &v4, buf, sizeof buf) ? buf : a;
    if (inet_pton(AF_INET6, a.c_str(), &v6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&v6)) {
            std::memcpy(&v4, &v6.s6_addr[12], 4);
            return inet_ntop(AF_INET, &v4, buf, sizeof buf) ? buf : a;
        }
        return inet_ntop(AF_INET6, &v6, buf, sizeof buf) ? buf : a;
    }
    return {};
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

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

} // namespace

CentralServer::CentralServer(CentralStore& store, PhotoStore& photos, ServerOptions options)
    : store_(store)
    , photos_(photos)
    , options_(std::move(options))
    , metrics_(std::make_unique<Metrics>())
    , failures_(std::make_unique<FailureLimiter>(std::chrono::minutes(1)))
    , sessions_(std::make_unique<DeskSessions>(store, options_.deskSessionLifetime,
                                               options_.passwordHashing))
    , downloads_(std::make_unique<DownloadSlots>(options_.downloadsPerCaller))
    , router_(std::make_unique<http::Router>(
          http::Limits{options_.otherBodyBytes, options_.otherBodyBytes})) {
    for (const auto& p : options_.trustedProxies) {
        auto a = normalAddress(p);
        if (a.empty())
            throw std::invalid_argument("--trust-proxy " + p + " is not an IP address");
        trusted_.push_back(a);
    }
    routes();
    deskRoutes();
    ledgerRoutes();
    readingRoutes();
    // Every route has its line in the authorisation matrix, or the receiver does not start.
    for (const auto& [method, pattern] : router_->list())
        if (!access::ruleOf(method, pattern))
            throw std::logic_error("route " + method + " " + pattern +
                                   " has no line in desk_access.cpp's matrix");
    http::ListenerOptions lo;
    lo.host = options_.host;
    lo.port = options_.port;
    lo.certFile = options_.certFile;
    lo.keyFile = options_.keyFile;
    lo.workers = std::max(1, options_.workers);
    lo.ioThreads = std::max(1, options_.ioThreads);
    lo.idleTimeout = options_.idleTimeout;
    lo.headerTimeout = options_.headerTimeout;
    lo.requestTimeout = options_.requestTimeout;
    lo.bufferedLimit = options_.bufferedBodyBytes;
    lo.bufferedPerCaller = options_.bufferedBodyBytesPerCaller;
    http::ListenerHooks hooks;
    hooks.limitsFor = [this](const std::string& method, const std::string& path) {
        return router_->limitsFor(method, path);
    };
    hooks.admit = [this](http::Request& req, http::Response& res) { return admit(req, res); };
    hooks.serve = [this](http::Request& req, http::Response& res) { serve(req, res); };
    hooks.fail = [](http::Response& res, Problem problem, const std::string& message) {
        sendError(res, ApiError(problem, message));
    };
    hooks.done = [this](const http::Request& req, const http::Response& res, std::size_t in,
                        std::size_t out, double secs) { finished(req, res, in, out, secs); };
    listener_ = std::make_unique<http::Listener>(lo, std::move(hooks));
    store_.observeGroupCommits(metrics_.get());
}

CentralServer::~CentralServer() {
    stop();
    store_.observeGroupCommits(nullptr);
}

std::string CentralServer::clientOf(const http::Request& req) const {
    auto peer = normalAddress(req.peer);
    auto trusted = [&](const std::string& a) {
        return std::find(trusted_.begin(), trusted_.end(), a) != trusted_.end();
    };
    if (!trusted(peer) || !req.hasHeader("X-Forwarded-For"))
        return peer;
    // The proxy appends the address it saw: read from the right, skipping our own proxies.
    std::vector<std::string> hops;
    for (const auto& [name, value] : req.headers.all()) {
        if (!http::equalsIgnoreCase(name, "X-Forwarded-For"))
            continue;
        std::size_t start = 0;
        while (start <= value.size()) {
            auto comma = value.find(',', start);
            hops.push_back(normalAddress(value.substr(start, comma - start)));
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
    }
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        if (it->empty())
            return peer; // a hop that is not an address: believe nothing further left
        if (!trusted(*it))
            return *it;
    }
    return hops.empty() ? peer : hops.front();
}

void CentralServer::serve(http::Request& req, http::Response& res) {
    req.client = clientOf(req);
    // Behind a trusted proxy that terminated TLS, the request was secure on the wire.
    auto peer = normalAddress(req.peer);
    if (std::find(trusted_.begin(), trusted_.end(), peer) != trusted_.end() &&
        http::equalsIgnoreCase(req.header("X-Forwarded-Proto"), "https"))
        req.secure = true;
    guarded(res, [&] {
        // Tokens travel in headers only: a URL ends up in logs, histories and Referer headers.
        for (const auto* name : {"token", "access_token"})
            if (req.hasParam(name))
                throw ApiError(Problem::BadRequest,
                               "tokens are never accepted in the URL: send the header "
                               "Authorization: Bearer <token>");
        router_->dispatch(req, res);
    });
    // The dashboard's pages and files carry the browser's protections; JSON answers stay lean,
    // for devices on 2G count every byte (a browser never renders them as a page).
    auto type = res.headers.get("Content-Type");
    if (type.rfind("application/json", 0) != 0) {
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("X-Frame-Options", "DENY");
        res.setHeader("Content-Security-Policy", kContentSecurityPolicy);
        res.setHeader("Referrer-Policy", "no-referrer");
    }
    // Answers are compressed for clients that take gzip (devices on 2G do), when it helps.
    if (res.body.size() > 200 && http::compressible(type) &&
        req.header("Accept-Encoding").find("gzip") != std::string::npos &&
        !res.headers.has("Content-Encoding")) {
        auto gz = http::gzip(res.body);
        if (gz.size() < res.body.size()) {
            res.body = std::move(gz);
            res.setHeader("Content-Encoding", "gzip");
        }
        res.setHeader("Vary", "Accept-Encoding");
    }
}

bool CentralServer::admit(http::Request& req, http::Response& res) {
    req.client = clientOf(req);
    auto access = router_->accessFor(req.method, req.path);
    if (access == http::Access::Public)
        return true;
    bool ok = false;
    guarded(res, [&] {
        if (access == http::Access::Device)
            req.user = store_.authenticate(bearer(req)).id;
        else
            viewerFor(req);
        ok = true;
    });
    return ok;
}

void CentralServer::finished(const http::Request& req, const http::Response& res,
                             std::size_t bytesIn, std::size_t bytesOut, double seconds) {
    metrics_->request(req.route.empty() ? "(none)" : req.route, req.method, res.status, seconds,
                      bytesIn, bytesOut);
    if (options_.accessLog)
        options_.accessLog->info(
            "{} {} \"{} {}\" route={} {} in={} out={} {:.1f}ms",
            req.client.empty() ? "-" : req.client, req.user.empty() ? "-" : req.user, req.method,
            req.path.empty() ? "-" : req.path, req.route.empty() ? "-" : req.route, res.status,
            bytesIn, bytesOut, seconds * 1000);
}

void CentralServer::routes() {
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
        auto d = store_.authenticate(bearer(req));
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
                      {"regency", store_.initialized() ? store_.regency().code.str() : ""}});
        },
        http::Access::Public);

    // For load balancers and systemd: the process answers and its store can be read.
    r.get(
        "/healthz",
        [this](http::Request&, http::Response& res) {
            sendJson(res, 200, {{"status", "ok"}, {"initialized", store_.initialized()}});
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
            for (const auto& d : store_.devices())
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
                auto answer = store_.enrol(request);
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
            store_.recordContact(d.id, report(req));
            // Appended piece by piece: GCC 12 at -O3 warns (-Werror=restrict, its bug 105329)
            // on "literal" + a temporary std::string.
            std::string etag = "\"";
            etag += store_.masterDataVersion();
            etag += '"';
            res.setHeader("ETag", std::move(etag));
            res.setContent(store_.regencyDocument(), "application/json");
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
            auto answer = handlePush(store_, d, body, rep, treeSize);
            metrics_->ingested(answer["results"]);
            if (since) // after the commit: the page holds what this push changed
                answer["pull"] = protocol::encode(store_.pull(d, *since, options_.pullLimit));
            sendJson(res, 200, answer);
        },
        http::Limits{options_.maxBodyBytes, options_.maxInflatedBytes}, http::Access::Device);

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
            store_.recordContact(d.id, rep);
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
            store_.recordContact(carrier.id, rep);
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
            store_.recordContact(d.id, report(req));
            sendJson(res, 200, protocol::encode(store_.pull(d, since, limit)));
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
            store_.registerDeviceKey(d.id, key);
            // The receiver's key too: a tablet enrolled before keys existed learns it here (on
            // first use) and from then on checks every head it is given.
            sendJson(
                res, 200,
                {{"device", d.id}, {"public_key", key}, {"receiver_key", store_.receiverKey()}});
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

int CentralServer::start() {
    port_ = listener_->start();
    options_.port = port_;
    {
        std::lock_guard lock(houseMu_);
        stopping_ = false;
    }
    housekeeper_ = std::thread([this] { housekeeping(); });
    return port_;
}

void CentralServer::housekeeping() {
    std::unique_lock lock(houseMu_);
    while (!stopping_) {
        lock.unlock();
        try {
            if (int n = photos_.expirePartial())
                spdlog::info("rekap-central: {} partial photo uploads expired", n);
        } catch (const std::exception& e) {
            spdlog::warn("rekap-central: photo housekeeping: {}", e.what());
        }
        lock.lock();
        houseWake_.wait_for(lock, std::chrono::minutes(1), [&] { return stopping_; });
    }
}

void CentralServer::stop() {
    {
        std::lock_guard lock(houseMu_);
        stopping_ = true;
    }
    houseWake_.notify_all();
    if (housekeeper_.joinable())
        housekeeper_.join();
    if (listener_)
        listener_->stop();
}

} // namespace rekap::central
