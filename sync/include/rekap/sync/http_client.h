#pragma once
// A small synchronous HTTP client on libcurl: TLS verification always on (optionally against a
// pinned CA file), timeouts, progress and cancellation.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rekap::sync {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers; ///< "Name: value"
    std::string body;
};

struct HttpResponse {
    long status = 0;
    std::string body;
    std::vector<std::string> headers; ///< "Name: value", of the final answer
    /// The value of header `name` (case-insensitive), "" when absent.
    std::string header(std::string_view name) const;
};

/// Why a request got no HTTP answer, for what a person is told to do about it.
enum class TransportFailure {
    None,         ///< not a transport failure (an HTTP answer came)
    NoConnection, ///< no route, name not resolved, connection refused
    TimedOut,     ///< connecting or the transfer took too long
    Tls,          ///< the certificate could not be verified, or the TLS handshake failed
    Interrupted,  ///< the connection broke during the exchange
    Cancelled,
    Other,
};

/// The request did not get an HTTP answer: no route, refused, reset, timed out, or cancelled.
class TransportError : public std::runtime_error {
public:
    TransportError(const std::string& what, bool cancelled,
                   TransportFailure failure = TransportFailure::Other)
        : std::runtime_error(what)
        , cancelled_(cancelled)
        , failure_(cancelled ? TransportFailure::Cancelled : failure) {}
    bool cancelled() const { return cancelled_; }
    TransportFailure failure() const { return failure_; }

private:
    bool cancelled_;
    TransportFailure failure_;
};

struct HttpOptions {
    std::string caFile; ///< PEM file of the CA to trust instead of the system's
    long connectTimeoutMs = 15000;
    long requestTimeoutMs = 120000; ///< whole request; slow links get the low-speed rule below
    long lowSpeedBytesPerSecond = 10;
    long lowSpeedSeconds = 60;
};

class HttpClient {
public:
    explicit HttpClient(HttpOptions options = {});
    /// `uploaded(done, total)` is called as the body goes out. Throws TransportError.
    HttpResponse send(const HttpRequest& request, const std::atomic<bool>* cancel = nullptr,
                      const std::function<void(std::size_t, std::size_t)>& uploaded = {}) const;

private:
    struct CurlCleanup {
        void operator()(void* handle) const;
    };
    HttpOptions options_;
    mutable std::mutex mu_;
    mutable std::unique_ptr<void, CurlCleanup> handle_; ///< CURL*, kept for its connection
};

} // namespace rekap::sync
