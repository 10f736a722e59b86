#pragma once
// Who is asking: a desk login (token or the dashboard's cookie) sees the whole regency; a
// device's token sees its own scope (a camat's kecamatan, an operator's TPS).

#include <string>

#include "http_util.h"
#include "rekap/central/store.h"

namespace rekap::central {

inline constexpr const char* kCookie = "rekap_desk";

struct Viewer {
    bool desk = false;
    std::string name;
    AreaCode scope;
    std::string device; ///< the device's id, when a device asks
};

inline std::string cookieToken(const httplib::Request& req) {
    auto cookies = req.get_header_value("Cookie");
    auto key = std::string(kCookie) + "=";
    auto pos = cookies.find(key);
    if (pos == std::string::npos)
        return {};
    auto end = cookies.find(';', pos);
    return cookies.substr(pos + key.size(),
                          end == std::string::npos ? std::string::npos : end - pos - key.size());
}

inline Viewer viewerOf(CentralStore& store, const httplib::Request& req) {
    auto token = bearer(req);
    if (token.empty())
        token = cookieToken(req);
    if (token.empty())
        throw ApiError(401, protocol::error::kUnauthorized, "log in with a desk token");
    try {
        return {true, store.authenticateDesk(token), store.regency().code, {}};
    } catch (const ApiError&) {
    }
    auto device = store.authenticate(token);
    return {false, device.name, AreaCode::parse(device.scope), device.id};
}

} // namespace rekap::central
