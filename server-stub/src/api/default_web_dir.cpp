#include "rekap/central/server.h"

namespace rekap::central {

std::string defaultWebDir() {
    return REKAP_DEFAULT_WEB_DIR;
}

} // namespace rekap::central
