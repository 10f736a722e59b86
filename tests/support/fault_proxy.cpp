#include "fault_proxy.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

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
    std::uniform_int_distribution<long> where(0, 4096);
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

/// One connection: a lane each way, and where the HTTP exchange on it stands.
struct FaultProxy::Connection {
    /// One direction: chunks read, each released when its time comes, up to a byte budget.
    struct Lane {
        int from, to;
        long budget; ///< bytes still allowed through (-1: no limit)
        std::deque<std::pair<Clock::time_point, std::string>> queue;
        bool eof = false;
        bool cut = false;   ///< the budget ran out: the connection ends here
        bool stall = false; ///< when the budget runs out, hold the rest instead of cutting
        bool stalled() const { return stall && budget == 0; }
    };
    int id = 0;
    Lane up{}, down{};
    bool reset = false;            ///< close with RST rather than FIN
    bool closeWhenDrained = false; ///< the proxy answered: close once the answer is out
    bool holding = false;          ///< a request held: the client waits, whatever the receiver does
    Clock::time_point notBefore;
    std::chrono::milliseconds delay{0};

    // The request being read from the client (requests come one at a time, as curl sends them).
    enum class Part { Idle, Headers, Body, Opaque } part = Part::Idle;
    std::string pending; ///< bytes of a request line not complete yet
    std::string header;  ///< the request's status line and headers so far
    std::size_t bodyLeft = 0;
    long record = -1;     ///< its index in requests_
    bool swallow = false; ///< not forwarded: the proxy answers it
    int answerStatus = 0;
    // The answer flowing back.
    long responseRecord = -1;
    std::string responseHead; ///< the answer's first bytes, until its headers end
};

namespace {

std::size_t contentLength(const std::string& header, bool& chunked) {
    std::string lower(header);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    chunked = lower.find("\r\ntransfer-encoding: chunked") != std::string::npos;
    auto at = lower.find("\r\ncontent-length:");
    if (at == std::string::npos)
        return 0;
    return std::strtoull(lower.c_str() + at + 17, nullptr, 10);
}

const char* reasonPhrase(int status) {
    switch (status) {
    case 408:
        return "Request Timeout";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Error";
    }
}

} // namespace

RequestFault RequestFault::cutResponse(std::string match, std::size_t bytes, int skip, bool reset) {
    RequestFault f;
    f.action = Action::CutResponse;
    f.match = std::move(match);
    f.bytes = bytes;
    f.skip = skip;
    f.reset = reset;
    return f;
}

RequestFault RequestFault::cutRequest(std::string match, std::size_t bytes, int skip) {
    RequestFault f;
    f.action = Action::CutRequest;
    f.match = std::move(match);
    f.bytes = bytes;
    f.skip = skip;
    f.reset = true;
    return f;
}

RequestFault RequestFault::hold(std::string match, int skip) {
    RequestFault f;
    f.action = Action::Hold;
    f.match = std::move(match);
    f.skip = skip;
    return f;
}

RequestFault RequestFault::holdRequestAfter(std::string match, std::size_t bytes, int skip) {
    RequestFault f;
    f.action = Action::HoldRequestAfter;
    f.match = std::move(match);
    f.bytes = bytes;
    f.skip = skip;
    return f;
}

RequestFault RequestFault::answer(std::string match, int status, int times) {
    RequestFault f;
    f.action = Action::Answer;
    f.match = std::move(match);
    f.status = status;
    f.times = times;
    return f;
}

void FaultProxy::addRequestFault(RequestFault fault) {
    std::lock_guard lock(mu_);
    if (fault.times > 0)
        requestFaults_.push_back(std::move(fault));
}

std::vector<RequestRecord> FaultProxy::requests() const {
    std::lock_guard lock(mu_);
    return requests_;
}

bool FaultProxy::waitFor(const std::function<bool(const std::vector<RequestRecord>&)>& done,
                         std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return requestsChanged_.wait_for(lock, timeout, [&] { return done(requests_); });
}

void FaultProxy::startRequest(Connection& c, const std::string& line) {
    std::optional<RequestFault> fault;
    {
        std::lock_guard lock(mu_);
        c.record = static_cast<long>(requests_.size());
        requests_.push_back({Clock::now(), line, c.id, {}, false, 0, 0, 0, 0, 0});
        for (auto it = requestFaults_.begin(); it != requestFaults_.end(); ++it) {
            if (line.find(it->match) == std::string::npos)
                continue;
            if (it->skip > 0) {
                --it->skip;
            } else {
                fault = *it;
                if (--it->times == 0)
                    requestFaults_.erase(it);
            }
            break;
        }
        if (fault) {
            auto& why = requests_.back().fault;
            switch (fault->action) {
            case RequestFault::Action::CutResponse:
                why = "answer cut after " + std::to_string(fault->bytes) + " bytes";
                break;
            case RequestFault::Action::CutRequest:
                why = "request cut after " + std::to_string(fault->bytes) + " bytes";
                break;
            case RequestFault::Action::Answer:
                why = "answered " + std::to_string(fault->status) + " by the proxy";
                break;
            case RequestFault::Action::Hold:
                why = "held by the proxy";
                break;
            case RequestFault::Action::HoldRequestAfter:
                why = "request held after " + std::to_string(fault->bytes) + " bytes";
                break;
            }
        }
        requestsChanged_.notify_all();
    }
    c.responseRecord = c.record;
    c.responseHead.clear();
    c.swallow = false;
    if (!fault)
        return;
    // Bytes of earlier exchanges on this connection have all been passed on by now: the client
    // sends a request only after reading the whole answer to the one before.
    switch (fault->action) {
    case RequestFault::Action::CutResponse:
        c.down.budget = static_cast<long>(fault->bytes);
        c.reset = fault->reset;
        break;
    case RequestFault::Action::CutRequest:
        c.up.budget = static_cast<long>(fault->bytes);
        c.reset = fault->reset;
        break;
    case RequestFault::Action::Answer:
        c.swallow = true;
        c.answerStatus = fault->status;
        break;
    case RequestFault::Action::Hold:
        c.swallow = true;
        c.answerStatus = 0;
        c.holding = true;
        break;
    case RequestFault::Action::HoldRequestAfter:
        c.up.budget = static_cast<long>(fault->bytes);
        c.up.stall = true;
        c.holding = true;
        break;
    }
}

void FaultProxy::finishRequest(Connection& c) {
    std::lock_guard lock(mu_);
    requests_[static_cast<std::size_t>(c.record)].complete = true;
    if (c.swallow && c.answerStatus > 0) {
        std::string body = "{\"error\":{\"code\":\"unavailable\",\"message\":\"fault proxy: " +
                           std::to_string(c.answerStatus) + "\"}}";
        std::string head =
            "HTTP/1.1 " + std::to_string(c.answerStatus) + " " + reasonPhrase(c.answerStatus) +
            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\nConnection: close\r\n\r\n";
        auto& r = requests_[static_cast<std::size_t>(c.record)];
        r.responseArrived = head.size() + body.size();
        r.responseHeaderBytes = head.size();
        r.status = c.answerStatus;
        c.down.queue.emplace_back(std::max(Clock::now() + c.delay, c.notBefore), head + body);
        c.closeWhenDrained = true;
    }
    requestsChanged_.notify_all();
}

std::string FaultProxy::fromClient(Connection& c, const char* data, std::size_t n) {
    if (c.part == Connection::Part::Opaque)
        return std::string(data, n);
    std::string in = std::move(c.pending);
    c.pending.clear();
    in.append(data, n);
    std::string out;
    std::size_t at = 0;
    auto take = [&](std::size_t count) {
        if (!c.swallow)
            out.append(in, at, count);
        at += count;
    };
    while (at < in.size()) {
        if (c.part == Connection::Part::Idle) {
            auto eol = in.find("\r\n", at);
            if (eol == std::string::npos) {
                if (in.size() - at > 8192) { // not HTTP as the sync client speaks it
                    c.part = Connection::Part::Opaque;
                    take(in.size() - at);
                } else {
                    c.pending = in.substr(at);
                    at = in.size();
                }
                break;
            }
            startRequest(c, in.substr(at, eol - at));
            c.header.clear();
            c.part = Connection::Part::Headers;
        }
        if (c.part == Connection::Part::Headers) {
            auto before = c.header.size();
            c.header.append(in, at, std::string::npos);
            auto end = c.header.find("\r\n\r\n");
            if (end == std::string::npos) {
                take(in.size() - at);
                break;
            }
            c.header.resize(end + 4);
            take(c.header.size() - before);
            bool chunked = false;
            c.bodyLeft = contentLength(c.header, chunked);
            c.part = chunked ? Connection::Part::Opaque : Connection::Part::Body;
            if (chunked) {
                take(in.size() - at);
                break;
            }
        }
        if (c.part == Connection::Part::Body) {
            auto count = std::min(c.bodyLeft, in.size() - at);
            take(count);
            c.bodyLeft -= count;
            if (c.bodyLeft > 0)
                break;
            c.part = Connection::Part::Idle;
            finishRequest(c);
        }
    }
    return out;
}

void FaultProxy::fromTarget(Connection& c, const char* data, std::size_t n) {
    if (c.responseRecord < 0)
        return;
    std::lock_guard lock(mu_);
    auto& r = requests_[static_cast<std::size_t>(c.responseRecord)];
    r.responseArrived += n;
    if (r.responseHeaderBytes == 0 && c.responseHead.size() < 16384) {
        c.responseHead.append(data, std::min<std::size_t>(n, 16384));
        auto end = c.responseHead.find("\r\n\r\n");
        if (end != std::string::npos)
            r.responseHeaderBytes = end + 4;
        if (r.status == 0 && c.responseHead.size() >= 12 && c.responseHead.rfind("HTTP/", 0) == 0)
            r.status = std::atoi(c.responseHead.c_str() + 9);
    }
    requestsChanged_.notify_all();
}

void FaultProxy::passed(Connection& c, bool upward, std::size_t n) {
    auto record = upward ? c.record : c.responseRecord;
    if (record < 0 || n == 0)
        return;
    std::lock_guard lock(mu_);
    auto& r = requests_[static_cast<std::size_t>(record)];
    (upward ? r.requestPassed : r.responsePassed) += n;
    requestsChanged_.notify_all();
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
