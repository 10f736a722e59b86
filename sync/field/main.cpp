// rekap-field: the device side without the app. For tests, load simulation and operators who
// work from a laptop. Every command takes --json for machine-readable output.

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/sheet_codec.h"
#include "rekap/sync/store/file.h"
#include "rekap/sync/sync_client.h"

using namespace rekap;
using namespace rekap::sync;

namespace {

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DecodeError(path, "cannot open");
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

nlohmann::json entryJson(const OutboxEntry& e) {
    nlohmann::json j = {{"id", e.revision.id},
                        {"sheet", e.revision.sheet.key()},
                        {"state", std::string(sheetStateName(e.state))},
                        {"captured_at", e.revision.capturedAt},
                        {"operator", e.revision.operatorName},
                        {"decision", e.decision},
                        {"from_desk", e.decision}}; // the name before 2026-12
    if (e.revision.parent)
        j["parent"] = *e.revision.parent;
    if (!e.revision.reason.empty())
        j["reason"] = e.revision.reason;
    if (!e.findings.empty())
        j["findings"] = protocol::encodeFindings(e.findings);
    if (!e.error.empty())
        j["error"] = e.error;
    return j;
}

nlohmann::json reportJson(const SyncReport& r) {
    return {{"accepted", r.accepted},    {"duplicates", r.duplicates},
            {"conflicts", r.conflicts},  {"rejected", r.rejected},
            {"refused", r.refused},      {"photos", r.photos},
            {"changes", r.changes},      {"retries", r.retries},
            {"bytes_sent", r.bytesSent}, {"master_data_updated", r.masterDataUpdated},
            {"attached", r.attached}};
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"rekap-field: record C.Hasil sheets and sync them, without the app"};
    app.require_subcommand(1);
    std::string storePath = "rekap-device.db";
    bool json = false;
    app.add_option("--store", storePath, "The device's SQLite file")->capture_default_str();
    app.add_flag("--json", json, "Machine-readable output");

    SyncOptions options;
    auto addNetworkOptions = [&](CLI::App* c) {
        c->add_option("--ca", options.http.caFile, "Trust only this CA (PEM) for HTTPS");
        c->add_option("--timeout-ms", options.http.requestTimeoutMs, "Per-request timeout");
        c->add_option("--attempts", options.maxAttempts, "Attempts per request");
    };

    std::string server, code, name = "rekap-field";
    auto* enrol = app.add_subcommand("enrol", "Enrol this device with a one-time code");
    enrol->add_option("--server", server, "Receiver URL, e.g. http://127.0.0.1:8080")->required();
    enrol->add_option("--code", code, "One-time enrolment code from the desk")->required();
    enrol->add_option("--name", name, "A name for this device");
    addNetworkOptions(enrol);

    std::string sheetFile, operatorName, reason, photo;
    bool allowErrors = false;
    auto* record = app.add_subcommand("record", "Finalize a sheet from a JSON file");
    auto* correct = app.add_subcommand("correct", "Finalize a correction of a recorded sheet");
    for (auto* c : {record, correct}) {
        c->add_option("sheet", sheetFile, "Sheet JSON file")->required();
        c->add_option("--operator", operatorName, "Who records it")->required();
        c->add_option("--photo", photo, "Photo of the C.Hasil plano")->check(CLI::ExistingFile);
        c->add_flag("--allow-errors", allowErrors, "Queue it even if it breaks a rule");
    }
    correct->add_option("--reason", reason, "Why it is corrected")->required();

    std::string attachTo, attachPhoto;
    auto* attach = app.add_subcommand(
        "attach-photo", "Attach a plano photo to a revision already finalized (sent or not), "
                        "without changing its numbers; it goes with the next sync");
    attach->add_option("revision", attachTo, "The revision's id (see: list)")->required();
    attach->add_option("--photo", attachPhoto, "Photo of the C.Hasil plano")
        ->required()
        ->check(CLI::ExistingFile);

    auto* list = app.add_subcommand("list", "List finalized revisions and their outbox state");
    auto* sendBacks = app.add_subcommand(
        "send-backs", "Sheets the desk sent back (\"perlu perbaikan\"), newest first, with the "
                      "reason and whether a correction has reached the receiver");
    auto* sync = app.add_subcommand("sync", "Push queued sheets and pull changes");
    addNetworkOptions(sync);
    sync->add_option("--batch", options.maxBatchCount, "Revisions per request");
    auto* status = app.add_subcommand("status", "Enrolment, queue depth and checkpoint");

    std::string receiptOf;
    bool checkReceipts = false;
    auto* receipt = app.add_subcommand(
        "receipt", "The ledger receipts of this device's revisions; with --check, fetch each "
                   "entry and its inclusion proof and verify them");
    receipt->add_option("revision", receiptOf, "Only this revision's receipt");
    receipt->add_flag("--check", checkReceipts, "Verify against the receiver (needs a network)");
    addNetworkOptions(receipt);

    CLI11_PARSE(app, argc, argv);

    try {
        DeviceFile store(storePath);
        if (*enrol) {
            SyncClient client(store, options);
            auto e = client.enrol(server, code, name);
            if (json)
                std::cout << nlohmann::json{{"device", e.device},
                                            {"role", std::string(protocol::roleName(e.role))},
                                            {"scope", e.scope},
                                            {"regency", e.regency}}
                                 .dump()
                          << std::endl;
            else
                std::cout << "enrolled as " << e.device << " (" << protocol::roleName(e.role)
                          << " for " << e.scope << ")" << std::endl;
        } else if (*record || *correct) {
            auto reg = store.masterData().regency();
            if (!reg)
                throw std::invalid_argument("no master data yet: enrol this device first");
            auto sheet =
                decodeSheet(parseJsonText(readText(sheetFile), sheetFile), *reg, sheetFile);
            if (*record && store.outbox().head(sheet.key()))
                throw std::invalid_argument("sheet " + sheet.key() +
                                            " is already recorded: use correct --reason");
            Capture::FinalizeOptions fo;
            fo.reason = reason;
            fo.allowRuleErrors = allowErrors;
            if (!photo.empty())
                fo.photo = store.photos().add(photo);
            try {
                auto rev = store.capture().finalize(sheet, operatorName, fo);
                // Printed only after the commit: what this line names survives a power cut.
                if (json)
                    std::cout << nlohmann::json{{"saved", rev.id},
                                                {"sheet", sheet.key()},
                                                {"hash", rev.hash()}}
                                     .dump()
                              << std::endl;
                else
                    std::cout << "saved " << rev.id << " " << sheet.key() << std::endl;
            } catch (const FinalizeRefused& e) {
                if (json)
                    std::cout << nlohmann::json{{"refused", protocol::encodeFindings(e.findings())}}
                                     .dump()
                              << std::endl;
                for (const auto& f : e.findings())
                    std::cerr << sheetFile << ": " << f.rule << " " << severityName(f.severity)
                              << ": " << f.messageEn << "\n";
                return 3;
            }
        } else if (*attach) {
            auto a = store.attachments().attach(attachTo, store.photos().add(attachPhoto));
            if (json)
                std::cout << nlohmann::json{{"attached", a.photo},
                                            {"revision", a.revision},
                                            {"state", std::string(sheetStateName(a.state))}}
                                 .dump()
                          << std::endl;
            else
                std::cout << "attached " << a.photo << " to " << a.revision << " ("
                          << sheetStateName(a.state) << ")" << std::endl;
        } else if (*sendBacks) {
            auto all = nlohmann::json::array();
            for (const auto& m : store.sendBacks().all()) {
                all.push_back({{"sheet", m.sheet},
                               {"revision", m.revision},
                               {"reason", m.reason},
                               {"by", m.by},
                               {"at", m.at},
                               {"state", m.answered ? "answered" : "waiting"}});
                if (!json)
                    std::cout << m.sheet << "  " << (m.answered ? "answered" : "waiting") << "  "
                              << m.reason << "  (" << m.by << ", " << m.at << ")\n";
            }
            if (json)
                std::cout << all.dump(2) << std::endl;
        } else if (*list) {
            auto all = nlohmann::json::array();
            for (const auto& e : store.outbox().all())
                all.push_back(entryJson(e));
            if (json)
                std::cout << all.dump(2) << std::endl;
            else
                for (const auto& e : store.outbox().all()) {
                    std::cout << e.revision.id << "  " << e.revision.sheet.key() << "  "
                              << sheetStateName(e.state) << (e.error.empty() ? "" : "  " + e.error)
                              << "\n";
                    for (const auto& f : e.findings)
                        std::cout << "    " << f.rule << " " << severityName(f.severity) << ": "
                                  << f.messageEn << "\n";
                }
        } else if (*sync) {
            SyncClient client(store, options);
            try {
                auto r = client.sync();
                if (json)
                    std::cout << reportJson(r).dump() << std::endl;
                else
                    std::cout << "synced: " << r.accepted << " accepted, " << r.duplicates
                              << " duplicates, " << r.conflicts << " conflicts, " << r.rejected
                              << " rejected, " << r.refused << " refused, " << r.photos
                              << " photos, " << r.attached << " photos attached, " << r.changes
                              << " changes pulled" << std::endl;
            } catch (const SyncError& e) {
                if (json)
                    std::cout << nlohmann::json{{"error", e.what()},
                                                {"fatal", e.kind() == SyncError::Kind::Fatal},
                                                {"code", e.code()}}
                                     .dump()
                              << std::endl;
                std::cerr << "rekap-field: sync stopped: " << e.what() << "\n";
                return e.kind() == SyncError::Kind::Fatal ? 4 : 5;
            }
        } else if (*receipt) {
            SyncClient client(store, options);
            auto all = nlohmann::json::array();
            int failed = 0;
            for (auto r : store.receipts().all()) {
                if (!receiptOf.empty() && r.revision != receiptOf)
                    continue;
                std::string problem;
                if (checkReceipts) {
                    try {
                        r = client.checkReceipt(r.revision);
                    } catch (const SyncError& e) {
                        problem = e.what();
                        ++failed;
                    }
                }
                auto e = store.outbox().entry(r.revision);
                nlohmann::json j = {{"revision", r.revision},
                                    {"sheet", e ? e->revision.sheet.key() : ""},
                                    {"receipt", r.code},
                                    {"ledger_index", r.ledgerIndex},
                                    {"tree_head", ledger::encode(r.head)},
                                    {"checked", r.checked}};
                if (!problem.empty())
                    j["problem"] = problem;
                if (!r.proof.empty())
                    j["inclusion_proof"] = r.proof;
                all.push_back(j);
                if (!json)
                    std::cout << r.code << "  " << j["sheet"].get<std::string>() << "  entry "
                              << r.ledgerIndex << " of the signed head of " << r.head.size
                              << " (root " << r.head.root.substr(0, 12) << ", " << r.head.timestamp
                              << ")  "
                              << (!problem.empty() ? "FAILED: " + problem
                                  : r.checked      ? std::string("checked: included")
                                                   : std::string("not checked yet"))
                              << "\n";
                // The proof, for anyone to recompute the signed root from the entry's hash.
                for (std::size_t i = 0; !json && i < r.proof.size(); ++i)
                    std::cout << "    proof " << i + 1 << "/" << r.proof.size() << ": "
                              << r.proof[i] << "\n";
            }
            if (json)
                std::cout << all.dump(2) << std::endl;
            if (!receiptOf.empty() && all.empty())
                throw std::invalid_argument("no receipt for revision " + receiptOf);
            return failed ? 6 : 0;
        } else if (*status) {
            auto e = store.identity().enrolment();
            nlohmann::json j = {{"enrolled", e.has_value()},
                                {"queue_depth", store.outbox().queueDepth()},
                                {"checkpoint", store.feed().checkpoint()},
                                {"master_data_version", store.masterData().version()},
                                {"last_capture_at", store.outbox().lastCaptureAt().value_or("")},
                                {"ledger_alarm", store.receipts().ledgerAlarm()}};
            if (e) {
                j["device"] = e->device;
                j["server"] = e->server;
                j["role"] = std::string(protocol::roleName(e->role));
                j["scope"] = e->scope;
            }
            if (json)
                std::cout << j.dump() << std::endl;
            else
                std::cout << (e ? "device " + e->device + " (" +
                                      std::string(protocol::roleName(e->role)) + " " + e->scope +
                                      ") at " + e->server
                                : std::string("not enrolled"))
                          << "\nqueued: " << j["queue_depth"] << ", checkpoint " << j["checkpoint"]
                          << std::endl;
        }
    } catch (const std::exception& e) {
        std::cerr << "rekap-field: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
