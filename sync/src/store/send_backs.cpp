// A mark is answered by a revision of its sheet made on this device after the one it names; the
// outbox answers that (Outbox::seqAfter, Outbox::answeredAfter), so that revisions are read by
// their unit alone.

#include "rekap/sync/store/send_backs.h"

#include "rekap/send_back.h"
#include "rekap/support/random.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

namespace {

struct Row {
    SendBackEntry entry;
    std::int64_t afterSeq = 0;
};

constexpr const char* kSelect =
    "SELECT sheet, revision, reason, sent_by, sent_at, after_seq FROM send_backs ";

std::vector<Row> rowsOf(sqlite::Statement& st) {
    std::vector<Row> out;
    while (st.step())
        out.push_back(
            {{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), false}, st.int64(5)});
    return out;
}

} // namespace

void SendBacks::keep(WriteTx& tx, const protocol::Change& c) {
    auto mark = decodeSendBack(c.data.at("mark"), "$.data.mark");
    // What answers it: a revision made here after the one it names, or, when this device does
    // not hold that one (another tablet of the TPS sent it), after every one it holds now.
    auto after = outbox_.seqAfter(tx, mark.revision, c.sheet);
    tx.prepare("INSERT INTO send_backs (sheet, sent_at, revision, device, reason, sent_by, body, "
               "after_seq, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sheet, "
               "revision, sent_at) DO NOTHING")
        .bindAll(c.sheet, mark.at, mark.revision, mark.device, mark.reason, mark.by,
                 c.data.at("mark").dump(), after, utcNowText())
        .run();
}

std::vector<SendBackEntry> SendBacks::all() const {
    auto tx = file_.read();
    auto st = tx.prepare(std::string(kSelect) + "ORDER BY seq DESC");
    std::vector<SendBackEntry> out;
    for (auto& row : rowsOf(st)) {
        row.entry.answered = outbox_.answeredAfter(tx, row.entry.sheet, row.afterSeq);
        out.push_back(std::move(row.entry));
    }
    return out;
}

std::optional<SendBackEntry> SendBacks::of(const std::string& sheet) const {
    auto tx = file_.read();
    auto st = tx.prepare(std::string(kSelect) + "WHERE sheet = ? ORDER BY seq DESC LIMIT 1");
    st.bindAll(sheet);
    auto rows = rowsOf(st);
    if (rows.empty())
        return std::nullopt;
    rows.front().entry.answered = outbox_.answeredAfter(tx, sheet, rows.front().afterSeq);
    return rows.front().entry;
}

} // namespace rekap::sync
