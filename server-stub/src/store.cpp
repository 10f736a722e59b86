// CentralStore: the regency, enrolment codes, devices and authentication. Ingest, pull and
// adjudication are in ingest.cpp.

#include "rekap/central/store.h"

#include <fstream>
#include <sstream>

#include "contact.h"
#include "rekap/central/api_error.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "rekap/sha256.h"
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
} // namespace

CentralStore::CentralStore(const std::filesystem::path& dbFile)
    : db_(dbFile.string(), true) {
    db_.migrate(schemaMigrations());
    auto st = db_.prepare("SELECT document FROM regency WHERE id = 1");
    if (st.step()) {
        regencyDocument_ = st.text(0);
        regency_ = std::make_unique<Regency>(
            decodeRegency(parseJsonText(regencyDocument_, dbFile.string() + " (regency)"),
                          dbFile.string() + " (regency)"));
    }
}

CentralStore::~CentralStore() = default;

void CentralStore::loadRegency(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw DecodeError(file.string(), "cannot open the regency file");
    std::stringstream buf;
    buf << in.rdbuf();
    auto doc = parseJsonText(buf.str(), file.string());
    auto reg = std::make_unique<Regency>(decodeRegency(doc, file.string()));
    std::lock_guard lock(mu_);
    if (regency_ && regency_->code != reg->code)
        throw DecodeError(file.string(), "this store holds regency " + regency_->code.str() +
                                             ", not " + reg->code.str());
    auto text = doc.dump();
    bool changed = !regency_ || regency_->contentHash != reg->contentHash;
    db_.transaction([&] {
        db_.prepare("INSERT INTO regency (id, code, document, content_hash, loaded_at) "
                    "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    "document = excluded.document, content_hash = excluded.content_hash, "
                    "loaded_at = excluded.loaded_at")
            .bindAll(reg->code.str(), text, reg->contentHash, utcNowText())
            .run();
        if (changed)
            db_.prepare("INSERT INTO changes (kind, data, created_at) VALUES ('master_data', ?, ?)")
                .bindAll(nlohmann::json{{"version", reg->contentHash}}.dump(), utcNowText())
                .run();
    });
    regency_ = std::move(reg);
    regencyDocument_ = std::move(text);
    // The tally holds the regency's areas: a new master-data version gets a fresh recount, built
    // when first asked for.
    tally_.reset();
}

bool CentralStore::initialized() const {
    std::lock_guard lock(mu_);
    return regency_ != nullptr;
}

const Regency& CentralStore::regency() const {
    if (!regency_)
        throw std::runtime_error(
            db_.path() + ": no regency loaded yet (run: rekap-central init --regency FILE)");
    return *regency_;
}

std::string CentralStore::regencyDocument() const {
    std::lock_guard lock(mu_);
    regency();
    return regencyDocument_;
}

std::string CentralStore::masterDataVersion() const {
    std::lock_guard lock(mu_);
    return regency_ ? regency_->contentHash : std::string();
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
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    protocol::EnrolResponse out;
    db_.transaction([&] {
        auto st = db_.prepare("SELECT role, scope, expires_at, device, enrolment_id FROM "
                              "enrolment_codes WHERE code_hash = ?");
        st.bindAll(sha256Hex(normalizeCode(req.code)));
        if (!st.step())
            throw ApiError(401, protocol::error::kCodeInvalid,
                           "unknown enrolment code: check it with the desk", "$.code",
                           protocol::reason::kCodeUnknown);
        auto role = *protocol::parseRole(st.text(0));
        auto scope = st.text(1);
        if (st.int64(2) < nowSeconds())
            throw ApiError(401, protocol::error::kCodeInvalid,
                           "this enrolment code has expired: ask the desk for a new one", "$.code",
                           protocol::reason::kCodeExpired);
        auto token = randomHex(32);
        std::string device;
        if (auto used = st.optionalText(3)) {
            // A retry of an enrolment whose answer was lost gets the same device, new token.
            if (st.optionalText(4) != req.enrolmentId)
                throw ApiError(401, protocol::error::kCodeInvalid,
                               "this enrolment code was already used by another device", "$.code",
                               protocol::reason::kCodeUsed);
            device = *used;
            auto upd = db_.prepare(
                "UPDATE devices SET token_hash = ? WHERE id = ? AND revoked_at IS NULL");
            upd.bindAll(sha256Hex(token), device).run();
            if (db_.changes() == 0)
                throw ApiError(403, protocol::error::kDeviceRevoked, "this device was revoked");
            forgetIdentity(device); // the old token stops working
        } else {
            device = "dev-" + randomHex(8);
            db_.prepare("INSERT INTO devices (id, name, role, scope, token_hash, enrolled_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)")
                .bindAll(device, req.deviceName, std::string(protocol::roleName(role)), scope,
                         sha256Hex(token), utcNowText())
                .run();
            db_.prepare(
                   "UPDATE enrolment_codes SET device = ?, enrolment_id = ? WHERE code_hash = ?")
                .bindAll(device, req.enrolmentId, sha256Hex(normalizeCode(req.code)))
                .run();
        }
        out = {device, token, role, scope, reg.code.str(), reg.contentHash};
    });
    return out;
}

namespace {
DeviceRecord readDevice(const sqlite::Statement& st) {
    DeviceRecord d;
    d.id = st.text(0);
    d.name = st.text(1);
    d.role = *protocol::parseRole(st.text(2));
    d.scope = st.text(3);
    d.revoked = !st.isNull(4);
    d.lastSeenAt = st.optionalText(5);
    d.queueDepth = st.integer(6);
    d.lastCaptureAt = st.optionalText(7);
    return d;
}
constexpr const char* kDeviceColumns =
    "id, name, role, scope, revoked_at, last_seen_at, queue_depth, last_capture_at";
} // namespace

DeviceRecord CentralStore::authenticate(const std::string& token) {
    if (token.empty())
        throw ApiError(401, protocol::error::kUnauthorized,
                       "missing device token: enrol this device");
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
        throw ApiError(401, protocol::error::kUnauthorized,
                       "unknown device token: enrol this device again");
    auto d = readDevice(st);
    if (d.revoked)
        throw ApiError(403, protocol::error::kDeviceRevoked,
                       "device " + d.id + " was revoked by the desk");
    std::unique_lock write(identitiesMu_);
    identities_.insert_or_assign(hash, d);
    return d;
}

void CentralStore::forgetIdentity(const std::string& deviceId) {
    std::unique_lock write(identitiesMu_);
    std::erase_if(identities_, [&](const auto& entry) { return entry.second.id == deviceId; });
}

void CentralStore::revokeDevice(const std::string& id) {
    std::lock_guard lock(mu_);
    db_.prepare("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bindAll(utcNowText(), id)
        .run();
    if (db_.changes() == 0)
        throw std::invalid_argument("no active device " + id);
    forgetIdentity(id);
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
