// The desk's and the camat's API, the dashboard's files, and the desk login.
//
// Who may read what: a desk session (the dashboard's cookie) or a desk token sees the whole
// regency and may adjudicate; a camat device's token sees its kecamatan; an operator device's
// token its TPS. A request that changes something on the strength of the cookie must come from
// the dashboard's own origin and carry JSON, so that a page elsewhere cannot post a form to it.

#include <filesystem>
#include <fstream>
#include <spdlog/spdlog.h>
#include <sstream>

#include "api/account_routes.h"
#include "api/desk_access.h"
#include "api/desk_request.h"
#include "api/download_slots.h"
#include "api/failure_limiter.h"
#include "api/http_util.h"
#include "api/metrics.h"
#include "api/viewer.h"
#include "desk/desk_sessions.h"
#include "http/router.h"
#include "rekap/central/crosscheck.h"
#include "rekap/central/enrolment_qr.h"
#include "rekap/central/reports.h"
#include "rekap/central/server.h"
#include "rekap/enrolment_link.h"
#include "rekap/json_reader.h"

namespace rekap::central {

namespace {

/// `import=ID`: an older KPU import to compare with (default: the newest).
std::optional<std::int64_t> importParam(const http::Request& req) {
    if (!req.hasParam("import"))
        return std::nullopt;
    const auto& v = req.param("import");
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
        throw ApiError(Problem::BadRequest, "import must be an import's id", "import");
    return std::stoll(v);
}

std::string cookieFor(const std::string& value, bool secure) {
    return std::string(kDeskCookie) + "=" + value + "; HttpOnly; SameSite=Strict; Path=/" +
           (secure ? "; Secure" : "");
}

} // namespace

Viewer CentralServer::viewerFor(http::Request& req) {
    // The route's line in the matrix (desk_access.cpp) decides before anything is read; a
    // request admitted before routing (admit(): no route yet) is checked again when dispatched.
    auto deskViewer = [&](const DeskLogin& login) {
        req.user = "desk:" + login.name;
        if (!req.route.empty())
            access::require(req, access::bitOf(login.role), deskRoleName(login.role));
        return Viewer{true, login.name, store_.masterData().regency().code, {}, login.role};
    };
    auto token = bearer(req);
    if (token.empty()) {
        auto session = deskCookie(req);
        if (session.empty())
            throw ApiError(Problem::Unauthorized, "log in with your desk account");
        auto login = sessions_->user(session);
        if (!login)
            throw ApiError(Problem::Unauthorized, "this desk session has ended: log in again");
        return deskViewer(*login);
    }
    std::optional<DeskLogin> login;
    try {
        auto name = store_.deskTokens().authenticateDesk(token);
        if (auto account = desk_accounts::enabled(store_, name))
            login = DeskLogin{account->name, account->role};
    } catch (const ApiError&) {
    }
    if (login)
        return deskViewer(*login);
    auto device = store_.registry().authenticate(token);
    req.user = device.id;
    if (!req.route.empty())
        access::require(req, access::bitOf(device.role),
                        std::string(protocol::roleName(device.role)) + " (device)");
    return viewerOf(device);
}

bool CentralServer::refuseLimited(const http::Request& req, http::Response& res, const char* what,
                                  int wait) {
    if (wait == 0)
        return false;
    metrics_->limited(what);
    spdlog::warn("rekap-central: {} from {} refused (429): {} failures within a minute", what,
                 req.client, options_.failuresPerMinute);
    sendError(res, ApiError(Problem::RateLimited, "too many failed attempts from this address: "
                                                  "try again in " +
                                                      std::to_string(wait) + " s"));
    res.setHeader("Retry-After", std::to_string(wait));
    return true;
}

void CentralServer::failed(const http::Request& req, const char* what, const std::string& why) {
    spdlog::warn("rekap-central: failed {} from {}: {}", what, req.client, why);
}

void CentralServer::deskRoutes() {
    auto& r = *router_;
    r.get("/api/v1/me", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        const auto& reg = store_.masterData().regency();
        auto contests = nlohmann::json::array();
        for (const auto& c : reg.contests) {
            nlohmann::json cj = {{"code", c.code}, {"name", c.name}};
            if (!c.nameEn.empty())
                cj["name_en"] = c.nameEn;
            if (!c.form.empty())
                cj["form"] = c.form;
            contests.push_back(std::move(cj));
        }
        // Which election this store is for (a desk runs one store per election).
        const auto& e = electionOf(reg);
        nlohmann::json election = {
            {"code", e.code}, {"name", e.name}, {"name_en", e.nameEn}, {"date", e.date}};
        // What this login may do, by route, for the dashboard to show only that.
        auto may = nlohmann::json::array();
        std::string role;
        unsigned who = 0;
        if (v.role) {
            role = deskRoleName(*v.role);
            who = access::bitOf(*v.role);
        } else {
            auto d = store_.registry().authenticate(bearer(req)).role;
            role = protocol::roleName(d);
            who = access::bitOf(d);
        }
        for (const auto& rule : access::rules())
            if (rule.who & who)
                may.push_back(std::string(rule.method) + " " + std::string(rule.route));
        sendJson(res, 200,
                 {{"name", v.name},
                  {"desk", v.desk},
                  {"role", role},
                  {"may", may},
                  {"scope", v.scope.str()},
                  {"regency",
                   {{"code", reg.code.str()},
                    {"name", reg.name},
                    {"province", reg.province},
                    {"time_zone", std::string(timeZoneName(reg.timeZone))}}},
                  {"election", election},
                  {"contests", contests}});
    });

    r.get("/api/v1/version", [this](http::Request& req, http::Response& res) {
        viewerFor(req);
        sendJson(res, 200, {{"version", store_.live().version()}});
    });

    r.get("/api/v1/tally", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        // Written as text, not built as a tree and dumped: the same bytes, a fraction of the
        // time at national scale (tally_text.cpp).
        res.status = 200;
        res.setContent(tallyReportText(store_, contestParam(req, store_), areaParam(req, v)),
                       "application/json");
    });

    r.get("/api/v1/tally.csv", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        auto contest = contestParam(req, store_);
        auto area = areaParam(req, v);
        res.setHeader("Content-Disposition",
                      "attachment; filename=\"rekap-" + contest + "-" + area.str() + ".csv\"");
        res.setContent(tallyCsv(store_, contest, area), "text/csv; charset=utf-8");
    });

    // KPU's published numbers beside the desk's (docs/crosscheck.md): the desk's to read.
    r.get("/api/v1/crosscheck", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        if (!v.desk)
            throw ApiError(Problem::Forbidden, "the cross-check is the desk's");
        sendJson(res, 200,
                 crosscheckReport(store_, contestParam(req, store_), areaParam(req, v),
                                  importParam(req)));
    });

    r.get("/api/v1/crosscheck.csv", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        if (!v.desk)
            throw ApiError(Problem::Forbidden, "the cross-check is the desk's");
        auto contest = contestParam(req, store_);
        auto area = areaParam(req, v);
        res.setHeader("Content-Disposition", "attachment; filename=\"selisih-kpu-" + contest + "-" +
                                                 area.str() + ".csv\"");
        res.setContent(crosscheckCsv(store_, contest, area, importParam(req)),
                       "text/csv; charset=utf-8");
    });

    r.get("/api/v1/status", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        sendJson(res, 200, statusReport(store_, areaParam(req, v)));
    });

    r.get(R"(/api/v1/sheets/(\d{13})/([a-z0-9]+))",
          [this](http::Request& req, http::Response& res) {
              auto v = viewerFor(req);
              auto tps = AreaCode::parse(req.matches[1]);
              if (!v.scope.contains(tps))
                  throw ApiError(Problem::Forbidden, "this login sees " + v.scope.str() + " only");
              sendJson(res, 200, sheetReport(store_, tps.str() + "/" + req.matches[2]));
          });

    r.get("/api/v1/conflicts", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        sendJson(res, 200, conflictsReport(store_, areaParam(req, v)));
    });

    r.get("/api/v1/rejected", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        sendJson(res, 200, rejectedReport(store_, areaParam(req, v)));
    });

    r.post("/api/v1/conflicts/resolve", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        if (!v.desk)
            throw ApiError(Problem::Forbidden, "only the desk adjudicates conflicts");
        requireSameOriginJson(req);
        auto j = parseJsonText(req.body(), "request");
        JsonReader rd(j);
        rd.rejectUnknownKeys({"sheet", "revision", "reason"});
        auto id = store_.sheets().resolve(rd.field("sheet").name(), rd.field("revision").name(),
                                          rd.field("reason").name(500), v.name);
        sendJson(res, 200, {{"resolution", id}});
    });

    // "Perlu perbaikan": the desk sends a sheet back to its operator with a reason
    // (send_back.cpp); the tablet shows it on its next sync. A coordinator's action.
    r.post("/api/v1/sheets/send-back", [this](http::Request& req, http::Response& res) {
        // A coordinator's alone: the route x role table (desk_access.cpp) refuses everyone else.
        auto v = viewerFor(req);
        requireSameOriginJson(req);
        auto j = parseJsonText(req.body(), "request");
        JsonReader rd(j);
        rd.rejectUnknownKeys({"sheet", "reason"});
        auto sheet = rd.field("sheet").name(64);
        auto slash = sheet.find('/');
        std::optional<AreaCode> tps;
        try {
            tps = AreaCode::parse(sheet.substr(0, slash));
        } catch (const std::exception& e) {
            throw ApiError(Problem::BadRequest, e.what(), "$.sheet");
        }
        if (slash == std::string::npos || tps->level() != AreaLevel::Tps ||
            !store_.masterData().regency().findContest(sheet.substr(slash + 1)))
            throw ApiError(Problem::BadRequest, "expected a sheet as <13-digit TPS code>/<contest>",
                           "$.sheet");
        auto reason = rd.has("reason") ? rd.field("reason").string() : std::string();
        auto mark = store_.sheets().sendBack(sheet, reason, v.name);
        spdlog::info("rekap-central: {} sent sheet {} back to its operator", v.name, sheet);
        sendJson(res, 200, sendBackJson(store_.masterData().regency(), mark));
    });

    r.get("/api/v1/send-backs", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        sendJson(res, 200, sendBacksReport(store_, areaParam(req, v)));
    });

    // The desk mints enrolment codes and prints them as slips with a QR code (docs/deploy.md):
    // what `rekap-central mint --qr` does at the command line.
    r.post("/api/v1/enrolment/codes", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        if (!v.desk)
            throw ApiError(Problem::Forbidden, "only the desk enrols tablets");
        requireSameOriginJson(req);
        auto j = parseJsonText(req.body(), "request");
        JsonReader rd(j);
        rd.rejectUnknownKeys({"role", "area", "count", "days", "label", "server"});
        auto roleText = rd.field("role").name();
        auto role = protocol::parseRole(roleText);
        if (!role)
            throw ApiError(Problem::BadRequest,
                           "expected \"operator\" or \"camat\", got \"" + roleText + "\"",
                           "$.role");
        auto areaText = rd.field("area").name();
        std::optional<AreaCode> area;
        try {
            area = AreaCode::parse(areaText);
        } catch (const std::exception& e) {
            throw ApiError(Problem::BadRequest, e.what(), "$.area");
        }
        auto count = rd.has("count") ? rd.field("count").integer(1, 200) : 1;
        auto days = rd.has("days") ? rd.field("days").integer(1, 60) : 3;
        auto label = rd.has("label") ? rd.field("label").string() : std::string();
        if (label.size() > 200)
            throw ApiError(Problem::BadRequest, "at most 200 bytes", "$.label");
        auto server = rd.field("server").name(500);
        try {
            encodeEnrolmentLink({server, "CHECK-ONLY"}); // a bad address fails before minting
        } catch (const DecodeError& e) {
            throw ApiError(Problem::BadRequest, e.detail(), "$.server");
        }
        std::vector<std::string> codes;
        try {
            codes = store_.registry().mintCodes(*role, *area, static_cast<int>(count),
                                                std::chrono::hours(24 * days), label);
        } catch (const std::invalid_argument& e) {
            throw ApiError(Problem::BadRequest, e.what(), "$.area");
        }
        spdlog::info("rekap-central: {} minted {} {} code(s) for {}", v.name, codes.size(),
                     roleText, area->str());
        const auto& reg = store_.masterData().regency();
        std::string areaName;
        if (const auto* t = reg.findTps(*area))
            areaName = t->name;
        else if (const auto* a = reg.findArea(*area))
            areaName = a->name;
        auto out = nlohmann::json::array();
        for (const auto& c : codes)
            out.push_back({{"code", c},
                           {"link", encodeEnrolmentLink({server, c})},
                           {"svg", enrolmentQrSvg({server, c})}});
        sendJson(res, 200,
                 {{"role", roleText},
                  {"area", {{"code", area->str()}, {"name", areaName}}},
                  {"days", days},
                  {"label", label},
                  {"server", server},
                  {"codes", out}});
    });

    r.get(R"(/api/v1/photos/([0-9a-f]{64})/content)",
          [this](http::Request& req, http::Response& res) {
              auto v = viewerFor(req);
              const auto& sha = req.matches[1];
              auto owner = photos_.owner(sha);
              // A photo stored before owners were kept is the desk's alone to read.
              if (owner ? !mayRead(v, *owner) : !v.desk)
                  throw ApiError(Problem::Forbidden, "this photo belongs to another TPS");
              auto file = photos_.pathOf(sha);
              std::error_code ec;
              if (!std::filesystem::is_regular_file(file, ec))
                  throw ApiError(Problem::NotFound, "the photo has not arrived (yet)");
              // Streamed from disk as the client reads it, a few at a time per caller: a tablet
              // asking for its 20 MiB photo on a hundred connections holds four answers, not 2 GB.
              res.held = downloads_->take(req.user);
              if (!res.held)
                  throw ApiError(Problem::TooManyDownloads,
                                 "at most " + std::to_string(options_.downloadsPerCaller) +
                                     " photo downloads at once per device: finish one first");
              res.status = 200;
              res.file = file.string();
              res.headers.set("Content-Type", "image/jpeg");
          });

    accountRoutes(r, store_, [this](http::Request& req) { return viewerFor(req); });

    // The dashboard logs in with a desk token once; the cookie carries a session id after that.
    r.post(
        "/desk/login",
        [this](http::Request& req, http::Response& res) {
            requireSameOriginJson(req);
            FailureLimiter::Attempt attempt;
            if (refuseLimited(req, res, "desk_login",
                              failures_->begin({{"desk " + req.client, options_.failuresPerMinute}},
                                               attempt)))
                return;
            auto j = parseJsonText(req.body(), "request");
            auto text = [&](const char* key) {
                return j.is_object() && j.contains(key) && j[key].is_string()
                           ? j[key].get<std::string>()
                           : std::string();
            };
            try {
                // An account's name and password; a desk token (an account's login for
                // scripts, and the desk tokens made before accounts) still works.
                auto session = j.is_object() && j.contains("name")
                                   ? sessions_->openWithPassword(text("name"), text("password"))
                                   : sessions_->open(text("token"));
                attempt.succeeded();
                req.user = "desk:" + session.login.name;
                res.setHeader("Set-Cookie", cookieFor(session.id, req.secure));
                sendJson(res, 200,
                         {{"name", session.login.name},
                          {"role", std::string(deskRoleName(session.login.role))}});
            } catch (const ApiError& e) {
                if (e.status() == 401) {
                    attempt.failed();
                    failed(req, "desk login", e.body().message);
                }
                throw;
            }
        },
        http::Limits{options_.smallBodyBytes, options_.smallBodyBytes}, http::Access::Public);
    r.post(
        "/desk/logout",
        [this](http::Request& req, http::Response& res) {
            requireSameOriginJson(req);
            sessions_->close(deskCookie(req));
            res.setHeader("Set-Cookie", std::string(kDeskCookie) + "=; Max-Age=0; Path=/" +
                                            (req.secure ? "; Secure" : ""));
            sendJson(res, 200, {{"ok", true}});
        },
        http::Limits{options_.smallBodyBytes, options_.smallBodyBytes}, http::Access::Public);

    namespace fs = std::filesystem;
    auto web = fs::path(options_.webDir);
    r.mount("/assets", web / "assets");
    r.mount("/vendor/chart.js", web / "node_modules/chart.js/dist");
    r.get(
        "/",
        [web](http::Request&, http::Response& res) {
            std::ifstream in(web / "index.html", std::ios::binary);
            if (!in)
                throw ApiError(Problem::NotFound, "dashboard files not found in " + web.string());
            std::stringstream buf;
            buf << in.rdbuf();
            res.setContent(buf.str(), "text/html; charset=utf-8");
        },
        http::Access::Public);
}

} // namespace rekap::central
