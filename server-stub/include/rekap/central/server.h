#pragma once
// rekap-central's HTTP API (docs/protocol.md) over a CentralStore and a PhotoStore.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rekap/central/photos.h"
#include "rekap/central/store.h"

namespace spdlog {
class logger;
}

namespace rekap::central {

namespace http {
class Listener;
class Router;
class Request;
class Response;
} // namespace http
class Metrics;
class FailureLimiter;
class DeskSessions;
class DownloadSlots;
struct Viewer;

/// Where the dashboard's files are in the source tree this receiver was built from.
std::string defaultWebDir();

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                          ///< 0 picks a free port
    std::string certFile, keyFile;            ///< both set: HTTPS
    std::size_t maxBodyBytes = 8u << 20;      ///< push and photo bodies as sent (compressed)
    std::size_t maxInflatedBytes = 32u << 20; ///< push bodies after gzip or deflate
    std::size_t smallBodyBytes = 4u << 10;    ///< enrolment and desk login, sent and inflated
    std::size_t otherBodyBytes = 16u << 10;   ///< every other route, sent and inflated
    int pullLimit = 500;                      ///< changes per pull page
    int minProtocol = protocol::kVersion;     ///< older devices are told to update
    std::string webDir = defaultWebDir();     ///< the dashboard's files
    /// Handler threads. Requests are read and answers written without a thread each; a thread
    /// is taken only by a complete request while its handler runs (SQLite, the group commit),
    /// so this bounds concurrent work, not connections.
    int workers = 64;
    int ioThreads = 2;                                ///< threads reading and writing sockets
    std::chrono::milliseconds idleTimeout{2000};      ///< a kept-alive connection with no request
    std::chrono::milliseconds headerTimeout{10000};   ///< a request's header, from its first byte
    std::chrono::milliseconds requestTimeout{120000}; ///< a whole request, from its first byte
    /// Peers whose X-Forwarded-For and X-Forwarded-Proto are believed (nginx on loopback).
    std::vector<std::string> trustedProxies;
    /// Wrong enrolment codes or desk logins from one client address within a minute before
    /// further attempts get 429.
    int failuresPerMinute = 20;
    /// Request body bytes held at once across all connections; over it a request gets 503 with
    /// Retry-After (it loses nothing: the device sends it again).
    std::size_t bufferedBodyBytes = 64u << 20;
    /// The part of it one device (or desk login, or address before its token is read) may hold.
    std::size_t bufferedBodyBytesPerCaller = 16u << 20;
    /// Photo downloads one device (or desk login) may have in progress; more get 429.
    int downloadsPerCaller = 4;
    std::chrono::hours deskSessionLifetime{12};
    /// Desk passwords hashed at once at most, 64 MiB each (password_hash.h); more logins wait.
    int passwordHashing = 2;
    /// One access-log line per request goes here when set (rekap-central serve: stderr).
    std::shared_ptr<spdlog::logger> accessLog;
};

class CentralServer {
public:
    CentralServer(CentralStore& store, PhotoStore& photos, ServerOptions options);
    ~CentralServer();
    /// Binds and serves on background threads; returns the bound port. Throws when it cannot
    /// bind.
    int start();
    void stop();
    int port() const { return port_; }
    Metrics& metrics() { return *metrics_; }

private:
    void deviceRoutes();
    void deskRoutes();
    void ledgerRoutes();
    void readingRoutes();
    void serve(http::Request& req, http::Response& res);
    /// Admits a request from its header, before its body is read: the token its route needs.
    bool admit(http::Request& req, http::Response& res);
    void finished(const http::Request& req, const http::Response& res, std::size_t bytesIn,
                  std::size_t bytesOut, double seconds);
    std::string clientOf(const http::Request& req) const;
    /// Who is asking: a desk session (cookie), a desk token or a device token (bearer).
    Viewer viewerFor(http::Request& req);
    /// Answers 429 and returns true when `wait` (FailureLimiter::begin) says the client has
    /// failed `what` too often lately.
    bool refuseLimited(const http::Request& req, http::Response& res, const char* what, int wait);
    /// Logs a failed attempt (the FailureLimiter::Attempt counts it).
    void failed(const http::Request& req, const char* what, const std::string& why);
    void housekeeping();
    CentralStore& store_;
    PhotoStore& photos_;
    ServerOptions options_;
    std::unique_ptr<Metrics> metrics_;
    std::unique_ptr<FailureLimiter> failures_;
    std::unique_ptr<DeskSessions> sessions_;
    std::unique_ptr<DownloadSlots> downloads_;
    std::unique_ptr<http::Router> router_;
    std::unique_ptr<http::Listener> listener_;
    std::vector<std::string> trusted_; ///< normalised addresses
    std::thread housekeeper_;
    std::mutex houseMu_;
    std::condition_variable houseWake_;
    bool stopping_ = false;
    int port_ = 0;
};

} // namespace rekap::central
