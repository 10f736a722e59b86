#include "rekap/sync/store/attachments.h"

#include "rekap/photo_attachment.h"
#include "rekap/support/random.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

namespace {

AttachedPhotoEntry rowOf(sqlite::Statement& st) {
    return {
        st.text(0), st.text(1), st.text(2), storedSheetState(st.text(3), "photo attachment state"),
        st.text(4), st.text(5), st.text(6), nlohmann::json::parse(st.text(7))};
}

constexpr const char* kColumns = "revision, photo, sheet, state, error, receipt, created_at, body";

} // namespace

AttachedPhotoEntry Attachments::attach(const std::string& revisionId, const std::string& sha256) {
    return file_.write([&](WriteTx& tx) -> AttachedPhotoEntry {
        auto e = identity_.enrolment(tx);
        if (!e)
            throw std::invalid_argument("this device is not enrolled");
        if (e->role != protocol::Role::Operator)
            throw std::invalid_argument(
                "a camat device attaches no photos: its readings carry theirs");
        auto mine = outbox_.entry(tx, revisionId);
        if (!mine || mine->decision || mine->revision.device != e->device)
            throw std::invalid_argument("no revision " + revisionId + " of this device");
        if (!photos_.has(tx, sha256))
            throw std::invalid_argument("photo " + sha256 + " is not in the store: add it first");
        auto existing = tx.prepare(std::string("SELECT ") + kColumns +
                                   " FROM photo_attachments WHERE revision = ? AND photo = ?");
        existing.bindAll(revisionId, sha256);
        if (existing.step())
            return rowOf(existing);
        auto key = identity_.deviceKey(tx);
        PhotoAttachment a;
        a.revision = revisionId;
        a.device = e->device;
        a.tps = mine->revision.sheet.tps;
        a.contest = mine->revision.sheet.contest;
        a.photo = sha256;
        a.attachedAt = utcNowText();
        signPhotoAttachment(a, key.privateKey);
        auto body = encode(a);
        tx.prepare("INSERT INTO photo_attachments (revision, photo, sheet, body, state, "
                   "created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)")
            .bindAll(revisionId, sha256, a.sheetKey(), body.dump(), a.attachedAt, a.attachedAt)
            .run();
        return {revisionId, sha256, a.sheetKey(), SheetState::Queued, "", "", a.attachedAt, body};
    });
}

std::vector<AttachedPhotoEntry> Attachments::of(const std::string& revisionId) const {
    auto tx = file_.read();
    auto st = tx.prepare(std::string("SELECT ") + kColumns +
                         " FROM photo_attachments WHERE ?1 = '' OR revision = ?1 ORDER BY seq");
    st.bindAll(revisionId);
    std::vector<AttachedPhotoEntry> out;
    while (st.step())
        out.push_back(rowOf(st));
    return out;
}

std::vector<AttachedPhotoEntry> Attachments::batch(std::size_t maxCount) const {
    auto tx = file_.read();
    auto st = tx.prepare(std::string("SELECT ") + kColumns +
                         " FROM photo_attachments WHERE state = 'queued' ORDER BY seq LIMIT ?");
    st.bindAll(static_cast<std::int64_t>(maxCount));
    std::vector<AttachedPhotoEntry> out;
    while (st.step())
        out.push_back(rowOf(st));
    return out;
}

void Attachments::applyResults(const std::vector<AttachedPhotoEntry>& batch,
                               const std::vector<protocol::PushResult>& results) {
    file_.write([&](WriteTx& tx) {
        for (std::size_t i = 0; i < batch.size() && i < results.size(); ++i) {
            const auto& r = results[i];
            if (r.id != batch[i].revision)
                continue; // an answer out of step: asked again next sync
            // A revision the receiver has not received yet (its push failed before): asked
            // again next sync, after the push.
            if (r.status == protocol::PushStatus::Refused && r.error &&
                r.error->code == protocol::error::kNotFound)
                continue;
            bool refused = r.status == protocol::PushStatus::Refused;
            tx.prepare("UPDATE photo_attachments SET state = ?, error = ?, receipt = ?, "
                       "updated_at = ? WHERE revision = ? AND photo = ?")
                .bindAll(sheetStateName(refused ? SheetState::Refused : SheetState::Accepted),
                         r.error ? r.error->code + ": " + r.error->message : std::string(),
                         r.receipt, utcNowText(), batch[i].revision, batch[i].photo)
                .run();
        }
    });
}

int Attachments::queueDepth() const {
    auto tx = file_.read();
    auto st = tx.prepare("SELECT COUNT(*) FROM photo_attachments WHERE state = 'queued'");
    st.step();
    return static_cast<int>(st.int64(0));
}

} // namespace rekap::sync
