#pragma once
// rekap-central's HTTP API (docs/protocol.md) over a CentralStore and a PhotoStore.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "rekap/central/photos.h"
#include "rekap/central/store.h"

namespace httplib {
class Server;
}

namespace rekap::central {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                            ///< 0 picks a free port
    std::string certFile, keyFile;              ///< both set: HTTPS
    std::size_t maxBodyBytes = 8u << 20;        ///< request body as sent (compressed)
    std::size_t maxInflatedBytes = 32u << 20;   ///< request body after gzip
    int pullLimit = 500;                        ///< changes per pull page
    int minProtocol = protocol::kVersion;       ///< older devices are told to update
    std::string webDir = REKAP_DEFAULT_WEB_DIR; ///< the dashboard's files
    /// Connections served at once. A device on 2G holds its worker for the seconds its upload
    /// takes, and a kept-alive one until it goes idle, so this is far above the core count:
    /// cpp-httplib's own default (8 on 2 cores) let eight slow devices stall the whole regency.
    int workers = 64;
};

class CentralServer {
public:
    CentralServer(CentralStore& store, PhotoStore& photos, ServerOptions options);
    ~CentralServer();
    /// Binds and serves on a background thread; returns the bound port. Throws when it cannot bind.
    int start();
    void stop();
    int port() const { return port_; }

private:
    void routes();
    bool bind();
    CentralStore& store_;
    PhotoStore& photos_;
    ServerOptions options_;
    std::unique_ptr<httplib::Server> http_;
    std::thread thread_;
    std::atomic<bool> listenEnded_{false};
    int port_ = 0;
};

} // namespace rekap::central
