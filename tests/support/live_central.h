#pragma once
// A real rekap-central (store + HTTP server) on 127.0.0.1 with the tiny test regency, the way
// cpp-httplib's own tests start a server in a fixture.

#include <memory>
#include <string>

#include "rekap/central/server.h"
#include "store_location.h"
#include "temp_dir.h"

namespace rekap::test {

/// Writes the tiny regency (tests/shared/fixtures.h) to `dir` and returns its path.
std::string writeTinyRegency(const TempDir& dir);

class LiveCentral {
public:
    /// With `regencyFile` empty, the tiny test regency (tests/shared/fixtures.h). On PostgreSQL,
    /// a fresh database on the test cluster (check postgresAdminUrl() first: skip without one).
    /// It integrates pushes on a thread of its own, as `serve` does; with `integrating` false,
    /// a push answered when stored waits until another push integrates it, or until
    /// store().intake().startIntegrating().
    explicit LiveCentral(central::ServerOptions options = {}, const std::string& regencyFile = {},
                         StoreKind kind = StoreKind::SQLite, bool integrating = true);
    ~LiveCentral();
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    central::CentralStore& store() { return *store_; }
    std::string mint(protocol::Role role, const std::string& area);
    /// Stops and starts the HTTP server on the same port (the store stays open).
    void stop();
    void start();
    /// Options for the next start(), e.g. a smaller pull page.
    central::ServerOptions& options() { return options_; }
    const TempDir& dir() const { return dir_; }

private:
    TempDir dir_;
    StoreLocation location_;
    central::ServerOptions options_;
    std::unique_ptr<central::CentralStore> store_;
    std::unique_ptr<central::PhotoStore> photos_;
    std::unique_ptr<central::CentralServer> server_;
    int port_ = 0;
};

} // namespace rekap::test
