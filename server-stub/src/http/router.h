#pragma once
// Routes of the receiver's HTTP API: method and path (exact, or a regular expression with
// captures) to a handler, each with its own body limits, plus folders of static files.

#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "message.h"

namespace rekap::central::http {

using Handler = std::function<void(Request&, Response&)>;

/// How large a request's body may be on a route: as sent, and once decoded (gzip, deflate).
struct Limits {
    std::size_t body = 16 * 1024;
    std::size_t decoded = 16 * 1024;
};

/// What a route asks of a request before its body is read (from its header alone), so that a
/// stranger's body is never buffered: nothing, a device token, or any login that may read
/// (a desk session or token, or a device token).
enum class Access { Public, Device, Viewer };

class Router {
public:
    explicit Router(Limits defaults = {})
        : defaults_(defaults) {}
    /// `pattern` with a '(' is a regular expression matched against the whole path; its
    /// captures land in Request::matches. Otherwise the path must equal it.
    void add(const std::string& method, const std::string& pattern, Handler handler,
             std::optional<Limits> limits = std::nullopt, Access access = Access::Viewer);
    void get(const std::string& p, Handler h, Access a = Access::Viewer) {
        add("GET", p, std::move(h), std::nullopt, a);
    }
    void post(const std::string& p, Handler h, std::optional<Limits> l = std::nullopt,
              Access a = Access::Viewer) {
        add("POST", p, std::move(h), l, a);
    }
    void patch(const std::string& p, Handler h, std::optional<Limits> l = std::nullopt,
               Access a = Access::Viewer) {
        add("PATCH", p, std::move(h), l, a);
    }
    /// Serves the files under `folder` at `prefix` + "/" + relative path (GET and HEAD).
    void mount(const std::string& prefix, std::filesystem::path folder);

    /// Every route as (method, pattern); a mount as ("GET", prefix + "/*"), the name its files
    /// are served under.
    std::vector<std::pair<std::string, std::string>> list() const;
    /// The limits of the route a request would reach (known from its header alone).
    Limits limitsFor(const std::string& method, const std::string& path) const;
    /// What the route a request would reach asks before its body (Public when none matches:
    /// such a request gets 404 after a body of the default limit at most).
    Access accessFor(const std::string& method, const std::string& path) const;
    /// Runs the matching handler; 404 (or 405) when none. HEAD runs the GET route.
    void dispatch(Request& req, Response& res) const;

private:
    struct Route {
        std::string method;
        std::string pattern;
        std::optional<std::regex> regex;
        Handler handler;
        Limits limits;
        Access access;
    };
    const Route* find(const std::string& method, const std::string& path,
                      std::vector<std::string>* matches) const;
    bool serveFile(Request& req, Response& res) const;
    Limits defaults_;
    std::vector<Route> routes_;
    std::vector<std::pair<std::string, std::filesystem::path>> mounts_;
};

/// The Content-Type of a static file by its extension.
std::string contentTypeOf(const std::filesystem::path& file);

} // namespace rekap::central::http
