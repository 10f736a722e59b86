#include "sheets/derive.h"

#include "ledger/ledger_entries.h"

#include <algorithm>

#include "rekap/person_name.h"
#include "rekap/revision_key.h"
#include "sheets/send_backs.h"

namespace rekap::central::derive {

using protocol::PushStatus;

namespace {

/// The id a device knows a stored revision by (revision_key.h).
std::string nameOf(const std::string& key) {
    return std::string(revision_key::nameOf(key));
}

/// The nearest ancestor of `parent` (itself included) that was accepted: a correction of a
/// rejected revision builds on what the rejected one tried to correct.
std::optional<std::string> effectiveParent(const db::ReadTx& db, std::optional<std::string> id) {
    auto st = db.prepare("SELECT parent, status FROM revisions WHERE id = ?");
    for (int depth = 0; id && depth < 10000; ++depth) {
        st.reset();
        st.bindAll(*id);
        if (!st.step())
            return std::nullopt; // never received: builds on nothing the receiver knows
        if (st.text(1) == sheetStateName(SheetState::Accepted))
            return id;
        id = st.optionalText(0);
    }
    return std::nullopt;
}

void insertRow(const db::WriteTx& db, const Revision& rev, const std::string& hash,
               const std::string& numbersHash, bool rejected, const std::vector<Finding>& findings,
               std::int64_t ledgerIdx, std::int64_t line, const std::string& at) {
    db.prepare("INSERT INTO revisions (id, hash, numbers_hash, sheet, tps, contest, parent, "
               "device, operator, captured_at, received_at, status, findings, body, ledger_idx, "
               "line, signature, reading, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', "
               "?, ?, ?, ?, ?)")
        .bindAll(rev.id, hash, numbersHash, rev.sheet.key(), rev.sheet.tps.str(), rev.sheet.contest,
                 rev.parent, rev.device, rev.operatorName, rev.capturedAt, at,
                 sheetStateName(rejected ? SheetState::Rejected : SheetState::Accepted),
                 protocol::encodeFindings(findings).dump(), ledgerIdx, line, rev.signature,
                 std::int64_t{rev.reason == merge::kSecondReading ? 2 : 0}, nameOf(rev.id))
        .run();
}

void addChange(const db::WriteTx& db, const std::string& kind, const Sheet& sheet,
               const std::optional<std::string>& device, const nlohmann::json& data,
               const std::string& at) {
    db.prepare(
          "INSERT INTO changes (kind, sheet, tps, device, data, created_at) VALUES (?, ?, ?, ?, "
          "?, ?)")
        .bindAll(kind, sheet.key(), sheet.tps.str(), device, data.dump(), at)
        .run();
}

/// Writes the sheet's heads, state and winner after a merge step, and tells devices when the
/// state or the winner moved. Returns the state.
SheetState settle(const db::WriteTx& db, const Sheet& sheet, const merge::SheetHeads& s,
                  const std::vector<std::string>& removed, const merge::Head* added,
                  std::int64_t seq, const std::string& at) {
    for (const auto& id : removed)
        db.prepare("DELETE FROM sheet_heads WHERE sheet = ? AND revision = ?")
            .bindAll(sheet.key(), id)
            .run();
    if (added)
        db.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?)")
            .bindAll(sheet.key(), added->id)
            .run();
    auto state = s.state();
    std::string name(sheetStateName(state));
    std::string winner = s.winner()->id;
    auto old = db.prepare("SELECT state, winner FROM sheets WHERE sheet = ?");
    old.bindAll(sheet.key());
    bool had = old.step();
    bool moved = !had || old.text(0) != name || old.optionalText(1) != winner;
    db.prepare("INSERT INTO sheets (sheet, tps, contest, state, winner, updated_seq) VALUES "
               "(?, ?, ?, ?, ?, ?) ON CONFLICT (sheet) DO UPDATE SET state = excluded.state, "
               "winner = excluded.winner, updated_seq = excluded.updated_seq")
        .bindAll(sheet.key(), sheet.tps.str(), sheet.contest, name, winner, seq)
        .run();
    if (moved) { // devices are told ids, never keys (revision_key.h)
        auto ids = nlohmann::json::array();
        for (const auto& h : s.heads)
            ids.push_back(nameOf(h.id));
        addChange(db, "sheet_state", sheet, std::nullopt,
                  {{"state", name}, {"winner", nameOf(winner)}, {"heads", ids}}, at);
    }
    return state;
}

} // namespace

std::optional<std::string> readingProblem(const db::ReadTx& db, const Revision& reading) {
    if (!reading.parent)
        return "a second reading names the revision it reads as its parent";
    // A reader's name of letters from two scripts is a look-alike, never a person.
    if (person_name::mixesScripts(reading.operatorName))
        return "the reader's name \"" + reading.operatorName +
               "\" mixes letters of different scripts (Latin with Cyrillic, say): type it in "
               "one script";
    auto st = db.prepare("SELECT sheet, status, device, operator FROM revisions WHERE id = ?");
    st.bindAll(*reading.parent);
    if (!st.step() || st.text(0) != reading.sheet.key() ||
        st.text(1) != sheetStateName(SheetState::Accepted))
        return "a second reading builds on an accepted revision of its sheet; " + *reading.parent +
               " is none";
    if (st.text(2) == reading.device || merge::samePerson(st.text(3), reading.operatorName))
        return "a second reading is typed by someone other than who wrote the revision it reads "
               "(" +
               st.text(3) + ")";
    return std::nullopt;
}

merge::SheetHeads loadSheet(const db::ReadTx& db, const std::string& key) {
    merge::SheetHeads s;
    auto st = db.prepare("SELECT r.id, r.ledger_idx, r.line, r.device, r.numbers_hash, r.reading, "
                         "r.operator FROM sheet_heads h JOIN revisions r ON r.id = h.revision "
                         "WHERE h.sheet = ?");
    st.bindAll(key);
    while (st.step())
        s.heads.push_back({st.text(0), st.int64(1), st.int64(2), st.text(3), st.text(4),
                           st.int64(5) == 2, st.text(6)});
    std::sort(s.heads.begin(), s.heads.end(), [](const merge::Head& a, const merge::Head& b) {
        return a.line != b.line ? a.line < b.line : a.seq < b.seq;
    });
    if (s.heads.empty()) {
        auto rej = db.prepare("SELECT 1 FROM sheets WHERE sheet = ? AND state = 'rejected'");
        rej.bindAll(key);
        s.anyRejected = rej.step();
    }
    return s;
}

Stored addRevision(const db::WriteTx& db, const NewRevision& r) {
    const auto& rev = r.revision;
    const auto& sheet = rev.sheet;
    Stored out;
    // The sheet's next first entry by a tablet answers the mark sending it back, whatever the
    // rules make of it: the operator has answered, and the desk sees the outcome.
    if (rev.reason != merge::kSecondReading)
        send_backs::answer(db, sheet.key(), rev.id, r.ledgerIdx);
    if (r.rejected) {
        // Kept with its findings, never counted; the sheet is "rejected" only while nothing
        // accepted exists for it.
        insertRow(db, rev, r.texts.hash, r.numbersHash, true, r.findings, r.ledgerIdx, r.ledgerIdx,
                  r.receivedAt);
        db.prepare("INSERT INTO sheets (sheet, tps, contest, state, winner, updated_seq) VALUES "
                   "(?, ?, ?, 'rejected', NULL, ?) ON CONFLICT (sheet) DO NOTHING")
            .bindAll(sheet.key(), sheet.tps.str(), sheet.contest, r.ledgerIdx)
            .run();
        addChange(
            db, "rejection", sheet, rev.device,
            {{"revision", nameOf(rev.id)}, {"findings", protocol::encodeFindings(r.findings)}},
            r.receivedAt);
        out.status = PushStatus::Rejected;
        out.state = SheetState::Rejected;
        return out;
    }
    if (!rev.parent) {
        // Most revisions are a sheet's first: no heads to read, nothing to compare.
        db.prepare("INSERT INTO sheets (sheet, tps, contest, state, winner, updated_seq) VALUES "
                   "(?, ?, ?, 'accepted', ?, ?) ON CONFLICT (sheet) DO NOTHING")
            .bindAll(sheet.key(), sheet.tps.str(), sheet.contest, rev.id, r.ledgerIdx)
            .run();
        // Known absent, it was written: no need to wait for the count (a pipelined batch).
        if (r.sheetAbsent || db.changes() == 1) {
            insertRow(db, rev, r.texts.hash, r.numbersHash, false, r.findings, r.ledgerIdx,
                      r.ledgerIdx, r.receivedAt);
            db.prepare("INSERT INTO sheet_heads (sheet, revision) VALUES (?, ?)")
                .bindAll(sheet.key(), rev.id)
                .run();
            addChange(db, "sheet_state", sheet, std::nullopt,
                      {{"state", sheetStateName(SheetState::Accepted)},
                       {"winner", nameOf(rev.id)},
                       {"heads", nlohmann::json::array({nameOf(rev.id)})}},
                      r.receivedAt);
            out.firstWinner = true;
            return out;
        }
    }
    auto s = loadSheet(db, sheet.key());
    auto parent = effectiveParent(db, rev.parent);
    merge::Head head{rev.id,          r.ledgerIdx,   0,
                     rev.device,      r.numbersHash, rev.reason == merge::kSecondReading,
                     rev.operatorName};
    auto step = merge::applyAccepted(s, head, parent);
    const auto* added = &*std::find_if(s.heads.begin(), s.heads.end(),
                                       [&](const merge::Head& h) { return h.id == rev.id; });
    insertRow(db, rev, r.texts.hash, r.numbersHash, false, r.findings, r.ledgerIdx, added->line,
              r.receivedAt);
    std::vector<std::string> removed;
    if (step.replaced)
        removed.push_back(*step.replaced);
    if (settle(db, sheet, s, removed, added, r.ledgerIdx, r.receivedAt) == SheetState::Conflict) {
        out.status = PushStatus::Conflict;
        out.state = SheetState::Conflict;
    }
    return out;
}

std::vector<std::string> addDecision(const db::WriteTx& db, const Revision& decision,
                                     const RevisionTexts& texts, std::int64_t ledgerIdx,
                                     const std::string& at) {
    const auto& sheet = decision.sheet;
    auto s = loadSheet(db, sheet.key());
    auto before = s.heads;
    merge::Head head{decision.id,
                     ledgerIdx,
                     0,
                     std::string(merge::kDecisionAuthor),
                     merge::numbersHash(sheet),
                     false,
                     decision.operatorName};
    auto superseded = merge::applyDecision(s, head, *decision.parent);
    insertRow(db, decision, texts.hash, head.numbersHash, false, {}, ledgerIdx,
              s.heads.front().line, at);
    for (const auto& id : superseded)
        db.prepare("INSERT INTO superseded (revision, resolution) VALUES (?, ?)")
            .bindAll(id, decision.id)
            .run();
    std::vector<std::string> removed;
    for (const auto& h : before)
        removed.push_back(h.id);
    settle(db, sheet, s, removed, &s.heads.front(), ledgerIdx, at);
    auto names = nlohmann::json::array();
    for (const auto& id : superseded)
        names.push_back(nameOf(id));
    addChange(db, "resolution", sheet, std::nullopt,
              {{"revision", nlohmann::json::parse(texts.body)},
               {"chosen", nameOf(*decision.parent)},
               {"superseded", names}},
              at);
    return superseded;
}

std::vector<revision_key::Named> named(const db::ReadTx& db, const std::string& name) {
    std::vector<revision_key::Named> out;
    auto st =
        db.prepare("SELECT id, device, sheet FROM revisions WHERE name = ? ORDER BY ledger_idx");
    st.bindAll(name);
    while (st.step())
        out.push_back({st.text(0), st.text(1), st.text(2)});
    return out;
}

std::map<std::string, std::vector<revision_key::Named>>
namedAmong(const db::ReadTx& db, const std::vector<std::string>& names) {
    auto st = db.prepareEachTime("SELECT name, id, device, sheet FROM revisions WHERE " +
                                 db::inJsonArray(db.dialect(), "name") + " ORDER BY ledger_idx");
    st.bindAll(nlohmann::json(names).dump());
    std::map<std::string, std::vector<revision_key::Named>> out;
    while (st.step())
        out[st.text(0)].push_back({st.text(1), st.text(2), st.text(3)});
    return out;
}

std::set<std::string> sheetsAmong(const db::ReadTx& db, const std::vector<std::string>& keys) {
    auto st = db.prepareEachTime("SELECT sheet FROM sheets WHERE " +
                                 db::inJsonArray(db.dialect(), "sheet"));
    st.bindAll(nlohmann::json(keys).dump());
    std::set<std::string> out;
    while (st.step())
        out.insert(st.text(0));
    return out;
}

SheetState standing(const db::ReadTx& db, const std::string& id) {
    auto st = db.prepare(
        "SELECT r.status, EXISTS (SELECT 1 FROM superseded s WHERE s.revision = r.id), "
        "EXISTS (SELECT 1 FROM sheet_heads h WHERE h.revision = r.id), "
        "(SELECT state FROM sheets WHERE sheet = r.sheet) FROM revisions r WHERE r.id = ?");
    st.bindAll(id);
    if (!st.step())
        throw std::logic_error("no revision " + id);
    if (storedSheetState(st.text(0), "revisions.status") == SheetState::Rejected)
        return SheetState::Rejected;
    if (st.int64(1))
        return SheetState::Superseded;
    if (st.int64(2) && storedSheetState(st.text(3), "sheets.state") == SheetState::Conflict)
        return SheetState::Conflict;
    return SheetState::Accepted;
}

nlohmann::json revisionJson(const db::ReadTx& db, const std::string& id) {
    auto st = db.prepare("SELECT ledger_idx FROM revisions WHERE id = ?");
    st.bindAll(id);
    auto entry = st.step() ? ledger_entries::text(db, st.int64(0)) : std::nullopt;
    if (!entry)
        throw std::logic_error("no ledger entry for revision " + id);
    return std::move(nlohmann::json::parse(*entry)["revision"]);
}

} // namespace rekap::central::derive
