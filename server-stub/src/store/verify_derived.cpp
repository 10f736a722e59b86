#include "store/verify_derived.h"

#include "devices/device_table.h"
#include "master_data/regency_table.h"
#include "rekap/merge.h"
#include "rekap/revision_key.h"
#include "rekap/send_back.h"
#include "sheets/photo_attachments.h"
#include "sheets/send_backs.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

namespace {

/// Devices are told revision ids, never the receiver's keys (rekap/revision_key.h): the pull
/// feed holds ids.
std::string name(const std::string& key) {
    return std::string(revision_key::nameOf(key));
}
nlohmann::json names(const std::vector<std::string>& keys) {
    auto out = nlohmann::json::array();
    for (const auto& k : keys)
        out.push_back(name(k));
    return out;
}

std::string shown(const std::optional<std::string>& s) {
    return s ? "\"" + *s + "\"" : std::string("none");
}

} // namespace

DerivedCheck::DerivedCheck(db::Database& db)
    : db_(db)
    , revisions_(sheet_rows::everyRevision(db))
    , changes_(sheet_rows::feedFrom(db, 0)) {
    revisionRow_ = revisions_.step();
    changeRow_ = changes_.step();
}

void DerivedCheck::fail(std::string what, std::int64_t entry) {
    if (!mismatch_)
        mismatch_ = DerivedMismatch{std::move(what), entry};
}

void DerivedCheck::applied(const ledger::Replay& replay, std::int64_t index) {
    if (index == 0 && replay.lastMigrated())
        tail_.emplace();
    changesApplied(replay, index);
    if (replay.lastKind() == ledger::Kind::PhotoAttached) {
        const auto& p = replay.attachedPhotos().back();
        photos_.emplace(p.photo, PhotoRef{p.revision, index});
        return;
    }
    const auto& a = replay.lastRevision();
    if (!a)
        return;
    const auto& rev = a->revision;
    for (const auto& s : a->superseded)
        superseded_[s] = rev.id;
    if (rev.photo)
        photos_.emplace(*rev.photo, PhotoRef{rev.id, index});
    compareRevisionRow(*a, index);
}

void DerivedCheck::changesApplied(const ledger::Replay& replay, std::int64_t index) {
    // What derive::addRevision / addDecision and a master-data load write to the pull feed for
    // this entry, and the sheet's row as they leave it.
    bool live = !replay.lastMigrated(); // the migration wrote its own feed (tail_)
    if (replay.lastKind() == ledger::Kind::MasterData && live) {
        expectChange({"master_data", "", "", std::nullopt,
                      nlohmann::json{{"version", replay.regency().contentHash}}, replay.lastAt(),
                      index});
        return;
    }
    if (replay.lastKind() == ledger::Kind::SendBack) {
        // The mark as signed, to the TPS's devices (send_back.cpp).
        const auto& m = replay.sendBacks().back();
        auto slash = m.sheet.find('/');
        SendBack mark{AreaCode::parse(m.sheet.substr(0, slash)),
                      m.sheet.substr(slash + 1),
                      name(m.revision),
                      m.device,
                      m.reason,
                      m.by,
                      m.at,
                      m.signature};
        expectChange({"send_back", m.sheet, mark.tps.str(), std::nullopt,
                      nlohmann::json{{"mark", encode(mark)}}, m.at, index});
        return;
    }
    const auto& a = replay.lastRevision();
    if (!a)
        return;
    const auto& rev = a->revision;
    auto key = rev.sheet.key();
    auto tps = rev.sheet.tps.str();
    auto row = sheetRows_.find(key);
    if (a->rejected) {
        // A rejection creates the sheet's row when it has none, and never moves it.
        if (row == sheetRows_.end())
            sheetRows_[key] = {index, std::string(sheetStateName(SheetState::Rejected)),
                               std::nullopt};
        if (live)
            expectChange({"rejection", key, tps, rev.device,
                          nlohmann::json{{"revision", name(rev.id)}, {"findings", a->findings}},
                          a->at, index});
        return;
    }
    const auto& sheet = replay.sheets().at(key);
    auto state = std::string(sheetStateName(sheet.state()));
    auto winner = sheet.winner()->id; // a key: the feed tells devices its id
    bool moved =
        row == sheetRows_.end() || row->second.state != state || row->second.winner != winner;
    sheetRows_[key] = {index, state, winner};
    if (!live)
        return;
    if (moved) {
        auto heads = nlohmann::json::array();
        for (const auto& h : sheet.heads)
            heads.push_back(name(h.id));
        expectChange({"sheet_state", key, tps, std::nullopt,
                      nlohmann::json{{"state", state}, {"winner", name(winner)}, {"heads", heads}},
                      a->at, index});
    }
    if (a->decision)
        expectChange({"resolution", key, tps, std::nullopt,
                      nlohmann::json{{"revision", nlohmann::json::parse(a->texts.body)},
                                     {"chosen", name(rev.parent.value_or(""))},
                                     {"superseded", names(a->superseded)}},
                      a->at, index});
}

void DerivedCheck::expectChange(Change c) {
    if (tail_)
        tail_->push_back(std::move(c));
    else
        compareChange(c);
}

void DerivedCheck::compareChange(const Change& want) {
    auto where = "the pull feed (changes)";
    if (!changeRow_)
        return fail(std::string(where) + " lacks the " + want.kind + " of ledger entry " +
                        std::to_string(want.entry),
                    want.entry);
    auto& c = changes_;
    auto data = nlohmann::json::parse(c.text(5), nullptr, false);
    if (c.text(1) != want.kind || c.text(2) != want.sheet || c.text(3) != want.tps ||
        c.optionalText(4) != want.device || data != want.data || c.text(6) != want.createdAt) {
        fail(std::string(where) + "'s row " + c.text(0) + " (" + c.text(1) + " " + c.text(2) +
                 ") is not the " + want.kind + " ledger entry " + std::to_string(want.entry) +
                 " makes: rows were forged, changed, removed or moved",
             want.entry);
        changeRow_ = false; // out of step: every later row would differ too
        return;
    }
    changeRow_ = c.step();
}

void DerivedCheck::compareRevisionRow(const ledger::AppliedRevision& a, std::int64_t index) {
    const auto& rev = a.revision;
    if (!revisionRow_) {
        fail("the revisions table has no row for revision " + rev.id + " (ledger entry " +
                 std::to_string(index) + ")",
             index);
        return;
    }
    auto& r = revisions_;
    auto id = r.text(1);
    auto rowIdx = r.isNull(15) ? std::int64_t{-1} : r.int64(15);
    if (rowIdx != index || id != rev.id) {
        fail("the revisions table's row at ledger entry " + std::to_string(index) + " is " + id +
                 " (entry " + std::to_string(rowIdx) + "), not " + rev.id +
                 ": rows were added, removed or moved",
             index);
        revisionRow_ = false; // out of step: every later row would differ too
        return;
    }
    // Every column as derive::addRevision / addDecision writes it from this entry.
    const std::pair<const char*, bool> columns[] = {
        {"seq (rows out of the ledger's order)", r.int64(0) > lastSeq_},
        {"hash", r.text(2) == a.texts.hash},
        {"numbers_hash", r.text(3) == a.numbersHash},
        {"sheet", r.text(4) == rev.sheet.key()},
        {"tps", r.text(5) == rev.sheet.tps.str()},
        {"contest", r.text(6) == rev.sheet.contest},
        {"parent", r.optionalText(7) == rev.parent},
        {"device", r.text(8) == rev.device},
        {"operator", r.text(9) == rev.operatorName},
        {"captured_at", r.text(10) == rev.capturedAt},
        {"received_at", r.text(11) == a.at},
        {"status",
         r.text(12) == sheetStateName(a.rejected ? SheetState::Rejected : SheetState::Accepted)},
        {"findings", nlohmann::json::parse(r.text(13), nullptr, false) == a.findings},
        {"body", r.text(14).empty()},
        {"line", r.int64(16) == a.line},
        {"signature", r.optionalText(17) == rev.signature},
        {"reading", r.int64(18) == (rev.reason == merge::kSecondReading ? 2 : 0)},
        {"name", r.text(19) == revision_key::nameOf(rev.id)},
    };
    for (const auto& [column, same] : columns)
        if (!same) {
            fail("the revisions table's row for " + rev.id + " differs from its ledger entry " +
                     std::to_string(index) + " in column " + column,
                 index);
            break;
        }
    lastSeq_ = r.int64(0);
    revisionRow_ = r.step();
}

void DerivedCheck::comparePhotoAttachments(const ledger::Replay& replay) {
    // Whole, every column: the reading queue hands out the latest photo of a counted revision,
    // so a row added, removed or changed by hand would put another photo before a reader.
    auto rows = photo_attachments::all(db_);
    const auto& want = replay.attachedPhotos();
    for (std::size_t i = 0; i < std::max(rows.size(), want.size()); ++i) {
        if (i >= want.size()) {
            fail("the photo_attachments table holds a photo of revision " + rows[i].revision +
                     " (ledger_idx " + std::to_string(rows[i].ledgerIdx) +
                     "), which no ledger entry attached",
                 -1);
            return;
        }
        const auto& w = want[i];
        photo_attachments::Row expected{w.index,  w.revision,   w.sheet, w.photo,
                                        w.device, w.attachedAt, w.at};
        if (i >= rows.size()) {
            fail("the photo_attachments table lacks the photo entry " + std::to_string(w.index) +
                     " attached to revision " + w.revision,
                 w.index);
            return;
        }
        if (!(rows[i] == expected)) {
            fail("the photo_attachments row of entry " + std::to_string(w.index) +
                     " differs from the ledger's (revision " + rows[i].revision + ", photo " +
                     rows[i].photo.substr(0, 12) + "…)",
                 w.index);
            return;
        }
    }
}

void DerivedCheck::compareSendBacks(const ledger::Replay& replay) {
    // Whole, every column: a mark removed by hand would hide a doubtful sheet from its operator
    // and the camat, one answered by hand would tell the desk it came back corrected.
    auto rows = send_backs::all(db_);
    const auto& want = replay.sendBacks();
    for (std::size_t i = 0; i < std::max(rows.size(), want.size()); ++i) {
        if (i >= want.size())
            return fail("the send_backs table holds a mark on sheet " + rows[i].sheet +
                            " (ledger_idx " + std::to_string(rows[i].ledgerIdx) +
                            "), which no ledger entry made",
                        -1);
        const auto& w = want[i];
        if (i >= rows.size())
            return fail("the send_backs table lacks the mark of entry " + std::to_string(w.index) +
                            " sending sheet " + w.sheet + " back",
                        w.index);
        auto tps = w.sheet.substr(0, w.sheet.find('/'));
        SendBackRecord expected{w.index,     w.revision,   w.sheet,      tps,
                                w.device,    w.reason,     w.by,         w.at,
                                w.signature, w.answeredBy, w.answeredIdx};
        if (!(rows[i] == expected))
            return fail("the send_backs row of entry " + std::to_string(w.index) + " (sheet " +
                            w.sheet + ") differs from the ledger's: " +
                            (rows[i].answeredBy != w.answeredBy
                                 ? "answered by " + shown(rows[i].answeredBy) + ", the ledger " +
                                       shown(w.answeredBy)
                                 : std::string("its mark")),
                        w.index);
    }
}

void DerivedCheck::finish(const ledger::Replay& replay) {
    if (tail_) {
        // The feed's last rows are the live entries' (see tail_), the rows before them the old
        // store's and its migration's.
        auto seqs = sheet_rows::feedSeqs(db_);
        if (seqs.size() < tail_->size()) {
            fail("the pull feed (changes) holds fewer rows than the ledger's entries make", -1);
        } else if (!tail_->empty()) {
            changes_ = sheet_rows::feedFrom(db_, seqs[seqs.size() - tail_->size()]);
            changeRow_ = changes_.step();
            for (const auto& c : *tail_)
                compareChange(c);
        } else {
            changeRow_ = false;
        }
    }
    if (changeRow_)
        fail("the pull feed (changes) holds row " + changes_.text(0) + " (" + changes_.text(1) +
                 " " + changes_.text(2) + "), which no ledger entry makes",
             -1);
    if (revisionRow_)
        fail("the revisions table holds " + revisions_.text(1) + " (ledger_idx " +
                 revisions_.optionalText(15).value_or("none") + "), which no ledger entry records",
             -1);
    compareSheets(replay);
    compareDevices(replay);
    comparePhotoAttachments(replay);
    compareSendBacks(replay);

    auto superseded = sheet_rows::everySuperseded(db_);
    if (superseded != superseded_)
        fail("the superseded table (" + std::to_string(superseded.size()) +
                 " rows) is not the heads the ledger's decisions set aside (" +
                 std::to_string(superseded_.size()) + ")",
             -1);

    // The master data served (tablets, rules, "data masuk") mirrors the ledger's latest entry
    // byte for byte, with its code and version.
    auto rg = regency_table::read(db_);
    bool have = rg.has_value();
    const auto& document = replay.masterDataDocument();
    if (have == document.empty()) {
        fail(have ? "the regency table holds master data the ledger never recorded"
                  : "the regency table is empty, but the ledger holds master data",
             -1);
    } else if (have) {
        const auto& reg = replay.regency();
        if (rg->document != document)
            fail("the regency table's document is not the ledger's latest master data (byte "
                 "for byte)",
                 -1);
        else if (rg->code != reg.code.str() || rg->contentHash != reg.contentHash)
            fail("the regency table's code or content_hash is not the ledger's latest master "
                 "data's",
                 -1);
    }
}

void DerivedCheck::compareSheets(const ledger::Replay& replay) {
    const auto& sheets = replay.sheets();
    // Both in key order, walked side by side: held whole, the two maps of a national store's
    // heads took 2.2 GB.
    auto heads = sheet_rows::everyHead(db_);
    bool row = heads.step();
    for (auto it = sheets.begin(); row || it != sheets.end();) {
        if (it != sheets.end() && it->second.heads.empty()) {
            ++it; // rejected only: no heads
            continue;
        }
        if (row && (it == sheets.end() || heads.text(0) < it->first))
            return fail("sheet_heads holds heads of sheet " + heads.text(0) +
                            ", which has none in the ledger",
                        -1);
        const auto& key = it->first;
        std::vector<std::string> want;
        for (const auto& h : it->second.heads)
            want.push_back(h.id);
        std::sort(want.begin(), want.end());
        std::vector<std::string> got;
        for (; row && heads.text(0) == key; row = heads.step())
            got.push_back(heads.text(1));
        if (got != want)
            return fail("sheet " + key + "'s heads in sheet_heads differ from the ledger's", -1);
        ++it;
    }
    std::int64_t rows = 0;
    auto st = sheet_rows::everySheet(db_);
    while (st.step()) {
        ++rows;
        auto key = st.text(0);
        auto it = sheets.find(key);
        if (it == sheets.end())
            return fail("sheet " + key + " is in the sheets table but not in the ledger", -1);
        const auto& s = it->second;
        auto state = std::string(sheetStateName(s.state()));
        const auto* w = s.winner();
        std::optional<std::string> winner = w ? std::optional(w->id) : std::nullopt;
        if (st.text(3) != state || st.optionalText(4) != winner)
            return fail("sheet " + key + " is recorded " + st.text(3) + " with winner " +
                            shown(st.optionalText(4)) + "; the ledger makes it " + state +
                            " with winner " + shown(winner),
                        w ? w->seq : -1);
        auto slash = key.find('/');
        auto row = sheetRows_.find(key);
        if (st.text(1) != key.substr(0, slash) || st.text(2) != key.substr(slash + 1) ||
            row == sheetRows_.end() || st.int64(5) != row->second.updatedSeq)
            return fail("sheet " + key +
                            "'s row (tps, contest or updated_seq) differs from the "
                            "ledger",
                        -1);
    }
    if (rows != static_cast<std::int64_t>(sheets.size()))
        fail("the sheets table holds " + std::to_string(rows) + " sheets, the ledger " +
                 std::to_string(sheets.size()),
             -1);
}

void DerivedCheck::compareDevices(const ledger::Replay& replay) {
    const auto& devices = replay.devices();
    std::int64_t rows = 0;
    // token_hash, last_seen_at, queue_depth, last_capture_at and app_version are what the
    // receiver knows of a device's contact, not results: no ledger entry records them.
    for (const auto& row : device_table::ledgerColumns(db_)) {
        ++rows;
        const auto& id = row.id;
        auto it = devices.find(id);
        if (it == devices.end())
            return fail(
                "device " + id + " is in the devices table but never enrolled in the ledger", -1);
        const auto& d = it->second;
        const auto& revokedAt = row.revokedAt;
        bool revocation =
            revokedAt.has_value() == d.revoked && (!d.revokedAt || revokedAt == d.revokedAt);
        if (row.name != d.name || row.role != d.role || row.scope != d.scope ||
            row.enrolledAt != d.enrolledAt || !revocation || row.publicKey != d.publicKey)
            return fail("device " + id +
                            "'s row (name, role, scope, enrolment, revocation or key) differs "
                            "from the ledger",
                        -1);
    }
    if (rows != static_cast<std::int64_t>(devices.size()))
        fail("the devices table holds " + std::to_string(rows) + " devices, the ledger " +
                 std::to_string(devices.size()),
             -1);
}

} // namespace rekap::central
