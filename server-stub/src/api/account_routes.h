#pragma once
// The administrator's accounts page over HTTP (docs/desk-accounts.md): the desk's accounts with
// their roles, and disabling one (its sessions end at once). Making accounts and setting
// passwords stay on the command line (rekap-central user), where no password crosses the wire.

#include <functional>

#include "api/viewer.h"
#include "http/router.h"
#include "rekap/central/store.h"

namespace rekap::central {

void accountRoutes(http::Router& router, CentralStore& store,
                   std::function<Viewer(http::Request&)> viewerFor);

} // namespace rekap::central
