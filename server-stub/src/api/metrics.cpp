#include "api/metrics.h"

#include <cmath>
#include <sstream>

#include "rekap/protocol.h"

namespace rekap::central {

namespace {
std::string number(double v) {
    if (std::isinf(v))
        return "+Inf";
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

/// Label values may hold any byte of a request path pattern: escape as the format asks.
std::string escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::vector<double> latencyBounds() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}
} // namespace

void Histogram::observe(double v) {
    std::size_t i = 0;
    while (i < bounds_.size() && v > bounds_[i])
        ++i;
    ++counts_[i];
    sum_ += v;
    ++count_;
}

void Histogram::write(std::string& out, const std::string& name, const std::string& labels) const {
    std::uint64_t cumulative = 0;
    auto sep = labels.empty() ? "" : ",";
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        cumulative += counts_[i];
        out += name + "_bucket{" + labels + sep + "le=\"" +
               number(i < bounds_.size() ? bounds_[i] : INFINITY) + "\"} " +
               std::to_string(cumulative) + "\n";
    }
    auto braces = labels.empty() ? std::string() : "{" + labels + "}";
    out += name + "_sum" + braces + " " + number(sum_) + "\n";
    out += name + "_count" + braces + " " + std::to_string(count_) + "\n";
}

Metrics::Metrics()
    : queueDepth_({0, 1, 5, 10, 25, 50, 100, 250, 500})
    , groupPushes_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512})
    , groupRevisions_({1, 5, 10, 25, 50, 100, 250, 500, 1000})
    , batchHeld_({0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1}) {}

void Metrics::request(const std::string& route, const std::string& method, int status,
                      double seconds, std::size_t bytesIn, std::size_t bytesOut) {
    std::lock_guard lock(mu_);
    auto it = routes_.find({route, method, status});
    if (it == routes_.end())
        it = routes_
                 .emplace(RouteKey{route, method, status},
                          RouteFigures{0, 0, 0, Histogram(latencyBounds())})
                 .first;
    ++it->second.count;
    it->second.bytesIn += bytesIn;
    it->second.bytesOut += bytesOut;
    it->second.latency.observe(seconds);
}

void Metrics::ingested(const nlohmann::json& results) {
    std::lock_guard lock(mu_);
    for (const auto& r : results)
        if (r.is_object() && r.contains("status") && r["status"].is_string())
            ++outcomes_[r["status"].get<std::string>()];
}

void Metrics::reportedQueueDepth(int depth) {
    std::lock_guard lock(mu_);
    queueDepth_.observe(depth);
}

void Metrics::limited(const std::string& what) {
    std::lock_guard lock(mu_);
    ++limited_[what];
}

void Metrics::groupCommitted(std::size_t pushes, std::size_t revisions) {
    std::lock_guard lock(mu_);
    groupPushes_.observe(static_cast<double>(pushes));
    groupRevisions_.observe(static_cast<double>(revisions));
}

void Metrics::batchIntegrated(double heldSeconds) {
    std::lock_guard lock(mu_);
    batchHeld_.observe(heldSeconds);
}

std::string Metrics::text(const Gauges& g) const {
    std::lock_guard lock(mu_);
    std::string out;
    out += "# HELP rekap_http_requests_total HTTP requests answered, by route, method and status.\n"
           "# TYPE rekap_http_requests_total counter\n";
    for (const auto& [k, f] : routes_)
        out += "rekap_http_requests_total{route=\"" + escape(k.route) + "\",method=\"" + k.method +
               "\",status=\"" + std::to_string(k.status) + "\"} " + std::to_string(f.count) + "\n";
    out += "# HELP rekap_http_request_duration_seconds From a request's first byte to its answer "
           "written, by route and status.\n"
           "# TYPE rekap_http_request_duration_seconds histogram\n";
    for (const auto& [k, f] : routes_)
        f.latency.write(out, "rekap_http_request_duration_seconds",
                        "route=\"" + escape(k.route) + "\",method=\"" + k.method + "\",status=\"" +
                            std::to_string(k.status) + "\"");
    out += "# HELP rekap_http_received_bytes_total Request bytes read (header and body).\n"
           "# TYPE rekap_http_received_bytes_total counter\n";
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> bytes;
    for (const auto& [k, f] : routes_) {
        bytes[k.route].first += f.bytesIn;
        bytes[k.route].second += f.bytesOut;
    }
    for (const auto& [route, b] : bytes)
        out += "rekap_http_received_bytes_total{route=\"" + escape(route) + "\"} " +
               std::to_string(b.first) + "\n";
    out += "# HELP rekap_http_sent_bytes_total Answer body bytes written.\n"
           "# TYPE rekap_http_sent_bytes_total counter\n";
    for (const auto& [route, b] : bytes)
        out += "rekap_http_sent_bytes_total{route=\"" + escape(route) + "\"} " +
               std::to_string(b.second) + "\n";
    out += "# HELP rekap_ingest_revisions_total Pushed revisions by outcome.\n"
           "# TYPE rekap_ingest_revisions_total counter\n";
    for (auto status : {protocol::PushStatus::Accepted, protocol::PushStatus::Conflict,
                        protocol::PushStatus::Rejected, protocol::PushStatus::Duplicate,
                        protocol::PushStatus::Refused}) {
        const std::string o(protocol::pushStatusName(status));
        auto it = outcomes_.find(o);
        out += std::string("rekap_ingest_revisions_total{outcome=\"") + o + "\"} " +
               std::to_string(it == outcomes_.end() ? 0 : it->second) + "\n";
    }
    out += "# HELP rekap_rate_limited_total Requests refused with 429, by what was limited.\n"
           "# TYPE rekap_rate_limited_total counter\n";
    for (const auto* w : {"enrol", "desk_login"}) {
        auto it = limited_.find(w);
        out += std::string("rekap_rate_limited_total{what=\"") + w + "\"} " +
               std::to_string(it == limited_.end() ? 0 : it->second) + "\n";
    }
    out += "# HELP rekap_device_reported_queue_depth Queue depths devices report on each request.\n"
           "# TYPE rekap_device_reported_queue_depth histogram\n";
    queueDepth_.write(out, "rekap_device_reported_queue_depth", "");
    out += "# HELP rekap_devices_queued_revisions Revisions the devices last said they hold.\n"
           "# TYPE rekap_devices_queued_revisions gauge\n"
           "rekap_devices_queued_revisions " +
           std::to_string(g.devicesQueued) +
           "\n# HELP rekap_devices_with_queue Devices whose last report had revisions queued.\n"
           "# TYPE rekap_devices_with_queue gauge\n"
           "rekap_devices_with_queue " +
           std::to_string(g.devicesWithQueue) + "\n";
    out += "# HELP rekap_integrator_batch_seconds How long one integrated batch held the ledger's "
           "writer lock.\n# TYPE rekap_integrator_batch_seconds histogram\n";
    batchHeld_.write(out, "rekap_integrator_batch_seconds", "");
    out += "# HELP rekap_integrator Whether this receiver holds the integrator's role.\n"
           "# TYPE rekap_integrator gauge\nrekap_integrator " +
           std::string(g.integrator ? "1" : "0") + "\n";
    out += "# HELP rekap_db_round_trips_total Statements sent to PostgreSQL and waited for, by "
           "connection (the ledger's writes and reads; the side connection's intake and "
           "answers); 0 on SQLite.\n# TYPE rekap_db_round_trips_total counter\n"
           "rekap_db_round_trips_total{connection=\"ledger\"} " +
           std::to_string(g.ledgerRoundTrips) +
           "\nrekap_db_round_trips_total{connection=\"side\"} " + std::to_string(g.sideRoundTrips) +
           "\n";
    out += "# HELP rekap_group_commit_pushes Pushes integrated together in one transaction.\n"
           "# TYPE rekap_group_commit_pushes histogram\n";
    groupPushes_.write(out, "rekap_group_commit_pushes", "");
    out += "# HELP rekap_group_commit_revisions Revisions integrated in one transaction.\n"
           "# TYPE rekap_group_commit_revisions histogram\n";
    groupRevisions_.write(out, "rekap_group_commit_revisions", "");
    out += "# HELP rekap_http_open_connections Connections open now.\n"
           "# TYPE rekap_http_open_connections gauge\n"
           "rekap_http_open_connections " +
           std::to_string(g.connections) +
           "\n# HELP rekap_http_queued_requests Complete requests waiting for a handler.\n"
           "# TYPE rekap_http_queued_requests gauge\n"
           "rekap_http_queued_requests " +
           std::to_string(g.queuedRequests) +
           "\n# HELP rekap_http_busy_workers Handler threads at work.\n"
           "# TYPE rekap_http_busy_workers gauge\n"
           "rekap_http_busy_workers " +
           std::to_string(g.busyWorkers) +
           "\n# HELP rekap_http_buffered_request_bytes Request body bytes held now (serve "
           "--max-buffered).\n"
           "# TYPE rekap_http_buffered_request_bytes gauge\n"
           "rekap_http_buffered_request_bytes " +
           std::to_string(g.bufferedBytes) + "\n";
    return out;
}

} // namespace rekap::central
