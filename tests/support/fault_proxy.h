#pragma once
// A TCP proxy that forwards to a receiver and breaks connections on purpose, the way a bad
// mobile network does. Two kinds of fault:
//  - scripted, for tests that need one exact failure: cut the next request after N bytes (the
//    receiver never sees it whole), drop the next response (the receiver committed, the device
//    never hears so), or cut all later connections after N bytes in total;
//  - random, for simulations: each new connection draws from a FaultProfile (refused, reset
//    mid-request, reset or truncated mid-response, stalled), from a seeded generator;
// and a fixed delay on every chunk in each direction, for emulating a slow link's latency.
// It counts the bytes it forwards each way.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace rekap::test {

/// Chances per connection, each in [0, 1]; they are tried in this order and at most one applies.
struct FaultProfile {
    double refuse = 0;           ///< accepted, then closed at once with a reset
    double resetRequest = 0;     ///< reset after a random part of the request
    double resetResponse = 0;    ///< request forwarded whole, reset after part of the response
    double truncateResponse = 0; ///< part of the response, then a clean close (FIN)
    double stall = 0;            ///< both directions wait `stallFor` before anything moves
    std::chrono::milliseconds stallFor{1500};
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
    /// Every chunk waits this long before it is passed on, in each direction.
    void setDelay(std::chrono::milliseconds delay);
    /// Forward everything again (no scripted or random faults; the delay stays).
    void passEverything();

    int connections() const { return connections_; }
    FaultCounts counts() const;
    std::uint64_t bytesUp() const { return bytesUp_; }     ///< client to target
    std::uint64_t bytesDown() const { return bytesDown_; } ///< target to client

private:
    enum class Fault { None, Refuse, ResetRequest, ResetResponse, TruncateResponse, Stall };
    struct Plan {
        Fault fault = Fault::None;
        long cutRequest = -1;  ///< bytes of request to forward, then close (-1: all)
        long cutResponse = -1; ///< bytes of response to forward, then close (-1: all)
        bool reset = false;    ///< close with RST rather than FIN
        std::chrono::milliseconds stall{0};
    };
    Plan nextPlan();
    void acceptLoop();
    void serve(int client, Plan plan);

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
    std::chrono::milliseconds delay_{0};
    int active_ = 0; ///< connections being served (their threads are detached)
    std::condition_variable idle_;
    std::thread acceptor_;
};

} // namespace rekap::test
