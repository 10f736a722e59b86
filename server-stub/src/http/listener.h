#pragma once
// The receiver's HTTP(S) server: event-driven socket handling (Boost.Beast on Boost.Asio, all
// of it inside listener.cpp) in front of a bounded pool of handler threads.
//
// A request is read whole, asynchronously, before any handler sees it: its header within
// `headerTimeout` of its first byte, its body within `requestTimeout`, its size within the
// limits of the route it goes to. A connection waiting for a request costs a socket and a small
// buffer, never a thread, so idle or trickling connections cannot starve active ones.
//
// Before a body is read, the request is admitted from its header (its token), so a stranger's
// body is never buffered; the bodies being read or handled share one budget of bytes, over which
// a request gets 503. A file answer is read from disk as it is written.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "message.h"
#include "rekap/central/problem.h"
#include "router.h"

namespace rekap::central::http {

struct ListenerOptions {
    std::string host = "127.0.0.1";
    int port = 0;                  ///< 0: any free port
    std::string certFile, keyFile; ///< both set: HTTPS
    int ioThreads = 2;             ///< threads reading and writing sockets
    int workers = 64;              ///< handler threads
    std::size_t queueLimit = 1024; ///< complete requests waiting for a handler; more get 503
    std::size_t maxConnections = 10000;
    int backlog = 1024;
    std::size_t headerLimit = 16 * 1024;
    /// Request body bytes held at once across all connections (read, or waiting for a handler);
    /// a request that would go over it gets 503 with Retry-After.
    std::size_t bufferedLimit = 64u << 20;
    /// The part of it one caller (a device, a desk login; an address before admission) may hold,
    /// so that one stolen tablet cannot take it all.
    std::size_t bufferedPerCaller = 16u << 20;
    std::chrono::milliseconds idleTimeout{2000};      ///< kept-alive connection with no request
    std::chrono::milliseconds headerTimeout{10000};   ///< first byte to end of the header
    std::chrono::milliseconds requestTimeout{120000}; ///< first byte to end of the body
    std::chrono::milliseconds writeTimeout{60000};
    std::chrono::milliseconds handshakeTimeout{10000};
};

/// What the listener asks of the server it fronts.
struct ListenerHooks {
    /// The body limits of the route a request goes to, from its method and path alone.
    std::function<Limits(const std::string& method, const std::string& path)> limitsFor;
    /// Admits a request from its header before its body is read (on a handler thread, for it
    /// may read the store); false, with `res` filled, to refuse it. Unset: every request.
    std::function<bool(Request& head, Response& res)> admit;
    /// Answers a complete request (on a handler thread).
    std::function<void(Request&, Response&)> serve;
    /// Fills an error answer the listener gives itself (413, 400, 431, 503).
    std::function<void(Response&, Problem, const std::string& message)> fail;
    /// After an answer was written (or failed to be): for the access log and metrics.
    std::function<void(const Request&, const Response&, std::size_t bytesIn, std::size_t bytesOut,
                       double seconds)>
        done;
};

class Listener {
public:
    Listener(ListenerOptions options, ListenerHooks hooks);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
    /// Binds, listens and starts serving; returns the port. Throws when it cannot.
    int start();
    void stop();
    std::size_t openConnections() const;
    std::size_t queuedRequests() const;
    std::size_t busyWorkers() const;
    /// Request body bytes held now (see ListenerOptions::bufferedLimit).
    std::size_t bufferedBytes() const;

    struct Impl; ///< defined in listener.cpp, the only file that sees Beast

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace rekap::central::http
