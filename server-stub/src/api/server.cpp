// CentralServer: the device API (enrolment, master data, push, pull, photos), the operator's
// endpoints (/healthz, /metrics), and what every request goes through: the client's address,
// the security headers, compression of the answer, the access log and the metrics.

#include "rekap/central/server.h"

#include <arpa/inet.h>
#include <cstring>
#include <spdlog/spdlog.h>

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
    deviceRoutes();
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
    store_.intake().observeGroupCommits(metrics_.get());
}

CentralServer::~CentralServer() {
    stop();
    store_.intake().observeGroupCommits(nullptr);
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
            req.user = store_.registry().authenticate(bearer(req)).id;
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
