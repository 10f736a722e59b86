// rekap-replay: KPU's published per-TPS PPWP numbers for Hulu Sungai Selatan (Sirekap snapshot,
// data/source) replayed through simulated devices, each with the real sync library and its own
// SQLite file, against a real receiver on 127.0.0.1. Every sheet is recorded as the operator
// typed it (rule errors allowed, as KPU's misreads were published) and synced. Then: every sheet
// is accounted for; each one the rules flag with an error is rejected with those rules' findings
// and counts nothing; every other one is accepted and counted; the 23 sheets whose paslon votes
// do not add up to the valid votes (misreads) are among the rejected by rule R2; the receiver's
// PPWP tally equals an independent sum of the accepted sheets. Exits non-zero on any mismatch.

#include <CLI/CLI.hpp>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "rekap/central/server.h"
#include "rekap/master_data.h"
#include "rekap/rules.h"
#include "rekap/sync/sync_client.h"
#include "sirekap.h"

using namespace rekap;
namespace fs = std::filesystem;

namespace {
int fail(const std::string& what) {
    std::cerr << "rekap-replay: MISMATCH: " << what << "\n";
    return 1;
}
} // namespace

int main(int argc, char** argv) {
    std::string regencyFile = "data/regencies/hss-6306.json",
                csv = "data/source/hss-6306-sirekap-ppwp-snapshot.csv";
    int threads = 4;
    CLI::App app{"rekap-replay: KPU's published Sirekap numbers through devices and a receiver"};
    app.add_option("--regency", regencyFile)->capture_default_str();
    app.add_option("--sirekap", csv)->capture_default_str();
    app.add_option("--threads", threads, "Devices syncing at once")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    auto work = fs::temp_directory_path() / ("rekap-replay-" + std::to_string(::getpid()));
    fs::remove_all(work);
    fs::create_directories(work / "devices");
    central::CentralStore store(work / "central.db");
    store.loadRegency(regencyFile);
    const auto& reg = store.regency();
    central::PhotoStore photos(work / "photos");
    central::ServerOptions so;
    so.port = 0;
    central::CentralServer server(store, photos, so);
    auto url = "http://127.0.0.1:" + std::to_string(server.start());

    auto replay = tools::readSirekapSnapshot(csv, reg);
    const auto& sheets = replay.sheets;
    std::vector<std::string> codes;
    for (const auto& s : sheets)
        codes.push_back(store.mintCodes(protocol::Role::Operator, s.sheet.tps, 1,
                                        std::chrono::hours(1), "replay")[0]);

    std::atomic<std::size_t> next{0};
    std::mutex mu;
    std::vector<std::string> errors;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t i; (i = next++) < sheets.size();) {
                try {
                    sync::DeviceStore ds(work / "devices" / (sheets[i].sheet.tps.str() + ".db"));
                    sync::SyncClient client(ds);
                    client.enrol(url, codes[i], "replay");
                    sync::DeviceStore::FinalizeOptions fo;
                    fo.allowRuleErrors = true; // typed as published, misreads included
                    ds.finalize(sheets[i].sheet, "KPPS", fo);
                    client.sync();
                    if (ds.queueDepth() != 0)
                        throw std::runtime_error("still queued after sync");
                } catch (const std::exception& e) {
                    std::lock_guard lock(mu);
                    errors.push_back("line " + std::to_string(sheets[i].line) + ": " + e.what());
                }
            }
        });
    for (auto& t : pool)
        t.join();
    server.stop();
    for (const auto& e : errors)
        std::cerr << e << "\n";
    if (!errors.empty())
        return fail(std::to_string(errors.size()) + " devices failed");

    int accepted = 0, rejected = 0, misreads = 0;
    std::map<std::string, int> byRule;
    AreaTally want;
    for (const auto& s : sheets) {
        auto key = s.sheet.key();
        auto state = store.sheet(key);
        if (!state)
            return fail("line " + std::to_string(s.line) + ": sheet " + key + " never arrived");
        auto findings = validateSheet(s.sheet, reg);
        const auto& c = s.sheet.candidates;
        bool misread = !s.partial && c[0].votes + c[1].votes + c[2].votes != s.sheet.summary.valid;
        misreads += misread;
        if (hasErrors(findings)) {
            if (state->state != "rejected")
                return fail(key + " breaks a rule but is " + state->state);
            auto stored = store.revisionsOf(key).at(0).findings;
            std::set<std::string> want, got;
            for (const auto& f : findings)
                if (f.severity == Severity::Error)
                    want.insert(f.rule);
            for (const auto& f : stored)
                if (f.severity == Severity::Error)
                    got.insert(f.rule);
            if (want != got)
                return fail(key + " rejected without the rules it breaks");
            if (misread && !want.count("R2"))
                return fail(key + " is a misread but R2 did not flag it");
            for (const auto& r : want)
                ++byRule[r];
            ++rejected;
        } else {
            if (misread)
                return fail(key + " is a misread and was counted");
            if (state->state != "accepted")
                return fail(key + " passes every rule but is " + state->state);
            addSheet(reg, want, CountedSheet{"accepted", false, s.sheet}, +1);
            ++accepted;
        }
    }
    auto got = *store.tally()->area("ppwp", reg.code);
    if (got.votes != want.votes || got.valid != want.valid || got.total != want.total)
        return fail("the PPWP tally differs from the sum of the accepted sheets");
    auto verified = store.verify();
    if (!verified.ok)
        return fail("verify: " + verified.failure);
    std::cout << "verify: " << verified.entries << " ledger entries, " << verified.revisions
              << " signed revisions: ok\n";
    std::cout << sheets.size() << " Sirekap sheets replayed through " << sheets.size()
              << " devices: " << accepted << " accepted and counted, " << rejected
              << " rejected with their findings (";
    for (auto it = byRule.begin(); it != byRule.end(); ++it)
        std::cout << (it == byRule.begin() ? "" : ", ") << it->first << ": " << it->second;
    std::cout << "); " << misreads << " misreads, every one rejected by R2; tally exact\n";
    std::cout << "rekap-replay: 1 passed, 0 failed\n";
    fs::remove_all(work);
    return 0;
}
