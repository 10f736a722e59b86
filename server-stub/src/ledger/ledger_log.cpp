#include "ledger/ledger_log.h"

#include "master_data/regency_table.h"

#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "rekap/central/api_error.h"
#include "rekap/master_data.h"
#include "rekap/protocol.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

namespace rekap::central {

LedgerLog::LedgerLog(std::filesystem::path keyFile)
    : keyFile_(std::move(keyFile)) {}

std::vector<LedgerRow> LedgerLog::catchUp(const db::ReadTx& db, bool keepRows) {
    std::vector<LedgerRow> out;
    // A page of entries per statement: libpq holds a statement's whole result in memory, and a
    // receiver starting on the national ledger (4,100,000 entries) peaked at 2.1 GB reading it.
    constexpr std::int64_t kPage = 100000;
    std::optional<db::Statement> st;
    std::int64_t inPage = kPage;
    auto step = [&] {
        if (st && st->step())
            return true;
        if (inPage < kPage)
            return false; // the last page was not full: there is nothing more
        st.reset();
        st.emplace(db.prepare("SELECT idx, kind, sheet, device, leaf_hash FROM ledger WHERE idx "
                              ">= ? ORDER BY idx LIMIT ?"));
        st->bindAll(size(), kPage);
        inPage = 0;
        return st->step();
    };
    while (step()) {
        ++inPage;
        LedgerRow row{st->int64(0), *ledger::parseKind(st->text(1)), st->text(2),
                      st->optionalText(3)};
        auto leaf = merkle::fromHex(st->text(4));
        if (row.idx != size() || !leaf) {
            // Reads go on (and verify says what happened); nothing more is appended to a
            // ledger with a hole in it.
            damage_ = "ledger entry " + std::to_string(size()) +
                      (row.idx != size() ? " is missing" : " has no valid leaf hash") +
                      ": run rekap-central verify";
            break;
        }
        if (row.kind == ledger::Kind::ReceiverKey) {
            if (firstKey_ >= 0) {
                // The receiver key is never replaced: a second one was put there by someone
                // else, and nothing more is signed on top of it.
                damage_ = "ledger entry " + std::to_string(row.idx) +
                          " is a second receiver key (the first is entry " +
                          std::to_string(firstKey_) + "): run rekap-central verify";
                break;
            }
            firstKey_ = row.idx;
        }
        tree_.append(*leaf);
        if (keepRows)
            out.push_back(std::move(row));
    }
    return out;
}

void LedgerLog::hold(const std::string& why) {
    held_ = why;
}

void LedgerLog::appendText(const db::WriteTx& db, ledger::Kind kind, const std::string& sheet,
                           const std::optional<std::string>& device, const std::string& at,
                           const std::string& text) {
    if (!damage_.empty())
        throw std::runtime_error(db.path() + ": " + damage_);
    if (!held_.empty())
        throw ApiError(Problem::LedgerUnverified,
                       "the receiver takes no writes: its ledger failed verification (" + held_ +
                           "); reads go on. Run rekap-central verify and restore from a backup");
    auto leaf = merkle::leafHash(text);
    db.prepare("INSERT INTO ledger (idx, kind, sheet, device, entry, leaf_hash, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bindAll(size(), std::string(ledger::kindName(kind)), sheet, device, text,
                 merkle::toHex(leaf), at)
        .run();
    tree_.append(leaf);
    if (kind == ledger::Kind::ReceiverKey && firstKey_ < 0)
        firstKey_ = size() - 1;
}

void LedgerLog::truncate(std::int64_t n) {
    if (n >= size())
        return;
    // Rebuilt from the leaves kept: rollbacks are rare (a full disk, a failed push).
    merkle::Tree kept;
    for (std::int64_t i = 0; i < n; ++i)
        kept.append(tree_.leaf(static_cast<std::uint64_t>(i)));
    tree_ = std::move(kept);
    if (firstKey_ >= n)
        firstKey_ = -1;
    if (sealed_ > n)
        sealed_ = -1;
}

void LedgerLog::seal(const db::WriteTx& db, const std::string& regency) {
    if (size() == 0)
        return;
    if (sealed_ < 0) {
        auto last = db.prepare("SELECT COALESCE(MAX(size), 0) FROM tree_heads");
        last.step();
        sealed_ = last.int64(0);
    }
    if (sealed_ == size())
        return;
    ledger::TreeHead head;
    head.regency = regency;
    head.size = static_cast<std::uint64_t>(size());
    head.root = merkle::toHex(tree_.root());
    head.timestamp = utcNowText();
    head.signature = sign(db, ledger::signingText(head));
    db.prepare("INSERT INTO tree_heads (size, root, timestamp, signature) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (size) DO NOTHING")
        .bindAll(size(), head.root, head.timestamp, head.signature)
        .run();
    sealed_ = size();
}

namespace {
ledger::TreeHead readHead(const db::Statement& st, const std::string& regency) {
    ledger::TreeHead h;
    h.regency = regency;
    h.size = static_cast<std::uint64_t>(st.int64(0));
    h.root = st.text(1);
    h.timestamp = st.text(2);
    h.signature = st.text(3);
    return h;
}
} // namespace

std::string LedgerLog::regencyCode(const db::ReadTx& db) const {
    // A store holds one regency for good (MasterData::loadRegency refuses another): read once
    // it is there, not at every answer's signed head.
    {
        std::lock_guard lock(codeMu_);
        if (!code_.empty())
            return code_;
    }
    auto code = regency_table::code(db);
    std::lock_guard lock(codeMu_);
    code_ = code;
    return code;
}

std::optional<ledger::TreeHead> LedgerLog::latestHead(const db::ReadTx& db) const {
    auto st = db.prepare("SELECT size, root, timestamp, signature FROM tree_heads ORDER BY size "
                         "DESC LIMIT 1");
    if (!st.step())
        return std::nullopt;
    return readHead(st, regencyCode(db));
}

std::vector<ledger::TreeHead> LedgerLog::heads(const db::ReadTx& db) const {
    auto code = regencyCode(db);
    auto st = db.prepare("SELECT size, root, timestamp, signature FROM tree_heads ORDER BY size");
    std::vector<ledger::TreeHead> out;
    while (st.step())
        out.push_back(readHead(st, code));
    return out;
}

std::string LedgerLog::publicKey(const db::ReadTx& db) const {
    if (publicKey_.empty()) {
        // The receiver key is among the first entries (init); the index keeps this off a scan.
        // The first one: a key appended later is not the receiver's.
        auto st = db.prepare("SELECT entry FROM ledger WHERE device IS NULL AND kind = "
                             "'receiver_key' ORDER BY idx LIMIT 1");
        if (st.step())
            publicKey_ = nlohmann::json::parse(st.text(0)).at("public_key").get<std::string>();
    }
    return publicKey_;
}

void LedgerLog::ensureKey(const db::WriteTx& db, const std::string& at) {
    if (!publicKey(db).empty())
        return;
    std::string key;
    if (std::ifstream in(keyFile_); in) {
        std::getline(in, key); // a key made before its entry was committed: use it
    } else {
        key = signing::generateKeyPair().privateKey;
        int fd = ::open(keyFile_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0)
            throw std::runtime_error("cannot create the receiver's signing key " +
                                     keyFile_.string());
        auto line = key + "\n";
        bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
        ::close(fd);
        if (!ok)
            throw std::runtime_error("cannot write the receiver's signing key " +
                                     keyFile_.string());
    }
    auto pub = signing::publicKeyOf(key);
    append(db, ledger::Kind::ReceiverKey, "", std::nullopt, at, [&](std::int64_t idx) {
        return ledger::entryText(ledger::Kind::ReceiverKey, idx, at, {{"public_key", pub}});
    });
}

std::optional<LedgerLog::MasterData> LedgerLog::latestMasterData(const db::ReadTx& db) const {
    auto st = db.prepare("SELECT idx, entry FROM ledger WHERE device IS NULL AND kind = "
                         "'master_data' ORDER BY idx DESC LIMIT 1");
    if (!st.step())
        return std::nullopt;
    // Decoded from the entry's text TPS by TPS: a national regency's tree would take about
    // 800 MB (decodeRegencyText).
    auto decoded = decodeRegencyText(
        st.text(1), db.path() + " (ledger entry " + std::to_string(st.int64(0)) + ", master data)",
        "document");
    return MasterData{std::make_shared<const Regency>(std::move(decoded.regency)),
                      std::move(decoded.document)};
}

std::optional<std::string> LedgerLog::keyFileProblem(const db::ReadTx& db) const {
    try {
        privateKey(db);
        return std::nullopt;
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
}

std::string LedgerLog::privateKey(const db::ReadTx& db) const {
    if (!privateKey_.empty())
        return privateKey_;
    std::ifstream in(keyFile_);
    std::string key;
    auto expected = publicKey(db);
    if (!in || !std::getline(in, key) || key.empty())
        throw std::runtime_error("the receiver's signing key " + keyFile_.string() +
                                 " is missing: restore it from a backup (its public key is " +
                                 signing::fingerprint(expected) + ")");
    std::string pub;
    try {
        pub = signing::publicKeyOf(key);
    } catch (const std::exception&) {
        throw std::runtime_error(keyFile_.string() + " does not hold an Ed25519 private key");
    }
    if (pub != expected)
        throw std::runtime_error(keyFile_.string() + " holds key " + signing::fingerprint(pub) +
                                 ", but this ledger's receiver key is " +
                                 signing::fingerprint(expected));
    privateKey_ = key;
    return key;
}

std::string LedgerLog::sign(const db::ReadTx& db, const std::string& message) const {
    return signing::sign(privateKey(db), message);
}

} // namespace rekap::central
