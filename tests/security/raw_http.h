#pragma once
// HTTP over a raw socket, for what no well-behaved client does: bodies that never end, headers
// sent a byte at a time, requests from another loopback address.

#include <functional>
#include <map>
#include <string>

namespace rekap::test {

struct RawAnswer {
    int status = 0; ///< 0: no answer
    std::string head, body;
    std::size_t sent = 0; ///< body bytes the receiver took before answering
};

/// A connected TCP socket to 127.0.0.1:port, from `source` when given (e.g. "127.0.0.2").
int connectLoopback(int port, const char* source = nullptr);

/// Sends `head` (request line and headers, ending in a blank line), then the chunks `next`
/// produces until it returns "" or the receiver answers or closes; returns the answer.
RawAnswer rawExchange(int port, const std::string& head,
                      const std::function<std::string()>& next = {}, int timeoutMs = 60000,
                      const char* source = nullptr);

/// What `flood` saw: the answers by status (0: none before the end), and the body bytes sent.
struct FloodResult {
    std::map<int, int> statuses;
    std::string retryAfter; ///< the Retry-After of some answer that had one
    std::size_t sent = 0;
};

/// Opens `connections` sockets, each sending `head` and then `bodyBytes` of a body that is
/// announced longer, so it never ends; without blocking, until every socket is answered or closed
/// or `seconds` pass. `during` runs on another thread once every head is sent (an honest client
/// meanwhile). The sockets are closed at the end: VmHWM keeps the receiver's peak.
FloodResult flood(int port, int connections, const std::string& head, std::size_t bodyBytes,
                  int seconds, const std::function<void()>& during = {});

/// The status of an answer whose first bytes are waiting on `fd`, read without consuming them
/// (0: none yet), so that the rest stays unread, as an attacker leaves it.
int peekStatus(int fd);

/// A gzip stream of `bytes` zero bytes: a bomb of about bytes / 1000 bytes.
std::string gzipOfZeros(std::size_t bytes);

} // namespace rekap::test
