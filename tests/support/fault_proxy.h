#pragma once
// A TCP proxy that forwards to a receiver and breaks connections on purpose, the way a bad
// mobile network does. Three kinds of fault:
//  - scripted per connection: cut the next request after N bytes (the receiver never sees it
//    whole), drop the next response (the receiver committed, the device never hears so), or cut
//    all later connections after N bytes in total;
//  - scripted per request (RequestFault): the proxy follows the HTTP/1.1 requests and responses
//    on each connection, so that a test can cut the answer of one exact request (say the second
//    photo PATCH) after K bytes, status line and headers included, on a connection kept alive
//    for a whole sync; cut a request; or answer a request itself (503, 429, 408, ...) N times;
//  - random, for simulations: each new connection draws from a FaultProfile (refused, reset
//    mid-request, reset or truncated mid-response, stalled), from a seeded generator;
// and a fixed delay on every chunk in each direction, for emulating a slow link's latency.
// It counts the bytes it forwards each way and records every request it sees, with the time it
// arrived, so that tests can measure retries and wait for an exact moment instead of sleeping.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace rekap::test {

/// Chances per connection, each in [0, 1]; they are tried in this order and at most one applies.
struct FaultProfile {
    double refuse = 0;           ///< accepted, then closed at once with a reset
    double resetRequest = 0;     ///< reset after a random part of the request
    double resetResponse = 0;    ///< request forwarded whole, reset after part of the response
    double truncateResponse = 0; ///< part of the response, then a clean close (FIN)
    double stall = 0;            ///< both directions wait `stallFor` before anything moves
    std::chrono::milliseconds stallFor{1500};
    long cutWithin = 4096; ///< a cut falls within this many bytes of the request or answer
    std::uint64_t seed = 1;

    /// The same chance `rate` split evenly over the five faults.
    static FaultProfile uniform(double rate, std::uint64_t seed);
    bool any() const;
};

struct FaultCounts {
    long connections = 0, refused = 0, resetRequest = 0, resetResponse = 0, truncated = 0,
         stalled = 0;
    std::string summary() const;
};

/// A fault aimed at requests whose request line contains `match` ("" = every request).
struct RequestFault {
    enum class Action {
        CutResponse, ///< forward the request; pass `bytes` of its answer, then close
        CutRequest,  ///< pass `bytes` of the request, then close: the receiver never sees it whole
        Answer,      ///< do not forward; answer `status` with an error body and close
        Hold,        ///< do not forward, never answer: the client waits until it gives up
        HoldRequestAfter, ///< pass `bytes` of the request, hold the rest: the receiver waits
    };
    Action action = Action::CutResponse;
    std::string match;
    int skip = 0;          ///< matching requests let through first
    int times = 1;         ///< matching requests it then applies to
    std::size_t bytes = 0; ///< CutResponse, CutRequest
    bool reset = false;    ///< close with a TCP reset rather than a FIN
    int status = 503;      ///< Answer

    static RequestFault cutResponse(std::string match, std::size_t bytes, int skip = 0,
                                    bool reset = false);
    static RequestFault cutRequest(std::string match, std::size_t bytes, int skip = 0);
    static RequestFault answer(std::string match, int status, int times);
    static RequestFault hold(std::string match, int skip = 0);
    static RequestFault holdRequestAfter(std::string match, std::size_t bytes, int skip = 0);
};

/// One request the proxy saw, in arrival order.
struct RequestRecord {
    std::chrono::steady_clock::time_point at; ///< its first byte arrived
    std::string line;                         ///< e.g. "PATCH /api/v1/photos/ab12… HTTP/1.1"
    int connection = 0;                       ///< 1 for the proxy's first connection, ...
    std::string fault;                        ///< what the proxy did ("" = forwarded whole)
    bool complete = false;                    ///< read whole from the client
    std::size_t requestPassed = 0;            ///< request bytes passed on to the receiver
    std::size_t responseArrived = 0;          ///< answer bytes from the receiver (or the proxy)
    std::size_t responsePassed = 0;           ///< answer bytes passed on to the client
    std::size_t responseHeaderBytes = 0;      ///< status line and headers, once all arrived
    int status = 0;                           ///< the answer's HTTP status, once its line arrived
    bool has(const std::string& part) const { return line.find(part) != std::string::npos; }
};

class FaultProxy {
public:
    /// Listens on listenHost:listenPort (0: any free port) and forwards to targetHost:targetPort.
    FaultProxy(int targetPort, std::string listenHost = "127.0.0.1", int listenPort = 0,
               std::string targetHost = "127.0.0.1");
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const { return port_; }
    std::string url() const { return "http://" + listenHost_ + ":" + std::to_string(port_); }

    /// The next connection forwards only `bytes` of what the client sends, then closes.
    void cutNextRequestAfter(std::size_t bytes);
    /// The next connection forwards the request whole, then closes before any response byte.
    void dropNextResponse();
    /// Every later connection forwards only `bytes` in total (all connections together), then
    /// closes: for cutting a multi-request upload halfway.
    void cutAfterTotalBytes(std::size_t bytes);
    /// Random faults on every later connection.
    void setFaults(const FaultProfile& profile);
    /// A fault for later requests; several wait their turn in the order added.
    void addRequestFault(RequestFault fault);
    /// Every chunk waits this long before it is passed on, in each direction.
    void setDelay(std::chrono::milliseconds delay);
    /// Forward everything again (no scripted or random faults; the delay stays).
    void passEverything();

    int connections() const { return connections_; }
    FaultCounts counts() const;
    std::uint64_t bytesUp() const { return bytesUp_; }     ///< client to target
    std::uint64_t bytesDown() const { return bytesDown_; } ///< target to client
    /// Every request seen so far.
    std::vector<RequestRecord> requests() const;
    /// Waits until `done(requests())` holds (true) or `timeout` passes (false): for tests that
    /// must act at an exact moment of a sync, such as while its third batch is in flight.
    bool waitFor(const std::function<bool(const std::vector<RequestRecord>&)>& done,
                 std::chrono::milliseconds timeout);

private:
    enum class Fault { None, Refuse, ResetRequest, ResetResponse, TruncateResponse, Stall };
    struct Plan {
        Fault fault = Fault::None;
        long cutRequest = -1;  ///< bytes of request to forward, then close (-1: all)
        long cutResponse = -1; ///< bytes of response to forward, then close (-1: all)
        bool reset = false;    ///< close with RST rather than FIN
        std::chrono::milliseconds stall{0};
    };
    struct Connection;
    Plan nextPlan();
    void acceptLoop();
    void serve(int client, Plan plan, int id);
    /// Follows the requests in bytes from the client; returns what goes on to the receiver.
    std::string fromClient(Connection& c, const char* data, std::size_t n);
    void startRequest(Connection& c, const std::string& line);
    void finishRequest(Connection& c);
    void fromTarget(Connection& c, const char* data, std::size_t n);
    void passed(Connection& c, bool upward, std::size_t n);

    std::string listenHost_, targetHost_;
    int targetPort_;
    int listenFd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::atomic<std::uint64_t> bytesUp_{0}, bytesDown_{0};
    mutable std::mutex mu_;
    long cutRequest_ = -1;
    bool dropResponse_ = false;
    long totalBudget_ = -1;
    FaultProfile profile_;
    std::mt19937_64 rng_;
    FaultCounts counts_;
    std::deque<RequestFault> requestFaults_;
    std::vector<RequestRecord> requests_;
    std::condition_variable requestsChanged_;
    std::chrono::milliseconds delay_{0};
    int active_ = 0; ///< connections being served (their threads are detached)
    std::condition_variable idle_;
    std::thread acceptor_;
};

} // namespace rekap::test
