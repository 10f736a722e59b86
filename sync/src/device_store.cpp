#include "rekap/sync/device_store.h"

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "device_schema.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "rekap/merge.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/random.h"

namespace rekap::sync {

namespace fs = std::filesystem;
using protocol::PushStatus;

namespace {

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw std::runtime_error(p.string() + ": cannot open");
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

void writeDurably(const fs::path& p, const std::string& data) {
    auto tmp = p.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        throw std::runtime_error(tmp + ": cannot create");
    bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok)
        throw std::runtime_error(tmp + ": cannot write (disk full?)");
    fs::rename(tmp, p);
}

constexpr const char* kEntryColumns = "seq, body, hash, origin, state, findings, error, updated_at";
} // namespace

FinalizeRefused::FinalizeRefused(std::vector<Finding> findings)
    : std::runtime_error(
          "the sheet breaks " + std::to_string(findings.size()) +
          " rule(s); first: " + (findings.empty() ? std::string() : findings.front().messageEn))
    , findings_(std::move(findings)) {}

DeviceStore::DeviceStore(const fs::path& file)
    : db_(file.string(), true)
    , photoDir_(file.string() + ".photos") {
    db_.migrate(deviceMigrations());
    auto st = db_.prepare("SELECT document FROM master_data WHERE id = 1");
    if (st.step())
        regency_ = std::make_shared<const Regency>(
            decodeRegency(parseJsonText(st.text(0), "master data"), "master data"));
    // A crash or kill during a sync leaves revisions marked sending: they go again.
    requeueSending();
    signLegacyRevisions();
}

signing::KeyPair DeviceStore::deviceKey() {
    std::lock_guard lock(mu_);
    auto priv = setting("device_private_key");
    if (priv.empty()) {
        auto pair = signing::generateKeyPair();
        db_.transaction([&] {
            setSetting("device_private_key", pair.privateKey);
            setSetting("device_public_key", pair.publicKey);
        });
        return pair;
    }
    return {setting("device_public_key"), priv};
}

bool DeviceStore::keyRegistered() const {
    std::lock_guard lock(mu_);
    return setting("key_registered") == "1";
}

void DeviceStore::setKeyRegistered() {
    std::lock_guard lock(mu_);
    setSetting("key_registered", "1");
}

void DeviceStore::setReceiverKey(const std::string& publicKey) {
    std::lock_guard lock(mu_);
    setSetting("receiver_key", publicKey);
}

void DeviceStore::signLegacyRevisions() {
    auto enrolled = enrolment();
    if (!enrolled || enrolled->role != protocol::Role::Operator || !regency_)
        return;
    auto key = deviceKey();
    std::lock_guard lock(mu_);
    if (setting("key_registered").empty())
        setSetting("key_registered", "0"); // enrolled before keys: register it on the next sync
    db_.transaction([&] {
        auto st = db_.prepare("SELECT id, body FROM revisions WHERE origin = 'device' AND state IN "
                              "('queued', 'sending')");
        std::vector<std::pair<std::string, Revision>> unsigned_;
        while (st.step()) {
            auto rev = decodeRevision(nlohmann::json::parse(st.text(1)), *regency_);
            if (!rev.signature)
                unsigned_.emplace_back(st.text(0), std::move(rev));
        }
        for (auto& [id, rev] : unsigned_) {
            signRevision(rev, key.privateKey);
            db_.prepare("UPDATE revisions SET body = ? WHERE id = ?")
                .bindAll(encodeRevision(rev).dump(), id)
                .run();
        }
    });
}

std::string DeviceStore::setting(const std::string& key) const {
    auto st = db_.prepare("SELECT value FROM settings WHERE key = ?");
    st.bindAll(key);
    return st.step() ? st.text(0) : std::string();
}

void DeviceStore::setSetting(const std::string& key, const std::string& value) {
    db_.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                "value = excluded.value")
        .bindAll(key, value)
        .run();
}

std::string DeviceStore::preference(const std::string& key) const {
    std::lock_guard lock(mu_);
    return setting("pref." + key);
}

void DeviceStore::setPreference(const std::string& key, const std::string& value) {
    std::lock_guard lock(mu_);
    setSetting("pref." + key, value);
}

std::optional<Enrolment> DeviceStore::enrolment() const {
    std::lock_guard lock(mu_);
    if (setting("device").empty())
        return std::nullopt;
    return Enrolment{setting("server"),
                     setting("device"),
                     setting("token"),
                     protocol::parseRole(setting("role")).value_or(protocol::Role::Operator),
                     setting("scope"),
                     setting("regency"),
                     setting("receiver_key")};
}

void DeviceStore::saveEnrolment(const Enrolment& e) {
    std::lock_guard lock(mu_);
    db_.transaction([&] {
        setSetting("server", e.server);
        setSetting("device", e.device);
        setSetting("token", e.token);
        setSetting("role", std::string(protocol::roleName(e.role)));
        setSetting("scope", e.scope);
        setSetting("regency", e.regency);
        setSetting("receiver_key", e.receiverKey);
    });
}

std::string DeviceStore::pendingEnrolmentId() {
    std::lock_guard lock(mu_);
    auto id = setting("enrolment_id");
    if (id.empty()) {
        id = newUuid();
        setSetting("enrolment_id", id);
    }
    return id;
}

void DeviceStore::saveMasterData(const std::string& document) {
    auto reg = std::make_shared<const Regency>(
        decodeRegency(parseJsonText(document, "master data"), "master data"));
    std::lock_guard lock(mu_);
    db_.prepare("INSERT INTO master_data (id, document, version) VALUES (1, ?, ?) ON CONFLICT (id) "
                "DO UPDATE SET document = excluded.document, version = excluded.version")
        .bindAll(document, reg->contentHash)
        .run();
    regency_ = std::move(reg);
}

std::shared_ptr<const Regency> DeviceStore::regency() const {
    std::lock_guard lock(mu_);
    return regency_;
}

std::string DeviceStore::masterDataVersion() const {
    std::lock_guard lock(mu_);
    return regency_ ? regency_->contentHash : std::string();
}

void DeviceStore::saveDraft(const std::string& sheetKey, const nlohmann::json& draft) {
    std::lock_guard lock(mu_);
    db_.prepare("INSERT INTO drafts (sheet, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (sheet) "
                "DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at")
        .bindAll(sheetKey, draft.dump(), utcNowText())
        .run();
}

std::optional<nlohmann::json> DeviceStore::draft(const std::string& sheetKey) const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT body FROM drafts WHERE sheet = ?");
    st.bindAll(sheetKey);
    if (!st.step())
        return std::nullopt;
    return nlohmann::json::parse(st.text(0));
}

Revision DeviceStore::finalize(const Sheet& sheet, const std::string& operatorName,
                               const FinalizeOptions& options) {
    auto reg = regency();
    auto enrol = enrolment();
    if (!enrol || !reg)
        throw std::invalid_argument("this device is not enrolled yet: enrol it first");
    if (enrol->role != protocol::Role::Operator)
        throw std::invalid_argument("a camat device does not record sheets");
    if (sheet.tps.str() != enrol->scope)
        throw std::invalid_argument("this device records TPS " + enrol->scope + ", not " +
                                    sheet.tps.str());
    if (operatorName.empty())
        throw std::invalid_argument("the operator's name is required");
    auto findings = validateSheet(sheet, *reg);
    if (hasErrors(findings) && !options.allowRuleErrors)
        throw FinalizeRefused(findings);
    auto key = deviceKey();

    std::lock_guard lock(mu_);
    Revision rev;
    db_.transaction([&] {
        auto headSt = db_.prepare("SELECT revision FROM sheet_heads WHERE sheet = ?");
        headSt.bindAll(sheet.key());
        if (headSt.step())
            rev.parent = headSt.text(0);
        if (rev.parent && options.reason.empty())
            throw std::invalid_argument("sheet " + sheet.key() +
                                        " was already finalized: a correction needs a reason");
        rev.id = newUuid();
        rev.device = enrol->device;
        rev.operatorName = operatorName;
        rev.capturedAt = utcNowText();
        rev.reason = options.reason;
        rev.photo = options.photo;
        rev.sheet = sheet;
        signRevision(rev, key.privateKey);
        auto now = rev.capturedAt;
        db_.prepare("INSERT INTO revisions (id, sheet, parent, body, hash, captured_at, state, "
                    "findings, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)")
            .bindAll(rev.id, sheet.key(), rev.parent, encodeRevision(rev).dump(), rev.hash(),
                     rev.capturedAt, protocol::encodeFindings(findings).dump(), now)
            .run();
        db_.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?) ON CONFLICT (sheet) "
                    "DO UPDATE SET revision = excluded.revision")
            .bindAll(sheet.key(), rev.id)
            .run();
        db_.prepare("DELETE FROM drafts WHERE sheet = ?").bindAll(sheet.key()).run();
        failPoint("finalize.written");
    });
    failPoint("finalize.committed");
    return rev;
}

Revision DeviceStore::finalizeReading(const Sheet& sheet, const std::string& parent,
                                      const std::optional<std::string>& photo,
                                      const std::string& operatorName) {
    auto reg = regency();
    auto enrol = enrolment();
    if (!enrol || !reg)
        throw std::invalid_argument("this device is not enrolled yet: enrol it first");
    if (enrol->role != protocol::Role::Camat)
        throw std::invalid_argument("only a camat device reads a sheet a second time");
    if (!AreaCode::parse(enrol->scope).contains(sheet.tps))
        throw std::invalid_argument("this camat reads kecamatan " + enrol->scope + ", not TPS " +
                                    sheet.tps.str());
    if (operatorName.empty())
        throw std::invalid_argument("the reader's name is required");
    if (parent.empty())
        throw std::invalid_argument("a second reading names the revision it reads");
    auto findings = validateSheet(sheet, *reg);
    if (hasErrors(findings))
        throw FinalizeRefused(findings);
    auto key = deviceKey();

    std::lock_guard lock(mu_);
    Revision rev;
    rev.id = newUuid();
    rev.parent = parent;
    rev.device = enrol->device;
    rev.operatorName = operatorName;
    rev.capturedAt = utcNowText();
    rev.reason = std::string(merge::kSecondReading);
    rev.photo = photo;
    rev.sheet = sheet;
    signRevision(rev, key.privateKey);
    db_.transaction([&] {
        // Not the sheet's head on this device: a camat's tablet records no sheets of its own.
        db_.prepare("INSERT INTO revisions (id, sheet, parent, body, hash, captured_at, state, "
                    "findings, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)")
            .bindAll(rev.id, sheet.key(), rev.parent, encodeRevision(rev).dump(), rev.hash(),
                     rev.capturedAt, protocol::encodeFindings(findings).dump(), rev.capturedAt)
            .run();
        failPoint("finalize.written");
    });
    failPoint("finalize.committed");
    return rev;
}

std::optional<std::string> DeviceStore::head(const std::string& sheetKey) const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT revision FROM sheet_heads WHERE sheet = ?");
    st.bindAll(sheetKey);
    return st.step() ? std::optional<std::string>(st.text(0)) : std::nullopt;
}

namespace {
OutboxEntry readEntry(const sqlite::Statement& st, const Regency& reg) {
    OutboxEntry e;
    e.seq = st.int64(0);
    e.revision = decodeRevision(nlohmann::json::parse(st.text(1)), reg);
    e.hash = st.text(2);
    e.decision = merge::isDecision(st.text(3)); // the origin column says desk
    e.state = storedSheetState(st.text(4), "outbox state");
    e.findings = protocol::decodeFindings(nlohmann::json::parse(st.text(5)));
    e.error = st.text(6);
    e.updatedAt = st.text(7);
    return e;
}
} // namespace

std::vector<OutboxEntry> DeviceStore::outbox() const {
    std::lock_guard lock(mu_);
    std::vector<OutboxEntry> out;
    if (!regency_)
        return out;
    auto st = db_.prepare(std::string("SELECT ") + kEntryColumns + " FROM revisions ORDER BY seq");
    while (st.step())
        out.push_back(readEntry(st, *regency_));
    return out;
}

std::optional<OutboxEntry> DeviceStore::entry(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string("SELECT ") + kEntryColumns + " FROM revisions WHERE id = ?");
    st.bindAll(id);
    if (!regency_ || !st.step())
        return std::nullopt;
    return readEntry(st, *regency_);
}

std::vector<OutboxEntry> DeviceStore::takeBatch(std::size_t maxCount, std::size_t maxBytes) {
    std::lock_guard lock(mu_);
    std::vector<OutboxEntry> out;
    if (!regency_)
        return out;
    db_.transaction([&] {
        auto st = db_.prepare(std::string("SELECT ") + kEntryColumns +
                              ", length(body) FROM revisions WHERE state = 'queued' ORDER BY seq "
                              "LIMIT ?");
        st.bindAll(static_cast<std::int64_t>(maxCount));
        std::size_t bytes = 0;
        while (st.step()) {
            auto size = static_cast<std::size_t>(st.int64(8));
            if (!out.empty() && bytes + size > maxBytes)
                break;
            bytes += size;
            out.push_back(readEntry(st, *regency_));
        }
        auto mark = db_.prepare("UPDATE revisions SET state = 'sending' WHERE id = ?");
        for (const auto& e : out) {
            mark.bindAll(e.revision.id);
            mark.run();
            mark.reset();
        }
    });
    for (auto& e : out)
        e.state = SheetState::Sending;
    return out;
}

void DeviceStore::requeueSending() {
    std::lock_guard lock(mu_);
    db_.exec("UPDATE revisions SET state = 'queued' WHERE state = 'sending'");
}

void DeviceStore::setState(const std::string& id, SheetState state,
                           const std::vector<Finding>& findings, const std::string& error) {
    db_.prepare(
           "UPDATE revisions SET state = ?, findings = ?, error = ?, updated_at = ? WHERE id = ?")
        .bindAll(std::string(sheetStateName(state)), protocol::encodeFindings(findings).dump(),
                 error, utcNowText(), id)
        .run();
}

void DeviceStore::applyResults(const std::vector<protocol::PushResult>& results,
                               const std::optional<ledger::TreeHead>& head) {
    std::lock_guard lock(mu_);
    db_.transaction([&] {
        for (const auto& r : results) {
            if (head && r.ledgerIndex && !r.receipt.empty() && r.status != PushStatus::Refused &&
                *r.ledgerIndex < static_cast<std::int64_t>(head->size))
                db_.prepare("INSERT INTO receipts (revision, ledger_index, code, tree_size, root, "
                            "head_timestamp, head_signature) VALUES (?, ?, ?, ?, ?, ?, ?) ON "
                            "CONFLICT (revision) DO NOTHING")
                    .bindAll(r.id, *r.ledgerIndex, r.receipt, static_cast<std::int64_t>(head->size),
                             head->root, head->timestamp, head->signature)
                    .run();
            switch (r.status) {
            case PushStatus::Accepted:
                setState(r.id, SheetState::Accepted, r.findings, "");
                break;
            case PushStatus::Conflict:
                setState(r.id, SheetState::Conflict, r.findings, "");
                break;
            case PushStatus::Rejected:
                setState(r.id, SheetState::Rejected, r.findings, "");
                break;
            case PushStatus::Duplicate:
                setState(r.id, r.state.value_or(SheetState::Accepted), r.findings, "");
                break;
            case PushStatus::Refused:
                // Nothing was stored: keep the reason so the operator can record it again.
                setState(r.id, SheetState::Rejected, {},
                         r.error ? r.error->code + ": " + r.error->message +
                                       (r.error->path.empty() ? "" : " (" + r.error->path + ")")
                                 : std::string(sheetStateName(SheetState::Refused)));
                break;
            }
        }
    });
}

namespace {
Receipt readReceipt(const sqlite::Statement& st, const std::string& regency) {
    Receipt r;
    r.revision = st.text(0);
    r.ledgerIndex = st.int64(1);
    r.code = st.text(2);
    r.head = {regency, static_cast<std::uint64_t>(st.int64(3)), st.text(4), st.text(5), st.text(6)};
    r.checked = st.int64(7) != 0;
    return r;
}
constexpr const char* kReceiptColumns =
    "revision, ledger_index, code, tree_size, root, head_timestamp, head_signature, checked";
} // namespace

std::vector<Receipt> DeviceStore::receipts() const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string("SELECT ") + kReceiptColumns +
                          " FROM receipts ORDER BY ledger_index");
    std::vector<Receipt> out;
    while (st.step())
        out.push_back(readReceipt(st, setting("regency")));
    return out;
}

std::optional<Receipt> DeviceStore::receipt(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto st =
        db_.prepare(std::string("SELECT ") + kReceiptColumns + " FROM receipts WHERE revision = ?");
    st.bindAll(id);
    if (!st.step())
        return std::nullopt;
    return readReceipt(st, setting("regency"));
}

void DeviceStore::markReceiptChecked(const std::string& id) {
    std::lock_guard lock(mu_);
    db_.prepare("UPDATE receipts SET checked = 1 WHERE revision = ?").bindAll(id).run();
}

std::optional<ledger::TreeHead> DeviceStore::lastTreeHead() const {
    std::lock_guard lock(mu_);
    auto text = setting("tree_head");
    if (text.empty())
        return std::nullopt;
    return ledger::decodeTreeHead(nlohmann::json::parse(text), "device store");
}

void DeviceStore::saveTreeHead(const ledger::TreeHead& head) {
    std::lock_guard lock(mu_);
    setSetting("tree_head", ledger::encode(head).dump());
}

std::string DeviceStore::ledgerAlarm() const {
    std::lock_guard lock(mu_);
    return setting("ledger_alarm");
}

void DeviceStore::setLedgerAlarm(const std::string& what) {
    std::lock_guard lock(mu_);
    if (setting("ledger_alarm").empty())
        setSetting("ledger_alarm", utcNowText() + " " + what);
}

int DeviceStore::queueDepth() const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT COUNT(*) FROM revisions WHERE state IN ('queued', 'sending')");
    st.step();
    return st.integer(0);
}

std::optional<std::string> DeviceStore::lastCaptureAt() const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT MAX(captured_at) FROM revisions WHERE origin = 'device'");
    st.step();
    return st.optionalText(0);
}

std::int64_t DeviceStore::checkpoint() const {
    std::lock_guard lock(mu_);
    auto v = setting("checkpoint");
    return v.empty() ? 0 : std::stoll(v);
}

void DeviceStore::applyChanges(const protocol::PullResponse& pull) {
    std::lock_guard lock(mu_);
    db_.transaction([&] {
        for (const auto& c : pull.changes) {
            if (c.kind == "resolution" && regency_) {
                auto res = decodeRevision(c.data.at("revision"), *regency_);
                db_.prepare("INSERT INTO revisions (id, sheet, parent, body, hash, captured_at, "
                            "origin, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'desk', "
                            "'accepted', ?) ON CONFLICT (id) DO NOTHING")
                    .bindAll(res.id, c.sheet, res.parent, encodeRevision(res).dump(), res.hash(),
                             res.capturedAt, utcNowText())
                    .run();
                // The next correction on this device builds on the desk's decision.
                db_.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?) ON CONFLICT "
                            "(sheet) DO UPDATE SET revision = excluded.revision")
                    .bindAll(c.sheet, res.id)
                    .run();
                for (const auto& id : c.data.at("superseded"))
                    db_.prepare("UPDATE revisions SET state = 'superseded', updated_at = ? WHERE "
                                "id = ? AND state NOT IN ('queued', 'sending')")
                        .bindAll(utcNowText(), id.get<std::string>())
                        .run();
                db_.prepare("UPDATE revisions SET state = 'accepted', updated_at = ? WHERE "
                            "sheet = ? AND state = 'conflict'")
                    .bindAll(utcNowText(), c.sheet)
                    .run();
            } else if (c.kind == "sheet_state") {
                // A sheet_state change says conflict or accepted (docs/protocol.md).
                auto said = parseSheetState(c.data.at("state").get<std::string>());
                auto state = sheetStateName(said == SheetState::Conflict ? SheetState::Conflict
                                                                         : SheetState::Accepted);
                for (const auto& id : c.data.at("heads"))
                    db_.prepare("UPDATE revisions SET state = ?, updated_at = ? WHERE id = ? AND "
                                "state IN ('accepted', 'conflict')")
                        .bindAll(state, utcNowText(), id.get<std::string>())
                        .run();
            } else if (c.kind == "rejection") {
                db_.prepare("UPDATE revisions SET state = 'rejected', findings = ?, updated_at = ? "
                            "WHERE id = ? AND state NOT IN ('queued', 'sending')")
                    .bindAll(c.data.at("findings").dump(), utcNowText(),
                             c.data.at("revision").get<std::string>())
                    .run();
            } else if (c.kind == "send_back") {
                keepSendBack(c); // its signature was checked by the sync client
            }
            // "master_data" is acted on by the sync client, which fetches the new version; a
            // kind this version does not know is passed over, as older versions pass over
            // "send_back".
        }
        // Never backwards: a page taken before a later one was applied (a push answer's page
        // racing a pull, a replayed answer) must not make the device fetch history again.
        auto now = setting("checkpoint");
        std::int64_t current = now.empty() ? 0 : std::stoll(now);
        setSetting("checkpoint", std::to_string(std::max(current, pull.next)));
    });
}

std::string DeviceStore::addPhoto(const fs::path& file) {
    auto bytes = readFile(file);
    if (bytes.empty())
        throw std::invalid_argument(file.string() + ": empty photo");
    auto sha = sha256Hex(bytes);
    fs::create_directories(photoDir_);
    if (!fs::exists(photoPath(sha)))
        writeDurably(photoPath(sha), bytes);
    std::lock_guard lock(mu_);
    db_.prepare("INSERT INTO photos (sha256, size) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING")
        .bindAll(sha, static_cast<std::int64_t>(bytes.size()))
        .run();
    return sha;
}

std::vector<std::string> DeviceStore::pendingPhotos() const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT sha256 FROM photos WHERE uploaded = 0 ORDER BY rowid");
    std::vector<std::string> out;
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

fs::path DeviceStore::photoPath(const std::string& sha) const {
    return photoDir_ / (sha + ".jpg");
}

void DeviceStore::markPhotoUploaded(const std::string& sha) {
    std::lock_guard lock(mu_);
    db_.prepare("UPDATE photos SET uploaded = 1 WHERE sha256 = ?").bindAll(sha).run();
}

} // namespace rekap::sync
