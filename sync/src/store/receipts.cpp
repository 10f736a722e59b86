#include "rekap/sync/store/receipts.h"

#include "rekap/support/random.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

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

// The regency a head is for: the one this device is enrolled in.
std::string regencyOf(const Identity& identity, const ReadTx& tx) {
    auto e = identity.enrolment(tx);
    return e ? e->regency : std::string();
}
} // namespace

void Receipts::keep(WriteTx& tx, const protocol::PushResult& r, const ledger::TreeHead& head) {
    if (!r.ledgerIndex || r.receipt.empty() || r.status == protocol::PushStatus::Refused ||
        *r.ledgerIndex >= static_cast<std::int64_t>(head.size))
        return;
    tx.prepare("INSERT INTO receipts (revision, ledger_index, code, tree_size, root, "
               "head_timestamp, head_signature) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
               "(revision) DO NOTHING")
        .bindAll(r.id, *r.ledgerIndex, r.receipt, static_cast<std::int64_t>(head.size), head.root,
                 head.timestamp, head.signature)
        .run();
}

std::vector<Receipt> Receipts::all() const {
    auto tx = file_.read();
    auto regency = regencyOf(identity_, tx);
    auto st = tx.prepare(std::string("SELECT ") + kReceiptColumns +
                         " FROM receipts ORDER BY ledger_index");
    std::vector<Receipt> out;
    while (st.step())
        out.push_back(readReceipt(st, regency));
    return out;
}

std::optional<Receipt> Receipts::of(const std::string& id) const {
    auto tx = file_.read();
    auto st =
        tx.prepare(std::string("SELECT ") + kReceiptColumns + " FROM receipts WHERE revision = ?");
    st.bindAll(id);
    if (!st.step())
        return std::nullopt;
    return readReceipt(st, regencyOf(identity_, tx));
}

void Receipts::markChecked(const std::string& id) {
    file_.write([&](WriteTx& tx) {
        tx.prepare("UPDATE receipts SET checked = 1 WHERE revision = ?").bindAll(id).run();
    });
}

std::optional<ledger::TreeHead> Receipts::lastTreeHead() const {
    auto text = settings_.get(file_.read(), "tree_head");
    if (text.empty())
        return std::nullopt;
    return ledger::decodeTreeHead(nlohmann::json::parse(text), "device store");
}

void Receipts::saveTreeHead(const ledger::TreeHead& head) {
    file_.write([&](WriteTx& tx) { settings_.set(tx, "tree_head", ledger::encode(head).dump()); });
}

std::string Receipts::ledgerAlarm() const {
    return settings_.get(file_.read(), "ledger_alarm");
}

void Receipts::setLedgerAlarm(const std::string& what) {
    file_.write([&](WriteTx& tx) {
        if (settings_.get(tx, "ledger_alarm").empty())
            settings_.set(tx, "ledger_alarm", utcNowText() + " " + what);
    });
}

} // namespace rekap::sync
