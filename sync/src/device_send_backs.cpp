// DeviceStore: sheets the desk sent back to this TPS ("perlu perbaikan", rekap/send_back.h).
// The mark arrives in the pull feed, signed by the receiver (the sync client checks it before
// the page is applied). The operator answers it the normal way, with a correction of the sheet;
// the mark counts as answered once such a revision has reached the receiver.

#include "rekap/send_back.h"
#include "rekap/support/random.h"
#include "rekap/sync/device_store.h"

namespace rekap::sync {

namespace {

// Answered: a revision of the sheet made on this device after the one the mark names, which
// the receiver has answered for (queued and sending ones have not arrived).
constexpr const char* kSelect =
    "SELECT s.sheet, s.revision, s.reason, s.sent_by, s.sent_at, EXISTS (SELECT 1 FROM "
    "revisions r WHERE r.sheet = s.sheet AND r.origin = 'device' AND r.seq > s.after_seq AND "
    "r.state IN ('accepted', 'conflict', 'rejected', 'superseded')) FROM send_backs s ";

SendBackEntry rowOf(sqlite::Statement& st) {
    return {st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.integer(5) != 0};
}

} // namespace

void DeviceStore::keepSendBack(const protocol::Change& c) {
    auto mark = decodeSendBack(c.data.at("mark"), "$.data.mark");
    // What answers it: a revision made here after the one it names, or, when this device does
    // not hold that one (another tablet of the TPS sent it), after every one it holds now.
    auto after = db_.prepare(
        "SELECT COALESCE((SELECT seq FROM revisions WHERE id = ?1), (SELECT MAX(seq) FROM "
        "revisions WHERE sheet = ?2), 0)");
    after.bindAll(mark.revision, c.sheet);
    after.step();
    db_.prepare("INSERT INTO send_backs (sheet, sent_at, revision, device, reason, sent_by, body, "
                "after_seq, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sheet, "
                "revision, sent_at) DO NOTHING")
        .bindAll(c.sheet, mark.at, mark.revision, mark.device, mark.reason, mark.by,
                 c.data.at("mark").dump(), after.int64(0), utcNowText())
        .run();
}

std::vector<SendBackEntry> DeviceStore::sendBacks() const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string(kSelect) + "ORDER BY s.seq DESC");
    std::vector<SendBackEntry> out;
    while (st.step())
        out.push_back(rowOf(st));
    return out;
}

std::optional<SendBackEntry> DeviceStore::sendBackOf(const std::string& sheet) const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string(kSelect) + "WHERE s.sheet = ? ORDER BY s.seq DESC LIMIT 1");
    st.bindAll(sheet);
    if (!st.step())
        return std::nullopt;
    return rowOf(st);
}

} // namespace rekap::sync
