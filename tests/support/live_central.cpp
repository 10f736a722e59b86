#include "live_central.h"

#include <fstream>

#include "fixtures.h"

namespace rekap::test {

std::string writeTinyRegency(const TempDir& dir) {
    auto path = dir.file("tiny-regency.json");
    std::ofstream(path) << tinyRegencyJson().dump();
    return path;
}

LiveCentral::LiveCentral(central::ServerOptions options, const std::string& regencyFile,
                         StoreKind kind, bool integrating)
    : location_(kind, dir_)
    , options_(std::move(options)) {
    if (location_.unavailable())
        throw std::runtime_error(kNoPostgres);
    store_ = std::make_unique<central::CentralStore>(location_.location(), location_.options());
    store_->masterData().loadRegency(regencyFile.empty() ? writeTinyRegency(dir_) : regencyFile);
    photos_ = std::make_unique<central::PhotoStore>(dir_.path() / "photos");
    photos_->setNamedBy([this](const std::string& sha, const std::string& tps) {
        return store_->sheets().photoNamedBy(sha, tps);
    });
    options_.host = "127.0.0.1";
    options_.port = 0;
    // As `rekap-central serve` does: a push answered when stored (Prefer: respond-async, what
    // tablets ask for) is integrated at once, not only when another push comes.
    if (integrating)
        store_->intake().startIntegrating();
    start();
}

LiveCentral::~LiveCentral() {
    stop();
}

void LiveCentral::start() {
    server_ = std::make_unique<central::CentralServer>(*store_, *photos_, options_);
    port_ = server_->start();
    options_.port = port_; // a restart comes back on the same port
}

void LiveCentral::stop() {
    if (server_)
        server_->stop();
    server_.reset();
}

std::string LiveCentral::mint(protocol::Role role, const std::string& area) {
    return store_->registry().mintCodes(role, AreaCode::parse(area), 1, std::chrono::hours(24),
                                        "test")[0];
}

} // namespace rekap::test
