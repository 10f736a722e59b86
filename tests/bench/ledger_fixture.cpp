// rekap-ledger-fixture: a receiver holding a whole regency's results, and its audit export, in a
// few seconds instead of rekap-sim's many minutes, for timing rekap-verify on a full regency
// (docs/benchmarks.md). Loads the regency, enrols one operator device per TPS with its own
// Ed25519 key, and ingests one valid signed sheet per TPS and contest through
// CentralStore::ingest (a push of five sheets per device, several devices at once as the HTTP
// workers hand them over), then writes the audit export as `rekap-central audit-export` does.
// Writes DIR/central.db (and its .key), DIR/audit.jsonl and DIR/receiver.pub.

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "../sim/sheet_maker.h"
#include "rekap/central/store.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

using namespace rekap;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Device {
    central::DeviceRecord record;
    std::string privateKey;
};

/// The five signed revisions of TPS `t`; the same for the same seed, whatever the threads.
nlohmann::json pushFor(const Regency& reg, std::size_t t, const Device& d, std::uint64_t seed) {
    std::mt19937_64 rng(seed * 1'000'003 + t);
    auto out = nlohmann::json::array();
    for (const auto& c : reg.contests) {
        Revision r;
        r.id = newUuid();
        r.device = d.record.id;
        r.operatorName = "fixture";
        r.capturedAt = "2024-02-14T09:00:00Z";
        r.sheet = sim::makeSheet(reg, reg.tps[t], c, rng);
        signRevision(r, d.privateKey);
        out.push_back(encodeRevision(r));
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"rekap-ledger-fixture: a receiver with one signed sheet per TPS and contest of a "
                 "regency, and its audit export"};
    std::string regencyFile, outDir;
    int threads = 4;
    std::uint64_t seed = 1;
    app.add_option("--regency", regencyFile,
                   "Master-data file, e.g. "
                   "data/regencies/banyuasin-1607.json")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--out", outDir, "Folder to write into (made; must not hold a central.db)")
        ->required();
    app.add_option("--threads", threads, "Devices pushing at once")->check(CLI::Range(1, 64));
    app.add_option("--seed", seed, "Seed of the sheets' numbers");
    CLI11_PARSE(app, argc, argv);

    try {
        fs::path dir(outDir);
        fs::create_directories(dir);
        if (fs::exists(dir / "central.db"))
            throw std::runtime_error((dir / "central.db").string() + " exists already");
        auto start = Clock::now();
        central::CentralStore store(dir / "central.db");
        store.masterData().loadRegency(regencyFile);
        const auto& reg = store.masterData().regency();

        std::vector<Device> devices;
        for (const auto& tps : reg.tps) {
            auto code = store.registry().mintCodes(protocol::Role::Operator, tps.code, 1,
                                                   std::chrono::hours(1), "fixture")[0];
            auto key = signing::generateKeyPair();
            auto e = store.registry().enrol(
                {code, newUuid(), "fixture " + tps.code.str(), key.publicKey});
            devices.push_back({store.registry().authenticate(e.token), key.privateKey});
        }
        auto enrolled = secondsSince(start);

        auto ingestStart = Clock::now();
        std::atomic<std::size_t> next{0}, accepted{0}, other{0};
        std::vector<std::thread> pool;
        for (int i = 0; i < threads; ++i)
            pool.emplace_back([&] {
                for (std::size_t t; (t = next++) < devices.size();) {
                    auto answer =
                        store.intake().ingest(devices[t].record, pushFor(reg, t, devices[t], seed));
                    for (const auto& r : answer.results) {
                        if (r.status == protocol::PushStatus::Accepted &&
                            r.state == SheetState::Accepted) {
                            ++accepted;
                        } else if (!other++) {
                            std::cerr << "rekap-ledger-fixture: revision " << r.id << " was "
                                      << protocol::pushStatusName(r.status)
                                      << (r.error ? ": " + r.error->message : "") << "\n";
                        }
                    }
                }
            });
        for (auto& t : pool)
            t.join();
        auto ingested = secondsSince(ingestStart);
        if (other)
            throw std::runtime_error(std::to_string(other.load()) + " revisions were not accepted");

        auto exportFile = dir / "audit.jsonl";
        {
            std::ofstream out(exportFile, std::ios::binary | std::ios::trunc);
            store.ledger().exportAudit(out);
            out.close();
            if (!out)
                throw std::runtime_error("could not write " + exportFile.string());
        }
        std::ofstream(dir / "receiver.pub") << store.masterData().receiverKey() << "\n";
        std::cout << reg.name << ": " << devices.size() << " devices enrolled in " << enrolled
                  << " s; " << accepted << " sheets accepted in " << ingested << " s (" << threads
                  << " at once); " << store.ledger().ledgerSize() << " ledger entries\n"
                  << "wrote " << exportFile.string() << " (" << fs::file_size(exportFile)
                  << " bytes) and " << (dir / "receiver.pub").string() << " in "
                  << secondsSince(start) << " s\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "rekap-ledger-fixture: " << e.what() << "\n";
        return 1;
    }
}
