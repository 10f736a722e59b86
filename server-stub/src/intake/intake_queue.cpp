#include "intake/intake_queue.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace rekap::central::intake_queue {

std::int64_t add(const db::WriteTx& db, const Push& push) {
    std::int64_t seq = 0;
    {
        auto st = db.prepare("INSERT INTO intake (sender, relayed, report, received_at) "
                             "VALUES (?, ?, ?, ?) RETURNING seq");
        st.bindAll(push.sender, push.relayed ? 1 : 0, push.report, push.receivedAt);
        if (!st.step())
            throw std::runtime_error("intake: no place given to a push");
        seq = st.int64(0);
    }
    db.prepare("INSERT INTO intake_items (seq, items) VALUES (?, ?)")
        .bindAll(seq, push.items)
        .run();
    return seq;
}

std::vector<Waiting> waiting(const db::ReadTx& db, int limit,
                             const std::vector<std::int64_t>& known) {
    // Items are the bulk of a row: read them only for pushes another process stored (or that
    // this one stored before it restarted).
    auto st = db.prepare("SELECT seq, sender, relayed, report, received_at FROM intake "
                         "WHERE answer IS NULL ORDER BY seq LIMIT ?");
    st.bindAll(limit);
    std::vector<Waiting> out;
    while (st.step()) {
        Waiting w;
        w.seq = st.int64(0);
        w.push.sender = st.text(1);
        w.push.relayed = st.int64(2) != 0;
        w.push.report = st.text(3);
        w.push.receivedAt = st.text(4);
        out.push_back(std::move(w));
    }
    auto items = db.prepare("SELECT items FROM intake_items WHERE seq = ?");
    for (auto& w : out) {
        if (std::binary_search(known.begin(), known.end(), w.seq))
            continue;
        items.reset();
        items.bindAll(w.seq);
        if (items.step())
            w.push.items = items.text(0);
    }
    return out;
}

std::int64_t waitingCount(const db::ReadTx& db) {
    auto st = db.prepare("SELECT COUNT(*) FROM intake WHERE answer IS NULL");
    st.step();
    return st.int64(0);
}

void answer(const db::WriteTx& db, std::int64_t seq, const std::string& answer) {
    db.prepare("UPDATE intake SET answer = ? WHERE seq = ? AND answer IS NULL")
        .bindAll(answer, seq)
        .run();
    db.prepare("DELETE FROM intake_items WHERE seq = ?").bindAll(seq).run();
}

void answeredAll(const db::ReadTx& db, const std::vector<std::int64_t>& seqs) {
    auto st = db.prepareEachTime("SELECT MIN(seq), COUNT(*) FROM intake WHERE answer IS NULL AND " +
                                 db::inJsonArray(db.dialect(), "seq", true));
    st.bindAll(nlohmann::json(seqs).dump());
    if (st.step() && st.int64(1) != 0)
        throw std::runtime_error("intake: push " + std::to_string(st.int64(0)) +
                                 " was integrated without its answer");
}

std::optional<std::string> answerOf(const db::ReadTx& db, std::int64_t seq) {
    auto st = db.prepare("SELECT answer FROM intake WHERE seq = ?");
    st.bindAll(seq);
    if (!st.step() || st.isNull(0))
        return std::nullopt;
    return st.text(0);
}

db::Statement everyAnswer(const db::ReadTx& db) {
    return db.prepare("SELECT seq, answer FROM intake WHERE answer IS NOT NULL ORDER BY seq");
}

std::vector<std::optional<std::string>> answersOf(const db::ReadTx& db, const std::string& sender,
                                                  int limit) {
    auto st = db.prepare("SELECT answer FROM intake WHERE sender = ? ORDER BY seq DESC LIMIT ?");
    st.bindAll(sender, limit);
    std::vector<std::optional<std::string>> out;
    while (st.step())
        out.push_back(st.optionalText(0));
    return out;
}

} // namespace rekap::central::intake_queue
