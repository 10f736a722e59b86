#pragma once
// Helpers shared by the device API (server.cpp), the desk API (desk_routes.cpp) and the photo
// routes: JSON answers, the protocol's error body, the bearer token.

#include <spdlog/spdlog.h>

#include "http/message.h"
#include "rekap/central/api_error.h"
#include "rekap/central/database.h"
#include "rekap/error.h"

namespace rekap::central {

inline void sendJson(http::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    // Error messages may quote a request's bytes, which need not be UTF-8 (found by fuzzing:
    // a strict dump threw while answering a malformed request); replace, never throw.
    res.setContent(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                   "application/json");
}

inline void sendError(http::Response& res, int status, const protocol::ErrorBody& e) {
    sendJson(res, status, protocol::encodeError(e));
}

/// Runs a handler, turning every failure into the protocol's error body.
template <typename F> void guarded(http::Response& res, F&& f) {
    try {
        f();
    } catch (const ApiError& e) {
        res.headers = {};
        sendError(res, e.status(), e.body());
    } catch (const DecodeError& e) {
        res.headers = {};
        sendError(res, 400, {protocol::error::kBadRequest, e.detail(), e.where()});
    } catch (const StorageError& e) {
        // A full disk, or a database server restarting, is the device's problem to wait out,
        // not a reason to drop anything: nothing was committed, so the retry will store it once.
        // What failed in detail (the database's address, its file, the statement) goes to the
        // receiver's log, not to whoever sent the request.
        spdlog::error("storage: {}", e.what());
        res.headers = {};
        if (e.diskFull())
            sendError(res, 507,
                      {protocol::error::kStorage,
                       "the receiver's storage is full: nothing was stored, try again later", ""});
        else if (e.unavailable())
            sendError(res, 503,
                      {protocol::error::kStorage,
                       "the receiver's database is not answering: nothing was stored, try again "
                       "shortly",
                       ""});
        else
            sendError(res, 500,
                      {protocol::error::kStorage,
                       "the receiver could not use its database: nothing was stored (its log "
                       "says why)",
                       ""});
    } catch (const std::invalid_argument& e) {
        res.headers = {};
        sendError(res, 400, {protocol::error::kBadRequest, e.what(), ""});
    } catch (const std::exception& e) {
        res.headers = {};
        sendError(res, 500, {"internal", e.what(), ""});
    }
}

inline std::string bearer(const http::Request& req) {
    auto h = req.header("Authorization");
    const std::string prefix = "Bearer ";
    return h.rfind(prefix, 0) == 0 ? h.substr(prefix.size()) : std::string();
}

} // namespace rekap::central
