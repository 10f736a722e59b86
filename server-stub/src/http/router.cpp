#include "router.h"

#include <fstream>
#include <sstream>

#include "rekap/central/api_error.h"

namespace rekap::central::http {

namespace fs = std::filesystem;

void Router::add(const std::string& method, const std::string& pattern, Handler handler,
                 std::optional<Limits> limits, Access access) {
    Route r{method, pattern, std::nullopt, std::move(handler), limits.value_or(defaults_), access};
    if (pattern.find('(') != std::string::npos)
        r.regex.emplace(pattern);
    routes_.push_back(std::move(r));
}

void Router::mount(const std::string& prefix, fs::path folder) {
    mounts_.emplace_back(prefix, std::move(folder));
}

const Router::Route* Router::find(const std::string& method, const std::string& path,
                                  std::vector<std::string>* matches) const {
    const auto& m = method == "HEAD" ? std::string("GET") : method;
    for (const auto& r : routes_) {
        if (r.method != m)
            continue;
        if (!r.regex) {
            if (r.pattern == path) {
                if (matches)
                    *matches = {path};
                return &r;
            }
            continue;
        }
        std::smatch sm;
        if (std::regex_match(path, sm, *r.regex)) {
            if (matches) {
                matches->clear();
                for (const auto& s : sm)
                    matches->push_back(s.str());
            }
            return &r;
        }
    }
    return nullptr;
}

std::vector<std::pair<std::string, std::string>> Router::list() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : routes_)
        out.emplace_back(r.method, r.pattern);
    for (const auto& m : mounts_)
        out.emplace_back("GET", m.first + "/*");
    return out;
}

Limits Router::limitsFor(const std::string& method, const std::string& path) const {
    const auto* r = find(method, path, nullptr);
    return r ? r->limits : defaults_;
}

Access Router::accessFor(const std::string& method, const std::string& path) const {
    const auto* r = find(method, path, nullptr);
    return r ? r->access : Access::Public;
}

void Router::dispatch(Request& req, Response& res) const {
    if (const auto* r = find(req.method, req.path, &req.matches)) {
        req.route = r->pattern;
        r->handler(req, res);
        return;
    }
    if ((req.method == "GET" || req.method == "HEAD") && serveFile(req, res))
        return;
    req.route = "(none)";
    throw ApiError(Problem::NotFound, "no such resource: " + req.path);
}

bool Router::serveFile(Request& req, Response& res) const {
    for (const auto& [prefix, folder] : mounts_) {
        if (req.path.size() <= prefix.size() + 1 || req.path.compare(0, prefix.size(), prefix) ||
            req.path[prefix.size()] != '/')
            continue;
        auto rel = fs::path(req.path.substr(prefix.size() + 1));
        for (const auto& part : rel)
            if (part == ".." || part == "." || part.empty())
                return false; // never leave the folder
        if (req.path.find('\0') != std::string::npos)
            return false;
        auto file = folder / rel;
        std::error_code ec;
        if (!fs::is_regular_file(file, ec))
            continue;
        std::ifstream in(file, std::ios::binary);
        if (!in)
            continue;
        std::stringstream buf;
        buf << in.rdbuf();
        req.route = prefix + "/*";
        res.status = 200;
        res.setContent(buf.str(), contentTypeOf(file));
        return true;
    }
    return false;
}

std::string contentTypeOf(const fs::path& file) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css"},
        {".js", "text/javascript"},
        {".mjs", "text/javascript"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain"},
    };
    auto it = types.find(file.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

} // namespace rekap::central::http
