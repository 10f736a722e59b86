// rekap-sim: a whole regency on election day. Every TPS is a simulated device using the real
// sync library (its own SQLite file, its own token) against a real rekap-central on 127.0.0.1.
// Devices enrol and capture all their sheets offline, then come online in random order, a few
// at a time; some sync twice (a lost acknowledgement), some correct a sheet, a few TPS get a
// second device whose operator typed one vote differently (a conflict the desk then decides),
// and a few sheets are misread (rejected by the rules). At the end every figure the desk reads
// (each TPS, desa, kecamatan and the kabupaten; per candidate, party and caleg; the TPS counts)
// must equal plain sums of the planned sheets (plain_sums.h, no receiver code), every revision
// must be stored exactly once, and every sheet be accounted for. Exits non-zero on any mismatch
// and prints the figures.
//
// Faults on demand: --faults R sends every device through a fault-injecting proxy that breaks a
// share R of connections (refused, reset mid-request or mid-response, truncated, stalled);
// --kill-every MS runs the receiver as a separate rekap-central process and kill -9s it at
// random moments (about every MS milliseconds) while devices enrol and sync, restarting it each
// time. Devices then do what the tablet app does: try again later.

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <set>
#include <thread>
#include <unistd.h>

#include <httplib.h>

#include "child_process.h"
#include "fault_proxy.h"
#include "plain_sums.h"
#include "rekap/central/database.h"
#include "rekap/central/reports.h"
#include "rekap/central/server.h"
#include "rekap/master_data.h"
#include "rekap/sheet_codec.h"
#include "rekap/sync/sync_client.h"
#include "sheet_maker.h"
#include "store_sql.h"
#include "test_programs.h"

using namespace rekap;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string regency = "data/regencies/banyuasin-1607.json";
    std::string workdir;
    int tps = 0; ///< 0: all
    int threads = 4;
    std::uint64_t seed = 14022024;
    double misreadRate = 0.01, correctionRate = 0.05, conflictRate = 0.01, doubleSyncRate = 0.05;
    double faults = 0; ///< share of connections the proxy breaks
    int killEvery = 0; ///< mean milliseconds between kill -9s of the receiver (0: never)
    /// Through a front (nginx, tests/deploy): the receiver listens on this port, trusts the
    /// front as its proxy, and devices use the front's URL with its CA.
    int receiverPort = 0;
    std::string deviceUrl, ca;
    /// The receiver's store: a PostgreSQL URL (default: a SQLite file in the work folder).
    std::string db;
    /// Several receivers on that store (a front such as nginx spreads devices over them); with
    /// --kill-every, a random one of them is killed each time.
    std::vector<int> receiverPorts;
    /// A command that restarts the database server, run once, this many ms into the sync.
    std::string restartDbCommand;
    int restartDbAfter = 0;
};

Options simOptions; // set once in main(), read by syncOptions()

struct Device {
    const Tps* tps = nullptr;
    fs::path store;
    bool second = false; ///< the conflicting second device of its TPS
};

/// What the desk should count for a sheet, by contest: the intended winner's numbers.
struct Expected {
    std::map<std::string, std::optional<Sheet>>
        sheets; ///< key -> counted sheet (nullopt: rejected)
    long revisions = 0;
};

sync::SyncOptions syncOptions() {
    sync::SyncOptions o;
    o.baseBackoff = std::chrono::milliseconds(20);
    o.maxBackoff = std::chrono::milliseconds(500);
    o.maxAttempts = 20;
    o.http.caFile = simOptions.ca;
    return o;
}

template <typename F> void parallel(int threads, std::size_t n, F&& task) {
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t i; (i = next++) < n;)
                task(i);
        });
    for (auto& t : pool)
        t.join();
}

/// Runs a device's step again until the network lets it through, as the app's automatic sync
/// does; a fatal answer or a real error still fails at once.
template <typename F> void untilThrough(F&& step) {
    for (int attempt = 1;; ++attempt) {
        try {
            step();
            return;
        } catch (const sync::SyncError& e) {
            if (e.kind() != sync::SyncError::Kind::Transient || attempt >= 40)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

int freePort() {
    rekap::test::FaultProxy probe(1); // binds a free port on 127.0.0.1, then lets it go
    return probe.port();
}

/// rekap-central as processes of their own, one per port, on one store; while armed, one of
/// them (at random) is killed with SIGKILL at random moments and started again on its port.
class ReceiverPool {
public:
    ReceiverPool(std::vector<std::string> storeArgs, std::vector<int> ports, int meanMs,
                 std::uint64_t seed, bool behindProxy)
        : storeArgs_(std::move(storeArgs))
        , ports_(std::move(ports))
        , meanMs_(meanMs)
        , behindProxy_(behindProxy)
        , rng_(seed) {
        for (std::size_t i = 0; i < ports_.size(); ++i)
            children_.push_back(start(ports_[i]));
        thread_ = std::thread([this] { run(); });
    }
    ~ReceiverPool() { stop(); }
    /// Stops killing; the receivers go on serving.
    void calm() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable())
            thread_.join();
    }
    /// Stops killing and stops every receiver.
    void stop() {
        calm();
        for (auto& c : children_)
            if (c) {
                c->kill9();
                c->wait();
                c.reset();
            }
    }
    /// Starts killing: until now the receivers run undisturbed (for enrolment and capture).
    void arm() {
        {
            std::lock_guard lock(mu_);
            armed_ = true;
        }
        changed_.notify_all();
    }
    int kills() const { return kills_; }

private:
    /// A receiver on `port`, once it listens. The database may be restarting: a receiver that
    /// cannot open its store exits, and is started again.
    std::unique_ptr<rekap::test::ChildProcess> start(int port) {
        auto args = storeArgs_;
        args.insert(args.end(), {"serve", "--host", "127.0.0.1", "--port", std::to_string(port),
                                 "--no-access-log"});
        if (behindProxy_)
            args.insert(args.end(), {"--trust-proxy", "127.0.0.1"});
        for (int attempt = 0; attempt < 150; ++attempt) {
            auto child = std::make_unique<rekap::test::ChildProcess>(REKAP_CENTRAL_BIN, args);
            auto line = child->readLine(std::chrono::seconds(30));
            if (line && line->find("listening on") != std::string::npos)
                return child;
            child->kill9();
            child->wait();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        std::cerr << "rekap-sim: the receiver on port " << port << " did not start again\n";
        std::abort();
    }
    void run() {
        std::exponential_distribution<double> wait(1.0 / std::max(1, meanMs_));
        std::unique_lock lock(mu_);
        changed_.wait(lock, [&] { return stopping_ || armed_; });
        while (!stopping_ && meanMs_ > 0) {
            auto until = Clock::now() + std::chrono::milliseconds(static_cast<long>(wait(rng_)));
            changed_.wait_until(lock, until, [&] { return stopping_; });
            if (stopping_)
                break;
            auto i = rng_() % children_.size();
            lock.unlock();
            children_[i]->kill9(); // mid-ingest, most of the time: devices push all along
            children_[i]->wait();
            ++kills_;
            children_[i] = start(ports_[i]);
            lock.lock();
        }
    }

    std::vector<std::string> storeArgs_;
    std::vector<int> ports_;
    int meanMs_;
    bool behindProxy_;
    std::mt19937_64 rng_;
    std::vector<std::unique_ptr<rekap::test::ChildProcess>> children_;
    std::mutex mu_;
    std::condition_variable changed_;
    bool stopping_ = false, armed_ = false;
    std::atomic<int> kills_{0};
    std::thread thread_;
};

/// The tally report of every contest at the regency level, as `port`'s receiver answers it,
/// without the fields that say when it was made.
std::map<std::string, nlohmann::json> receiverReports(int port, const std::string& desk,
                                                      const Regency& reg) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(std::chrono::seconds(30));
    std::map<std::string, nlohmann::json> out;
    for (const auto& contest : reg.contests) {
        auto res = c.Get(("/api/v1/tally?contest=" + contest.code + "&area=" + reg.code.str()),
                         {{"Authorization", "Bearer " + desk}});
        out[contest.code] =
            res && res->status == 200 ? nlohmann::json::parse(res->body) : nlohmann::json();
    }
    return out;
}

/// A report without what differs between processes by right: when it was made, and whether
/// this process verified the ledger when it started.
nlohmann::json withoutTimes(nlohmann::json report) {
    if (!report.is_object())
        return report;
    for (const char* k : {"as_of", "version"})
        report.erase(k);
    if (report.contains("seal") && report["seal"].is_object())
        report["seal"].erase("verification");
    return report;
}

int fail(const std::string& what) {
    std::cerr << "rekap-sim: MISMATCH: " << what << "\n";
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    Options opt;
    CLI::App app{"rekap-sim: a whole regency syncing through real devices and a real receiver"};
    app.add_option("--regency", opt.regency, "Regency file")->capture_default_str();
    app.add_option("--tps", opt.tps, "Only the first N TPS (0: all)")->capture_default_str();
    app.add_option("--threads", opt.threads, "Devices online at once")->capture_default_str();
    app.add_option("--seed", opt.seed, "Random seed")->capture_default_str();
    app.add_option("--workdir", opt.workdir,
                   "Folder for the SQLite files (default: a temp folder)");
    app.add_option("--misread-rate", opt.misreadRate)->capture_default_str();
    app.add_option("--correction-rate", opt.correctionRate)->capture_default_str();
    app.add_option("--conflict-rate", opt.conflictRate)->capture_default_str();
    app.add_option("--faults", opt.faults, "Share of connections the proxy breaks")
        ->capture_default_str();
    app.add_option("--kill-every", opt.killEvery,
                   "Kill -9 the receiver about every this many ms (0: never)")
        ->capture_default_str();
    app.add_option("--receiver-port", opt.receiverPort,
                   "Port of the receiver (default: any free one)");
    app.add_option("--device-url", opt.deviceUrl,
                   "Devices sync through this URL (a reverse proxy in front of the receiver, "
                   "which then trusts 127.0.0.1 as its proxy)");
    app.add_option("--ca", opt.ca, "CA file the devices trust (for an HTTPS --device-url)");
    app.add_option("--db", opt.db,
                   "The receiver's store: a PostgreSQL URL, an empty database (default: a "
                   "SQLite file in the work folder)");
    app.add_option("--receiver-ports", opt.receiverPorts,
                   "Several receivers on the store, on these ports (comma-separated), behind "
                   "--device-url")
        ->delimiter(',');
    app.add_option("--restart-db-command", opt.restartDbCommand,
                   "Restarts the database server once during the sync");
    app.add_option("--restart-db-after", opt.restartDbAfter,
                   "Milliseconds into the sync before --restart-db-command")
        ->capture_default_str();
    std::string emitDir;
    app.add_option("--emit-sheets", emitDir,
                   "Only write the first TPS's sheets (one file per contest) to this folder, "
                   "print the TPS code, and exit");
    CLI11_PARSE(app, argc, argv);
    simOptions = opt;
    if (!emitDir.empty()) {
        // For shell-driven tests (tests/net) that need a TPS's valid sheets.
        auto reg = loadRegencyFile(opt.regency);
        std::mt19937_64 rng(opt.seed);
        const auto& tps = reg.tps.front();
        fs::create_directories(emitDir);
        for (const auto& c : reg.contests)
            if (reg.ballotFor(tps, c))
                std::ofstream(fs::path(emitDir) / (c.code + ".json"))
                    << encodeSheet(sim::makeSheet(reg, tps, c, rng)).dump(2) << "\n";
        std::cout << tps.code.str() << "\n";
        return 0;
    }

    auto work = opt.workdir.empty()
                    ? fs::temp_directory_path() / ("rekap-sim-" + std::to_string(opt.seed) + "-" +
                                                   std::to_string(::getpid()))
                    : fs::path(opt.workdir);
    fs::remove_all(work);
    fs::create_directories(work / "devices");
    auto t0 = Clock::now();

    const std::string location = opt.db.empty() ? (work / "central.db").string() : opt.db;
    const bool postgres = central::db::isPostgres(location);
    central::StoreOptions storeOptions;
    std::vector<std::string> storeArgs{"--db", location, "--photos", (work / "photos").string()};
    if (postgres) {
        // Every receiver on the database signs with the same key.
        storeOptions.signingKeyFile = work / "central.key";
        storeArgs.insert(storeArgs.end(), {"--signing-key", storeOptions.signingKeyFile.string()});
    }
    auto openStore = [&] {
        return std::make_unique<central::CentralStore>(location, storeOptions);
    };
    auto storePtr = openStore();
    storePtr->masterData().loadRegency(opt.regency);
    auto regPtr = std::make_shared<Regency>(loadRegencyFile(opt.regency)); // outlives reopenings
    const auto& reg = *regPtr;
    // Devices always reach the receiver through the proxy, whose port stays put while the
    // receiver behind it is killed and restarted.
    int receiverPort = opt.receiverPort ? opt.receiverPort : freePort();
    auto ports = opt.receiverPorts.empty() ? std::vector<int>{receiverPort} : opt.receiverPorts;
    receiverPort = ports.front();
    if (ports.size() > 1 && opt.deviceUrl.empty()) {
        std::cerr << "rekap-sim: several receivers need a front that spreads devices over them "
                     "(--device-url)\n";
        return 2;
    }
    // Receivers that run as processes of their own and keep serving to the end: several of them,
    // or one on a database server that the in-process store shares with it.
    const bool pooled = ports.size() > 1 || postgres;
    rekap::test::FaultProxy proxy(receiverPort);
    if (opt.faults > 0)
        proxy.setFaults(rekap::test::FaultProfile::uniform(opt.faults, opt.seed));
    auto url = opt.deviceUrl.empty() ? proxy.url() : opt.deviceUrl;
    std::unique_ptr<central::PhotoStore> photos;
    std::unique_ptr<central::CentralServer> server;
    auto serveInProcess = [&] {
        photos = std::make_unique<central::PhotoStore>(work / "photos");
        central::ServerOptions so;
        so.port = receiverPort;
        if (!opt.deviceUrl.empty())
            so.trustedProxies = {"127.0.0.1"};
        // As `serve` does: tablets ask for answers when stored (Prefer: respond-async).
        storePtr->intake().startIntegrating();
        server = std::make_unique<central::CentralServer>(*storePtr, *photos, so);
        server->start();
    };

    std::mt19937_64 rng(opt.seed);
    std::uniform_real_distribution<double> chance(0, 1);
    std::vector<Device> devices;
    for (const auto& t : reg.tps) {
        if (opt.tps && static_cast<int>(devices.size()) >= opt.tps)
            break;
        devices.push_back({&t, work / "devices" / (t.code.str() + ".db"), false});
    }
    std::size_t firsts = devices.size();
    for (std::size_t i = 0; i < firsts; ++i)
        if (chance(rng) < opt.conflictRate)
            devices.push_back(
                {devices[i].tps, work / "devices" / (devices[i].tps->code.str() + "-b.db"), true});

    // Each device's plan, drawn up front so that the expectation does not depend on timing.
    struct Plan {
        std::vector<Sheet> sheets;
        std::vector<Sheet> good; ///< what the paper says (a misread sheet's true numbers)
        std::vector<bool> misread;
        std::optional<std::size_t> correct; ///< index of the sheet corrected after the first sync
        bool doubleSync = false;
        std::string code;
    };
    std::vector<Plan> plans(devices.size());
    Expected expected;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        auto& p = plans[i];
        const auto& d = devices[i];
        p.code = storePtr->registry().mintCodes(protocol::Role::Operator, d.tps->code, 1,
                                                std::chrono::hours(24), "sim")[0];
        if (d.second) {
            // One contest typed with one vote moved: a conflict with the first device's sheet.
            auto key = d.tps->code.str() + "/" + reg.contests[0].code;
            auto base = expected.sheets[key];
            if (!base)
                continue; // the first one was misread: nothing to disagree with
            p.sheets.push_back(sim::shiftOneVote(*base));
            p.good.push_back(p.sheets.back());
            p.misread.push_back(false);
            continue;
        }
        for (const auto& c : reg.contests) {
            if (!reg.ballotFor(*d.tps, c))
                continue;
            auto s = sim::makeSheet(reg, *d.tps, c, rng);
            bool bad = chance(rng) < opt.misreadRate;
            p.sheets.push_back(bad ? sim::misread(s) : s);
            p.good.push_back(s);
            p.misread.push_back(bad);
            expected.sheets[s.key()] = bad ? std::nullopt : std::optional<Sheet>(s);
        }
        if (chance(rng) < opt.correctionRate) {
            // A correction; of a misread sheet it is the fix, which the receiver then accepts.
            p.correct = rng() % p.sheets.size();
            expected.sheets[p.good[*p.correct].key()] = sim::shiftOneVote(p.good[*p.correct]);
        }
        p.doubleSync = chance(rng) < opt.doubleSyncRate;
    }

    std::unique_ptr<ReceiverPool> killer;
    if (opt.killEvery > 0 || pooled) {
        storePtr.reset(); // the receiver processes own the store now
        killer = std::make_unique<ReceiverPool>(storeArgs, ports, opt.killEvery, opt.seed,
                                                !opt.deviceUrl.empty());
    } else {
        serveInProcess();
    }

    // 1. Enrol and capture offline.
    std::atomic<long> finalized{0};
    std::mutex errMu;
    std::vector<std::string> errors;
    auto record = [&](const std::string& e) {
        std::lock_guard lock(errMu);
        errors.push_back(e);
    };
    parallel(opt.threads, devices.size(), [&](std::size_t i) {
        try {
            sync::DeviceFile ds(devices[i].store);
            sync::SyncClient client(ds, syncOptions());
            untilThrough([&] { client.enrol(url, plans[i].code, "sim"); });
            for (std::size_t k = 0; k < plans[i].sheets.size(); ++k) {
                sync::Capture::FinalizeOptions fo;
                fo.allowRuleErrors = plans[i].misread[k];
                ds.capture().finalize(plans[i].sheets[k], "KPPS " + devices[i].tps->name, fo);
                ++finalized;
            }
        } catch (const std::exception& e) {
            record(devices[i].tps->code.str() + " capture: " + e.what());
        }
    });
    auto tCaptured = Clock::now();

    // 2. Online in random order: sync, sometimes twice, sometimes a correction and again.
    if (killer)
        killer->arm();
    std::thread restartingDb;
    if (!opt.restartDbCommand.empty())
        restartingDb = std::thread([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(opt.restartDbAfter));
            int rc = std::system(opt.restartDbCommand.c_str());
            std::cout << "database server restarted during the sync (" << opt.restartDbCommand
                      << ": exit " << rc << ")" << std::endl;
            if (rc != 0)
                record("the database restart command failed: " + opt.restartDbCommand);
        });
    std::vector<std::size_t> order(devices.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    // Second devices come after the first ones have reported, as the desk would see it.
    std::stable_partition(order.begin(), order.end(),
                          [&](std::size_t i) { return !devices[i].second; });
    parallel(opt.threads, order.size(), [&](std::size_t n) {
        auto i = order[n];
        try {
            sync::DeviceFile ds(devices[i].store);
            sync::SyncClient client(ds, syncOptions());
            untilThrough([&] { client.sync(); });
            if (plans[i].doubleSync) {
                sqlite::Database(ds.path().string())
                    .exec("UPDATE revisions SET state = 'queued' WHERE origin = 'device'");
                untilThrough([&] { client.sync(); });
            }
            if (plans[i].correct) {
                sync::Capture::FinalizeOptions fo;
                fo.reason = "koreksi: salah tulis";
                ds.capture().finalize(sim::shiftOneVote(plans[i].good[*plans[i].correct]), "KPPS",
                                      fo);
                ++finalized;
                untilThrough([&] { client.sync(); });
            }
        } catch (const std::exception& e) {
            record(devices[i].tps->code.str() + " sync: " + e.what());
        }
    });
    if (restartingDb.joinable())
        restartingDb.join();
    auto tSynced = Clock::now();
    int kills = 0;
    if (killer) {
        if (pooled) {
            killer->calm(); // they go on serving; the desk works beside them on the same store
            kills = killer->kills();
            storePtr = openStore();
        } else {
            killer->stop();
            kills = killer->kills();
            killer.reset();
            storePtr = openStore();
            serveInProcess();
        }
    }
    auto& store = *storePtr;

    // 3. The desk decides every conflict for the first device's version; devices pull it.
    int resolved = 0;
    for (const auto& c : store.sheets().conflicts()) {
        auto revs = store.sheets().revisionsOf(c.key);
        std::string first;
        for (const auto& r : revs)
            if (std::find(c.heads.begin(), c.heads.end(), r.revision.id) != c.heads.end() &&
                r.revision.device != "desk" && first.empty())
                first = r.revision.id;
        // The head from the TPS's first device: the one whose numbers the plan expects.
        for (const auto& r : revs)
            if (std::find(c.heads.begin(), c.heads.end(), r.revision.id) != c.heads.end()) {
                auto key = r.revision.sheet.key();
                if (expected.sheets[key] && r.revision.sheet == *expected.sheets[key])
                    first = r.revision.id;
            }
        store.sheets().resolve(c.key, first, "diputuskan desk (simulasi)", "Desk");
        ++resolved;
    }
    parallel(opt.threads, devices.size(), [&](std::size_t i) {
        try {
            sync::DeviceFile ds(devices[i].store);
            sync::SyncClient client(ds, syncOptions());
            untilThrough([&] { client.sync(); });
        } catch (const std::exception& e) {
            record(devices[i].tps->code.str() + " final sync: " + e.what());
        }
    });
    auto tDone = Clock::now();
    if (server)
        server->stop();
    store.live().follow(); // what the devices' last syncs brought to the other receivers

    // 4. Check everything.
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::cout << "devices " << devices.size() << " (" << (devices.size() - firsts)
              << " second devices), revisions finalized " << finalized << ", conflicts resolved "
              << resolved << "\n"
              << "capture " << secs(t0, tCaptured) << " s, sync " << secs(tCaptured, tSynced)
              << " s, total " << secs(t0, tDone) << " s\n";
    if (opt.faults > 0)
        std::cout << "faults: " << proxy.counts().summary() << "\n";
    if (opt.killEvery > 0)
        std::cout << "receiver killed with SIGKILL " << kills << " times while devices synced\n";
    if (!errors.empty()) {
        for (const auto& e : errors)
            std::cerr << e << "\n";
        return fail(std::to_string(errors.size()) + " device errors");
    }
    auto sql = test::sqlOf(store);
    auto& db = *sql;
    auto count = db.prepare("SELECT COUNT(*), COUNT(DISTINCT id), SUM(CASE WHEN device = 'desk' "
                            "THEN 1 ELSE 0 END) FROM revisions");
    count.step();
    if (count.int64(0) != count.int64(1))
        return fail("duplicate revisions stored");
    if (count.int64(0) - count.int64(2) != finalized)
        return fail("stored " + std::to_string(count.int64(0) - count.int64(2)) +
                    " device revisions, finalized " + std::to_string(finalized.load()));
    if (db.integrityCheck() != "ok")
        return fail("integrity_check: " + db.integrityCheck());
    for (std::size_t i = 0; i < devices.size(); ++i) {
        sync::DeviceFile ds(devices[i].store);
        if (ds.outbox().queueDepth() != 0)
            return fail(devices[i].store.string() + " still has queued revisions");
        for (const auto& e : ds.outbox().all())
            if (e.state == SheetState::Conflict)
                return fail(e.revision.id + " still in conflict on its device");
    }
    if (!store.sheets().conflicts().empty())
        return fail("conflicts left");
    long rejected = 0;
    for (const auto& [key, s] : expected.sheets) {
        auto state = store.sheets().sheet(key);
        if (!state)
            return fail("sheet " + key + " never arrived");
        if (!s) {
            ++rejected;
            if (state->state != SheetState::Rejected)
                return fail("misread sheet " + key + " is " +
                            std::string(sheetStateName(state->state)));
            continue;
        }
        auto counted = store.live().counted(key);
        if (!counted.sheet || *counted.sheet != *s)
            return fail("sheet " + key + " counts other numbers than expected");
    }
    // The expected figures, summed from the planned sheets alone, against every area's report.
    std::set<std::string> decided; // sheets the desk decides: each second device's conflict
    for (std::size_t i = 0; i < devices.size(); ++i)
        if (devices[i].second && !plans[i].sheets.empty())
            decided.insert(plans[i].sheets[0].key());
    if (static_cast<int>(decided.size()) != resolved)
        return fail("the desk resolved " + std::to_string(resolved) + " conflicts, the plan made " +
                    std::to_string(decided.size()));
    sim::PlainSums sums(reg);
    for (const auto& [key, s] : expected.sheets) {
        auto slash = key.find('/');
        if (s)
            sums.counted(*s, decided.count(key) > 0);
        else
            sums.rejected(AreaCode::parse(key.substr(0, slash)), key.substr(slash + 1));
    }
    int reports = 0;
    auto differences = sums.compare(store, &reports);
    for (std::size_t i = 0; i < differences.size() && i < 20; ++i)
        std::cerr << differences[i] << "\n";
    if (!differences.empty())
        return fail(std::to_string(differences.size()) + " figures differ from the sums of the "
                                                         "planned sheets");
    for (const auto& c : reg.contests) {
        auto r = central::tallyReport(store, c.code, reg.code);
        std::cout << c.code << ": " << r["tps"]["reported"] << "/" << r["tps"]["total"]
                  << " TPS, valid " << r["votes"]["valid"] << ", rejected " << r["tps"]["rejected"]
                  << "\n";
    }
    std::cout << reports << " area reports (every TPS, desa and kecamatan with a sheet, and the "
              << "kabupaten, for each contest) equal the plain sums of the planned sheets\n";
    if (!(*store.live().recount() == *store.live().tally()))
        return fail("incremental tally differs from a recount");
    // The whole run is checkable by an outsider: every signature, every signed head, every
    // derived table and the tally replayed from the ledger.
    auto verified = store.ledger().verify();
    if (!verified.ok)
        return fail("verify: " + verified.failure);
    std::cout << "verify: " << verified.entries << " ledger entries, " << verified.heads
              << " signed heads, " << verified.revisions << " signed revisions: ok\n";
    std::cout << "sheets " << expected.sheets.size() << " (" << rejected
              << " misread, rejected), every one accounted for; no duplicates; tally exact\n";
    if (pooled) {
        // Every receiver's own live tally, over HTTP, equals the recount above.
        auto desk = store.deskTokens().createDeskToken("rekap-sim");
        std::map<std::string, nlohmann::json> want;
        for (const auto& c : reg.contests)
            want[c.code] = withoutTimes(central::tallyReport(store, c.code, reg.code));
        for (int port : ports) {
            std::map<std::string, nlohmann::json> got;
            for (int attempt = 0; attempt < 50; ++attempt) { // they follow within a second
                got = receiverReports(port, desk, reg);
                for (auto& [code, r] : got)
                    r = withoutTimes(r);
                if (got == want)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (got != want) {
                for (const auto& [code, r] : want)
                    if (got[code] != r)
                        std::cerr << code << ": the receiver's report differs from the "
                                  << "recount by " << nlohmann::json::diff(r, got[code]).dump()
                                  << "\n";
                return fail("the receiver on port " + std::to_string(port) +
                            " reports another tally than the recount");
            }
        }
        std::cout << "every receiver's live tally (" << ports.size()
                  << " receivers, every contest) equals the recount\n";
        if (opt.deviceUrl.starts_with("http://")) {
            // The dashboard through the front: its page, a login, then the session's cookie
            // on whichever receiver the front picks next.
            auto hostPort = opt.deviceUrl.substr(7);
            httplib::Client front(opt.deviceUrl);
            auto page = front.Get("/");
            if (!page || page->status != 200 || page->body.find("<html") == std::string::npos)
                return fail("the dashboard's page does not load through the front");
            auto login = front.Post("/desk/login", {{"Origin", opt.deviceUrl}, {"Host", hostPort}},
                                    nlohmann::json{{"token", desk}}.dump(), "application/json");
            if (!login || login->status != 200 || !login->has_header("Set-Cookie"))
                return fail("the dashboard's login fails through the front: " +
                            (login ? login->body : std::string("no answer")));
            auto cookie = login->get_header_value("Set-Cookie");
            cookie = cookie.substr(0, cookie.find(';'));
            for (std::size_t i = 0; i < 2 * ports.size(); ++i) {
                auto res = front.Get(
                    ("/api/v1/tally?contest=" + reg.contests[0].code + "&area=" + reg.code.str()),
                    {{"Cookie", cookie}});
                if (!res || res->status != 200 ||
                    withoutTimes(nlohmann::json::parse(res->body)) != want[reg.contests[0].code])
                    return fail("the dashboard's session does not work on every receiver");
            }
            std::cout << "the dashboard loads, logs in and reads the tally through the front, "
                      << "its session good on every receiver\n";
        }
        killer->stop();
    }
    std::cout << "rekap-sim: 1 passed, 0 failed\n";
    if (opt.workdir.empty())
        fs::remove_all(work);
    return 0;
}
