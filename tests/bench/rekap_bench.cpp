// Google Benchmark figures for docs/benchmarks.md: durable finalize on the device, the
// receiver's batched ingest (in the store, and over loopback HTTP) beside the raw SQLite insert
// rate of the same rows, and tally queries. Every run uses real SQLite files in a temp folder.

#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <httplib.h>
#include <random>
#include <thread>

#include "../sim/sheet_maker.h"
#include "rekap/central/reports.h"
#include "rekap/central/server.h"
#include "rekap/master_data.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"
#include "rekap/support/sqlite.h"
#include "rekap/sync/relay_code.h"
#include "rekap/sync/store/file.h"

using namespace rekap;
namespace fs = std::filesystem;

namespace {

const std::string kRegency = std::string(REKAP_DATA_DIR) + "/regencies/banyuasin-1607.json";

fs::path freshDir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("rekap-bench-" + name + "-" + randomHex(4));
    fs::create_directories(d);
    return d;
}

/// A receiver with Banyuasin and one enrolled operator device per TPS.
struct Receiver {
    fs::path dir = freshDir("central");
    central::CentralStore store{dir / "central.db"};
    std::vector<central::DeviceRecord> devices;
    std::vector<std::string> tokens;
    std::vector<std::string> keys; ///< each device's private key: devices sign what they send
    Receiver(std::size_t nDevices) {
        store.masterData().loadRegency(kRegency);
        const auto& reg = store.masterData().regency();
        for (std::size_t i = 0; i < nDevices && i < reg.tps.size(); ++i) {
            auto code = store.registry().mintCodes(protocol::Role::Operator, reg.tps[i].code, 1,
                                                   std::chrono::hours(1), "")[0];
            auto key = signing::generateKeyPair();
            auto e = store.registry().enrol({code, newUuid(), "bench", key.publicKey});
            keys.push_back(key.privateKey);
            tokens.push_back(e.token);
            devices.push_back(store.registry().authenticate(e.token));
        }
    }
    ~Receiver() { fs::remove_all(dir); }
    /// Every device pushes its five sheets once.
    void fill(std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        for (std::size_t d = 0; d < devices.size(); ++d) {
            auto batch = nlohmann::json::array();
            for (auto& j : batchFor(d, rng))
                batch.push_back(std::move(j));
            store.intake().ingest(devices[d], batch);
        }
    }
    /// One batch: each device's five sheets.
    std::vector<nlohmann::json> batchFor(std::size_t d, std::mt19937_64& rng) {
        const auto& reg = store.masterData().regency();
        const auto& tps = reg.tps[d];
        std::vector<nlohmann::json> out;
        for (const auto& c : reg.contests) {
            Revision r;
            r.id = newUuid();
            r.device = devices[d].id;
            r.operatorName = "bench";
            r.capturedAt = "2024-02-14T09:00:00Z";
            r.sheet = sim::makeSheet(reg, tps, c, rng);
            signRevision(r, keys[d]);
            out.push_back(encodeRevision(r));
        }
        return out;
    }
};

void BM_FinalizeDurable(benchmark::State& state) {
    auto dir = freshDir("device");
    {
        auto regDoc = encodeRegency(loadRegencyFile(kRegency)).dump();
        auto reg = loadRegencyFile(kRegency);
        sync::DeviceFile store(dir / "device.db");
        const auto& tps = reg.tps[0];
        store.identity().save({"http://127.0.0.1:1", "dev-bench", "t", protocol::Role::Operator,
                               tps.code.str(), reg.code.str(), ""});
        store.masterData().save(regDoc);
        std::mt19937_64 rng(1);
        auto sheet = sim::makeSheet(reg, tps, reg.contests[0], rng);
        sync::Capture::FinalizeOptions o;
        o.reason = "bench";
        for (auto _ : state) {
            sheet.disabledVoters.l ^= 1;
            sheet.disabledVoters.total = sheet.disabledVoters.l + sheet.disabledVoters.p;
            benchmark::DoNotOptimize(store.capture().finalize(sheet, "bench", o));
        }
    }
    fs::remove_all(dir);
}
BENCHMARK(BM_FinalizeDurable)->Unit(benchmark::kMillisecond);

/// The QR relay (docs/relay.md): a TPS's five signed sheets as relay codes. The counters say how
/// many codes the operator shows and how large they are; the time is the tablet's to make them.
void BM_RelaySeries(benchmark::State& state) {
    auto reg = loadRegencyFile(kRegency);
    std::mt19937_64 rng(7);
    auto key = signing::generateKeyPair();
    std::vector<nlohmann::json> revisions;
    std::size_t json = 0;
    for (const auto& c : reg.contests) {
        Revision r;
        r.id = newUuid();
        r.device = "dev-bench";
        r.operatorName = "bench";
        r.capturedAt = "2024-02-14T09:00:00Z";
        r.sheet = sim::makeSheet(reg, reg.tps[0], c, rng);
        signRevision(r, key.privateKey);
        revisions.push_back(encodeRevision(r));
        json += revisions.back().dump().size();
    }
    std::vector<std::string> codes;
    for (auto _ : state)
        codes = sync::relay::encodeSeries(revisions);
    std::size_t chars = 0;
    for (const auto& c : codes)
        chars += c.size();
    state.counters["sheets"] = static_cast<double>(revisions.size());
    state.counters["json_bytes"] = static_cast<double>(json);
    state.counters["codes"] = static_cast<double>(codes.size());
    state.counters["code_chars"] = static_cast<double>(chars);
}
BENCHMARK(BM_RelaySeries)->Unit(benchmark::kMillisecond);

void BM_IngestStore(benchmark::State& state) {
    const auto perBatch =
        static_cast<std::size_t>(state.range(0)); // devices per batch, 5 sheets each
    Receiver rx(2549);
    std::mt19937_64 rng(2);
    std::size_t next = 0, sheets = 0;
    for (auto _ : state) {
        state.PauseTiming();
        if (next + perBatch > rx.devices.size())
            next = 0; // corrections of the same sheets from here on: still one commit each
        auto batch = nlohmann::json::array();
        for (std::size_t d = next; d < next + perBatch; ++d)
            for (auto& j : rx.batchFor(d, rng))
                batch.push_back(std::move(j));
        state.ResumeTiming();
        // A batch per device: what the receiver commits is one device's push.
        for (std::size_t d = next; d < next + perBatch; ++d) {
            auto mine = nlohmann::json::array();
            for (std::size_t k = 0; k < 5; ++k)
                mine.push_back(batch[(d - next) * 5 + k]);
            benchmark::DoNotOptimize(rx.store.intake().ingest(rx.devices[d], mine));
        }
        sheets += perBatch * 5;
        next += perBatch;
    }
    state.counters["sheets/s"] =
        benchmark::Counter(static_cast<double>(sheets), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestStore)->Arg(50)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IngestStoreConcurrent(benchmark::State& state) {
    // Eight devices' pushes (5 sheets each) at a time, as the HTTP server's eight workers hand
    // them to the store: the group commit puts concurrent pushes in one transaction and fsync.
    const int threads = static_cast<int>(state.range(0));
    const std::size_t perIteration = 200; // devices per iteration
    Receiver rx(2549);
    std::mt19937_64 rng(5);
    std::size_t next = 0, sheets = 0;
    for (auto _ : state) {
        state.PauseTiming();
        if (next + perIteration > rx.devices.size())
            next = 0;
        std::vector<nlohmann::json> pushes;
        for (std::size_t d = next; d < next + perIteration; ++d) {
            auto batch = nlohmann::json::array();
            for (auto& j : rx.batchFor(d, rng))
                batch.push_back(std::move(j));
            pushes.push_back(std::move(batch));
        }
        state.ResumeTiming();
        std::atomic<std::size_t> i{0};
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&] {
                for (std::size_t k; (k = i++) < pushes.size();)
                    benchmark::DoNotOptimize(
                        rx.store.intake().ingest(rx.devices[next + k], pushes[k]));
            });
        for (auto& t : pool)
            t.join();
        sheets += perIteration * 5;
        next += perIteration;
    }
    state.counters["sheets/s"] =
        benchmark::Counter(static_cast<double>(sheets), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestStoreConcurrent)->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RawSqliteInsert(benchmark::State& state) {
    // The ceiling: the same rows the receiver writes for a revision (its columns, body and the
    // revisions table's two indexes) straight into SQLite, durable, 250 per transaction (about a
    // full group commit). Rows are built while the clock is paused, so only SQLite is timed.
    auto dir = freshDir("raw");
    std::size_t rows = 0, bodyBytes = 0;
    {
        Receiver rx(50);
        std::mt19937_64 rng(3);
        std::vector<Revision> revs;
        for (std::size_t d = 0; d < 50; ++d)
            for (auto& j : rx.batchFor(d, rng))
                revs.push_back(decodeRevision(j, rx.store.masterData().regency()));
        sqlite::Database db((dir / "raw.db").string(), true);
        db.exec("CREATE TABLE revisions (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL "
                "UNIQUE, hash TEXT NOT NULL, content TEXT NOT NULL, sheet TEXT NOT NULL, tps TEXT "
                "NOT NULL, contest TEXT NOT NULL, device TEXT NOT NULL, operator TEXT NOT NULL, "
                "captured_at TEXT NOT NULL, body TEXT NOT NULL);"
                "CREATE INDEX revisions_sheet ON revisions(sheet)");
        struct Row {
            Revision rev;
            RevisionTexts texts;
            std::string content;
        };
        std::vector<Row> batch(revs.size());
        for (auto _ : state) {
            state.PauseTiming();
            for (std::size_t i = 0; i < revs.size(); ++i) {
                batch[i].rev = revs[i];
                batch[i].rev.id = newUuid(); // a new revision each time, as devices send
                batch[i].texts = revisionTexts(batch[i].rev);
                batch[i].content = sha256Hex(batch[i].texts.sheet);
            }
            state.ResumeTiming();
            db.transaction([&] {
                auto st = db.prepare("INSERT INTO revisions (id, hash, content, sheet, tps, "
                                     "contest, device, operator, captured_at, body) VALUES "
                                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                for (const auto& [rev, texts, content] : batch) {
                    st.bindAll(rev.id, texts.hash, content, rev.sheet.key(), rev.sheet.tps.str(),
                               rev.sheet.contest, rev.device, rev.operatorName, rev.capturedAt,
                               texts.body);
                    st.run();
                    st.reset();
                    bodyBytes += texts.body.size();
                }
            });
            rows += batch.size();
        }
    }
    state.counters["rows/s"] =
        benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
    state.counters["body_bytes"] = static_cast<double>(bodyBytes) / static_cast<double>(rows);
    fs::remove_all(dir);
}
BENCHMARK(BM_RawSqliteInsert)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IngestHttp(benchmark::State& state) {
    // Devices pushing their five sheets over loopback HTTP, gzip off, one request per device.
    Receiver rx(2549);
    central::PhotoStore photos(rx.dir / "photos");
    central::ServerOptions o;
    o.port = 0;
    central::CentralServer server(rx.store, photos, o);
    int port = server.start();
    httplib::Client client("127.0.0.1", port);
    client.set_tcp_nodelay(true);
    client.set_keep_alive(true);
    std::mt19937_64 rng(4);
    std::size_t d = 0, sheets = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto body = nlohmann::json{{"revisions", rx.batchFor(d % rx.devices.size(), rng)}}.dump();
        httplib::Headers h{{"Authorization", "Bearer " + rx.tokens[d % rx.devices.size()]}};
        state.ResumeTiming();
        auto res = client.Post("/api/v1/sync/push", h, body, "application/json");
        if (!res || res->status != 200)
            state.SkipWithError("push failed");
        sheets += 5;
        ++d;
    }
    state.counters["sheets/s"] =
        benchmark::Counter(static_cast<double>(sheets), benchmark::Counter::kIsRate);
    server.stop();
}
BENCHMARK(BM_IngestHttp)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IngestHttpConcurrent(benchmark::State& state) {
    // The load driver: `clients` devices at once, each its own keep-alive connection, pushing
    // five sheets per request over loopback HTTP into the durable store.
    const int clients = static_cast<int>(state.range(0));
    Receiver rx(2549);
    central::PhotoStore photos(rx.dir / "photos");
    central::ServerOptions o;
    o.port = 0;
    central::CentralServer server(rx.store, photos, o);
    int port = server.start();
    std::mt19937_64 rng(6);
    const std::size_t perIteration = 200;
    std::size_t next = 0, sheets = 0;
    std::atomic<int> failures{0};
    for (auto _ : state) {
        state.PauseTiming();
        if (next + perIteration > rx.devices.size())
            next = 0;
        std::vector<std::string> bodies;
        for (std::size_t d = next; d < next + perIteration; ++d)
            bodies.push_back(nlohmann::json{{"revisions", rx.batchFor(d, rng)}}.dump());
        state.ResumeTiming();
        std::atomic<std::size_t> i{0};
        std::vector<std::thread> pool;
        for (int t = 0; t < clients; ++t)
            pool.emplace_back([&] {
                httplib::Client client("127.0.0.1", port);
                client.set_tcp_nodelay(true);
                client.set_keep_alive(true);
                for (std::size_t k; (k = i++) < bodies.size();) {
                    // As the sync client sends it: a device's first push asks for the pull from 0.
                    httplib::Headers h{{"Authorization", "Bearer " + rx.tokens[next + k]},
                                       {protocol::kHeaderSince, "0"}};
                    auto res = client.Post("/api/v1/sync/push", h, bodies[k], "application/json");
                    if (!res || res->status != 200) {
                        if (!failures++)
                            std::fprintf(stderr, "push: %s %d %s\n",
                                         res ? "" : httplib::to_string(res.error()).c_str(),
                                         res ? res->status : 0, res ? res->body.c_str() : "");
                    }
                }
            });
        for (auto& t : pool)
            t.join();
        sheets += perIteration * 5;
        next += perIteration;
    }
    if (failures)
        state.SkipWithError("pushes failed");
    state.counters["sheets/s"] =
        benchmark::Counter(static_cast<double>(sheets), benchmark::Counter::kIsRate);
    server.stop();
}
BENCHMARK(BM_IngestHttpConcurrent)
    ->Arg(8)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_AcceptanceToTally(benchmark::State& state) {
    // From a device's push leaving to the desk's tally (a second connection, desk token) showing
    // it: each iteration pushes one new TPS's five sheets, then asks GET /api/v1/tally for the
    // PPWP reported count, which must have gone up by one on that first ask.
    Receiver rx(2549);
    auto desk = rx.store.deskTokens().createDeskToken("bench");
    central::PhotoStore photos(rx.dir / "photos");
    central::ServerOptions o;
    o.port = 0;
    central::CentralServer server(rx.store, photos, o);
    int port = server.start();
    httplib::Client device("127.0.0.1", port), dashboard("127.0.0.1", port);
    for (auto* c : {&device, &dashboard}) {
        c->set_tcp_nodelay(true);
        c->set_keep_alive(true);
    }
    httplib::Headers deskAuth{{"Authorization", "Bearer " + desk}};
    std::mt19937_64 rng(8);
    std::size_t d = 0;
    long reported = 0, late = 0;
    for (auto _ : state) {
        state.PauseTiming();
        if (d == rx.devices.size())
            break;
        auto body = nlohmann::json{{"revisions", rx.batchFor(d, rng)}}.dump();
        httplib::Headers h{{"Authorization", "Bearer " + rx.tokens[d]}};
        ++d;
        state.ResumeTiming();
        auto pushed = device.Post("/api/v1/sync/push", h, body, "application/json");
        auto tally = dashboard.Get("/api/v1/tally?contest=ppwp", deskAuth);
        state.PauseTiming();
        if (!pushed || pushed->status != 200 || !tally || tally->status != 200) {
            state.SkipWithError("request failed");
            break;
        }
        auto now = nlohmann::json::parse(tally->body)["tps"]["reported"].get<long>();
        if (now != reported + 1)
            ++late;
        reported = now;
        state.ResumeTiming();
    }
    state.counters["not_yet_in_tally"] = static_cast<double>(late);
    server.stop();
}
BENCHMARK(BM_AcceptanceToTally)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(500);

void BM_TallyReport(benchmark::State& state) {
    Receiver rx(500);
    rx.fill(5);
    const auto& reg = rx.store.masterData().regency();
    auto area = state.range(0) == 0 ? reg.code : reg.kecamatan[0].code;
    for (auto _ : state)
        benchmark::DoNotOptimize(central::tallyReport(rx.store, "ppwp", area));
}
BENCHMARK(BM_TallyReport)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_TallyArea(benchmark::State& state) {
    // The live tally's own look-up, without building JSON.
    Receiver rx(100);
    const auto& reg = rx.store.masterData().regency();
    rx.fill(6);
    auto tallyPtr = rx.store.live().tally();
    const auto& tally = *tallyPtr;
    for (auto _ : state)
        benchmark::DoNotOptimize(tally.area("pdpr", reg.code));
}
BENCHMARK(BM_TallyArea)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
