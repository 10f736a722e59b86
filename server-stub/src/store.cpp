// CentralStore: opening the store, the regency, enrolment codes, devices and authentication.
// Ingest, pull and adjudication are in ingest.cpp; following the ledger in follow.cpp;
// verification and the audit export in verify.cpp.

#include "rekap/central/store.h"

#include <fstream>
#include <sstream>

#include "contact.h"
#include "ledger_log.h"
#include "rekap/central/api_error.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "rekap/sha256.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"
#include "schema.h"

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

CentralStore::CentralStore(const std::string& location, StoreOptions options)
    : dbOwner_(db::open(location, true))
    , db_(*dbOwner_)
    , ledger_(std::make_unique<LedgerLog>(keyFileFor(location, options)))
    , photoDir_(!options.photoDir.empty()  ? options.photoDir
                : db::isPostgres(location) ? std::filesystem::path()
                                           : std::filesystem::path(location + ".photos")) {
    db_.migrate(schemaMigrations(db_.dialect()));
    const auto& dbFile = db_.path();
    std::lock_guard lock(mu_);
    ledger_->catchUp(db_);
    // The master data served and counted with is the ledger's latest master_data entry: the
    // regency table only mirrors it, and an edit there must change nothing (verify names it).
    // Only a store made before the ledger takes its regency from the table, once, to build
    // its ledger from it.
    std::optional<std::string> document;
    std::string source = dbFile + " (ledger, master data)";
    if (auto md = ledger_->latestMasterData(db_)) {
        document = std::move(md->document);
    } else if (ledger_->size() == 0) {
        auto st = db_.prepare("SELECT document FROM regency WHERE id = 1");
        if (st.step())
            document = st.text(0);
        source = dbFile + " (regency)";
    }
    if (document) {
        regencyDocument_ = std::move(*document);
        auto reg = std::make_shared<const Regency>(
            decodeRegency(parseJsonText(regencyDocument_, source), source));
        regency_ = reg.get();
        regencies_.push_back(std::move(reg));
    }
    if (ledger_->size() == 0 && regency_)
        migrateIntoLedger(); // a store made before the ledger (schema step 4)
    applied_ = ledger_->size();
    version_ = applied_;
    dataVersion_ = db_.dataVersion().value_or(-1);
}

CentralStore::~CentralStore() {
    stopFollowing_ = true;
    if (follower_.joinable())
        follower_.join();
}

void CentralStore::writeLedger(const std::function<void()>& f) {
    auto start = ledger_->size();
    try {
        db_.transaction([&] {
            catchUpLocked(); // nothing another process appended is left behind our entries
            start = ledger_->size();
            f();
            auto code = regency_ ? regency_.load()->code.str() : std::string();
            if (code.empty()) {
                auto st = db_.prepare("SELECT code FROM regency WHERE id = 1");
                if (st.step())
                    code = st.text(0);
            }
            ledger_->seal(db_, code);
        });
    } catch (...) {
        ledger_->truncate(start);
        throw;
    }
}

void CentralStore::loadRegency(const std::filesystem::path& file) {
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
        auto legacy = db_.prepare("SELECT EXISTS (SELECT 1 FROM devices) OR EXISTS (SELECT 1 "
                                  "FROM revisions)");
        legacy.step();
        if (legacy.int64(0)) {
            // Devices or revisions from before the ledger but no regency yet: load it, then
            // build the ledger from all of it (migrate_ledger.cpp).
            db_.transaction([&] {
                db_.prepare("INSERT INTO regency (id, code, document, content_hash, loaded_at) "
                            "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                            "document = excluded.document, content_hash = "
                            "excluded.content_hash, loaded_at = excluded.loaded_at")
                    .bindAll(reg->code.str(), text, reg->contentHash, utcNowText())
                    .run();
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
    writeLedger([&] {
        auto at = utcNowText();
        db_.prepare("INSERT INTO regency (id, code, document, content_hash, loaded_at) "
                    "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    "document = excluded.document, content_hash = excluded.content_hash, "
                    "loaded_at = excluded.loaded_at")
            .bindAll(reg->code.str(), text, reg->contentHash, at)
            .run();
        ledger_->ensureKey(db_, at);
        if (!changed)
            return;
        ledger_->append(db_, ledger::Kind::MasterData, "", std::nullopt, at, [&](auto idx) {
            return ledger::entryText(ledger::Kind::MasterData, idx, at,
                                     {{"version", reg->contentHash}, {"document", doc}});
        });
        db_.prepare("INSERT INTO changes (kind, data, created_at) VALUES ('master_data', ?, ?)")
            .bindAll(nlohmann::json{{"version", reg->contentHash}}.dump(), at)
            .run();
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

bool CentralStore::initialized() const {
    return regency_.load() != nullptr;
}

const Regency& CentralStore::regency() const {
    const auto* r = regency_.load();
    if (!r)
        throw std::runtime_error(
            db_.path() + ": no regency loaded yet (run: rekap-central init --regency FILE)");
    return *r;
}

const Regency& CentralStore::regencyLocked() const {
    return regency();
}

std::string CentralStore::regencyDocument() const {
    std::lock_guard lock(mu_);
    regency();
    return regencyDocument_;
}

std::string CentralStore::masterDataVersion() const {
    const auto* r = regency_.load();
    return r ? r->contentHash : std::string();
}

std::string CentralStore::receiverKey() const {
    std::lock_guard lock(mu_);
    return ledger_->publicKey(db_);
}

std::vector<std::string> CentralStore::mintCodes(Role role, const AreaCode& scope, int count,
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
    db_.transaction([&] {
        auto st = db_.prepare("INSERT INTO enrolment_codes (code_hash, role, scope, label, "
                              "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
        for (int i = 0; i < count; ++i) {
            auto code = newReadableCode();
            st.bindAll(sha256Hex(normalizeCode(code)), std::string(protocol::roleName(role)),
                       scope.str(), label, utcNowText(),
                       nowSeconds() + std::chrono::seconds(validity).count());
            st.run();
            st.reset();
            codes.push_back(code);
        }
    });
    return codes;
}

protocol::EnrolResponse CentralStore::enrol(const protocol::EnrolRequest& req) {
    if (!signing::isPublicKey(req.publicKey))
        throw ApiError(Problem::BadRequest,
                       "expected the device's Ed25519 public key (base64 of 32 bytes)",
                       "$.public_key");
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    protocol::EnrolResponse out;
    writeLedger([&] {
        auto st = db_.prepare("SELECT role, scope, expires_at, device, enrolment_id FROM "
                              "enrolment_codes WHERE code_hash = ?");
        st.bindAll(sha256Hex(normalizeCode(req.code)));
        if (!st.step())
            throw ApiError(Problem::CodeInvalid, "unknown enrolment code: check it with the desk",
                           "$.code", protocol::reason::kCodeUnknown);
        auto role = *protocol::parseRole(st.text(0));
        auto scope = st.text(1);
        if (st.int64(2) < nowSeconds())
            throw ApiError(Problem::CodeInvalid,
                           "this enrolment code has expired: ask the desk for a new one", "$.code",
                           protocol::reason::kCodeExpired);
        auto token = randomHex(32);
        auto at = utcNowText();
        std::string device;
        if (auto used = st.optionalText(3)) {
            // A retry of an enrolment whose answer was lost gets the same device, new token.
            if (st.optionalText(4) != req.enrolmentId)
                throw ApiError(Problem::CodeInvalid,
                               "this enrolment code was already used by another device", "$.code",
                               protocol::reason::kCodeUsed);
            device = *used;
            auto key = db_.prepare("SELECT public_key FROM devices WHERE id = ?");
            key.bindAll(device);
            if (key.step() && key.optionalText(0) && *key.optionalText(0) != req.publicKey)
                throw ApiError(Problem::CodeInvalid, "this enrolment was made with another key",
                               "$.public_key");
            auto upd = db_.prepare(
                "UPDATE devices SET token_hash = ? WHERE id = ? AND revoked_at IS NULL");
            upd.bindAll(sha256Hex(token), device).run();
            if (db_.changes() == 0)
                throw ApiError(Problem::DeviceRevoked, "this device was revoked");
            forgetIdentity(device); // the old token stops working
        } else {
            device = "dev-" + randomHex(8);
            db_.prepare("INSERT INTO devices (id, name, role, scope, token_hash, enrolled_at, "
                        "public_key) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bindAll(device, req.deviceName, std::string(protocol::roleName(role)), scope,
                         sha256Hex(token), at, req.publicKey)
                .run();
            db_.prepare(
                   "UPDATE enrolment_codes SET device = ?, enrolment_id = ? WHERE code_hash = ?")
                .bindAll(device, req.enrolmentId, sha256Hex(normalizeCode(req.code)))
                .run();
            ledger_->append(db_, ledger::Kind::DeviceEnrolled, "", device, at, [&](auto idx) {
                return ledger::entryText(ledger::Kind::DeviceEnrolled, idx, at,
                                         {{"device", device},
                                          {"name", req.deviceName},
                                          {"role", std::string(protocol::roleName(role))},
                                          {"scope", scope},
                                          {"public_key", req.publicKey}});
            });
        }
        out = {
            device, token, role, scope, reg.code.str(), reg.contentHash, ledger_->publicKey(db_)};
    });
    applied_ = ledger_->size();
    version_ = applied_;
    return out;
}

namespace {
DeviceRecord readDevice(const db::Statement& st) {
    DeviceRecord d;
    d.id = st.text(0);
    d.name = st.text(1);
    d.role = *protocol::parseRole(st.text(2));
    d.scope = st.text(3);
    d.revoked = !st.isNull(4);
    d.lastSeenAt = st.optionalText(5);
    d.queueDepth = st.integer(6);
    d.lastCaptureAt = st.optionalText(7);
    d.publicKey = st.optionalText(8);
    return d;
}
constexpr const char* kDeviceColumns = "id, name, role, scope, revoked_at, last_seen_at, "
                                       "queue_depth, last_capture_at, public_key";
} // namespace

DeviceRecord CentralStore::authenticate(const std::string& token) {
    if (token.empty())
        throw ApiError(Problem::Unauthorized, "missing device token: enrol this device");
    auto hash = sha256Hex(token);
    {
        std::shared_lock read(identitiesMu_);
        if (auto it = identities_.find(hash); it != identities_.end())
            return it->second;
    }
    std::lock_guard lock(mu_);
    auto st =
        db_.prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE token_hash = ?");
    st.bindAll(hash);
    if (!st.step())
        throw ApiError(Problem::Unauthorized, "unknown device token: enrol this device again");
    auto d = readDevice(st);
    if (d.revoked)
        throw ApiError(Problem::DeviceRevoked, "device " + d.id + " was revoked by the desk");
    std::unique_lock write(identitiesMu_);
    identities_.insert_or_assign(hash, d);
    return d;
}

std::optional<DeviceRecord> CentralStore::device(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE id = ?");
    st.bindAll(id);
    if (!st.step())
        return std::nullopt;
    return readDevice(st);
}

void CentralStore::forgetIdentity(const std::string& deviceId) {
    std::unique_lock write(identitiesMu_);
    std::erase_if(identities_, [&](const auto& entry) { return entry.second.id == deviceId; });
}

void CentralStore::registerDeviceKey(const std::string& deviceId, const std::string& publicKey) {
    if (!signing::isPublicKey(publicKey))
        throw ApiError(Problem::BadRequest, "expected an Ed25519 public key (base64 of 32 bytes)",
                       "$.public_key");
    std::lock_guard lock(mu_);
    writeLedger([&] {
        auto st = db_.prepare("SELECT public_key FROM devices WHERE id = ?");
        st.bindAll(deviceId);
        if (!st.step())
            throw ApiError(Problem::Unauthorized, "unknown device " + deviceId);
        if (auto have = st.optionalText(0)) {
            if (*have == publicKey)
                return; // a retry whose answer was lost
            throw ApiError(Problem::Conflict, "device " + deviceId +
                                                  " already has a key: keys are never replaced; "
                                                  "enrol the device again");
        }
        auto at = utcNowText();
        db_.prepare("UPDATE devices SET public_key = ? WHERE id = ?")
            .bindAll(publicKey, deviceId)
            .run();
        ledger_->append(db_, ledger::Kind::DeviceKey, "", deviceId, at, [&](auto idx) {
            return ledger::entryText(ledger::Kind::DeviceKey, idx, at,
                                     {{"device", deviceId}, {"public_key", publicKey}});
        });
    });
    forgetIdentity(deviceId);
    applied_ = ledger_->size();
    version_ = applied_;
}

void CentralStore::revokeDevice(const std::string& id) {
    std::lock_guard lock(mu_);
    writeLedger([&] {
        auto at = utcNowText();
        db_.prepare("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bindAll(at, id)
            .run();
        if (db_.changes() == 0)
            throw std::invalid_argument("no active device " + id);
        ledger_->append(db_, ledger::Kind::DeviceRevoked, "", id, at, [&](auto idx) {
            return ledger::entryText(ledger::Kind::DeviceRevoked, idx, at, {{"device", id}});
        });
    });
    forgetIdentity(id);
    applied_ = ledger_->size();
    version_ = applied_;
}

std::vector<DeviceRecord> CentralStore::devices() const {
    std::lock_guard lock(mu_);
    auto st =
        db_.prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices ORDER BY scope, id");
    std::vector<DeviceRecord> out;
    while (st.step())
        out.push_back(readDevice(st));
    return out;
}

void CentralStore::recordContact(const std::string& deviceId, const DeviceReport& report) {
    std::lock_guard lock(mu_);
    writeContact(db_, deviceId, report);
}

} // namespace rekap::central
