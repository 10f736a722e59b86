// FaultProxy: following the HTTP/1.1 requests and answers on a connection, for faults aimed at
// one request (RequestFault) and the record of every request (RequestRecord).

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "fault_proxy_connection.h"

namespace rekap::test {

using Clock = std::chrono::steady_clock;

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

} // namespace rekap::test
