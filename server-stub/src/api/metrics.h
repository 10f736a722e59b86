#pragma once
// The receiver's figures for GET /metrics, in the Prometheus text format: requests and their
// latency by route and status, ingest outcomes, queue depths devices report, group-commit sizes.
// Built in main() (or a test) and handed to whoever records into it; no global registry.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "rekap/central/store.h"

namespace rekap::central {

/// A Prometheus histogram with fixed bucket bounds.
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds)
        : bounds_(std::move(bounds))
        , counts_(bounds_.size() + 1, 0) {}
    void observe(double v);
    /// Appends the _bucket, _sum and _count lines of `name` with `labels` ("" or `a="b",...`).
    void write(std::string& out, const std::string& name, const std::string& labels) const;

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;
    double sum_ = 0;
    std::uint64_t count_ = 0;
};

class Metrics : public GroupCommitObserver {
public:
    Metrics();
    void request(const std::string& route, const std::string& method, int status, double seconds,
                 std::size_t bytesIn, std::size_t bytesOut);
    /// The push answer's results (their "status" fields).
    void ingested(const nlohmann::json& results);
    void reportedQueueDepth(int depth);
    void limited(const std::string& what);
    void groupCommitted(std::size_t pushes, std::size_t revisions) override;
    void batchIntegrated(double heldSeconds) override;

    /// Gauges read at scrape time by whoever serves /metrics.
    struct Gauges {
        std::size_t connections = 0, queuedRequests = 0, busyWorkers = 0, bufferedBytes = 0;
        std::int64_t devicesQueued = 0, devicesWithQueue = 0; ///< from the store: last reports
        bool integrator = false; ///< this receiver holds the integrator's role
        std::uint64_t ledgerRoundTrips = 0, sideRoundTrips = 0; ///< PostgreSQL's, so far
    };
    std::string text(const Gauges& g) const;

private:
    mutable std::mutex mu_;
    struct RouteKey {
        std::string route, method;
        int status;
        auto operator<=>(const RouteKey&) const = default;
    };
    struct RouteFigures {
        std::uint64_t count = 0, bytesIn = 0, bytesOut = 0;
        Histogram latency;
    };
    std::map<RouteKey, RouteFigures> routes_;
    std::map<std::string, std::uint64_t> outcomes_;
    std::map<std::string, std::uint64_t> limited_;
    Histogram queueDepth_;
    Histogram groupPushes_, groupRevisions_;
    Histogram batchHeld_; ///< seconds an integrated batch held the ledger's writer lock
};

} // namespace rekap::central
