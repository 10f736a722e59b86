// rekap-replay: KPU's published per-TPS PPWP numbers for Hulu Sungai Selatan (Sirekap snapshot,
// data/source) replayed through simulated devices, each with the real sync library and its own
// SQLite file, against a real receiver on 127.0.0.1. Every sheet is recorded as the operator
// typed it (rule errors allowed, as KPU's misreads were published) and synced. Then: every sheet
// is accounted for; each one whose numbers break a rule (checked here in plain arithmetic, not by
// the rule engine) is rejected with exactly those rules' findings and counts nothing; every other
// one is accepted and counted; the 23 sheets whose paslon votes do not add up to the valid votes
// (misreads) are among the rejected by rule R2; and every PPWP figure the desk reads, for each
// TPS, desa, kecamatan and the kabupaten, equals plain sums of the accepted sheets
// (plain_sums.h). With --central, the cross-check with KPU (docs/crosscheck.md) follows: one
// accepted TPS is corrected at the desk's side by its device, then the receiver's own CLI imports
// the same snapshot (`rekap-central kpu-import`) and compares (`crosscheck --json`): every other
// accepted TPS is "same", every rejected one is at KPU only and a KPU misread breaking exactly
// the rules it was rejected for, and the corrected one is "different" on the lines it changed.
// Exits non-zero on any mismatch.

#include <CLI/CLI.hpp>
#include <array>
#include <atomic>
#include <cstdio>
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

/// Runs `command` and returns what it printed; throws when it fails.
std::string run(const std::string& command) {
    std::array<char, 65536> buf{};
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p)
        throw std::runtime_error("cannot run " + command);
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;)
        out.append(buf.data(), n);
    if (::pclose(p) != 0)
        throw std::runtime_error(command + " failed: " + out);
    return out;
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

/// The desk corrects one accepted TPS (paslon 01 one vote more, 02 one fewer) through its own
/// device, then KPU's snapshot is imported by the receiver's CLI and cross-checked.
int crosscheck(central::CentralStore& store, const std::vector<tools::SirekapSheet>& sheets,
               const fs::path& work, const std::string& centralBin, const std::string& snapshot) {
    const tools::SirekapSheet* corrected = nullptr;
    for (const auto& s : sheets)
        if (store.sheets().sheet(s.sheet.key())->state == SheetState::Accepted &&
            s.sheet.candidates[1].votes > 0) {
            corrected = &s;
            break;
        }
    if (!corrected)
        return fail("no accepted sheet to correct");
    {
        sync::DeviceFile ds(work / "devices" / (corrected->sheet.tps.str() + ".db"));
        sync::SyncClient client(ds);
        auto sheet = corrected->sheet;
        sheet.candidates[0].votes += 1;
        sheet.candidates[1].votes -= 1;
        sync::Capture::FinalizeOptions fo;
        fo.reason = "dicek ulang dengan plano";
        ds.capture().finalize(sheet, "KPPS", fo);
        client.sync();
        if (store.live().counted(sheet.key()).sheet != sheet)
            return fail("the correction of " + sheet.key() + " does not count");
    }
    auto db = (work / "central.db").string();
    auto cli = centralBin + " --db " + db + " ";
    // Imported twice: the second import keeps the first, and nothing changed between them.
    run(cli + "kpu-import --contest ppwp " + snapshot);
    std::cout << run(cli + "kpu-import --contest ppwp " + snapshot);
    auto report = nlohmann::json::parse(run(cli + "crosscheck --contest ppwp --json"));
    if (report["imports"].size() != 2 || report["previous_import"] != report["imports"][0]["id"])
        return fail("the second import did not keep the first");
    std::map<std::string, nlohmann::json> byTps;
    for (const auto& t : report["tps"])
        byTps[t["tps"].get<std::string>()] = t;
    int same = 0, misread = 0;
    for (const auto& s : sheets) {
        auto code = s.sheet.tps.str();
        auto state = store.sheets().sheet(s.sheet.key())->state;
        // The kabupaten's report lists only the TPS that need a look.
        auto it = byTps.find(code);
        if (&s == corrected) {
            if (it == byTps.end() || it->second["category"] != "different")
                return fail(code + " was corrected at the desk but is not \"different\"");
            std::map<std::string, int> delta;
            for (const auto& d : it->second["differences"])
                delta[d["field"].get<std::string>()] = d["delta"].get<int>();
            if (delta !=
                std::map<std::string, int>{{"votes.candidates.1", -1}, {"votes.candidates.2", 1}})
                return fail(code + ": differences " + it->second["differences"].dump());
        } else if (state == SheetState::Accepted) {
            if (it != byTps.end())
                return fail(code + " is accepted and unchanged but listed as " + it->second.dump());
            ++same;
        } else {
            std::set<std::string> rejectedFor, kpuBreaks;
            auto stored = store.sheets().revisionsOf(s.sheet.key()); // kept: findings live in it
            for (const auto& f : stored.at(0).findings)
                if (f.severity == Severity::Error)
                    rejectedFor.insert(f.rule);
            if (it == byTps.end() || it->second["category"] != "kpu_only" ||
                !it->second["kpu_misread"].get<bool>())
                return fail(code + " was rejected but is not a KPU misread at KPU only");
            for (const auto& r : it->second["kpu_rules"])
                kpuBreaks.insert(r.get<std::string>());
            if (kpuBreaks != rejectedFor)
                return fail(code + ": KPU misread for " + join(kpuBreaks) + ", rejected for " +
                            join(rejectedFor));
            if (it->second["kpu_changes"].size() != 0)
                return fail(code + ": changes between two imports of the same file");
            ++misread;
        }
    }
    const auto& n = report["counts"];
    if (n["same"] != same || n["different"] != 1 || n["kpu_misread"] != misread ||
        n["kpu_only"] != misread || n["desk_only"] != 0 || n["kpu_changed"] != 0)
        return fail("counts " + n.dump());
    // The kabupaten's lines: KPU's sums over every row it published, misreads included; the
    // desk's over what it counts.
    std::cout << "crosscheck: " << same << " TPS same, 1 different (a correction at the desk), "
              << misread << " KPU misreads at KPU only, by their rules; counts " << n.dump()
              << "\n";
    return 0;
}
} // namespace

int main(int argc, char** argv) {
    std::string regencyFile = "data/regencies/hss-6306.json",
                csv = "data/source/hss-6306-sirekap-ppwp-snapshot.csv";
    int threads = 4;
    std::string central;
    CLI::App app{"rekap-replay: KPU's published Sirekap numbers through devices and a receiver"};
    app.add_option("--regency", regencyFile)->capture_default_str();
    app.add_option("--sirekap", csv)->capture_default_str();
    app.add_option("--threads", threads, "Devices syncing at once")->capture_default_str();
    app.add_option("--central", central,
                   "rekap-central binary: then also import the snapshot and cross-check");
    CLI11_PARSE(app, argc, argv);

    auto work = fs::temp_directory_path() / ("rekap-replay-" + std::to_string(::getpid()));
    fs::remove_all(work);
    fs::create_directories(work / "devices");
    central::CentralStore store(work / "central.db");
    store.masterData().loadRegency(regencyFile);
    const auto& reg = store.masterData().regency();
    central::PhotoStore photos(work / "photos");
    central::ServerOptions so;
    so.port = 0;
    store.intake().startIntegrating(); // as `serve` does: tablets ask for answers when stored
    central::CentralServer server(store, photos, so);
    auto url = "http://127.0.0.1:" + std::to_string(server.start());

    auto replay = tools::readSirekapSnapshot(csv, reg);
    const auto& sheets = replay.sheets;
    std::vector<std::string> codes;
    for (const auto& s : sheets)
        codes.push_back(store.registry().mintCodes(protocol::Role::Operator, s.sheet.tps, 1,
                                                   std::chrono::hours(1), "replay")[0]);

    std::atomic<std::size_t> next{0};
    std::mutex mu;
    std::vector<std::string> errors;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t i; (i = next++) < sheets.size();) {
                try {
                    sync::DeviceFile ds(work / "devices" / (sheets[i].sheet.tps.str() + ".db"));
                    sync::SyncClient client(ds);
                    client.enrol(url, codes[i], "replay");
                    sync::Capture::FinalizeOptions fo;
                    fo.allowRuleErrors = true; // typed as published, misreads included
                    ds.capture().finalize(sheets[i].sheet, "KPPS", fo);
                    client.sync();
                    if (ds.outbox().queueDepth() != 0)
                        throw std::runtime_error("still queued after sync");
                } catch (const std::exception& e) {
                    std::lock_guard lock(mu);
                    errors.push_back("line " + std::to_string(sheets[i].line) + ": " + e.what());
                }
            }
        });
    for (auto& t : pool)
        t.join();
    for (const auto& e : errors)
        std::cerr << e << "\n";
    if (!errors.empty())
        return fail(std::to_string(errors.size()) + " devices failed");

    int accepted = 0, rejected = 0, misreads = 0;
    std::map<std::string, int> byRule;
    sim::PlainSums sums(reg);
    for (const auto& s : sheets) {
        auto key = s.sheet.key();
        auto state = store.sheets().sheet(key);
        if (!state)
            return fail("line " + std::to_string(s.line) + ": sheet " + key + " never arrived");
        auto want = errorRules(s.sheet, reg.findTps(s.sheet.tps)->dpt());
        const auto& c = s.sheet.candidates;
        bool misread = !s.partial && c[0].votes + c[1].votes + c[2].votes != s.sheet.summary.valid;
        misreads += misread;
        if (!want.empty()) {
            if (state->state != SheetState::Rejected)
                return fail(key + " breaks a rule but is " +
                            std::string(sheetStateName(state->state)));
            std::set<std::string> got;
            auto stored = store.sheets().revisionsOf(key);
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
            if (state->state != SheetState::Accepted)
                return fail(key + " passes every rule but is " +
                            std::string(sheetStateName(state->state)));
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
    auto verified = store.ledger().verify();
    if (!verified.ok)
        return fail("verify: " + verified.failure);
    if (!central.empty()) {
        if (int rc = crosscheck(store, sheets, work, central, csv))
            return rc;
    }
    server.stop();
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
