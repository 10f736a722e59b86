#pragma once
// Who is asking, for the read side: the desk (the whole regency), a camat device (its
// kecamatan) or an operator device (its TPS), and what each may read.

#include <optional>
#include <string>

#include "http/message.h"
#include "rekap/area_code.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/central/photos.h"
#include "rekap/central/store.h"

namespace rekap::central {

struct Viewer {
    bool desk = false;
    std::string name;
    AreaCode scope;
    std::string device = {};           ///< the device's id, when a device asks
    std::optional<DeskRole> role = {}; ///< a desk login's role (desk_accounts.h)
};

inline Viewer viewerOf(const DeviceRecord& d) {
    return {false, d.name, AreaCode::parse(d.scope), d.id};
}

/// A photo is read by the desk, the camat of its kecamatan and the devices of its TPS.
inline bool mayRead(const Viewer& v, const PhotoOwner& owner) {
    if (v.desk)
        return true;
    auto tps = AreaCode::tryParse(owner.tps);
    return tps && v.scope.contains(*tps);
}

constexpr const char* kDeskCookie = "rekap_desk";

/// The desk session id the dashboard's cookie carries, or "".
inline std::string deskCookie(const http::Request& req) {
    auto cookies = req.header("Cookie");
    std::size_t pos = 0;
    while (pos < cookies.size()) {
        auto end = cookies.find(';', pos);
        auto part = cookies.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        while (!part.empty() && part.front() == ' ')
            part.erase(0, 1);
        auto key = std::string(kDeskCookie) + "=";
        if (part.rfind(key, 0) == 0)
            return part.substr(key.size());
        if (end == std::string::npos)
            break;
        pos = end + 1;
    }
    return {};
}

} // namespace rekap::central
