// The desk's and the camat's API, the dashboard's files, and the desk login.
//
// Who may read what: a desk token (or the dashboard's login cookie) sees the whole regency and
// may adjudicate; a camat device's token sees its kecamatan; an operator device's token its TPS.

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http_util.h"
#include "rekap/central/reports.h"
#include "rekap/central/server.h"
#include "rekap/json_reader.h"
#include "viewer.h"

namespace rekap::central {

namespace {

AreaCode areaParam(const httplib::Request& req, const Viewer& v) {
    if (!req.has_param("area"))
        return v.scope;
    std::string why;
    auto a = AreaCode::tryParse(req.get_param_value("area"), &why);
    if (!a)
        throw ApiError(400, protocol::error::kBadRequest, why, "area");
    if (!v.scope.contains(*a))
        throw ApiError(403, protocol::error::kForbidden,
                       "this login sees " + v.scope.str() + " only, not " + a->str());
    return *a;
}

std::string contestParam(const httplib::Request& req, const CentralStore& store) {
    return req.has_param("contest") ? req.get_param_value("contest")
                                    : store.regency().contests.front().code;
}

} // namespace

void addDeskRoutes(httplib::Server& http, CentralStore& store, PhotoStore& photos,
                   const ServerOptions& options) {
    http.Get("/api/v1/me", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            auto v = viewerOf(store, req);
            const auto& reg = store.regency();
            auto contests = nlohmann::json::array();
            for (const auto& c : reg.contests)
                contests.push_back({{"code", c.code}, {"name", c.name}});
            sendJson(res, 200,
                     {{"name", v.name},
                      {"desk", v.desk},
                      {"scope", v.scope.str()},
                      {"regency",
                       {{"code", reg.code.str()},
                        {"name", reg.name},
                        {"province", reg.province},
                        {"time_zone", std::string(timeZoneName(reg.timeZone))}}},
                      {"contests", contests}});
        });
    });

    http.Get("/api/v1/version", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            viewerOf(store, req);
            sendJson(res, 200, {{"version", store.version()}});
        });
    });

    http.Get("/api/v1/tally", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            auto v = viewerOf(store, req);
            sendJson(res, 200, tallyReport(store, contestParam(req, store), areaParam(req, v)));
        });
    });

    http.Get("/api/v1/tally.csv", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            auto v = viewerOf(store, req);
            auto contest = contestParam(req, store);
            auto area = areaParam(req, v);
            res.set_header("Content-Disposition",
                           "attachment; filename=\"rekap-" + contest + "-" + area.str() + ".csv\"");
            res.set_content(tallyCsv(store, contest, area), "text/csv; charset=utf-8");
        });
    });

    http.Get("/api/v1/status", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            auto v = viewerOf(store, req);
            sendJson(res, 200, statusReport(store, areaParam(req, v)));
        });
    });

    http.Get(R"(/api/v1/sheets/(\d{13})/([a-z0-9]+))",
             [&store](const httplib::Request& req, httplib::Response& res) {
                 guarded(res, [&] {
                     auto v = viewerOf(store, req);
                     auto tps = AreaCode::parse(req.matches[1].str());
                     if (!v.scope.contains(tps))
                         throw ApiError(403, protocol::error::kForbidden,
                                        "this login sees " + v.scope.str() + " only");
                     sendJson(res, 200, sheetReport(store, tps.str() + "/" + req.matches[2].str()));
                 });
             });

    http.Get("/api/v1/conflicts", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            auto v = viewerOf(store, req);
            sendJson(res, 200, conflictsReport(store, areaParam(req, v)));
        });
    });

    http.Get("/api/v1/rejected", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            auto v = viewerOf(store, req);
            sendJson(res, 200, rejectedReport(store, areaParam(req, v)));
        });
    });

    http.Post("/api/v1/conflicts/resolve",
              [&store](const httplib::Request& req, httplib::Response& res) {
                  guarded(res, [&] {
                      auto v = viewerOf(store, req);
                      if (!v.desk)
                          throw ApiError(403, protocol::error::kForbidden,
                                         "only the desk adjudicates conflicts");
                      auto j = parseJsonText(req.body, "request");
                      JsonReader r(j);
                      r.rejectUnknownKeys({"sheet", "revision", "reason"});
                      auto id = store.resolve(r.field("sheet").name(), r.field("revision").name(),
                                              r.field("reason").name(500), v.name);
                      sendJson(res, 200, {{"resolution", id}});
                  });
              });

    http.Get(R"(/api/v1/photos/([0-9a-f]{64})/content)",
             [&store, &photos](const httplib::Request& req, httplib::Response& res) {
                 guarded(res, [&] {
                     viewerOf(store, req);
                     auto path = photos.pathOf(req.matches[1].str());
                     std::ifstream in(path, std::ios::binary);
                     if (!in)
                         throw ApiError(404, protocol::error::kNotFound,
                                        "the photo has not arrived (yet)");
                     std::stringstream buf;
                     buf << in.rdbuf();
                     res.set_content(buf.str(), "image/jpeg");
                 });
             });

    // The dashboard logs in with a desk token once; the cookie carries it after that.
    http.Post("/desk/login", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            auto token = req.has_param("token") ? req.get_param_value("token") : std::string();
            if (token.empty() && !req.body.empty() && req.body.front() == '{')
                token = parseJsonText(req.body, "request").value("token", "");
            auto name = store.authenticateDesk(token);
            res.set_header("Set-Cookie", std::string(kCookie) + "=" + token +
                                             "; HttpOnly; SameSite=Strict; Path=/");
            sendJson(res, 200, {{"name", name}});
        });
    });
    http.Post("/desk/logout", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("Set-Cookie", std::string(kCookie) + "=; Max-Age=0; Path=/");
        sendJson(res, 200, {{"ok", true}});
    });

    namespace fs = std::filesystem;
    auto web = fs::path(options.webDir);
    http.set_mount_point("/assets", (web / "assets").string());
    http.set_mount_point("/vendor/chart.js", (web / "node_modules/chart.js/dist").string());
    http.Get("/", [web](const httplib::Request&, httplib::Response& res) {
        std::ifstream in(web / "index.html", std::ios::binary);
        if (!in) {
            sendError(
                res, 404,
                {protocol::error::kNotFound, "dashboard files not found in " + web.string(), ""});
            return;
        }
        std::stringstream buf;
        buf << in.rdbuf();
        res.set_content(buf.str(), "text/html; charset=utf-8");
    });
}

} // namespace rekap::central
