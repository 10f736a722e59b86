// CentralStore: opening the store, the regency, enrolment codes, devices and authentication.
// Ingest, pull and adjudication are in ingest.cpp; following the ledger in follow.cpp;
// verification and the audit export in verify.cpp.

#include "rekap/central/store.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "devices/device_table.h"
#include "devices/enrolment_codes.h"
#include "ledger/ledger_log.h"
#include "master_data/regency_table.h"
#include "rekap/central/api_error.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "rekap/sha256.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"
#include "schema/schema.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

using protocol::Role;

namespace {
std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Codes are read out over the phone: ignore case, spaces and dashes.
std::string normalizeCode(const std::string& code) {
    std::string out;
    for (char c : code) {
        if (c == ' ' || c == '-')
            continue;
        out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return out;
}

std::filesystem::path keyFileFor(const std::string& location, const StoreOptions& o) {
    if (!o.signingKeyFile.empty())
        return o.signingKeyFile;
    if (db::isPostgres(location))
        throw std::runtime_error(db::describeLocation(location) +
                                 ": a store on PostgreSQL needs --signing-key FILE (every "
                                 "receiver on the database signs with the same key)");
    return location + ".key";
}
} // namespace

StoreCore::StoreCore(const std::string& location, StoreOptions options)
    : dbOwner_(db::open(location, options.durable))
    , db_(*dbOwner_)
    , ledger_(std::make_unique<LedgerLog>(keyFileFor(location, options)))
    , photoDir_(!options.photoDir.empty()  ? options.photoDir
                : db::isPostgres(location) ? std::filesystem::path()
                                           : std::filesystem::path(location + ".photos")) {
    db_.migrate(schemaMigrations(db_.dialect()));
    const auto& dbFile = db_.path();
    std::lock_guard lock(mu_);
    ledger_->catchUp(db_, false); // the tree only: the caches are built from the whole ledger
    // The master data served and counted with is the ledger's latest master_data entry: the
    // regency table only mirrors it, and an edit there must change nothing (verify names it).
    // Only a store made before the ledger takes its regency from the table, once, to build
    // its ledger from it.
    auto md = ledger_->latestMasterData(db_);
    if (!md && ledger_->size() == 0) {
        if (auto row = regency_table::read(db_)) {
            auto source = dbFile + " (regency)";
            md = LedgerLog::MasterData{std::make_shared<const Regency>(decodeRegency(
                                           parseJsonText(row->document, source), source)),
                                       row->document};
        }
    }
    if (md) {
        regencyDocument_ = std::move(md->document);
        regency_ = md->regency.get();
        regencies_.push_back(std::move(md->regency));
    }
    if (ledger_->size() == 0 && regency_)
        migrateIntoLedger(); // a store made before the ledger (schema step 4)
    applied_ = ledger_->size();
    version_ = applied_;
    dataVersion_ = db_.dataVersion().value_or(-1);
    side_ = db_.connectAgain(options.durable);
    if (const char* stall = std::getenv("REKAP_FAULT_INTEGRATOR_STALL_MS"))
        faultStall_ = std::chrono::milliseconds(std::atoi(stall));
}

StoreCore::~StoreCore() {
    stopFollowing_ = true;
    work_.notify_all();
    if (integrator_.joinable())
        integrator_.join();
    if (listener_.joinable())
        listener_.join();
    if (follower_.joinable())
        follower_.join();
}

void StoreCore::writeLedger(const std::function<void(const db::WriteTx&)>& f, bool pipelined) {
    auto start = ledger_->size();
    try {
        auto write = [&](const db::WriteTx& tx) {
            catchUpLocked(); // nothing another process appended is left behind our entries
            start = ledger_->size();
            f(tx);
            auto code = regency_ ? regency_.load()->code.str() : std::string();
            if (code.empty())
                code = regency_table::code(tx);
            ledger_->seal(tx, code);
        };
        if (pipelined)
            db_.writePipelined(write);
        else
            db_.write(write);
    } catch (...) {
        ledger_->truncate(start);
        throw;
    }
}

void MasterData::loadRegency(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw DecodeError(file.string(), "cannot open the regency file");
    std::stringstream buf;
    buf << in.rdbuf();
    auto doc = parseJsonText(buf.str(), file.string());
    auto reg = std::make_shared<const Regency>(decodeRegency(doc, file.string()));
    std::lock_guard lock(mu_);
    const auto* current = regency_.load();
    if (current && current->code != reg->code)
        throw DecodeError(file.string(), "this store holds regency " + current->code.str() +
                                             ", not " + reg->code.str());
    // A store holds one election's ledger: the Pilkada's file loaded over February's store would
    // swap the contests under the sheets already counted. A new version of the same election's
    // file (the same election code; a file without one is February's, electionOf) loads as before.
    auto election = [](const Regency& r) { return "election " + electionOf(r).code; };
    if (current && election(*current) != election(*reg))
        throw DecodeError(file.string(),
                          "this store holds " + election(*current) + ", the file has " +
                              election(*reg) +
                              ": a store holds one election; init a new store (--db) for it");
    auto text = doc.dump();
    bool changed = !current || current->contentHash != reg->contentHash;
    if (ledger_->size() == 0) {
        if (device_table::any(db_) || sheet_rows::anyRevision(db_)) {
            // Devices or revisions from before the ledger but no regency yet: load it, then
            // build the ledger from all of it (migrate_ledger.cpp).
            db_.write([&](const db::WriteTx& tx) {
                regency_table::put(tx, {reg->code.str(), text, reg->contentHash}, utcNowText());
            });
            regencyDocument_ = std::move(text);
            regency_ = reg.get();
            regencies_.push_back(std::move(reg));
            migrateIntoLedger();
            applied_ = ledger_->size();
            version_ = applied_;
            return;
        }
    }
    writeLedger([&](const db::WriteTx& tx) {
        auto at = utcNowText();
        regency_table::put(tx, {reg->code.str(), text, reg->contentHash}, at);
        ledger_->ensureKey(tx, at);
        if (!changed)
            return;
        ledger_->append(tx, ledger::Kind::MasterData, "", std::nullopt, at, [&](auto idx) {
            return ledger::entryText(ledger::Kind::MasterData, idx, at,
                                     {{"version", reg->contentHash}, {"document", doc}});
        });
        sheet_rows::addChange(tx, "master_data", "", "",
                              nlohmann::json{{"version", reg->contentHash}}.dump(), at);
    });
    if (changed) {
        regencyDocument_ = std::move(text);
        regency_ = reg.get();
        regencies_.push_back(std::move(reg));
        // The tally holds the regency's areas: a new master-data version gets a fresh recount,
        // built when first asked for.
        tally_.reset();
        counted_.clear();
    }
    applied_ = ledger_->size();
    version_ = applied_;
}

bool MasterData::initialized() const {
    return regency_.load() != nullptr;
}

const Regency& MasterData::regency() const {
    return regencyLocked();
}

const Regency& StoreCore::regencyLocked() const {
    const auto* r = regency_.load();
    if (!r)
        throw std::runtime_error(
            db_.path() + ": no regency loaded yet (run: rekap-central init --regency FILE)");
    return *r;
}

std::string MasterData::regencyDocument() const {
    std::lock_guard lock(mu_);
    regency();
    return regencyDocument_;
}

std::string MasterData::masterDataVersion() const {
    const auto* r = regency_.load();
    return r ? r->contentHash : std::string();
}

std::string MasterData::receiverKey() const {
    std::lock_guard lock(mu_);
    return ledger_->publicKey(db_);
}

std::vector<std::string> DeviceRegistry::mintCodes(Role role, const AreaCode& scope, int count,
                                                   std::chrono::hours validity,
                                                   const std::string& label) {
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    if (role == Role::Operator && !reg.findTps(scope))
        throw std::invalid_argument("TPS " + scope.str() + " is not in regency " + reg.code.str() +
                                    " " + reg.name);
    if (role == Role::Camat && (scope.level() != AreaLevel::Kecamatan || !reg.findArea(scope)))
        throw std::invalid_argument("kecamatan " + scope.str() + " is not in regency " +
                                    reg.code.str() + " " + reg.name);
    if (count < 1 || count > 10000)
        throw std::invalid_argument("count must be between 1 and 10000");
    std::vector<std::string> codes;
    db_.write([&](const db::WriteTx& tx) {
        for (int i = 0; i < count; ++i) {
            auto code = newReadableCode();
            enrolment_codes::add(tx, sha256Hex(normalizeCode(code)),
                                 std::string(protocol::roleName(role)), scope.str(), label,
                                 utcNowText(),
                                 nowSeconds() + std::chrono::seconds(validity).count());
            codes.push_back(code);
        }
    });
    return codes;
}

protocol::EnrolResponse DeviceRegistry::enrol(const protocol::EnrolRequest& req) {
    if (!signing::isPublicKey(req.publicKey))
        throw ApiError(Problem::BadRequest,
                       "expected the device's Ed25519 public key (base64 of 32 bytes)",
                       "$.public_key");
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    protocol::EnrolResponse out;
    writeLedger([&](const db::WriteTx& tx) {
        const auto codeHash = sha256Hex(normalizeCode(req.code));
        auto found = enrolment_codes::find(tx, codeHash);
        if (!found)
            throw ApiError(Problem::CodeInvalid, "unknown enrolment code: check it with the desk",
                           "$.code", protocol::reason::kCodeUnknown);
        auto role = *protocol::parseRole(found->role);
        auto scope = found->scope;
        if (found->expiresAt < nowSeconds())
            throw ApiError(Problem::CodeInvalid,
                           "this enrolment code has expired: ask the desk for a new one", "$.code",
                           protocol::reason::kCodeExpired);
        auto token = randomHex(32);
        auto at = utcNowText();
        std::string device;
        if (auto used = found->device) {
            // A retry of an enrolment whose answer was lost gets the same device, new token.
            if (found->enrolmentId != req.enrolmentId)
                throw ApiError(Problem::CodeInvalid,
                               "this enrolment code was already used by another device", "$.code",
                               protocol::reason::kCodeUsed);
            device = *used;
            auto known = device_table::byId(tx, device);
            if (known && known->publicKey && *known->publicKey != req.publicKey)
                throw ApiError(Problem::CodeInvalid, "this enrolment was made with another key",
                               "$.public_key");
            if (!device_table::setToken(tx, device, sha256Hex(token)))
                throw ApiError(Problem::DeviceRevoked, "this device was revoked");
            forgetIdentity(device); // the old token stops working
        } else {
            device = "dev-" + randomHex(8);
            DeviceRecord d;
            d.id = device;
            d.name = req.deviceName;
            d.role = role;
            d.scope = scope;
            d.publicKey = req.publicKey;
            device_table::add(tx, d, sha256Hex(token), at);
            enrolment_codes::markUsed(tx, codeHash, device, req.enrolmentId);
            ledger_->append(tx, ledger::Kind::DeviceEnrolled, "", device, at, [&](auto idx) {
                return ledger::entryText(ledger::Kind::DeviceEnrolled, idx, at,
                                         {{"device", device},
                                          {"name", req.deviceName},
                                          {"role", std::string(protocol::roleName(role))},
                                          {"scope", scope},
                                          {"public_key", req.publicKey}});
            });
        }
        out = {device, token, role, scope, reg.code.str(), reg.contentHash, ledger_->publicKey(tx)};
    });
    applied_ = ledger_->size();
    version_ = applied_;
    return out;
}

DeviceRecord DeviceRegistry::authenticate(const std::string& token) {
    if (token.empty())
        throw ApiError(Problem::Unauthorized, "missing device token: enrol this device");
    auto hash = sha256Hex(token);
    {
        std::shared_lock read(identitiesMu_);
        if (auto it = identities_.find(hash); it != identities_.end())
            return it->second;
    }
    std::lock_guard lock(mu_);
    auto found = device_table::byTokenHash(db_, hash);
    if (!found)
        throw ApiError(Problem::Unauthorized, "unknown device token: enrol this device again");
    auto d = std::move(*found);
    if (d.revoked)
        throw ApiError(Problem::DeviceRevoked, "device " + d.id + " was revoked by the desk");
    std::unique_lock write(identitiesMu_);
    identities_.insert_or_assign(hash, d);
    return d;
}

std::optional<DeviceRecord> DeviceRegistry::device(const std::string& id) const {
    std::lock_guard lock(mu_);
    return device_table::byId(db_, id);
}

void StoreCore::forgetIdentity(const std::string& deviceId) {
    std::unique_lock write(identitiesMu_);
    std::erase_if(identities_, [&](const auto& entry) { return entry.second.id == deviceId; });
}

void DeviceRegistry::registerDeviceKey(const std::string& deviceId, const std::string& publicKey) {
    if (!signing::isPublicKey(publicKey))
        throw ApiError(Problem::BadRequest, "expected an Ed25519 public key (base64 of 32 bytes)",
                       "$.public_key");
    std::lock_guard lock(mu_);
    writeLedger([&](const db::WriteTx& tx) {
        auto known = device_table::byId(tx, deviceId);
        if (!known)
            throw ApiError(Problem::Unauthorized, "unknown device " + deviceId);
        if (auto have = known->publicKey) {
            if (*have == publicKey)
                return; // a retry whose answer was lost
            throw ApiError(Problem::Conflict, "device " + deviceId +
                                                  " already has a key: keys are never replaced; "
                                                  "enrol the device again");
        }
        auto at = utcNowText();
        device_table::setPublicKey(tx, deviceId, publicKey);
        ledger_->append(tx, ledger::Kind::DeviceKey, "", deviceId, at, [&](auto idx) {
            return ledger::entryText(ledger::Kind::DeviceKey, idx, at,
                                     {{"device", deviceId}, {"public_key", publicKey}});
        });
    });
    forgetIdentity(deviceId);
    applied_ = ledger_->size();
    version_ = applied_;
}

void DeviceRegistry::revokeDevice(const std::string& id) {
    std::lock_guard lock(mu_);
    writeLedger([&](const db::WriteTx& tx) {
        auto at = utcNowText();
        if (!device_table::revoke(tx, id, at))
            throw std::invalid_argument("no active device " + id);
        ledger_->append(tx, ledger::Kind::DeviceRevoked, "", id, at, [&](auto idx) {
            return ledger::entryText(ledger::Kind::DeviceRevoked, idx, at, {{"device", id}});
        });
    });
    forgetIdentity(id);
    applied_ = ledger_->size();
    version_ = applied_;
}

std::vector<DeviceRecord> DeviceRegistry::devices() const {
    std::lock_guard lock(mu_);
    return device_table::all(db_);
}

void DeviceRegistry::recordContact(const std::string& deviceId, const DeviceReport& report) {
    std::lock_guard lock(mu_);
    db_.autocommit(
        [&](const db::WriteTx& tx) { device_table::recordContact(tx, deviceId, report); });
}

} // namespace rekap::central
