#include "rekap/sync/store/outbox.h"

#include "rekap/merge.h"
#include "rekap/sheet_codec.h"
#include "rekap/support/random.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

using protocol::PushStatus;

namespace {
constexpr const char* kEntryColumns =
    "seq, body, hash, origin, state, findings, error, updated_at, stored_at";

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
    e.storedAt = st.optionalText(8).value_or("");
    return e;
}
} // namespace

std::vector<OutboxEntry> Outbox::all() const {
    std::vector<OutboxEntry> out;
    auto reg = masterData_.regency();
    if (!reg)
        return out;
    auto tx = file_.read();
    auto st = tx.prepare(std::string("SELECT ") + kEntryColumns + " FROM revisions ORDER BY seq");
    while (st.step())
        out.push_back(readEntry(st, *reg));
    return out;
}

std::optional<OutboxEntry> Outbox::entry(const std::string& id) const {
    return entry(file_.read(), id);
}

std::optional<OutboxEntry> Outbox::entry(const ReadTx& tx, const std::string& id) const {
    auto reg = masterData_.regency();
    auto st = tx.prepare(std::string("SELECT ") + kEntryColumns + " FROM revisions WHERE id = ?");
    st.bindAll(id);
    if (!reg || !st.step())
        return std::nullopt;
    return readEntry(st, *reg);
}

std::optional<std::string> Outbox::head(const std::string& sheetKey) const {
    return head(file_.read(), sheetKey);
}

std::optional<std::string> Outbox::head(const ReadTx& tx, const std::string& sheetKey) const {
    auto st = tx.prepare("SELECT revision FROM sheet_heads WHERE sheet = ?");
    st.bindAll(sheetKey);
    return st.step() ? std::optional<std::string>(st.text(0)) : std::nullopt;
}

std::vector<OutboxEntry> Outbox::takeBatch(std::size_t maxCount, std::size_t maxBytes) {
    std::vector<OutboxEntry> out;
    auto reg = masterData_.regency();
    if (!reg)
        return out;
    file_.write([&](WriteTx& tx) {
        auto st = tx.prepare(std::string("SELECT ") + kEntryColumns +
                             ", length(body) FROM revisions WHERE state = 'queued' ORDER BY seq "
                             "LIMIT ?");
        st.bindAll(static_cast<std::int64_t>(maxCount));
        std::size_t bytes = 0;
        while (st.step()) {
            auto size = static_cast<std::size_t>(st.int64(9));
            if (!out.empty() && bytes + size > maxBytes)
                break;
            bytes += size;
            out.push_back(readEntry(st, *reg));
        }
        auto mark = tx.prepare("UPDATE revisions SET state = 'sending' WHERE id = ?");
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

void Outbox::requeueSending() {
    file_.write([&](WriteTx& tx) {
        tx.exec("UPDATE revisions SET state = 'queued' WHERE state = 'sending' AND stored_at IS "
                "NULL");
    });
}

std::vector<std::string> Outbox::awaiting(std::size_t maxCount) const {
    auto tx = file_.read();
    auto st = tx.prepare("SELECT id FROM revisions WHERE state = 'sending' AND stored_at IS NOT "
                         "NULL ORDER BY seq LIMIT ?");
    st.bindAll(static_cast<std::int64_t>(maxCount));
    std::vector<std::string> out;
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

void Outbox::resendForgotten(const std::vector<std::string>& ids) {
    file_.write([&](WriteTx& tx) {
        for (const auto& id : ids)
            tx.prepare("UPDATE revisions SET state = 'queued', stored_at = NULL, updated_at = ? "
                       "WHERE id = ? AND state = 'sending' AND stored_at IS NOT NULL")
                .bindAll(utcNowText(), id)
                .run();
    });
}

void Outbox::setState(WriteTx& tx, const std::string& id, SheetState state,
                      const std::vector<Finding>& findings, const std::string& error) {
    tx.prepare(
          "UPDATE revisions SET state = ?, findings = ?, error = ?, updated_at = ?, stored_at = "
          "NULL WHERE id = ?")
        .bindAll(std::string(sheetStateName(state)), protocol::encodeFindings(findings).dump(),
                 error, utcNowText(), id)
        .run();
}

void Outbox::applyResults(const std::vector<protocol::PushResult>& results,
                          const std::optional<ledger::TreeHead>& head, AnsweredWhen when) {
    file_.write([&](WriteTx& tx) {
        for (const auto& r : results) {
            if (head)
                receipts_.keep(tx, r, *head);
            switch (r.status) {
            case PushStatus::Accepted:
                setState(tx, r.id, SheetState::Accepted, r.findings, "");
                break;
            case PushStatus::Conflict:
                setState(tx, r.id, SheetState::Conflict, r.findings, "");
                break;
            case PushStatus::Rejected:
                setState(tx, r.id, SheetState::Rejected, r.findings, "");
                break;
            case PushStatus::Duplicate:
                setState(tx, r.id, r.state.value_or(SheetState::Accepted), r.findings, "");
                break;
            case PushStatus::Queued:
                // Stored by the receiver, not yet in its ledger: sending until the receipt
                // comes, listed in `awaiting`. A final answer saying `queued` answers nothing:
                // left sending, requeueSending() sends it again.
                if (when == AnsweredWhen::Stored)
                    markStored(tx, r.id, r.findings);
                break;
            case PushStatus::Refused:
                // Nothing was stored: keep the reason so the operator can record it again.
                setState(tx, r.id, SheetState::Rejected, {},
                         r.error ? r.error->code + ": " + r.error->message +
                                       (r.error->path.empty() ? "" : " (" + r.error->path + ")")
                                 : std::string(sheetStateName(SheetState::Refused)));
                break;
            }
        }
    });
}

void Outbox::markStored(WriteTx& tx, const std::string& id, const std::vector<Finding>& findings) {
    // A receipt still `queued` carries no findings: the first answer's stay.
    tx.prepare("UPDATE revisions SET stored_at = COALESCE(stored_at, ?1), findings = CASE WHEN ?2 "
               "= '[]' THEN findings ELSE ?2 END, updated_at = ?1 WHERE id = ?3 AND state = "
               "'sending'")
        .bindAll(utcNowText(), protocol::encodeFindings(findings).dump(), id)
        .run();
}

int Outbox::queueDepth() const {
    auto tx = file_.read();
    auto st = tx.prepare("SELECT COUNT(*) FROM revisions WHERE state = 'queued' OR (state = "
                         "'sending' AND stored_at IS NULL)");
    st.step();
    return st.integer(0);
}

std::optional<std::string> Outbox::lastCaptureAt() const {
    auto tx = file_.read();
    auto st = tx.prepare("SELECT MAX(captured_at) FROM revisions WHERE origin = 'device'");
    st.step();
    return st.optionalText(0);
}

void Outbox::queue(WriteTx& tx, const Revision& rev, const std::vector<Finding>& findings,
                   bool asHead) {
    tx.prepare("INSERT INTO revisions (id, sheet, parent, body, hash, captured_at, state, "
               "findings, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)")
        .bindAll(rev.id, rev.sheet.key(), rev.parent, encodeRevision(rev).dump(), rev.hash(),
                 rev.capturedAt, protocol::encodeFindings(findings).dump(), rev.capturedAt)
        .run();
    if (asHead)
        tx.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?) ON CONFLICT (sheet) "
                   "DO UPDATE SET revision = excluded.revision")
            .bindAll(rev.sheet.key(), rev.id)
            .run();
}

void Outbox::applyChange(WriteTx& tx, const protocol::Change& c) {
    auto reg = masterData_.regency();
    if (c.kind == "resolution" && reg) {
        auto res = decodeRevision(c.data.at("revision"), *reg);
        tx.prepare("INSERT INTO revisions (id, sheet, parent, body, hash, captured_at, origin, "
                   "state, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'desk', 'accepted', ?) ON "
                   "CONFLICT (id) DO NOTHING")
            .bindAll(res.id, c.sheet, res.parent, encodeRevision(res).dump(), res.hash(),
                     res.capturedAt, utcNowText())
            .run();
        // The next correction on this device builds on the desk's decision.
        tx.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?) ON CONFLICT (sheet) "
                   "DO UPDATE SET revision = excluded.revision")
            .bindAll(c.sheet, res.id)
            .run();
        for (const auto& id : c.data.at("superseded"))
            tx.prepare("UPDATE revisions SET state = 'superseded', updated_at = ? WHERE id = ? AND "
                       "state NOT IN ('queued', 'sending')")
                .bindAll(utcNowText(), id.get<std::string>())
                .run();
        tx.prepare("UPDATE revisions SET state = 'accepted', updated_at = ? WHERE sheet = ? AND "
                   "state = 'conflict'")
            .bindAll(utcNowText(), c.sheet)
            .run();
    } else if (c.kind == "sheet_state") {
        // A sheet_state change says conflict or accepted (docs/protocol.md).
        auto said = parseSheetState(c.data.at("state").get<std::string>());
        auto state = sheetStateName(said == SheetState::Conflict ? SheetState::Conflict
                                                                 : SheetState::Accepted);
        for (const auto& id : c.data.at("heads"))
            tx.prepare("UPDATE revisions SET state = ?, updated_at = ? WHERE id = ? AND state IN "
                       "('accepted', 'conflict')")
                .bindAll(state, utcNowText(), id.get<std::string>())
                .run();
    } else if (c.kind == "rejection") {
        tx.prepare("UPDATE revisions SET state = 'rejected', findings = ?, updated_at = ? WHERE "
                   "id = ? AND state NOT IN ('queued', 'sending')")
            .bindAll(c.data.at("findings").dump(), utcNowText(),
                     c.data.at("revision").get<std::string>())
            .run();
    }
}

void Outbox::signUnsigned(WriteTx& tx, const std::string& privateKey) {
    auto reg = masterData_.regency();
    if (!reg)
        return;
    auto st = tx.prepare("SELECT id, body FROM revisions WHERE origin = 'device' AND state IN "
                         "('queued', 'sending')");
    std::vector<std::pair<std::string, Revision>> unsigned_;
    while (st.step()) {
        auto rev = decodeRevision(nlohmann::json::parse(st.text(1)), *reg);
        if (!rev.signature)
            unsigned_.emplace_back(st.text(0), std::move(rev));
    }
    for (auto& [id, rev] : unsigned_) {
        signRevision(rev, privateKey);
        tx.prepare("UPDATE revisions SET body = ? WHERE id = ?")
            .bindAll(encodeRevision(rev).dump(), id)
            .run();
    }
}

std::int64_t Outbox::seqAfter(const ReadTx& tx, const std::string& revision,
                              const std::string& sheet) const {
    auto st = tx.prepare("SELECT COALESCE((SELECT seq FROM revisions WHERE id = ?1), (SELECT "
                         "MAX(seq) FROM revisions WHERE sheet = ?2), 0)");
    st.bindAll(revision, sheet);
    st.step();
    return st.int64(0);
}

bool Outbox::answeredAfter(const ReadTx& tx, const std::string& sheet, std::int64_t seq) const {
    auto st = tx.prepare("SELECT EXISTS (SELECT 1 FROM revisions WHERE sheet = ? AND origin = "
                         "'device' AND seq > ? AND state IN ('accepted', 'conflict', 'rejected', "
                         "'superseded'))");
    st.bindAll(sheet, seq);
    st.step();
    return st.integer(0) != 0;
}

} // namespace rekap::sync
