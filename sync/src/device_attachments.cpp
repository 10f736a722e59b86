// DeviceStore: photos attached to revisions already sent (rekap/photo_attachment.h). A revision
// never changes; a photo taken after it went ("foto menyusul") is a small statement the device
// signs and queues, sent on the next sync before the photo's bytes.

#include <filesystem>

#include "rekap/photo_attachment.h"
#include "rekap/support/random.h"
#include "rekap/sync/device_store.h"

namespace rekap::sync {

namespace {

AttachedPhotoEntry rowOf(sqlite::Statement& st) {
    return {
        st.text(0), st.text(1), st.text(2), storedSheetState(st.text(3), "photo attachment state"),
        st.text(4), st.text(5), st.text(6), nlohmann::json::parse(st.text(7))};
}

constexpr const char* kColumns = "revision, photo, sheet, state, error, receipt, created_at, body";

} // namespace

AttachedPhotoEntry DeviceStore::attachPhoto(const std::string& revisionId,
                                            const std::string& sha256) {
    auto e = enrolment();
    if (!e)
        throw std::invalid_argument("this device is not enrolled");
    if (e->role != protocol::Role::Operator)
        throw std::invalid_argument("a camat device attaches no photos: its readings carry theirs");
    auto mine = entry(revisionId);
    if (!mine || mine->decision || mine->revision.device != e->device)
        throw std::invalid_argument("no revision " + revisionId + " of this device");
    {
        std::lock_guard lock(mu_);
        auto known = db_.prepare("SELECT 1 FROM photos WHERE sha256 = ?");
        known.bindAll(sha256);
        if (!known.step() || !std::filesystem::exists(photoPath(sha256)))
            throw std::invalid_argument("photo " + sha256 + " is not in the store: add it first");
    }
    auto key = deviceKey();
    std::lock_guard lock(mu_);
    auto existing = db_.prepare(std::string("SELECT ") + kColumns +
                                " FROM photo_attachments WHERE revision = ? AND photo = ?");
    existing.bindAll(revisionId, sha256);
    if (existing.step())
        return rowOf(existing);
    PhotoAttachment a;
    a.revision = revisionId;
    a.device = e->device;
    a.tps = mine->revision.sheet.tps;
    a.contest = mine->revision.sheet.contest;
    a.photo = sha256;
    a.attachedAt = utcNowText();
    signPhotoAttachment(a, key.privateKey);
    auto body = encode(a);
    db_.prepare("INSERT INTO photo_attachments (revision, photo, sheet, body, state, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)")
        .bindAll(revisionId, sha256, a.sheetKey(), body.dump(), a.attachedAt, a.attachedAt)
        .run();
    return {revisionId, sha256, a.sheetKey(), SheetState::Queued, "", "", a.attachedAt, body};
}

std::vector<AttachedPhotoEntry> DeviceStore::attachedPhotos(const std::string& revisionId) const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string("SELECT ") + kColumns +
                          " FROM photo_attachments WHERE ?1 = '' OR revision = ?1 ORDER BY seq");
    st.bindAll(revisionId);
    std::vector<AttachedPhotoEntry> out;
    while (st.step())
        out.push_back(rowOf(st));
    return out;
}

std::vector<AttachedPhotoEntry> DeviceStore::attachmentBatch(std::size_t maxCount) const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare(std::string("SELECT ") + kColumns +
                          " FROM photo_attachments WHERE state = 'queued' ORDER BY seq LIMIT ?");
    st.bindAll(static_cast<std::int64_t>(maxCount));
    std::vector<AttachedPhotoEntry> out;
    while (st.step())
        out.push_back(rowOf(st));
    return out;
}

void DeviceStore::applyAttachmentResults(const std::vector<AttachedPhotoEntry>& batch,
                                         const std::vector<protocol::PushResult>& results) {
    std::lock_guard lock(mu_);
    db_.transaction([&] {
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
            db_.prepare("UPDATE photo_attachments SET state = ?, error = ?, receipt = ?, "
                        "updated_at = ? WHERE revision = ? AND photo = ?")
                .bindAll(sheetStateName(refused ? SheetState::Refused : SheetState::Accepted),
                         r.error ? r.error->code + ": " + r.error->message : std::string(),
                         r.receipt, utcNowText(), batch[i].revision, batch[i].photo)
                .run();
        }
    });
}

int DeviceStore::attachmentQueueDepth() const {
    std::lock_guard lock(mu_);
    auto st = db_.prepare("SELECT COUNT(*) FROM photo_attachments WHERE state = 'queued'");
    st.step();
    return static_cast<int>(st.int64(0));
}

} // namespace rekap::sync
