// CentralStore: second reading (docs/second-reading.md). A desk clerk types a counted sheet's
// numbers again from its photo, blind; the reading is an ordinary revision on top of the counted
// one, by an author of its own ("desk:<clerk>"), so the merge decides the rest: equal numbers
// agree (verified), different ones are a conflict the desk decides, and until then the first
// entry counts. The work queue hands each sheet to one clerk at a time, for a while.

#include <algorithm>
#include <chrono>
#include <map>

#include "ledger/ledger_entries.h"
#include "ledger/ledger_log.h"
#include "readings/reading_claims.h"
#include "rekap/central/api_error.h"
#include "rekap/central/store.h"
#include "rekap/revision_key.h"
#include "rekap/sha256.h"
#include "rekap/support/random.h"
#include "sheets/counted.h"
#include "sheets/derive.h"
#include "sheets/photo_attachments.h"
#include "sheets/sheet_rows.h"

namespace rekap::central {

namespace {

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The sheets of `area` (and `contest`, unless empty) that count something, in code order, with
/// their counted revision's author and photo.
struct Candidate {
    std::string sheet;
    SheetState state = SheetState::Accepted;
    std::string winner, device, operatorName, photo;
};

std::vector<Candidate> candidates(const db::ReadTx& db, const AreaCode& area,
                                  const std::string& contest) {
    auto rows = sheet_rows::countingIn(db, area.str(), contest);
    // The counted revision's photo: the latest attached to it after it was sent, else the one
    // it carried, in its ledger entry (read for those without an attachment, in one statement).
    std::vector<std::int64_t> carriedIn;
    for (const auto& r : rows)
        if (!r.attachedPhoto)
            carriedIn.push_back(r.winnerIdx);
    auto entries = ledger_entries::texts(db, carriedIn);
    std::vector<Candidate> out;
    out.reserve(rows.size());
    for (auto& r : rows) {
        std::string photo;
        if (r.attachedPhoto) {
            photo = *r.attachedPhoto;
        } else if (auto e = entries.find(r.winnerIdx); e != entries.end()) {
            auto rev = nlohmann::json::parse(e->second).at("revision");
            if (auto p = rev.find("photo"); p != rev.end() && p->is_string())
                photo = p->get<std::string>();
        }
        out.push_back({std::move(r.sheet), std::move(r.state), std::move(r.winner),
                       std::move(r.device), std::move(r.operatorName), std::move(photo)});
    }
    return out;
}

/// Waits for a second reading: counted, no conflict, not verified.
bool waitsForReading(const db::ReadTx& db, const Candidate& c) {
    return c.state == SheetState::Accepted && !merge::verified(derive::loadSheet(db, c.sheet));
}

std::string deskReader(const std::string& reader) {
    return std::string(merge::kDeskReaderPrefix) + reader;
}

} // namespace

std::optional<ReadingClaim>
SecondReading::claimReading(const AreaCode& area, const std::string& contest,
                            const std::string& holder, const std::string& reader,
                            std::chrono::seconds lease, const PhotoReady& photoReady) {
    std::lock_guard lock(mu_);
    std::optional<ReadingClaim> out;
    db_.write([&](const db::WriteTx& tx) {
        auto now = unixNow();
        reading_claims::dropExpired(tx, now);
        auto held = reading_claims::holders(tx); // sheet -> holder, claims in force
        auto all = candidates(tx, area, contest);
        auto fits = [&](const Candidate& c) {
            auto h = held.find(c.sheet);
            return (h == held.end() || h->second == holder) && waitsForReading(tx, c) &&
                   !c.photo.empty() && c.device != holder &&
                   !merge::samePerson(c.operatorName, reader) && photoReady(c.photo);
        };
        const Candidate* pick = nullptr;
        for (const auto& c : all) // the holder's own claim first: a reload resumes it
            if (auto h = held.find(c.sheet); h != held.end() && h->second == holder && fits(c)) {
                pick = &c;
                break;
            }
        if (!pick)
            for (const auto& c : all)
                if (!held.count(c.sheet) && fits(c)) {
                    pick = &c;
                    break;
                }
        // One sheet at a time per holder: whatever else it held goes back to the queue.
        reading_claims::releaseAll(tx, holder);
        if (!pick)
            return;
        auto expires = now + lease.count();
        reading_claims::add(tx, pick->sheet, holder, utcNowText(), expires);
        out = ReadingClaim{pick->sheet, pick->winner, pick->photo, expires};
    });
    return out;
}

void SecondReading::releaseReading(const std::string& sheet, const std::string& holder) {
    std::lock_guard lock(mu_);
    db_.autocommit([&](const db::WriteTx& tx) { reading_claims::release(tx, sheet, holder); });
}

ReadingResult SecondReading::submitReading(const std::string& sheetKey, const std::string& parent,
                                           const Sheet& numbers, const std::string& reader,
                                           const std::string& holder,
                                           const PhotoReady& photoReady) {
    if (reader.empty())
        throw ApiError(Problem::BadRequest, "a reading needs the reader's name");
    auto device = deskReader(reader);
    if (device.size() > 64)
        throw ApiError(Problem::BadRequest,
                       "the desk name is too long to sign a reading with (at most 59 bytes)");
    if (numbers.key() != sheetKey)
        throw ApiError(Problem::BadRequest,
                       "the numbers are of sheet " + numbers.key() + ", not " + sheetKey, "sheet");
    std::lock_guard lock(mu_);
    const auto& reg = regency();
    Revision rev;
    rev.id = newUuid();
    rev.parent = parent;
    rev.device = device;
    rev.operatorName = reader;
    rev.capturedAt = utcNowText();
    rev.reason = std::string(merge::kSecondReading);
    rev.sheet = numbers;
    ReadingResult out;
    out.revision = rev.id;
    writeLedger([&](const db::WriteTx& tx) {
        // Blind by person, not by page: only the reader the queue handed the sheet to, while
        // the claim lasts, so that nobody reads a sheet they chose or another clerk holds.
        if (!reading_claims::holds(tx, sheetKey, holder, unixNow()))
            throw ApiError(Problem::NoClaim,
                           "this sheet is not held by you for reading (the claim ended or "
                           "another reader holds it): ask for the next sheet",
                           "sheet");
        rev.parent = parent; // its key (revision_key.h)
        if (auto why = derive::readingProblem(tx, rev))
            throw ApiError(Problem::Conflict, *why, "parent");
        // The reading names its parent by id, as signed; the verifiers read that id back to
        // this key, or the reading could not be checked.
        auto name = std::string(revision_key::nameOf(parent));
        if (revision_key::parentKey(name, device, sheetKey, derive::named(tx, name)) != parent)
            throw ApiError(Problem::Conflict,
                           "revision " + parent +
                               " shares its id with another of this sheet: "
                               "the desk decides the sheet instead",
                           "parent");
        // Read from the photo of the revision it reads: the reading names it too.
        rev.photo = photo_attachments::latest(tx, parent);
        if (!rev.photo)
            rev.photo = decodeRevision(derive::revisionJson(tx, parent), reg).photo;
        // Typed from the plano photo the receiver holds, or it is no reading of the sheet.
        if (!rev.photo || !photoReady(*rev.photo))
            throw ApiError(Problem::NoPhoto,
                           "the plano photo of this sheet has not arrived: a reading is typed "
                           "from the photo",
                           "sheet");
        rev.parent = name;
        // Signed by the receiver, as the desk's decisions are: the clerk has no key of their own.
        rev.signature = ledger_->sign(tx, revisionSigningText(rev, rev.hash()));
        auto texts = revisionTexts(rev);
        rev.parent = parent;
        out.findings = validateSheet(rev.sheet, reg);
        bool rejected = hasErrors(out.findings);
        auto at = rev.capturedAt;
        auto idx =
            ledger_->append(tx, ledger::Kind::Revision, sheetKey, rev.device, at, [&](auto i) {
                return ledger::revisionEntry(i, at, texts.body, rejected, out.findings);
            });
        derive::addRevision(tx,
                            {rev, texts, sha256Hex(texts.sheet), out.findings, rejected, idx, at});
        if (!rejected) // a reading the rules refuse is typed again: the claim stays
            reading_claims::release(tx, sheetKey, holder);
        auto s = derive::loadSheet(tx, sheetKey);
        out.outcome = rejected             ? std::string(sheetStateName(SheetState::Rejected))
                      : merge::verified(s) ? "verified"
                      : s.state() == SheetState::Conflict ? "differs"
                                                          : "unverified";
    });
    if (tally_)
        applySheetLocked(sheetKey, nullptr);
    applied_ = ledger_->size();
    version_ = applied_;
    out.counted = readCounted(db_, reg, sheetKey).sheet;
    return out;
}

std::vector<ReadingProgress> SecondReading::readingProgress(const AreaCode& area,
                                                            const PhotoReady& photoReady) const {
    std::lock_guard lock(mu_);
    auto now = unixNow();
    auto held = reading_claims::heldAt(db_, now);
    std::map<std::string, ReadingProgress> by;
    for (const auto& c : candidates(db_, area, "")) {
        auto kec = c.sheet.substr(0, 6);
        auto& p = by[kec];
        p.kecamatan = kec;
        ++p.sheets;
        auto s = derive::loadSheet(db_, c.sheet);
        if (merge::verified(s)) {
            ++p.verified;
        } else if (s.state() == SheetState::Conflict) {
            // Every counted sheet sits in one column: sheets = verified + differ + conflict +
            // toRead + noPhoto.
            bool reading = std::any_of(s.heads.begin(), s.heads.end(),
                                       [](const auto& h) { return h.reading; });
            ++(reading ? p.differ : p.conflict);
        } else if (c.photo.empty() || !photoReady(c.photo)) {
            ++p.noPhoto;
        } else {
            ++p.toRead;
            if (held.count(c.sheet))
                ++p.claimed;
        }
    }
    std::vector<ReadingProgress> out;
    for (auto& [k, p] : by)
        out.push_back(std::move(p));
    return out;
}

} // namespace rekap::central
