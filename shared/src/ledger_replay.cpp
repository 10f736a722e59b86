#include "rekap/ledger_replay.h"

#include <algorithm>
#include <thread>

#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/master_data.h"
#include "rekap/person_name.h"
#include "rekap/photo_attachment.h"
#include "rekap/protocol.h"
#include "rekap/revision.h"
#include "rekap/rules.h"
#include "rekap/send_back.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/sheet_state.h"
#include "rekap/signing.h"

namespace rekap::ledger {

namespace {

std::string text(const nlohmann::json& e, const char* key) {
    auto it = e.find(key);
    if (it == e.end() || !it->is_string())
        throw std::runtime_error(std::string("\"") + key + "\" is missing or not a string");
    return it->get<std::string>();
}

/// Rule ids and severities, in order: what an outsider can recompute; the messages' wording may
/// change between versions without changing what a sheet is.
std::vector<std::string> ruleSummary(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings)
        out.push_back(f.rule + ":" + std::string(severityName(f.severity)));
    return out;
}

} // namespace

ReplayError::ReplayError(std::int64_t index, const std::string& what)
    : std::runtime_error("ledger entry " + std::to_string(index) + ": " + what)
    , index_(index) {}

Replay::Replay(std::optional<std::string> pinnedReceiverKey)
    : pinned_(std::move(pinnedReceiverKey)) {}

Replay::~Replay() = default;

const Regency& Replay::regency() const {
    if (regencies_.empty())
        throw std::runtime_error("the ledger holds no master data yet");
    return *regencies_.back();
}

void Replay::apply(std::string_view entry) {
    auto index = size();
    nlohmann::json e;
    try {
        // A master-data entry's document is left out here and read apart, TPS by TPS
        // (decodeRegencyText): as a tree, a national one took about 800 MB, twice over with
        // the copy taken of it.
        e = nlohmann::json::parse(
            entry, [](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                return !(depth == 1 && event == nlohmann::json::parse_event_t::key &&
                         parsed == "document");
            });
    } catch (const nlohmann::json::exception& ex) {
        throw ReplayError(index, std::string("not JSON: ") + ex.what());
    }
    try {
        if (!e.is_object())
            throw std::runtime_error("not a JSON object");
        auto at = e.find("index");
        if (at == e.end() || !at->is_number_integer() || at->get<std::int64_t>() != index)
            throw std::runtime_error("says it is entry " + (at == e.end() ? "?" : at->dump()) +
                                     ": entries were removed, inserted or moved");
        lastAt_ = text(e, "at");
        if (!isUtcTimestamp(lastAt_))
            throw std::runtime_error("\"at\" is not a UTC time");
        auto kindText = text(e, "kind");
        auto kind = parseKind(kindText);
        if (!kind)
            throw std::runtime_error("unknown kind \"" + kindText + "\"");
        bool migrated = e.value("migrated", false);
        if (migrated && live_)
            throw std::runtime_error("marked \"migrated\" after entries written live: only a "
                                     "ledger's start is ever carried over from an older store");
        if (!migrated && *kind != Kind::ReceiverKey)
            live_ = true;
        last_.reset();
        lastKind_ = *kind;
        lastMigrated_ = migrated;
        switch (*kind) {
        case Kind::MasterData: {
            auto decoded = decodeRegencyText(entry, "master data", "document");
            auto reg = std::make_shared<Regency>(std::move(decoded.regency));
            if (reg->contentHash != text(e, "version"))
                throw std::runtime_error("the master data's version does not match its document");
            if (!regencies_.empty() && regencies_.back()->code != reg->code)
                throw std::runtime_error("master data of another regency");
            regencies_.push_back(std::move(reg));
            masterDataDocument_ = std::move(decoded.document);
            break;
        }
        case Kind::ReceiverKey: {
            auto key = text(e, "public_key");
            if (!signing::isPublicKey(key))
                throw std::runtime_error("not an Ed25519 public key");
            if (receiverKey_)
                throw std::runtime_error(
                    "a second receiver key " + signing::fingerprint(key) +
                    ": the receiver's key is never replaced, so only the first, " +
                    signing::fingerprint(*receiverKey_) + ", signs this ledger");
            if (pinned_ && key != *pinned_)
                throw std::runtime_error("the ledger names receiver key " +
                                         signing::fingerprint(key) + ", not the pinned " +
                                         signing::fingerprint(*pinned_));
            receiverKey_ = key;
            receiverKeys_[static_cast<std::uint64_t>(index)] = key;
            break;
        }
        case Kind::DeviceEnrolled: {
            DeviceInfo d{text(e, "device"), text(e, "name"), text(e, "role"), text(e, "scope"),
                         std::nullopt,      false,           text(e, "at"),   std::nullopt};
            if (devices_.count(d.id))
                throw std::runtime_error("device " + d.id + " enrolled twice");
            if (d.role != "operator" && d.role != "camat")
                throw std::runtime_error("unknown role " + d.role);
            if (e.contains("public_key")) {
                d.publicKey = text(e, "public_key");
                if (!signing::isPublicKey(*d.publicKey))
                    throw std::runtime_error("device " + d.id + ": not an Ed25519 public key");
            } else if (!e.value("migrated", false)) {
                throw std::runtime_error("device " + d.id + " enrolled without a key");
            }
            devices_[d.id] = std::move(d);
            break;
        }
        case Kind::DeviceKey: {
            auto it = devices_.find(text(e, "device"));
            if (it == devices_.end())
                throw std::runtime_error("a key for unknown device " + text(e, "device"));
            if (it->second.publicKey)
                throw std::runtime_error("device " + it->first +
                                         " already has a key: keys are never replaced");
            auto key = text(e, "public_key");
            if (!signing::isPublicKey(key))
                throw std::runtime_error("not an Ed25519 public key");
            it->second.publicKey = key;
            break;
        }
        case Kind::DeviceRevoked: {
            auto it = devices_.find(text(e, "device"));
            if (it == devices_.end() || it->second.revoked)
                throw std::runtime_error("revokes unknown or revoked device " + text(e, "device"));
            it->second.revoked = true;
            if (!migrated)
                it->second.revokedAt = text(e, "at");
            break;
        }
        case Kind::Revision:
            applyRevision(index, e);
            break;
        case Kind::Refusal:
            text(e, "device");
            text(e, "code");
            ++refusals_;
            break;
        case Kind::Decision:
            applyDecision(index, e);
            break;
        case Kind::PhotoAttached:
            applyPhotoAttached(index, e);
            break;
        case Kind::SendBack:
            applySendBack(index, e);
            break;
        }
    } catch (const ReplayError&) {
        throw;
    } catch (const std::exception& ex) {
        throw ReplayError(index, ex.what());
    }
    tree_.append(merkle::leafHash(entry));
}

std::string_view Replay::sheetKey(const std::string& key) {
    return sheets_.try_emplace(key).first->first; // a std::map's keys stay where they are
}

std::string_view Replay::author(const std::string& device) {
    return *authors_.insert(device).first;
}

std::optional<std::string_view> Replay::parentKey(const std::optional<std::string>& parent) {
    if (!parent)
        return std::nullopt;
    if (auto it = revisions_.find(*parent); it != revisions_.end())
        return std::string_view(it->first); // an unordered map's keys stay where they are
    return *otherParents_.insert(*parent).first;
}

std::string_view Replay::person(const std::string& name) {
    return *people_.insert(name).first;
}

std::optional<std::string> Replay::effectiveParent(std::optional<std::string> id) const {
    for (int depth = 0; id && depth < 10000; ++depth) {
        auto it = revisions_.find(*id);
        if (it == revisions_.end())
            return std::nullopt;
        if (!it->second.rejected)
            return id;
        if (!it->second.parent)
            return std::nullopt;
        id = std::string(*it->second.parent);
    }
    return std::nullopt;
}

std::vector<revision_key::Named> Replay::named(const std::string& name) const {
    std::vector<revision_key::Named> out;
    auto plain = revisions_.find(name);
    if (plain != revisions_.end())
        out.push_back({name, std::string(plain->second.device), std::string(plain->second.sheet)});
    if (auto it = shared_.find(name); it != shared_.end())
        for (const auto& key : it->second) {
            const auto& r = revisions_.at(key);
            out.push_back({key, std::string(r.device), std::string(r.sheet)});
        }
    return out;
}

void Replay::checkDeferredSignatures(unsigned threads, std::int64_t before) {
    threads = std::max(1u, threads);
    std::vector<std::int64_t> firstBad(threads, std::numeric_limits<std::int64_t>::max());
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (std::size_t i = t; i < pending_.size(); i += threads) {
                const auto& p = pending_[i];
                if (p.index >= before || p.index >= firstBad[t])
                    continue;
                if (!signing::verify(p.publicKey, p.message, p.signature))
                    firstBad[t] = p.index;
            }
        });
    for (auto& th : pool)
        th.join();
    auto bad = *std::min_element(firstBad.begin(), firstBad.end());
    for (const auto& p : pending_)
        if (p.index == bad)
            throw ReplayError(p.index, p.failure);
}

void Replay::checkDeskReading(const Revision& rev, const std::string& hash, bool reading) const {
    if (!reading)
        throw std::runtime_error("revision " + rev.id + " by " + rev.device +
                                 " is not a second reading: the desk records nothing else");
    if (!receiverKey_)
        throw std::runtime_error("a desk reading before any receiver key");
    if (!revisionSignatureValid(rev, hash, *receiverKey_))
        throw std::runtime_error("second reading " + rev.id +
                                 " is not signed by the receiver's key");
}

void Replay::checkDeviceRevision(std::int64_t index, const nlohmann::json& e, const Revision& rev,
                                 const std::string& hash, bool reading) {
    auto dev = devices_.find(rev.device);
    if (dev == devices_.end())
        throw std::runtime_error("revision " + rev.id + " names device " + rev.device +
                                 ", which never enrolled");
    const auto& d = dev->second;
    if (d.revoked)
        throw std::runtime_error("revision " + rev.id + " from device " + d.id +
                                 " after it was revoked");
    if (d.role == "camat") {
        // A camat reads the sheets of its kecamatan a second time; it records none.
        if (!reading || !AreaCode::parse(d.scope).contains(rev.sheet.tps))
            throw std::runtime_error("revision " + rev.id + " for TPS " + rev.sheet.tps.str() +
                                     " from camat device " + d.id + " of " + d.scope +
                                     ": a camat sends only second readings of its kecamatan");
    } else if (d.role != "operator" || d.scope != rev.sheet.tps.str()) {
        throw std::runtime_error("revision " + rev.id + " for TPS " + rev.sheet.tps.str() +
                                 " from device " + d.id + ", which records " + d.scope);
    } else if (reading) {
        throw std::runtime_error("revision " + rev.id + " from operator device " + d.id +
                                 " is marked a second reading: only the desk and the camat "
                                 "read a sheet a second time");
    }
    // Unsigned only when carried over from before signing, and only from a device that had no
    // key then: a device with a key signs everything it sends.
    bool migrated = e.value("migrated", false);
    if (rev.signature || !migrated || d.publicKey) {
        if (!d.publicKey)
            throw std::runtime_error("revision " + rev.id + " from device " + d.id +
                                     ", which has no key");
        auto failure = "revision " + rev.id + ": the signature is not device " + d.id +
                       "'s (numbers or metadata changed after signing)";
        if (defer_ && rev.signature)
            pending_.push_back({index, revisionSigningText(rev, hash), *rev.signature, *d.publicKey,
                                std::move(failure)});
        else if (!revisionSignatureValid(rev, hash, *d.publicKey))
            throw std::runtime_error(failure);
    } else {
        ++legacy_;
    }
}

void Replay::applyPhotoAttached(std::int64_t index, const nlohmann::json& e) {
    auto a = decodePhotoAttachment(e.at("attachment"), "$.attachment");
    auto key = text(e, "revision");
    auto rev = revisions_.find(key);
    if (rev == revisions_.end() || revision_key::nameOf(key) != a.revision)
        throw std::runtime_error("a photo attached to revision " + a.revision + " (key " + key +
                                 "), which the ledger does not hold");
    if (rev->second.device != a.device)
        throw std::runtime_error("a photo attached to revision " + key + " of device " +
                                 std::string(rev->second.device) + " by device " + a.device +
                                 ": only a revision's own device attaches its photo");
    if (rev->second.sheet != a.sheetKey())
        throw std::runtime_error("a photo attached to revision " + key + " of sheet " +
                                 std::string(rev->second.sheet) + " names sheet " + a.sheetKey());
    auto dev = devices_.find(a.device);
    if (dev == devices_.end() || !dev->second.publicKey)
        throw std::runtime_error("a photo attached by device " + a.device +
                                 ", which never enrolled with a key");
    if (dev->second.revoked)
        throw std::runtime_error("a photo attached by device " + a.device +
                                 " after it was revoked");
    for (const auto& earlier : attached_)
        if (earlier.revision == key && earlier.photo == a.photo)
            throw std::runtime_error("photo " + a.photo + " attached to revision " + key +
                                     " twice");
    auto failure = "the photo attached to revision " + key + " is not signed by device " +
                   a.device + " (photo, revision or sheet changed after signing)";
    if (defer_ && a.signature)
        pending_.push_back({index, photoAttachmentSigningText(a), *a.signature,
                            *dev->second.publicKey, std::move(failure)});
    else if (!photoAttachmentSignatureValid(a, *dev->second.publicKey))
        throw std::runtime_error(failure);
    attached_.push_back({index, key, a.sheetKey(), a.photo, a.device, a.attachedAt, text(e, "at")});
}

void Replay::applySendBack(std::int64_t index, const nlohmann::json& e) {
    auto mark = decodeSendBack(e.at("mark"), "$.mark");
    auto key = text(e, "revision");
    if (!receiverKey_)
        throw std::runtime_error("a sheet sent back before any receiver key");
    if (!sendBackSignatureValid(mark, *receiverKey_))
        throw std::runtime_error("the mark sending sheet " + mark.sheetKey() +
                                 " back is not signed by the receiver's key");
    if (mark.at != text(e, "at"))
        throw std::runtime_error("the mark sending sheet " + mark.sheetKey() + " back is dated " +
                                 mark.at + ", its entry " + text(e, "at"));
    auto rev = revisions_.find(key);
    if (rev == revisions_.end() || revision_key::nameOf(key) != mark.revision)
        throw std::runtime_error("sheet " + mark.sheetKey() + " sent back for revision " +
                                 mark.revision + " (key " + key +
                                 "), which the ledger does not hold");
    if (rev->second.sheet != mark.sheetKey() || rev->second.device != mark.device)
        throw std::runtime_error("sheet " + mark.sheetKey() + " sent back for revision " + key +
                                 ", which is of sheet " + std::string(rev->second.sheet) +
                                 " by device " + std::string(rev->second.device));
    auto dev = devices_.find(mark.device);
    if (dev == devices_.end() || dev->second.role != "operator" || rev->second.reading)
        throw std::runtime_error("sheet " + mark.sheetKey() + " sent back for revision " + key +
                                 ", which no operator's tablet wrote");
    if (waitingSendBack_.count(mark.sheetKey()))
        throw std::runtime_error("sheet " + mark.sheetKey() +
                                 " sent back again while its earlier mark still waits");
    waitingSendBack_[mark.sheetKey()] = sentBack_.size();
    sentBack_.push_back({index, key, mark.sheetKey(), mark.device, mark.reason, mark.by, mark.at,
                         *mark.signature, std::nullopt, std::nullopt});
}

void Replay::answerSendBacks(const std::string& sheet, const std::string& key, std::int64_t index) {
    auto it = waitingSendBack_.find(sheet);
    if (it == waitingSendBack_.end())
        return;
    auto& mark = sentBack_[it->second];
    mark.answeredBy = key;
    mark.answeredIdx = index;
    waitingSendBack_.erase(it);
}

void Replay::applyRevision(std::int64_t index, const nlohmann::json& e) {
    const auto& reg = regency();
    RevisionTexts texts;
    auto rev = decodeRevision(e.at("revision"), reg, "ledger", "$.revision", &texts);
    auto key = rev.sheet.key();
    bool reading = rev.reason == merge::kSecondReading;
    if (rev.device.rfind(merge::kDeskReaderPrefix, 0) == 0)
        checkDeskReading(rev, texts.hash, reading);
    else
        checkDeviceRevision(index, e, rev, texts.hash, reading);
    // Signed with the ids the device chose; kept under keys as the receiver keeps them.
    const auto name = rev.id;
    rev.id = revision_key::keyFor(name, rev.device, named(name));
    if (revisions_.count(rev.id))
        throw std::runtime_error("revision " + rev.id + " appears twice");
    if (rev.parent)
        rev.parent = revision_key::parentKey(*rev.parent, rev.device, key, named(*rev.parent));
    if (rev.id != name)
        shared_[name].push_back(rev.id);
    if (reading) {
        // Typed again from the photo by someone else, on top of an accepted revision.
        auto p = rev.parent ? revisions_.find(*rev.parent) : revisions_.end();
        if (p == revisions_.end() || p->second.sheet != key || p->second.rejected)
            throw std::runtime_error("second reading " + rev.id +
                                     " does not build on an accepted revision of its sheet");
        // A name of two scripts is a look-alike, never a reader: the receiver refuses one.
        if (person_name::mixesScripts(rev.operatorName))
            throw std::runtime_error("second reading " + rev.id + " is typed under a name that " +
                                     "mixes letters of different scripts (" + rev.operatorName +
                                     ")");
        if (p->second.device == rev.device ||
            merge::samePerson(p->second.operatorName, rev.operatorName))
            throw std::runtime_error("second reading " + rev.id + " is typed by " +
                                     rev.operatorName + " (" + rev.device +
                                     "), who wrote the revision it reads");
    }
    auto findings = validateSheet(rev.sheet, reg);
    bool rejected = hasErrors(findings);
    auto outcome = text(e, "outcome");
    const auto ruled = sheetStateName(rejected ? SheetState::Rejected : SheetState::Accepted);
    if (outcome != ruled)
        throw std::runtime_error("revision " + rev.id + " is recorded " + outcome +
                                 " but the rules make it " + std::string(ruled));
    if (ruleSummary(protocol::decodeFindings(e.at("findings"))) != ruleSummary(findings))
        throw std::runtime_error("revision " + rev.id +
                                 ": the recorded findings are not what the rules find");
    // No hash kept: a national replay holds 4,100,000 of these, and the entry's hash was
    // checked against its signature above.
    auto& info = revisions_[rev.id] = {sheetKey(key),
                                       parentKey(rev.parent),
                                       author(rev.device),
                                       rejected,
                                       index,
                                       person(rev.operatorName),
                                       reading,
                                       index};
    if (!reading)
        answerSendBacks(key, rev.id, index);
    auto& sheet = sheets_[key];
    auto numbers = merge::numbersHash(rev.sheet);
    if (rejected) {
        merge::applyRejected(sheet);
    } else {
        merge::Head head{rev.id, index, 0, rev.device, numbers, reading, rev.operatorName};
        auto step = merge::applyAccepted(sheet, std::move(head), effectiveParent(rev.parent));
        if (!sheetsAt_) {
            if (step.replaced)
                headSheets_.erase(*step.replaced);
            headSheets_[rev.id] = rev.sheet;
        }
        for (const auto& h : sheet.heads)
            if (h.id == rev.id)
                info.line = h.line;
    }
    last_ = AppliedRevision{std::move(rev),
                            text(e, "at"),
                            std::move(texts),
                            std::move(numbers),
                            e.at("findings"),
                            rejected,
                            false,
                            info.line,
                            {}};
}

void Replay::applyDecision(std::int64_t index, const nlohmann::json& e) {
    const auto& reg = regency();
    auto key = text(e, "sheet");
    auto chosen = text(e, "chosen");
    RevisionTexts texts;
    auto rev = decodeRevision(e.at("revision"), reg, "ledger", "$.revision", &texts);
    if (!merge::isDecision(rev.device))
        throw std::runtime_error("a decision's revision must be the desk's, not " + rev.device);
    // "chosen" is the head's key; the decision, as signed, names its id.
    if (rev.sheet.key() != key || rev.parent != revision_key::nameOf(chosen))
        throw std::runtime_error("decision " + rev.id + " does not build on the head it chose");
    if (revisions_.count(rev.id))
        throw std::runtime_error("revision " + rev.id + " appears twice");
    if (!receiverKey_)
        throw std::runtime_error("a decision before any receiver key");
    if (!revisionSignatureValid(rev, texts.hash, *receiverKey_))
        throw std::runtime_error("decision " + rev.id + " is not signed by the receiver's key");
    auto it = sheets_.find(key);
    if (it == sheets_.end())
        throw std::runtime_error("a decision on sheet " + key + ", which has no revision");
    const auto& heads = it->second.heads;
    auto chosenHead = std::find_if(heads.begin(), heads.end(),
                                   [&](const merge::Head& h) { return h.id == chosen; });
    if (chosenHead == heads.end())
        throw std::runtime_error("decision " + rev.id + " chose " + chosen +
                                 ", which is not a head of " + key);
    if (chosenHead->numbersHash != merge::numbersHash(rev.sheet))
        throw std::runtime_error("decision " + rev.id + " changes the numbers of the head " +
                                 chosen + " it chose");
    merge::Head head{rev.id,
                     index,
                     0,
                     std::string(merge::kDecisionAuthor),
                     merge::numbersHash(rev.sheet),
                     false,
                     rev.operatorName};
    auto superseded = merge::applyDecision(it->second, std::move(head), chosen);
    auto recorded = e.at("superseded").get<std::vector<std::string>>();
    auto sorted = superseded;
    std::sort(recorded.begin(), recorded.end());
    std::sort(sorted.begin(), sorted.end());
    if (recorded != sorted)
        throw std::runtime_error("decision " + rev.id +
                                 " records other superseded heads than the sheet had");
    if (!sheetsAt_) {
        for (const auto& s : superseded)
            headSheets_.erase(s);
        headSheets_.erase(chosen);
        headSheets_[rev.id] = rev.sheet;
    }
    rev.parent = chosen; // kept by key, as the receiver's tables keep it
    auto line = it->second.heads.front().line;
    revisions_[rev.id] = {sheetKey(key),
                          parentKey(rev.parent),
                          author(rev.device),
                          false,
                          index,
                          person(rev.operatorName),
                          false,
                          line};
    auto numbers = merge::numbersHash(rev.sheet);
    last_ = AppliedRevision{std::move(rev),
                            text(e, "at"),
                            std::move(texts),
                            std::move(numbers),
                            nlohmann::json::array(),
                            false,
                            true,
                            line,
                            std::move(superseded)};
}

void Replay::checkHead(const TreeHead& head) const {
    if (head.size > tree_.size())
        throw ReplayError(static_cast<std::int64_t>(head.size),
                          "a signed head of " + std::to_string(head.size) +
                              " entries, but the ledger holds " + std::to_string(tree_.size()));
    checkHead(head, tree_.root(head.size));
}

void Replay::checkHead(const TreeHead& head, const merkle::Hash& root) const {
    auto at = static_cast<std::int64_t>(head.size);
    if (!regencies_.empty() && head.regency != regency().code.str())
        throw ReplayError(at, "a signed head of regency " + head.regency);
    if (merkle::toHex(root) != head.root)
        throw ReplayError(at, "the ledger's first " + std::to_string(head.size) +
                                  " entries do not hash to the signed root " +
                                  head.root.substr(0, 12) +
                                  ": an entry was changed, removed or reordered");
    // The key in force: the latest receiver_key entry inside the head.
    std::optional<std::string> key;
    for (const auto& [from, k] : receiverKeys_)
        if (from < head.size)
            key = k;
    if (!key)
        throw ReplayError(at, "a signed head before any receiver key");
    if (!signing::verify(*key, signingText(head), head.signature))
        throw ReplayError(at, "the head of " + std::to_string(head.size) +
                                  " entries is not signed by the receiver's key " +
                                  signing::fingerprint(*key));
}

CountedSheet Replay::counted(const std::string& key) const {
    CountedSheet c;
    auto it = sheets_.find(key);
    if (it == sheets_.end())
        return c;
    c.state = it->second.state();
    if (const auto* w = it->second.winner()) {
        c.verified = merge::verified(it->second);
        c.sheet = sheetsAt_ ? std::move(readBack({w->seq}).at(0)) : headSheets_.at(w->id);
    }
    return c;
}

std::vector<Sheet> Replay::readBack(const std::vector<std::int64_t>& indexes) const {
    auto texts = sheetsAt_(indexes);
    if (texts.size() != indexes.size())
        throw std::runtime_error("the ledger gave back " + std::to_string(texts.size()) +
                                 " entries for " + std::to_string(indexes.size()) + " heads");
    std::vector<Sheet> out;
    out.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        // Read again, perhaps from another state of the store: taken only as it was replayed.
        auto idx = indexes[i];
        if (idx < 0 || idx >= size() ||
            merkle::leafHash(texts[i]) != tree_.leaf(static_cast<std::uint64_t>(idx)))
            throw ReplayError(idx, "read back, it is not the entry that was replayed");
        out.push_back(
            decodeSheet(nlohmann::json::parse(texts[i]).at("revision").at("sheet"), regency()));
    }
    return out;
}

std::unique_ptr<Tally> Replay::tally() const {
    auto t = std::make_unique<Tally>(regency());
    auto add = [&](const std::string& key, const CountedSheet& c) {
        auto slash = key.find('/');
        t->apply(AreaCode::parse(key.substr(0, slash)), key.substr(slash + 1), {}, c);
    };
    if (!sheetsAt_) {
        for (const auto& [key, s] : sheets_)
            add(key, counted(key));
        return t;
    }
    // Read back a page of winners at a time: one statement per page, and a page's sheets alone
    // in memory.
    constexpr std::size_t kPage = 10000;
    std::vector<std::pair<const std::string*, CountedSheet>> page;
    std::vector<std::int64_t> wanted;
    auto flush = [&] {
        auto sheets = readBack(wanted);
        std::size_t next = 0;
        for (auto& [key, c] : page) {
            if (c.sheet) // a placeholder: the winner's numbers, read back
                c.sheet = std::move(sheets.at(next++));
            add(*key, c);
        }
        page.clear();
        wanted.clear();
    };
    for (const auto& [key, s] : sheets_) {
        CountedSheet c;
        c.state = s.state();
        if (const auto* w = s.winner()) {
            c.verified = merge::verified(s);
            c.sheet.emplace();
            wanted.push_back(w->seq);
        }
        page.emplace_back(&key, std::move(c));
        if (wanted.size() >= kPage)
            flush();
    }
    flush();
    return t;
}

} // namespace rekap::ledger
