// rekap-ingest-load: devices pushing their sheets over HTTP to one or more running receivers, to
// measure durable ingest (a receiver answers a push only after its COMMIT) with the receiver on
// SQLite or PostgreSQL, alone or several behind a round-robin (docs/benchmarks.md, "Scale-out").
//
// The store is opened in-process (--db, --signing-key) only to mint codes and enrol one operator
// device per TPS of the regency already loaded in it (`rekap-central init`), each with its own
// key; it is closed again before any push. Then every TPS's sheets (all contests,
// sim::makeSheet, signed by its device) are made and encoded, untimed, and --devices threads
// push them, each thread taking the next TPS and pushing its sheets in order, --batch revisions
// per push (1: one revision per push, as a device online sends each sheet once finalized; 5: a
// TPS's whole day at once, as a device that captured offline). Push k of a thread goes to
// --url number (thread + k) mod n, as a round-robin balancer would spread it. Every push carries
// X-Rekap-Since (the device's checkpoint, from the previous answer's pull page), as devices send
// it. Prints one line: sheets, seconds, sheets/s, per-push latency p50/p99.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <httplib.h>
#include <iostream>
#include <random>
#include <thread>

#include "../sim/sheet_maker.h"
#include "rekap/central/store.h"
#include "rekap/protocol.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

using namespace rekap;
using Clock = std::chrono::steady_clock;

namespace {

struct Url {
    std::string host;
    int port = 0;
};

Url parseUrl(const std::string& url) {
    // http://HOST:PORT[/]
    auto rest = url.rfind("http://", 0) == 0 ? url.substr(7) : url;
    if (auto slash = rest.find('/'); slash != std::string::npos)
        rest = rest.substr(0, slash);
    auto colon = rest.rfind(':');
    if (colon == std::string::npos)
        throw std::invalid_argument("--url needs http://HOST:PORT: " + url);
    return {rest.substr(0, colon), std::stoi(rest.substr(colon + 1))};
}

struct Device {
    std::string id;
    std::string token;
    std::vector<std::string> bodies; ///< one per push
};

double percentile(std::vector<double>& v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

} // namespace

int main(int argc, char** argv) {
    std::string db;
    central::StoreOptions storeOptions;
    std::vector<std::string> urls;
    int devices = 64, batch = 1;
    std::size_t tpsLimit = 0;
    std::uint64_t seed = 1;
    std::string waitFor;
    CLI::App app{"rekap-ingest-load: devices pushing signed sheets over HTTP to receivers"};
    app.add_option("--db", db,
                   "The receivers' store (SQLite file or postgresql://...), "
                   "already initialised with a regency")
        ->required();
    app.add_option("--signing-key", storeOptions.signingKeyFile,
                   "The receiver's signing key (required with PostgreSQL)");
    app.add_option("--url", urls, "A receiver, http://HOST:PORT; repeatable (round-robin)")
        ->required();
    app.add_option("--devices", devices, "Devices pushing at once")->capture_default_str();
    app.add_option("--batch", batch, "Revisions per push (1..5)")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    app.add_option("--tps", tpsLimit, "TPS (devices enrolled) to push; 0: every TPS")
        ->capture_default_str();
    app.add_option("--seed", seed, "Seed of the sheets' numbers")->capture_default_str();
    app.add_option("--wait-for", waitFor,
                   "Once enrolled (the 'enrolled' line on stderr), push only when this file "
                   "exists: lets a script count what the pushes alone cost (pg_round_trips.sh)");
    bool early = false;
    app.add_flag("--async", early,
                 "Ask for the answer when stored (Prefer: respond-async), then wait until every "
                 "sheet is integrated: prints both rates");
    CLI11_PARSE(app, argc, argv);

    std::vector<Url> targets;
    for (const auto& u : urls)
        targets.push_back(parseUrl(u));

    // Enrol one operator device per TPS, as a desk does, then close the store.
    std::vector<Device> devs;
    auto t0 = Clock::now();
    {
        central::CentralStore store(db, storeOptions);
        const auto& reg = store.masterData().regency();
        auto n = tpsLimit == 0 ? reg.tps.size() : std::min(tpsLimit, reg.tps.size());
        std::vector<std::string> keys;
        for (std::size_t i = 0; i < n; ++i) {
            auto code = store.registry().mintCodes(protocol::Role::Operator, reg.tps[i].code, 1,
                                                   std::chrono::hours(1), "load")[0];
            auto key = signing::generateKeyPair();
            auto e = store.registry().enrol({code, newUuid(), "load", key.publicKey});
            devs.push_back({e.device, e.token, {}});
            keys.push_back(key.privateKey);
        }
        auto tEnrolled = Clock::now();
        // Make, sign and encode every sheet, untimed, on two threads.
        std::vector<std::thread> makers;
        for (int m = 0; m < 2; ++m)
            makers.emplace_back([&, m] {
                std::mt19937_64 rng(seed * 1000 + static_cast<std::uint64_t>(m));
                for (std::size_t i = static_cast<std::size_t>(m); i < n; i += 2) {
                    auto revisions = nlohmann::json::array();
                    for (std::size_t c = 0; c < reg.contests.size(); ++c) {
                        Revision r;
                        r.id = newUuid();
                        r.device = devs[i].id;
                        r.operatorName = "KPPS " + reg.tps[i].code.str();
                        r.capturedAt = "2024-02-14T09:00:00Z";
                        r.sheet = sim::makeSheet(reg, reg.tps[i], reg.contests[c], rng);
                        signRevision(r, keys[i]);
                        revisions.push_back(encodeRevision(r));
                        if (revisions.size() == static_cast<std::size_t>(batch) ||
                            c + 1 == reg.contests.size()) {
                            devs[i].bodies.push_back(
                                nlohmann::json{{"revisions", revisions}}.dump());
                            revisions = nlohmann::json::array();
                        }
                    }
                }
            });
        for (auto& m : makers)
            m.join();
        std::fprintf(stderr, "enrolled %zu devices in %.1f s; sheets made in %.1f s\n", n,
                     std::chrono::duration<double>(tEnrolled - t0).count(),
                     std::chrono::duration<double>(Clock::now() - tEnrolled).count());
    }
    while (!waitFor.empty() && !std::filesystem::exists(waitFor))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));

    std::atomic<std::size_t> next{0};
    std::atomic<long> sheets{0}, failures{0};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(devices));
    std::vector<std::thread> pool;
    auto tStart = Clock::now();
    for (int t = 0; t < devices; ++t)
        pool.emplace_back([&, t] {
            std::vector<std::unique_ptr<httplib::Client>> clients;
            for (const auto& u : targets) {
                clients.push_back(std::make_unique<httplib::Client>(u.host, u.port));
                clients.back()->set_tcp_nodelay(true);
                clients.back()->set_keep_alive(true);
                clients.back()->set_read_timeout(120, 0);
            }
            auto& lat = latencies[static_cast<std::size_t>(t)];
            std::size_t k = static_cast<std::size_t>(t);
            for (std::size_t i; (i = next++) < devs.size();) {
                std::int64_t since = 0;
                for (const auto& body : devs[i].bodies) {
                    auto& client = *clients[k++ % clients.size()];
                    httplib::Headers h{{"Authorization", "Bearer " + devs[i].token},
                                       {protocol::kHeaderSince, std::to_string(since)}};
                    if (early)
                        h.emplace("Prefer", "respond-async");
                    auto a = Clock::now();
                    auto res = client.Post("/api/v1/sync/push", h, body, "application/json");
                    lat.push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - a).count());
                    if (!res || res->status != 200) {
                        if (!failures++)
                            std::fprintf(stderr, "push failed: %s %d %s\n",
                                         res ? "" : httplib::to_string(res.error()).c_str(),
                                         res ? res->status : 0,
                                         res ? res->body.substr(0, 300).c_str() : "");
                        continue;
                    }
                    auto answer = nlohmann::json::parse(res->body);
                    for (const auto& r : answer.at("results")) {
                        auto state = r.value("state", "");
                        if (state == "accepted" || state == "conflict" ||
                            (early && state == "queued"))
                            ++sheets;
                        else if (!failures++)
                            std::fprintf(stderr, "revision not accepted: %s\n",
                                         r.dump().substr(0, 300).c_str());
                    }
                    if (auto page = protocol::decodeFoldedPull(answer))
                        since = page->next;
                }
            }
        });
    for (auto& t : pool)
        t.join();
    double secs = std::chrono::duration<double>(Clock::now() - tStart).count();
    double integratedSecs = secs;
    if (early) {
        // Stored is not counted: wait for the last sheet to be integrated into the ledger.
        central::CentralStore store(db, storeOptions);
        while (store.sheets().revisionCount() < sheets.load())
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        integratedSecs = std::chrono::duration<double>(Clock::now() - tStart).count();
    }
    std::vector<double> all;
    for (auto& l : latencies)
        all.insert(all.end(), l.begin(), l.end());
    auto pushes = all.size();
    double p50 = percentile(all, 0.5), p99 = percentile(all, 0.99);
    std::printf("sheets %ld seconds %.2f sheets/s %.0f pushes %zu (%d revisions per push, %d "
                "devices at once, %zu receivers) push p50 %.1f ms p99 %.1f ms failures %ld\n",
                sheets.load(), secs, static_cast<double>(sheets.load()) / secs, pushes, batch,
                devices, targets.size(), p50, p99, failures.load());
    if (early)
        std::printf("answered when stored; every sheet integrated after %.2f s: integrated "
                    "sheets/s %.0f\n",
                    integratedSecs, static_cast<double>(sheets.load()) / integratedSecs);
    return failures ? 1 : 0;
}
