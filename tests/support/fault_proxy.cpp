#include "fault_proxy.h"

#include <algorithm>
#include <arpa/inet.h>
#include <deque>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

#include "fault_proxy_connection.h"

namespace rekap::test {

using Clock = std::chrono::steady_clock;

FaultProfile FaultProfile::uniform(double rate, std::uint64_t seed) {
    FaultProfile p;
    p.refuse = p.resetRequest = p.resetResponse = p.truncateResponse = p.stall = rate / 5;
    p.seed = seed;
    return p;
}

bool FaultProfile::any() const {
    return refuse + resetRequest + resetResponse + truncateResponse + stall > 0;
}

std::string FaultCounts::summary() const {
    std::ostringstream out;
    out << connections << " connections: " << refused << " refused, " << resetRequest
        << " reset mid-request, " << resetResponse << " reset mid-response, " << truncated
        << " truncated, " << stalled << " stalled";
    return out.str();
}

namespace {

sockaddr_in address(const std::string& host, int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
        throw std::invalid_argument("not an IPv4 address: " + host);
    return addr;
}

/// Closes with a TCP reset instead of a FIN, as a dropped mobile link looks to the peer.
void resetAndClose(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

bool sendAll(int fd, const char* data, std::size_t n) {
    while (n > 0) {
        auto sent = ::send(fd, data, n, MSG_NOSIGNAL);
        if (sent <= 0)
            return false;
        data += sent;
        n -= static_cast<std::size_t>(sent);
    }
    return true;
}

} // namespace

FaultProxy::FaultProxy(int targetPort, std::string listenHost, int listenPort,
                       std::string targetHost)
    : listenHost_(std::move(listenHost))
    , targetHost_(std::move(targetHost))
    , targetPort_(targetPort) {
    listenFd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto addr = address(listenHost_, listenPort);
    if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listenFd_, 128) != 0)
        throw std::runtime_error("proxy cannot listen on " + listenHost_ + ":" +
                                 std::to_string(listenPort));
    socklen_t len = sizeof addr;
    ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    stopping_ = true;
    ::shutdown(listenFd_, SHUT_RDWR);
    ::close(listenFd_);
    acceptor_.join();
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return active_ == 0; });
}

void FaultProxy::cutNextRequestAfter(std::size_t bytes) {
    std::lock_guard lock(mu_);
    cutRequest_ = static_cast<long>(bytes);
}

void FaultProxy::dropNextResponse() {
    std::lock_guard lock(mu_);
    dropResponse_ = true;
}

void FaultProxy::cutAfterTotalBytes(std::size_t bytes) {
    std::lock_guard lock(mu_);
    totalBudget_ = static_cast<long>(bytes);
}

void FaultProxy::setFaults(const FaultProfile& profile) {
    std::lock_guard lock(mu_);
    profile_ = profile;
    rng_.seed(profile.seed);
}

void FaultProxy::setDelay(std::chrono::milliseconds delay) {
    std::lock_guard lock(mu_);
    delay_ = delay;
}

void FaultProxy::passEverything() {
    std::lock_guard lock(mu_);
    totalBudget_ = -1;
    cutRequest_ = -1;
    dropResponse_ = false;
    profile_ = {};
    requestFaults_.clear();
}

FaultCounts FaultProxy::counts() const {
    std::lock_guard lock(mu_);
    return counts_;
}

FaultProxy::Plan FaultProxy::nextPlan() {
    std::lock_guard lock(mu_);
    ++counts_.connections;
    Plan plan;
    if (cutRequest_ >= 0 || dropResponse_) {
        plan.cutRequest = std::exchange(cutRequest_, -1);
        if (std::exchange(dropResponse_, false))
            plan.cutResponse = 0;
        return plan;
    }
    if (!profile_.any())
        return plan;
    std::uniform_real_distribution<double> chance(0, 1);
    // A cut somewhere in the first few kilobytes: inside the headers or the body of a request
    // or response of the sizes Rekap sends.
    std::uniform_int_distribution<long> where(0, std::max(0L, profile_.cutWithin));
    double x = chance(rng_), edge = 0;
    auto pick = [&](double p) { return x < (edge += p); };
    if (pick(profile_.refuse)) {
        plan.fault = Fault::Refuse;
        ++counts_.refused;
    } else if (pick(profile_.resetRequest)) {
        plan = {Fault::ResetRequest, where(rng_), -1, true, {}};
        ++counts_.resetRequest;
    } else if (pick(profile_.resetResponse)) {
        plan = {Fault::ResetResponse, -1, where(rng_), true, {}};
        ++counts_.resetResponse;
    } else if (pick(profile_.truncateResponse)) {
        plan = {Fault::TruncateResponse, -1, where(rng_), false, {}};
        ++counts_.truncated;
    } else if (pick(profile_.stall)) {
        plan.fault = Fault::Stall;
        plan.stall = profile_.stallFor;
        ++counts_.stalled;
    }
    return plan;
}

void FaultProxy::acceptLoop() {
    while (!stopping_) {
        pollfd p{listenFd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        int client = ::accept(listenFd_, nullptr, nullptr);
        if (client < 0)
            continue;
        int id = ++connections_;
        auto plan = nextPlan();
        {
            std::lock_guard lock(mu_);
            ++active_;
        }
        // Detached, so that a long simulation's thousands of connections do not pile up
        // unjoined threads; the destructor waits for `active_` to reach zero instead.
        std::thread([this, client, plan, id] {
            serve(client, plan, id);
            std::lock_guard lock(mu_);
            if (--active_ == 0)
                idle_.notify_all();
        }).detach();
    }
}

void FaultProxy::serve(int client, Plan plan, int id) {
    if (plan.fault == Fault::Refuse) {
        resetAndClose(client);
        return;
    }
    int server = ::socket(AF_INET, SOCK_STREAM, 0);
    auto addr = address(targetHost_, targetPort_);
    if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        // The receiver is down (restarting, say): the device sees a reset, as it would.
        ::close(server);
        resetAndClose(client);
        return;
    }
    // As the device and the receiver do: without it, Nagle's algorithm meeting delayed ACKs
    // holds a small answer back 40 ms, and every request through the proxy pays it.
    int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Connection c;
    c.id = id;
    c.up = {client, server, plan.cutRequest, {}, false, false};
    c.down = {server, client, plan.cutResponse, {}, false, false};
    c.reset = plan.reset;
    {
        std::lock_guard lock(mu_);
        c.delay = delay_;
    }
    c.notBefore = Clock::now();
    if (plan.fault == Fault::Stall)
        c.notBefore += plan.stall;
    char buf[16384];

    auto release = [&](Connection::Lane& lane, std::atomic<std::uint64_t>& counter, bool upward) {
        auto now = Clock::now();
        while (!lane.queue.empty() && lane.queue.front().first <= now && !lane.cut &&
               !lane.stalled()) {
            auto& chunk = lane.queue.front().second;
            long allowed = static_cast<long>(chunk.size());
            if (lane.budget >= 0)
                allowed = std::min(allowed, lane.budget);
            if (upward) {
                std::lock_guard lock(mu_);
                if (totalBudget_ >= 0) {
                    allowed = std::min(allowed, totalBudget_);
                    totalBudget_ -= allowed;
                }
            }
            if (allowed > 0 && !sendAll(lane.to, chunk.data(), static_cast<std::size_t>(allowed)))
                lane.cut = true;
            counter += static_cast<std::uint64_t>(std::max(0L, allowed));
            passed(c, upward, static_cast<std::size_t>(std::max(0L, allowed)));
            if (lane.budget >= 0)
                lane.budget -= allowed;
            if (lane.stalled()) {
                chunk.erase(0, static_cast<std::size_t>(std::max(0L, allowed)));
                if (chunk.empty())
                    lane.queue.pop_front();
                break; // the rest waits, as on a link that stopped moving
            }
            if (allowed < static_cast<long>(chunk.size()) || (lane.budget == 0 && allowed > 0))
                lane.cut = true;
            lane.queue.pop_front();
        }
    };

    auto& up = c.up;
    auto& down = c.down;
    while (!stopping_ && !up.cut && !down.cut) {
        if ((up.eof && up.queue.empty()) || (down.eof && down.queue.empty() && !c.holding))
            break;
        if (c.closeWhenDrained && down.queue.empty())
            break;
        auto now = Clock::now();
        int timeout = 100;
        for (auto* lane : {&up, &down})
            if (!lane->queue.empty() && !lane->stalled())
                timeout = std::min<int>(
                    timeout, static_cast<int>(std::max<long>(
                                 0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        lane->queue.front().first - now)
                                        .count())));
        pollfd fds[2] = {{up.eof ? -1 : client, POLLIN, 0}, {down.eof ? -1 : server, POLLIN, 0}};
        ::poll(fds, 2, timeout);
        for (int i = 0; i < 2; ++i) {
            auto& lane = i == 0 ? up : down;
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            auto n = ::recv(lane.from, buf, sizeof buf, 0);
            if (n <= 0) {
                lane.eof = true;
                continue;
            }
            auto due = std::max(Clock::now() + c.delay, c.notBefore);
            auto size = static_cast<std::size_t>(n);
            if (i == 0) {
                auto forward = fromClient(c, buf, size);
                if (!forward.empty())
                    lane.queue.emplace_back(due, std::move(forward));
            } else {
                fromTarget(c, buf, size);
                lane.queue.emplace_back(due, std::string(buf, size));
            }
        }
        release(up, bytesUp_, true);
        release(down, bytesDown_, false);
    }
    if (c.reset) {
        resetAndClose(client);
        resetAndClose(server);
        return;
    }
    ::shutdown(client, SHUT_RDWR);
    ::close(client);
    ::close(server);
}

} // namespace rekap::test
