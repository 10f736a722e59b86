#pragma once
// A TCP proxy on 127.0.0.1 that forwards to a local port and can break connections on purpose:
// cut the request after N bytes (the receiver never sees it whole), or let the request through
// and cut the connection as soon as the response starts (the receiver committed, the device
// never hears so). Each fault applies to the next connection only.

#include <atomic>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace rekap::test {

class CuttingProxy {
public:
    explicit CuttingProxy(int targetPort);
    ~CuttingProxy();
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    /// The next connection forwards only `bytes` of what the client sends, then closes.
    void cutNextRequestAfter(std::size_t bytes);
    /// The next connection forwards the request whole, then closes before any response byte.
    void dropNextResponse();
    /// Every later connection forwards only `bytes` in total (all connections together), then
    /// closes: for cutting a multi-request upload halfway.
    void cutAfterTotalBytes(std::size_t bytes);
    /// Forward everything again.
    void passEverything();
    int connections() const { return connections_; }

private:
    void acceptLoop();
    void serve(int client);

    int targetPort_;
    int listenFd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::mutex mu_;
    long cutRequest_ = -1;
    bool dropResponse_ = false;
    long totalBudget_ = -1;
    std::thread acceptor_;
    std::vector<std::thread> workers_;
};

} // namespace rekap::test
