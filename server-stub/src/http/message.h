#pragma once
// The receiver's own HTTP request and response: what route handlers see. No HTTP library's
// types appear here, so that handlers (server.cpp, desk_routes.cpp, ...) compile without one and
// the library (listener.cpp) can change without touching them.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rekap::central::http {

/// Header fields in arrival order; names compare case-insensitively.
class Headers {
public:
    void add(std::string name, std::string value);
    /// Replaces every field of this name.
    void set(const std::string& name, std::string value);
    bool has(std::string_view name) const;
    /// The first value of `name`, or "" when absent.
    std::string get(std::string_view name) const;
    void remove(std::string_view name);
    const std::vector<std::pair<std::string, std::string>>& all() const { return fields_; }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

bool equalsIgnoreCase(std::string_view a, std::string_view b);

/// Decodes %XX (and '+' as space when `plusIsSpace`, as in a query string).
std::string percentDecode(std::string_view s, bool plusIsSpace);

class Request {
public:
    std::string method;                             ///< "GET", "POST", ...
    std::string target;                             ///< as sent: "/api/v1/tally?area=6306"
    std::string path;                               ///< the target's path, percent-decoded
    std::multimap<std::string, std::string> params; ///< the query, decoded
    Headers headers;
    std::string peer;   ///< address of the TCP peer
    std::string client; ///< the client's address: the peer, or X-Forwarded-For from a trusted proxy
    bool secure = false;              ///< HTTPS at the receiver, or at the trusted proxy in front
    std::vector<std::string> matches; ///< the route's regex captures; [0] is the whole path
    std::string route;                ///< the route's pattern, for logs and metrics
    std::string user; ///< who the handler found the caller to be (logged, never a secret)

    /// The body as sent (possibly compressed) and how it was encoded.
    std::string rawBody;
    std::string contentEncoding;
    /// The most the body may inflate to; over it, body() throws ApiError 413.
    std::size_t decodedLimit = 0;
    /// The body's share of the receiver's budget for buffered request bytes, given back when the
    /// request is destroyed (after its answer is written).
    std::shared_ptr<void> budget;
    /// Counts what the body inflates to on that budget (the compressed bytes included); false
    /// when the receiver holds too much: body() then throws ApiError 503.
    std::function<bool(std::size_t)> growBudget;

    bool hasHeader(std::string_view name) const { return headers.has(name); }
    std::string header(std::string_view name) const { return headers.get(name); }
    bool hasParam(const std::string& name) const { return params.count(name) > 0; }
    std::string param(const std::string& name) const;
    /// The decoded body (gzip and deflate inflated as a stream, stopped at decodedLimit).
    /// Decoded on first use, so a handler that refuses the caller first never inflates anything.
    /// Throws ApiError: 413 over the limit, 400 for a corrupt stream, 503 over the budget.
    const std::string& body() const;
    /// Bytes of the body as sent.
    std::size_t bodyBytes() const { return rawBody.size(); }

private:
    void giveBackInflated() const;
    mutable std::optional<std::string> decoded_;
};

class Response {
public:
    int status = 200;
    Headers headers;
    std::string body;
    /// A file sent as the body instead of `body`, read from disk as it is written, so that a
    /// photo is never held whole in memory (the listener sets its length; 404 if it is gone).
    std::string file;
    /// Kept until the answer is written or abandoned: a download slot, say.
    std::shared_ptr<void> held;
    void setContent(std::string content, const std::string& contentType) {
        body = std::move(content);
        headers.set("Content-Type", contentType);
    }
    void setHeader(const std::string& name, std::string value) {
        headers.set(name, std::move(value));
    }
};

} // namespace rekap::central::http
