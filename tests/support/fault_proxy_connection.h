#pragma once
// FaultProxy's state of one connection, shared by fault_proxy.cpp (the relay) and
// fault_proxy_requests.cpp (following HTTP requests on it). Not part of the proxy's interface.

#include <chrono>
#include <deque>
#include <string>

#include "fault_proxy.h"

namespace rekap::test {

/// One connection: a lane each way, and where the HTTP exchange on it stands.
struct FaultProxy::Connection {
    /// One direction: chunks read, each released when its time comes, up to a byte budget.
    struct Lane {
        int from, to;
        long budget; ///< bytes still allowed through (-1: no limit)
        std::deque<std::pair<std::chrono::steady_clock::time_point, std::string>> queue;
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
    std::chrono::steady_clock::time_point notBefore;
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

} // namespace rekap::test
