#include "rekap/central/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>

#include "rekap/central/push.h"

#include "http_util.h"

#include "rekap/central/api_error.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"

namespace rekap::central {

void addDeskRoutes(httplib::Server& http, CentralStore& store, PhotoStore& photos,
                   const ServerOptions& options);
void addLedgerRoutes(httplib::Server& http, CentralStore& store);

namespace {

DeviceReport reportOf(const httplib::Request& req) {
    DeviceReport r;
    if (req.has_header(protocol::kHeaderQueueDepth)) {
        try {
            r.queueDepth =
                std::max(0, std::stoi(req.get_header_value(protocol::kHeaderQueueDepth)));
        } catch (const std::exception&) {
            throw ApiError(400, protocol::error::kBadRequest,
                           std::string(protocol::kHeaderQueueDepth) + " must be a number");
        }
    }
    auto last = req.get_header_value(protocol::kHeaderLastCapture);
    if (!last.empty() && isUtcTimestamp(last))
        r.lastCaptureAt = last;
    r.appVersion = req.get_header_value(protocol::kHeaderAppVersion).substr(0, 40);
    return r;
}

std::uint64_t headerNumber(const httplib::Request& req, const char* name) {
    auto v = req.get_header_value(name);
    try {
        std::size_t used = 0;
        auto n = std::stoull(v, &used);
        if (used == v.size())
            return n;
    } catch (const std::exception&) {
    }
    throw ApiError(400, protocol::error::kBadRequest,
                   std::string("header ") + name + " must be a whole number");
}

int localPort(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return -1;
    if (addr.ss_family == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
    if (addr.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
    return -1;
}

// Debian's compiled cpp-httplib listens with a backlog of 5: when more devices than that connect
// in the same instant (signal returning to a whole kecamatan), the kernel drops the rest and each
// waits a SYN retry, a second or more, and some time out. Linux lets listen() be called again on a
// listening socket to change its backlog; httplib gives no handle to its socket, so the listening
// socket on our port is found among the process's descriptors.
void widenBacklog(int port) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        int fd = 0;
        try {
            fd = std::stoi(entry.path().filename().string());
        } catch (const std::exception&) {
            continue;
        }
        int listening = 0;
        socklen_t len = sizeof listening;
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && listening &&
            localPort(fd) == port)
            ::listen(fd, 1024);
    }
}

} // namespace

CentralServer::CentralServer(CentralStore& store, PhotoStore& photos, ServerOptions options)
    : store_(store)
    , photos_(photos)
    , options_(std::move(options)) {
    if (!options_.certFile.empty() || !options_.keyFile.empty()) {
        auto ssl = std::make_unique<httplib::SSLServer>(options_.certFile.c_str(),
                                                        options_.keyFile.c_str());
        if (!ssl->is_valid())
            throw std::runtime_error("cannot use certificate " + options_.certFile + " and key " +
                                     options_.keyFile);
        http_ = std::move(ssl);
    } else {
        http_ = std::make_unique<httplib::Server>();
    }
    http_->set_tcp_nodelay(true);
    http_->new_task_queue = [n = static_cast<std::size_t>(std::max(1, options_.workers))] {
        return new httplib::ThreadPool(n);
    };
    http_->set_payload_max_length(options_.maxBodyBytes);
    http_->set_read_timeout(30, 0);
    // Devices keep one connection for a sync's requests; an idle one must not hold a worker long.
    http_->set_keep_alive_timeout(2);
    http_->set_write_timeout(30, 0);
    routes();
    addDeskRoutes(*http_, store_, photos_, options_);
    addLedgerRoutes(*http_, store_);
}

CentralServer::~CentralServer() {
    stop();
}

void CentralServer::routes() {
    auto& http = *http_;
    auto device = [this](const httplib::Request& req) {
        if (req.has_header(protocol::kHeaderProtocol)) {
            int v = static_cast<int>(headerNumber(req, protocol::kHeaderProtocol));
            if (v < options_.minProtocol)
                throw ApiError(426, protocol::error::kProtocolTooOld,
                               "this app speaks protocol " + std::to_string(v) +
                                   "; the receiver needs " + std::to_string(options_.minProtocol) +
                                   ": update the app");
        }
        return store_.authenticate(bearer(req));
    };

    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty())
            return;
        std::string code = res.status == 413   ? protocol::error::kPayloadTooLarge
                           : res.status == 404 ? protocol::error::kNotFound
                                               : protocol::error::kBadRequest;
        sendError(res, res.status, {code, "HTTP " + std::to_string(res.status), ""});
    });

    http.Get("/api/v1/health", [this](const httplib::Request&, httplib::Response& res) {
        guarded(res, [&] {
            sendJson(res, 200,
                     {{"status", "ok"},
                      {"protocol", protocol::kVersion},
                      {"regency", store_.initialized() ? store_.regency().code.str() : ""}});
        });
    });

    http.Post("/api/v1/enrol", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            auto j = parseJsonText(req.body, "request");
            sendJson(res, 200, protocol::encode(store_.enrol(protocol::decodeEnrolRequest(j))));
        });
    });

    http.Get("/api/v1/master-data",
             [this, device](const httplib::Request& req, httplib::Response& res) {
                 guarded(res, [&] {
                     auto d = device(req);
                     store_.recordContact(d.id, reportOf(req));
                     res.set_header("ETag", "\"" + store_.masterDataVersion() + "\"");
                     res.set_content(store_.regencyDocument(), "application/json");
                 });
             });

    http.Post("/api/v1/sync/push", [this, device](const httplib::Request& req,
                                                  httplib::Response& res,
                                                  const httplib::ContentReader& reader) {
        guarded(res, [&] {
            auto d = device(req);
            if (req.has_header("Content-Length") &&
                headerNumber(req, "Content-Length") > options_.maxBodyBytes)
                throw ApiError(413, protocol::error::kPayloadTooLarge,
                               "request body over " + std::to_string(options_.maxBodyBytes) +
                                   " bytes: send smaller batches");
            std::string body;
            bool tooBig = false;
            bool complete = reader([&](const char* data, std::size_t n) {
                if (body.size() + n > options_.maxInflatedBytes) {
                    tooBig = true; // a small gzip body may inflate without bound
                    return false;
                }
                body.append(data, n);
                return true;
            });
            if (tooBig)
                throw ApiError(413, protocol::error::kPayloadTooLarge,
                               "request body inflates to over " +
                                   std::to_string(options_.maxInflatedBytes) + " bytes");
            if (!complete)
                throw ApiError(400, protocol::error::kBadRequest, "request body was cut short");
            std::optional<std::int64_t> since, treeSize;
            if (req.has_header(protocol::kHeaderSince))
                since = static_cast<std::int64_t>(
                    std::min<std::uint64_t>(headerNumber(req, protocol::kHeaderSince), INT64_MAX));
            if (req.has_header(protocol::kHeaderTreeSize))
                treeSize = static_cast<std::int64_t>(std::min<std::uint64_t>(
                    headerNumber(req, protocol::kHeaderTreeSize), INT64_MAX));
            auto answer = handlePush(store_, d, body, reportOf(req), treeSize);
            if (since) // after the commit: the page holds what this push changed
                answer["pull"] = protocol::encode(store_.pull(d, *since, options_.pullLimit));
            sendJson(res, 200, answer);
        });
    });

    http.Get("/api/v1/sync/pull",
             [this, device](const httplib::Request& req, httplib::Response& res) {
                 guarded(res, [&] {
                     auto d = device(req);
                     std::int64_t since = 0;
                     int limit = options_.pullLimit;
                     try {
                         if (req.has_param("since"))
                             since = std::stoll(req.get_param_value("since"));
                         if (req.has_param("limit"))
                             limit = std::clamp(std::stoi(req.get_param_value("limit")), 1,
                                                options_.pullLimit);
                     } catch (const std::exception&) {
                         throw ApiError(400, protocol::error::kBadRequest,
                                        "since and limit must be whole numbers");
                     }
                     store_.recordContact(d.id, reportOf(req));
                     sendJson(res, 200, protocol::encode(store_.pull(d, since, limit)));
                 });
             });

    // A device enrolled before devices signed (protocol 1) registers its first key once.
    http.Post("/api/v1/device/key", [this, device](const httplib::Request& req,
                                                   httplib::Response& res) {
        guarded(res, [&] {
            auto d = device(req);
            auto j = parseJsonText(req.body, "request");
            JsonReader r(j);
            r.rejectUnknownKeys({"public_key"});
            store_.registerDeviceKey(d.id, r.field("public_key").string());
            sendJson(res, 200, {{"device", d.id}, {"public_key", r.field("public_key").string()}});
        });
    });

    const char* photoPath = R"(/api/v1/photos/([0-9a-f]{64}))";
    http.Get(photoPath, [this, device](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            device(req);
            auto s = photos_.status(req.matches[1]);
            sendJson(res, 200, {{"complete", s.complete}, {"offset", s.offset}});
        });
    });
    http.Patch(photoPath, [this, device](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            device(req);
            auto s = photos_.append(req.matches[1], headerNumber(req, "Upload-Offset"),
                                    headerNumber(req, "Upload-Length"), req.body);
            sendJson(res, 200, {{"complete", s.complete}, {"offset", s.offset}});
        });
    });
}

bool CentralServer::bind() {
    bool bound = false;
    if (options_.port == 0) {
        port_ = http_->bind_to_any_port(options_.host);
        bound = port_ > 0;
    } else {
        port_ = options_.port;
        bound = http_->bind_to_port(options_.host, options_.port);
    }
    if (bound)
        widenBacklog(port_);
    return bound;
}

int CentralServer::start() {
    if (!bind())
        throw std::runtime_error("cannot listen on " + options_.host + ":" +
                                 std::to_string(options_.port));
    listenEnded_ = false;
    thread_ = std::thread([this] {
        http_->listen_after_bind();
        listenEnded_ = true;
    });
    // httplib's stop() does nothing to a server not yet running, so a stop() right after
    // start() would leave the listener running and its join() waiting forever.
    while (!http_->is_running() && !listenEnded_)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return port_;
}

void CentralServer::stop() {
    if (http_)
        http_->stop();
    if (thread_.joinable())
        thread_.join();
}

} // namespace rekap::central
