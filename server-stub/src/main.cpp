// rekap-central: the regency's receiver. Admin commands work on the SQLite file directly;
// `serve` runs the HTTP API.

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <iostream>
#include <malloc.h>
#include <mutex>
#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <thread>

#include "desk/user_command.h"
#include "rekap/central/crosscheck.h"
#include "rekap/central/enrolment_qr.h"
#include "rekap/central/reports.h"
#include "rekap/central/server.h"
#include "rekap/central/startup_verification.h"
#include "rekap/central/store.h"
#include "rekap/error.h"
#include "rekap/sheet_codec.h"
#include "rekap/signing.h"
#include "store/backup.h"

using namespace rekap;
using namespace rekap::central;

namespace {
/// Writes a checkpoint of derived state (LiveTally::writeCheckpoint) and says so; a failure is
/// logged, never the end of a receiver that serves: the next start then replays more entries.
void writeCheckpoint(const CentralStore& store) {
    try {
        auto start = std::chrono::steady_clock::now();
        if (auto c = store.live().writeCheckpoint())
            spdlog::info("checkpoint of derived state at {} entries: {} bytes in {} ms", c->size,
                         c->bytes,
                         std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count());
    } catch (const std::exception& e) {
        spdlog::warn("the checkpoint of derived state was not written: {}", e.what());
    }
}

void printTally(std::ostream& out, const nlohmann::json& t) {
    out << t["contest"]["name"].get<std::string>() << " - " << t["area"]["name"].get<std::string>()
        << " (" << t["area"]["code"].get<std::string>() << "), "
        << t["as_of"]["clock"].get<std::string>() << "\n"
        << t["notice"].get<std::string>() << "\n"
        << "TPS masuk " << t["tps"]["reported"] << "/" << t["tps"]["total"] << " ("
        << t["data_masuk"]["tps_reported_over_total"] << "%), tertunda " << t["tps"]["pending"]
        << ", konflik " << t["tps"]["conflict"] << ", ditolak " << t["tps"]["rejected"]
        << "; data masuk " << t["data_masuk"]["votes_over_dpt"] << "% of DPT " << t["dpt"]
        << "\nsuara sah " << t["votes"]["valid"] << ", tidak sah " << t["votes"]["invalid"] << "\n";
    for (const auto& l : t.contains("parties") ? t["parties"] : t["candidates"])
        out << "  " << l["number"] << " "
            << (l.contains("abbreviation") ? l["abbreviation"] : l["name"]).get<std::string>()
            << ": " << l["votes"] << " (" << l["share"] << "%)\n";
}

void printCrosscheck(std::ostream& out, const nlohmann::json& c) {
    out << "Selisih dengan KPU: " << c["contest"]["name"].get<std::string>() << " - "
        << c["area"]["name"].get<std::string>() << " (" << c["area"]["code"].get<std::string>()
        << ")\n";
    if (c["import"].is_null())
        out << "no KPU import for this contest yet (rekap-central kpu-import)\n";
    else
        out << "KPU import " << c["import"]["id"] << ": "
            << c["import"]["file_name"].get<std::string>() << ", sha256 "
            << c["import"]["file_sha256"].get<std::string>() << ", imported "
            << c["import"]["imported_at"].get<std::string>() << "\n";
    out << c["notice_en"].get<std::string>() << "\n";
    const auto& n = c["counts"];
    out << "TPS: same " << n["same"] << ", different " << n["different"] << ", desk only "
        << n["desk_only"] << ", KPU only " << n["kpu_only"] << ", in neither " << n["none"]
        << "; KPU misreads " << n["kpu_misread"] << "; changed at KPU since the import before "
        << n["kpu_changed"] << "\n";
    out << "line: desk / KPU (KPU - desk) over the TPS both have, TPS differing of compared; "
           "desk only, KPU only\n";
    for (const auto& l : c["lines"])
        out << "  " << l["label"].get<std::string>() << ": " << l["desk"] << " / " << l["kpu"]
            << " (" << l["delta"] << "), " << l["differing"] << " of " << l["tps"] << " TPS; "
            << l["desk_only"] << ", " << l["kpu_only"] << "\n";
    for (const auto& t : c["tps"]) {
        if (t["category"] == "same" && !t["kpu_misread"].get<bool>())
            continue;
        out << t["tps"].get<std::string>() << " " << t["category"].get<std::string>();
        if (t["kpu_misread"].get<bool>()) {
            out << ", KPU breaks";
            for (const auto& r : t["kpu_rules"])
                out << " " << r.get<std::string>();
        }
        for (const auto& d : t["differences"])
            out << "; " << d["label"].get<std::string>() << " desk " << d["desk"] << " KPU "
                << d["kpu"];
        out << "\n";
    }
}

/// FILE.png for one code; FILE-1.png, FILE-2.png, ... for several.
std::filesystem::path mintedQrPath(const std::string& file, std::size_t i, std::size_t count) {
    if (count == 1)
        return file;
    std::filesystem::path p(file);
    return p.parent_path() / (p.stem().string() + "-" + std::to_string(i + 1) +
                              (p.has_extension() ? p.extension().string() : ".png"));
}

/// --photos, else beside a SQLite file. Receivers sharing a PostgreSQL database must share
/// their photos too, so there it has to be said.
std::filesystem::path photoDir(const std::string& db, const std::string& photos) {
    if (!photos.empty())
        return photos;
    if (db::isPostgres(db))
        throw std::invalid_argument("--photos DIR is needed with a PostgreSQL --db: the photo "
                                    "directory every receiver on the database shares");
    return db + ".photos";
}
} // namespace

int main(int argc, char** argv) {
    CLI::App app{"rekap-central: the regency's receiver of C.Hasil sheets"};
    app.require_subcommand(1);
    std::string db = "rekap-central.db";
    app.add_option("--db", db,
                   "The receiver's store: a SQLite file, or a PostgreSQL URL "
                   "(postgresql://user@host:port/database) that several receivers share")
        ->envname("REKAP_DB")
        ->capture_default_str();
    StoreOptions storeOptions;
    app.add_option("--signing-key", storeOptions.signingKeyFile,
                   "The receiver's Ed25519 private key (default: the --db file + .key; "
                   "required with PostgreSQL)")
        ->envname("REKAP_SIGNING_KEY");
    std::string photosDir;
    app.add_option("--photos", photosDir,
                   "The photo directory (default: the --db file + .photos; required with "
                   "PostgreSQL)")
        ->envname("REKAP_PHOTOS");
    bool json = false;

    std::string regencyFile;
    auto* init = app.add_subcommand("init", "Create the store and load (or update) the regency");
    init->add_option("--regency", regencyFile, "Regency file (docs/master-data.md)")
        ->required()
        ->check(CLI::ExistingFile);

    std::string role = "operator", area, label, qrFile, qrUrl;
    int count = 1, days = 30;
    auto* mint = app.add_subcommand("mint", "Mint one-time enrolment codes");
    mint->add_option("--role", role, "operator or camat")
        ->check(CLI::IsMember({"operator", "camat"}));
    mint->add_option("--area", area, "TPS code (operator) or kecamatan code (camat)")->required();
    mint->add_option("--count", count, "How many codes")->capture_default_str();
    mint->add_option("--days", days, "Days the codes stay valid")->capture_default_str();
    mint->add_option("--label", label, "A note, e.g. the operator's name");
    mint->add_option("--qr", qrFile,
                     "Also write each code with the receiver's address as a QR code to this PNG "
                     "(FILE-1.png, FILE-2.png, ... for several)");
    mint->add_option("--url", qrUrl, "The receiver's address as tablets reach it (with --qr)");
    mint->add_flag("--json", json);

    auto* devices = app.add_subcommand("devices", "List enrolled devices");
    devices->add_flag("--json", json);

    std::string deviceId;
    auto* revoke = app.add_subcommand("revoke", "Revoke a device: its token stops working");
    revoke->add_option("device", deviceId, "Device id")->required();

    auto* conflicts = app.add_subcommand("conflicts", "List sheets in conflict with their heads");
    conflicts->add_flag("--json", json);

    std::string sheetKey, revision, reason, by;
    auto* resolve = app.add_subcommand("resolve", "Adjudicate a conflict");
    resolve->add_option("--sheet", sheetKey, "Sheet, e.g. 6306012001001/ppwp")->required();
    resolve->add_option("--revision", revision, "The head to keep")->required();
    resolve->add_option("--reason", reason, "Why (kept with the resolution)")->required();
    resolve->add_option("--by", by, "Who decided")->required();

    std::string contest = "ppwp", tallyArea;
    bool csv = false;
    auto* tally = app.add_subcommand("tally", "The tally of a contest for an area");
    tally->add_option("--contest", contest, "Contest code")->capture_default_str();
    tally->add_option("--area", tallyArea, "Area code (default: the whole regency)");
    tally->add_flag("--json", json, "JSON, as the API gives it");
    tally->add_flag("--csv", csv, "CSV, one row per child area");

    std::string kpuFile;
    auto* kpuImport = app.add_subcommand(
        "kpu-import", "Load KPU's published per-TPS numbers as a source of their own "
                      "(docs/crosscheck.md); never counted in the tally");
    kpuImport->add_option("--contest", contest, "Contest code")->required();
    kpuImport->add_option("file", kpuFile, "KPU's CSV file")->required()->check(CLI::ExistingFile);

    std::int64_t importId = 0;
    auto* crosscheck = app.add_subcommand(
        "crosscheck", "The desk's counted sheets beside KPU's published numbers, per TPS and area");
    crosscheck->add_option("--contest", contest, "Contest code")->capture_default_str();
    crosscheck->add_option("--area", tallyArea, "Area code (default: the whole regency)");
    auto* importOpt =
        crosscheck->add_option("--import", importId, "A KPU import's id (default: the newest)");
    crosscheck->add_flag("--json", json, "JSON, as the API gives it");
    crosscheck->add_flag("--csv", csv, "CSV, one row per TPS");

    std::string deskName, deskRevoke;
    auto* deskToken = app.add_subcommand(
        "desk-token", "A login token for the desk's dashboard, or --revoke a person's tokens");
    auto* deskNameOpt = deskToken->add_option("--name", deskName, "Who uses it");
    auto* deskRevokeOpt = deskToken->add_option(
        "--revoke", deskRevoke, "Revoke every token of this name: their sessions end at once");
    deskNameOpt->excludes(deskRevokeOpt);
    deskToken->require_option(1);

    // Desk accounts (docs/desk-accounts.md); passwords from the terminal or stdin, never argv.
    UserCommand userCmd;
    auto* user = app.add_subcommand("user", "Desk accounts: add, passwd, disable, list");
    user->require_subcommand(1);
    auto* userAdd = user->add_subcommand("add", "A new desk account (password from stdin)");
    userAdd->add_option("--name", userCmd.name, "The person's name")->required();
    userAdd->add_option("--role", userCmd.role, "administrator, coordinator, reader or observer")
        ->required()
        ->check(CLI::IsMember({"administrator", "coordinator", "reader", "observer"}));
    auto* userPasswd =
        user->add_subcommand("passwd", "A new password (from stdin); the sessions end");
    userPasswd->add_option("--name", userCmd.name, "The account")->required();
    auto* userDisable =
        user->add_subcommand("disable", "Disable an account: its sessions end at once");
    userDisable->add_option("--name", userCmd.name, "The account")->required();
    auto* userList = user->add_subcommand("list", "Every desk account with its role");
    userList->add_flag("--json", userCmd.json);

    std::string backupTo, restoreFrom;
    auto* backup = app.add_subcommand(
        "backup", "Copy the store and its photos while the receiver serves (SQLite backup API)");
    backup->add_option("--to", backupTo, "The backup file (its photos go to FILE.photos/)")
        ->required();
    auto* restore = app.add_subcommand(
        "restore", "Put a backup in place of --db (stop the receiver first); checks it first");
    restore->add_option("--from", restoreFrom, "The backup file")
        ->required()
        ->check(CLI::ExistingFile);

    ServerOptions options;
    auto* head = app.add_subcommand(
        "head", "The receiver's public key and its latest signed ledger head (to publish)");
    head->add_flag("--json", json);

    auto* verify = app.add_subcommand(
        "verify", "Check the ledger: every signature, every signed head, the derived tables and "
                  "the tally; exit 1 naming the first failure");
    verify->add_flag("--json", json);

    auto* checkpoint = app.add_subcommand(
        "checkpoint", "Write a checkpoint of the tally now (after a large import or a restore), "
                      "from which the next `serve` replays only later entries");

    std::string exportFile;
    auto* auditExport = app.add_subcommand(
        "audit-export", "Write the audit export (master data, every ledger entry, keys, signed "
                        "heads) for rekap-verify");
    auditExport->add_option("--out", exportFile, "The file to write")->required();

    auto* serve = app.add_subcommand("serve", "Serve the HTTP API");
    serve->add_option("--host", options.host, "Address to listen on")->capture_default_str();
    serve->add_option("--port", options.port, "Port (0: any free port)")->capture_default_str();
    serve->add_option("--cert", options.certFile, "TLS certificate (PEM): serve HTTPS")
        ->check(CLI::ExistingFile);
    serve->add_option("--key", options.keyFile, "TLS private key (PEM)")->check(CLI::ExistingFile);
    serve->add_option("--max-body", options.maxBodyBytes, "Largest request body in bytes")
        ->capture_default_str();
    serve->add_option("--workers", options.workers, "Connections served at once")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    serve->add_option("--web", options.webDir, "Folder of the dashboard's files")
        ->capture_default_str();
    serve->add_option("--trust-proxy", options.trustedProxies,
                      "Address of a reverse proxy (nginx) whose X-Forwarded-For and "
                      "X-Forwarded-Proto are believed; repeatable");
    int requestSeconds = 120;
    serve
        ->add_option("--request-timeout", requestSeconds,
                     "Seconds a client has to send a whole request")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve
        ->add_option("--max-buffered", options.bufferedBodyBytes,
                     "Request body bytes held at once across all connections (over it: 503)")
        ->check(CLI::Range(std::size_t{1} << 20, std::size_t{1} << 34))
        ->capture_default_str();
    serve
        ->add_option("--downloads-per-device", options.downloadsPerCaller,
                     "Photo downloads one device or desk login may have in progress (over it: "
                     "429)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    serve
        ->add_option("--password-hashing", options.passwordHashing,
                     "Desk password hashes at once, 64 MiB each (docs/desk-accounts.md); further "
                     "logins wait for one")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    PhotoLimits photoLimits;
    serve->add_option("--photo-quota", photoLimits.quota, "Bytes of photos one device may hold")
        ->capture_default_str();
    long partialTtl = 24 * 3600;
    serve
        ->add_option("--photo-partial-ttl", partialTtl,
                     "Seconds an unfinished photo upload is kept after its last chunk")
        ->check(CLI::Range(1L, 365L * 24 * 3600))
        ->capture_default_str();
    bool noAccessLog = false;
    serve->add_flag("--no-access-log", noAccessLog, "No line per request on stderr");
    bool noIntegrate = false;
    serve->add_flag("--no-integrate", noIntegrate,
                    "Store pushes and leave their integration into the ledger to another receiver "
                    "(PostgreSQL), or to the next serve (SQLite)");
    long checkpointSeconds = 30;
    serve
        ->add_option("--checkpoint-every", checkpointSeconds,
                     "Seconds between checkpoints of the tally, from which the next start "
                     "replays only later entries (0: only at a clean stop)")
        ->check(CLI::Range(0L, 24L * 3600))
        ->capture_default_str();

    CLI11_PARSE(app, argc, argv);
    // Logs go to stderr; stdout carries only what scripts read ("listening on ...", codes).
    spdlog::set_default_logger(spdlog::stderr_color_mt("rekap-central"));

    try {
        // These two work on files, not through the store: a backup must not migrate the
        // serving receiver's file, and a restore replaces it.
        if ((*backup || *restore) && db::isPostgres(db))
            throw std::invalid_argument(
                "backup and restore are for a SQLite store; back up PostgreSQL with "
                "pg_basebackup and WAL archiving (docs/scale-out.md)");
        if (*backup) {
            auto f = backupStore(db, backupTo);
            std::cout << "backed up " << db << " to " << backupTo << " (" << f.bytes << " bytes, "
                      << f.photos << " photos" << (f.key ? ", signing key" : "") << ")\n";
            return 0;
        }
        if (*restore) {
            auto f = restoreStore(restoreFrom, db);
            std::cout << "restored " << restoreFrom << " to " << db << " (" << f.bytes << " bytes, "
                      << f.photos << " photos" << (f.key ? ", signing key" : "") << ")\n";
            return 0;
        }
        // verify (also the one at serve's start) hashes the photo files revisions refer to.
        storeOptions.photoDir = photosDir;
        CentralStore store(db, storeOptions);
        if (*init) {
            store.masterData().loadRegency(regencyFile);
            const auto& reg = store.masterData().regency();
            auto key = store.masterData().receiverKey();
            std::cout << db::describeLocation(db) << ": regency " << reg.code.str() << " "
                      << reg.name << ", " << reg.tps.size() << " TPS, master data "
                      << reg.contentHash.substr(0, 12) << "\n"
                      << "receiver key " << key << " (fingerprint " << signing::fingerprint(key)
                      << ")\n";
        } else if (*mint) {
            if (!qrFile.empty() && qrUrl.empty())
                throw std::invalid_argument(
                    "--qr needs --url, the receiver's address as tablets reach it");
            if (!qrFile.empty())
                encodeEnrolmentLink({qrUrl, "CHECK-ONLY"}); // a bad --url fails before minting
            auto codes =
                store.registry().mintCodes(*protocol::parseRole(role), AreaCode::parse(area), count,
                                           std::chrono::hours(24 * days), label);
            for (std::size_t i = 0; !qrFile.empty() && i < codes.size(); ++i)
                writeEnrolmentQr({qrUrl, codes[i]}, mintedQrPath(qrFile, i, codes.size()));
            if (json)
                std::cout << nlohmann::json(codes).dump() << "\n";
            else
                for (const auto& c : codes)
                    std::cout << c << "\n";
        } else if (*devices) {
            auto all = nlohmann::json::array();
            for (const auto& d : store.registry().devices())
                all.push_back({{"device", d.id},
                               {"name", d.name},
                               {"role", std::string(protocol::roleName(d.role))},
                               {"scope", d.scope},
                               {"revoked", d.revoked},
                               {"last_seen_at", d.lastSeenAt.value_or("")},
                               {"queue_depth", d.queueDepth},
                               {"last_capture_at", d.lastCaptureAt.value_or("")}});
            if (json)
                std::cout << all.dump(2) << "\n";
            else
                for (const auto& d : all)
                    std::cout << d["device"].get<std::string>() << "  "
                              << d["role"].get<std::string>() << " "
                              << d["scope"].get<std::string>()
                              << (d["revoked"].get<bool>() ? "  REVOKED" : "") << "  queue "
                              << d["queue_depth"] << "  last seen "
                              << d["last_seen_at"].get<std::string>() << "\n";
        } else if (*revoke) {
            store.registry().revokeDevice(deviceId);
            std::cout << "revoked " << deviceId << "\n";
        } else if (*conflicts) {
            auto all = nlohmann::json::array();
            for (const auto& s : store.sheets().conflicts()) {
                auto heads = nlohmann::json::array();
                for (const auto& r : store.sheets().revisionsOf(s.key))
                    if (std::find(s.heads.begin(), s.heads.end(), r.revision.id) != s.heads.end())
                        heads.push_back({{"revision", r.revision.id},
                                         {"device", r.revision.device},
                                         {"operator", r.revision.operatorName},
                                         {"received_at", r.receivedAt},
                                         {"sheet", encodeSheet(r.revision.sheet)}});
                all.push_back(
                    {{"sheet", s.key}, {"winner", s.winner.value_or("")}, {"heads", heads}});
            }
            if (json)
                std::cout << all.dump(2) << "\n";
            else
                for (const auto& c : all) {
                    std::cout << c["sheet"].get<std::string>() << " (provisional winner "
                              << c["winner"].get<std::string>() << ")\n";
                    for (const auto& h : c["heads"])
                        std::cout << "  " << h["revision"].get<std::string>() << " from "
                                  << h["device"].get<std::string>() << " ("
                                  << h["operator"].get<std::string>() << ") at "
                                  << h["received_at"].get<std::string>() << "\n";
                }
        } else if (*resolve) {
            auto id = store.sheets().resolve(sheetKey, revision, reason, by);
            std::cout << "resolved " << sheetKey << " with revision " << id << "\n";
        } else if (*tally) {
            auto area =
                tallyArea.empty() ? store.masterData().regency().code : AreaCode::parse(tallyArea);
            if (csv) {
                std::cout << tallyCsv(store, contest, area);
            } else if (json) {
                std::cout << tallyReport(store, contest, area).dump(2) << "\n";
            } else {
                printTally(std::cout, tallyReport(store, contest, area));
            }
        } else if (*kpuImport) {
            auto im = importKpu(store, contest, kpuFile);
            std::cout << "imported " << im.fileName << " as KPU import " << im.id << " of "
                      << im.contest << ": " << im.rows << " TPS, sha256 " << im.fileSha256
                      << ", at " << im.importedAt << "\n";
        } else if (*crosscheck) {
            auto area =
                tallyArea.empty() ? store.masterData().regency().code : AreaCode::parse(tallyArea);
            auto which = importOpt->count() ? std::optional<std::int64_t>(importId) : std::nullopt;
            if (csv)
                std::cout << crosscheckCsv(store, contest, area, which);
            else if (json)
                std::cout << crosscheckReport(store, contest, area, which).dump(2) << "\n";
            else
                printCrosscheck(std::cout, crosscheckReport(store, contest, area, which));
        } else if (*head) {
            auto h = store.ledger().latestHead();
            auto key = store.masterData().receiverKey();
            if (json) {
                nlohmann::json j = {{"receiver_key", key}};
                if (h)
                    j["tree_head"] = ledger::encode(*h);
                std::cout << j.dump(2) << "\n";
            } else {
                std::cout << "receiver key " << key << " (fingerprint " << signing::fingerprint(key)
                          << ")\n";
                if (h)
                    std::cout << "Segel data: " << h->size << " entries, root " << h->root
                              << ", signed " << h->timestamp << "\nsignature " << h->signature
                              << "\n";
            }
        } else if (*checkpoint) {
            store.live().tally(); // from an earlier checkpoint when one fits, else every sheet
            if (auto c = store.live().writeCheckpoint())
                std::cout << "checkpoint of derived state at " << c->size << " entries, "
                          << c->bytes << " bytes\n";
            else
                std::cout << "checkpoint of derived state: nothing new since the last one\n";
        } else if (*verify) {
            auto rep = store.ledger().verify();
            if (json) {
                std::cout << nlohmann::json{{"ok", rep.ok},
                                            {"failure", rep.failure},
                                            {"entry", rep.failedEntry},
                                            {"entries", rep.entries},
                                            {"heads", rep.heads},
                                            {"revisions", rep.revisions},
                                            {"legacy_revisions", rep.legacyRevisions},
                                            {"photos", rep.photos},
                                            {"receiver_key", rep.receiverKey}}
                                 .dump(2)
                          << "\n";
            } else if (rep.ok) {
                std::cout << "ok: " << rep.entries << " ledger entries, " << rep.heads
                          << " signed heads, " << rep.revisions << " revisions ("
                          << rep.legacyRevisions << " unsigned, from before signing), "
                          << "tables and tally match, " << rep.photos
                          << " photo files hash to what their revisions carry; receiver key "
                          << signing::fingerprint(rep.receiverKey) << "\n";
            } else {
                std::cout << "FAILED: " << rep.failure << "\n";
            }
            return rep.ok ? 0 : 1;
        } else if (*auditExport) {
            std::ofstream out(exportFile, std::ios::binary | std::ios::trunc);
            if (!out)
                throw std::runtime_error("cannot write " + exportFile);
            store.ledger().exportAudit(out);
            out.close();
            if (!out)
                throw std::runtime_error("could not finish writing " + exportFile);
            std::cout << "wrote " << exportFile << " (" << store.ledger().ledgerSize()
                      << " ledger entries)\n";
        } else if (*deskToken) {
            if (!deskRevoke.empty()) {
                int n = store.deskTokens().revokeDeskTokens(deskRevoke);
                if (n == 0)
                    throw std::invalid_argument("no active desk token of " + deskRevoke);
                std::cout << "revoked " << n << " desk token(s) of " << deskRevoke << "\n";
            } else {
                std::cout << store.deskTokens().createDeskToken(deskName) << "\n";
            }
        } else if (*user) {
            for (auto* sub : {userAdd, userPasswd, userDisable, userList})
                if (*sub)
                    userCmd.action = sub->get_name();
            runUserCommand(store, userCmd, std::cin, std::cout);
        } else if (*serve) {
            if (!store.masterData().initialized())
                throw std::runtime_error(db::describeLocation(db) +
                                         " holds no regency: run rekap-central init first");
            // Request bodies of 256 KiB and more get memory of their own from the kernel and
            // give it back when freed. By default glibc raises this threshold after such a
            // free and serves the next ones from per-thread arenas, which keep what they
            // grew: a few large requests on different handler threads would then hold their
            // peak for good.
            mallopt(M_MMAP_THRESHOLD, 256 * 1024);
            store.live().tally(); // recount now, not on the first dashboard request
            photoLimits.partialTtl = std::chrono::seconds(partialTtl);
            PhotoStore photos(photoDir(db, photosDir), photoLimits);
            photos.setNamedBy([&store](const std::string& sha, const std::string& tps) {
                return store.sheets().photoNamedBy(sha, tps);
            });
            // Block the stop signals before any thread starts, then wait for one here.
            sigset_t stopSignals;
            sigemptyset(&stopSignals);
            sigaddset(&stopSignals, SIGINT);
            sigaddset(&stopSignals, SIGTERM);
            pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
            // Threads from here on: they inherit the blocked stop signals.
            store.live().startFollowing();
            if (!noIntegrate)
                store.intake().startIntegrating();
            options.requestTimeout = std::chrono::seconds(requestSeconds);
            if (!noAccessLog)
                options.accessLog = spdlog::stderr_color_mt("access");
            CentralServer server(store, photos, options);
            spdlog::info("rekap-central: regency {} {}, store {}",
                         store.masterData().regency().code.str(), store.masterData().regency().name,
                         db::describeLocation(db));
            server.start();
            // The whole ledger replayed once at start, beside serving: a failure is logged and
            // shown on the dashboard in red; reads go on being served. Started after the
            // server's own connections are made: on PostgreSQL it takes one more.
            std::jthread verifier(
                [&store](std::stop_token stop) { verifyAtStartup(store, std::move(stop)); });
            // The tally kept every so often (issue 30): a restart takes in only later entries.
            std::jthread checkpointer([&store, checkpointSeconds](std::stop_token stop) {
                std::mutex mu;
                std::condition_variable_any wake;
                while (checkpointSeconds > 0 && !stop.stop_requested()) {
                    std::unique_lock lock(mu);
                    if (wake.wait_for(lock, stop, std::chrono::seconds(checkpointSeconds),
                                      [] { return false; }))
                        break;
                    if (!stop.stop_requested())
                        writeCheckpoint(store);
                }
            });
            // The line tests and scripts wait for: the API is up from here on.
            std::cout << "listening on " << (options.certFile.empty() ? "http" : "https") << "://"
                      << options.host << ":" << server.port() << std::endl;
            int signal = 0;
            sigwait(&stopSignals, &signal);
            spdlog::info("rekap-central: signal {}, stopping", signal);
            server.stop();
            checkpointer.request_stop();
            checkpointer.join();
            writeCheckpoint(store); // a clean stop: the next start replays nothing
            verifier.request_stop();
            verifier.join();
        }
    } catch (const std::exception& e) {
        std::cerr << "rekap-central: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
