#include "api/account_routes.h"

#include <spdlog/spdlog.h>

#include "api/desk_request.h"
#include "api/http_util.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/json_reader.h"

namespace rekap::central {

void accountRoutes(http::Router& r, CentralStore& store,
                   std::function<Viewer(http::Request&)> viewerFor) {
    r.get("/api/v1/accounts", [&store, viewerFor](http::Request& req, http::Response& res) {
        viewerFor(req);
        auto all = nlohmann::json::array();
        for (const auto& a : desk_accounts::list(store))
            all.push_back(
                {{"name", a.name},
                 {"role", std::string(deskRoleName(a.role))},
                 {"password", a.hasPassword},
                 {"created_at", a.createdAt},
                 {"disabled_at", a.disabledAt ? nlohmann::json(*a.disabledAt) : nlohmann::json()}});
        sendJson(res, 200, {{"accounts", all}});
    });

    r.post("/api/v1/accounts/disable", [&store, viewerFor](http::Request& req,
                                                           http::Response& res) {
        auto v = viewerFor(req);
        requireSameOriginJson(req);
        auto j = parseJsonText(req.body(), "request");
        JsonReader rd(j);
        rd.rejectUnknownKeys({"name"});
        auto name = rd.field("name").string();
        // Never the last way in: an administrator does not lock themself out from here.
        if (name == v.name)
            throw ApiError(Problem::BadRequest,
                           "an administrator does not disable their own account here", "$.name");
        try {
            desk_accounts::disable(store, name);
        } catch (const std::invalid_argument& e) {
            throw ApiError(Problem::NotFound, e.what(), "$.name");
        }
        spdlog::info("rekap-central: {} disabled the desk account {}", v.name, name);
        sendJson(res, 200, {{"disabled", name}});
    });
}

} // namespace rekap::central
