#pragma once
// HTTP over a raw socket, for what no well-behaved client does: bodies that never end, headers
// sent a byte at a time, requests from another loopback address.

#include <functional>
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

/// A gzip stream of `bytes` zero bytes: a bomb of about bytes / 1000 bytes.
std::string gzipOfZeros(std::size_t bytes);

} // namespace rekap::test
