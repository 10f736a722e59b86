// rekap-replay: KPU's published per-TPS PPWP numbers for Hulu Sungai Selatan (Sirekap snapshot,
// data/source) replayed through simulated devices, each with the real sync library and its own
// SQLite file, against a real receiver on 127.0.0.1. Every sheet is recorded as the operator
// typed it (rule errors allowed, as KPU's misreads were published) and synced. Then: every sheet
// is accounted for; each one whose numbers break a rule (checked here in plain arithmetic, not by
// the rule engine) is rejected with exactly those rules' findings and counts nothing; every other
// one is accepted and counted; the 23 sheets whose paslon votes do not add up to the valid votes
// (misreads) are among the rejected by rule R2; and every PPWP figure the desk reads, for each
// TPS, desa, kecamatan and the kabupaten, equals plain sums of the accepted sheets
// (plain_sums.h). Exits non-zero on any mismatch.

#include <CLI/CLI.hpp>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "plain_sums.h"
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

std::string join(const std::set<std::string>& rules) {
    std::string out;
    for (const auto& r : rules)
        out += (out.empty() ? "" : ",") + r;
    return out.empty() ? "nothing" : out;
}

/// The error-level rules a PPWP sheet breaks, from its numbers in plain arithmetic (the rules of
/// docs/domain.md written again here, not rekap::validateSheet): R1 L + P = total on each row
/// and B4 = B1 + B2 + B3; R2 paslon votes add up to the valid votes; R3 valid + invalid = cast;
/// R4 voters = ballots used = votes cast; R6 votes cast within 102 % of the TPS's DPT; R8 every
/// box 0..999.
std::set<std::string> errorRules(const Sheet& s, int dpt) {
    std::set<std::string> out;
    const auto& v = s.voters;
    for (const auto* row :
         {&v.dpt, &v.fromDpt, &v.fromDptb, &v.fromDpk, &v.total, &s.disabledVoters})
        if (row->l + row->p != row->total)
            out.insert("R1");
    if (v.total.l != v.fromDpt.l + v.fromDptb.l + v.fromDpk.l ||
        v.total.p != v.fromDpt.p + v.fromDptb.p + v.fromDpk.p ||
        v.total.total != v.fromDpt.total + v.fromDptb.total + v.fromDpk.total)
        out.insert("R1");
    long paslon = 0;
    for (const auto& c : s.candidates)
        paslon += c.votes;
    if (paslon != s.summary.valid)
        out.insert("R2");
    if (s.summary.valid + s.summary.invalid != s.summary.total)
        out.insert("R3");
    if (v.total.total != s.ballots.used || s.ballots.used != s.summary.total)
        out.insert("R4");
    if (dpt > 0 && s.summary.total * 100L > dpt * 102L)
        out.insert("R6");
    std::vector<int> boxes = {s.ballots.received, s.ballots.used,  s.ballots.damaged,
                              s.ballots.unused,   s.summary.valid, s.summary.invalid,
                              s.summary.total};
    for (const auto* row :
         {&v.dpt, &v.fromDpt, &v.fromDptb, &v.fromDpk, &v.total, &s.disabledVoters})
        boxes.insert(boxes.end(), {row->l, row->p, row->total});
    for (const auto& c : s.candidates)
        boxes.push_back(c.votes);
    for (int b : boxes)
        if (b < 0 || b > 999)
            out.insert("R8");
    return out;
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
    sim::PlainSums sums(reg);
    for (const auto& s : sheets) {
        auto key = s.sheet.key();
        auto state = store.sheet(key);
        if (!state)
            return fail("line " + std::to_string(s.line) + ": sheet " + key + " never arrived");
        auto want = errorRules(s.sheet, reg.findTps(s.sheet.tps)->dpt());
        const auto& c = s.sheet.candidates;
        bool misread = !s.partial && c[0].votes + c[1].votes + c[2].votes != s.sheet.summary.valid;
        misreads += misread;
        if (!want.empty()) {
            if (state->state != "rejected")
                return fail(key + " breaks a rule but is " + state->state);
            std::set<std::string> got;
            auto stored = store.revisionsOf(key);
            for (const auto& f : stored.at(0).findings)
                if (f.severity == Severity::Error)
                    got.insert(f.rule);
            if (want != got)
                return fail(key + " (line " + std::to_string(s.line) + ") rejected for " +
                            join(got) + ", its numbers break " + join(want));
            if (misread && !want.count("R2"))
                return fail(key + " is a misread but R2 did not flag it");
            for (const auto& r : want)
                ++byRule[r];
            sums.rejected(s.sheet.tps, "ppwp");
            ++rejected;
        } else {
            if (misread)
                return fail(key + " is a misread and was counted");
            if (state->state != "accepted")
                return fail(key + " passes every rule but is " + state->state);
            sums.counted(s.sheet);
            ++accepted;
        }
    }
    // Figures of the published data, counted by hand once (docs/master-data.md): a change here
    // means the data or the rules changed, not the replay.
    if (sheets.size() != 718 || misreads != 23)
        return fail("expected 718 sheets with 23 misreads, found " + std::to_string(sheets.size()) +
                    " with " + std::to_string(misreads));
    int reports = 0;
    auto differences = sums.compare(store, &reports);
    for (std::size_t i = 0; i < differences.size() && i < 20; ++i)
        std::cerr << differences[i] << "\n";
    if (!differences.empty())
        return fail(std::to_string(differences.size()) +
                    " figures differ from the plain sums of the accepted sheets");
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
    std::cout << "); " << misreads << " misreads, every one rejected by R2; " << reports
              << " area reports (each TPS, desa, kecamatan, the kabupaten) equal plain sums\n";
    std::cout << "rekap-replay: 1 passed, 0 failed\n";
    fs::remove_all(work);
    return 0;
}
