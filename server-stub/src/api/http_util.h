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

inline void sendError(http::Response& res, const ApiError& e) {
    sendJson(res, e.status(), protocol::encodeError(e.body()));
}

/// Runs a handler, turning every failure into the protocol's error body.
template <typename F> void guarded(http::Response& res, F&& f) {
    try {
        f();
    } catch (const ApiError& e) {
        res.headers = {};
        sendError(res, e);
    } catch (const DecodeError& e) {
        res.headers = {};
        sendError(res, ApiError(Problem::BadRequest, e.detail(), e.where()));
    } catch (const StorageError& e) {
        // A full disk, or a database server restarting, is the device's problem to wait out,
        // not a reason to drop anything: nothing was committed, so the retry will store it once.
        // What failed in detail (the database's address, its file, the statement) goes to the
        // receiver's log, not to whoever sent the request.
        spdlog::error("storage: {}", e.what());
        res.headers = {};
        if (e.diskFull())
            sendError(
                res,
                ApiError(Problem::StorageFull,
                         "the receiver's storage is full: nothing was stored, try again later"));
        else if (e.unavailable())
            sendError(res, ApiError(Problem::StorageUnavailable,
                                    "the receiver's database is not answering: nothing was "
                                    "stored, try again shortly"));
        else
            sendError(res, ApiError(Problem::StorageFailed,
                                    "the receiver could not use its database: nothing was "
                                    "stored (its log says why)"));
    } catch (const std::invalid_argument& e) {
        res.headers = {};
        sendError(res, ApiError(Problem::BadRequest, e.what()));
    } catch (const std::exception& e) {
        res.headers = {};
        sendError(res, ApiError(Problem::Internal, e.what()));
    }
}

inline std::string bearer(const http::Request& req) {
    auto h = req.header("Authorization");
    const std::string prefix = "Bearer ";
    return h.rfind(prefix, 0) == 0 ? h.substr(prefix.size()) : std::string();
}

} // namespace rekap::central
