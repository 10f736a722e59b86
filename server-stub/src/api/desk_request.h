#pragma once
// What the desk's routes read from a request: the area and contest asked for, within the
// login's scope, and the checks a request that changes something must pass.

#include "api/http_util.h"
#include "api/viewer.h"
#include "http/message.h"
#include "rekap/central/api_error.h"
#include "rekap/central/store.h"

namespace rekap::central {

inline AreaCode areaParam(const http::Request& req, const Viewer& v) {
    if (!req.hasParam("area"))
        return v.scope;
    std::string why;
    auto a = AreaCode::tryParse(req.param("area"), &why);
    if (!a)
        throw ApiError(Problem::BadRequest, why, "area");
    if (!v.scope.contains(*a))
        throw ApiError(Problem::Forbidden,
                       "this login sees " + v.scope.str() + " only, not " + a->str());
    return *a;
}

inline std::string contestParam(const http::Request& req, const CentralStore& store) {
    return req.hasParam("contest") ? req.param("contest")
                                   : store.masterData().regency().contests.front().code;
}

/// A state-changing request from a browser: JSON only (a form cannot send it without CORS,
/// which the receiver never grants), and, when the browser names its origin, ours.
inline void requireSameOriginJson(const http::Request& req) {
    auto type = req.header("Content-Type");
    auto media = type.substr(0, type.find(';'));
    while (!media.empty() && media.back() == ' ')
        media.pop_back();
    if (!http::equalsIgnoreCase(media, "application/json"))
        throw ApiError(Problem::UnsupportedMediaType,
                       "this request must be sent as application/json");
    if (!req.hasHeader("Origin"))
        return;
    auto origin = req.header("Origin");
    auto expected = std::string(req.secure ? "https://" : "http://") + req.header("Host");
    if (!http::equalsIgnoreCase(origin, expected))
        throw ApiError(Problem::Forbidden, "request from another origin (" + origin + ") refused");
}

} // namespace rekap::central
