#include "rekap/central/photos.h"

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "rekap/central/api_error.h"
#include "rekap/sha256.h"
#include "rekap/support/sqlite.h"

namespace rekap::central {

namespace fs = std::filesystem;

namespace {
std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const std::vector<std::string>& photoMigrations() {
    static const std::vector<std::string> steps = {R"sql(
CREATE TABLE uploads (
    sha256 TEXT PRIMARY KEY,
    device TEXT NOT NULL,
    tps TEXT NOT NULL,
    size INTEGER NOT NULL,
    updated_at INTEGER NOT NULL);
CREATE INDEX uploads_device ON uploads(device);
)sql"};
    return steps;
}
} // namespace

PhotoStore::PhotoStore(fs::path dir, PhotoLimits limits)
    : dir_(std::move(dir))
    , limits_(limits) {
    fs::create_directories(dir_);
    db_ = std::make_unique<sqlite::Database>((dir_ / "photos.db").string(), true);
    db_->migrate(photoMigrations());
}

PhotoStore::~PhotoStore() = default;

fs::path PhotoStore::pathOf(const std::string& sha) const {
    return dir_ / (sha + ".jpg");
}

PhotoStatus PhotoStore::status(const std::string& sha) const {
    std::lock_guard lock(mu_);
    std::error_code ec;
    if (fs::exists(pathOf(sha), ec))
        return {true, fs::file_size(pathOf(sha))};
    auto part = dir_ / (sha + ".part");
    return {false, fs::exists(part, ec) ? fs::file_size(part) : 0};
}

std::optional<PhotoOwner> PhotoStore::owner(const std::string& sha) const {
    std::lock_guard lock(mu_);
    auto st = db_->prepare("SELECT device, tps FROM uploads WHERE sha256 = ?");
    st.bindAll(sha);
    if (!st.step())
        return std::nullopt;
    return PhotoOwner{st.text(0), st.text(1)};
}

std::uint64_t PhotoStore::usedBy(const std::string& device) const {
    std::lock_guard lock(mu_);
    auto st = db_->prepare("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE device = ?");
    st.bindAll(device);
    st.step();
    return static_cast<std::uint64_t>(st.int64(0));
}

namespace {
void appendDurably(const fs::path& file, const std::string& data) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        throw ApiError(Problem::StorageFull, "cannot open " + file.string());
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n <= 0) {
            ::close(fd);
            throw ApiError(Problem::StorageFull, "cannot write " + file.string());
        }
        done += static_cast<std::size_t>(n);
    }
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced)
        throw ApiError(Problem::StorageFull, "cannot sync " + file.string());
}
/// Makes a photo whose bytes were hashed the photo itself: read-only, so that it is never changed
/// after its hash was checked and can be streamed without hashing again, then renamed into place
/// with the rename made durable (the device is told the photo is whole once this returns).
void seal(const fs::path& part, const fs::path& photo) {
    fs::permissions(part, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::replace);
    fs::rename(part, photo);
    int dir = ::open(photo.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
    bool synced = dir >= 0 && ::fsync(dir) == 0;
    if (dir >= 0)
        ::close(dir);
    if (!synced)
        throw ApiError(Problem::StorageFull, "cannot sync " + photo.parent_path().string());
}
} // namespace

bool PhotoStore::takesOver(const std::string& sha, const PhotoOwner& owner,
                           const PhotoOwner& uploader) const {
    // Not from another device of a TPS the photo also belongs to: two rightful devices would
    // take it from each other at every chunk.
    return namedBy_ && owner.tps != uploader.tps && namedBy_(sha, uploader.tps) &&
           !namedBy_(sha, owner.tps);
}

bool PhotoStore::rightfulUploader(const std::string& sha, const PhotoOwner& uploader) const {
    auto current = owner(sha);
    return current && current->device != uploader.device && takesOver(sha, *current, uploader);
}

void PhotoStore::discardLocked(const std::string& sha) {
    std::error_code ec;
    fs::remove(dir_ / (sha + ".part"), ec);
    db_->prepare("DELETE FROM uploads WHERE sha256 = ?").bindAll(sha).run();
}

PhotoStatus PhotoStore::append(const std::string& sha, std::uint64_t offset,
                               std::uint64_t totalSize, const std::string& data,
                               const PhotoOwner& uploader) {
    std::lock_guard lock(mu_);
    if (totalSize > limits_.maxSize)
        throw ApiError(Problem::PayloadTooLarge,
                       "a photo may have at most " + std::to_string(limits_.maxSize) + " bytes");
    std::error_code ec;
    auto part = dir_ / (sha + ".part");
    auto st = db_->prepare("SELECT device, tps, size, updated_at FROM uploads WHERE sha256 = ?");
    st.bindAll(sha);
    std::optional<PhotoOwner> owner;
    std::uint64_t declared = 0;
    if (st.step()) {
        owner = PhotoOwner{st.text(0), st.text(1)};
        declared = static_cast<std::uint64_t>(st.int64(2));
        bool stale = st.int64(3) + limits_.partialTtl.count() < nowSeconds();
        st.reset();
        if (stale && !fs::exists(pathOf(sha), ec)) {
            discardLocked(sha); // left unfinished too long: starts again from byte 0
            owner.reset();
        }
    }
    st.reset();
    if (owner && owner->device != uploader.device) {
        if (fs::exists(pathOf(sha), ec) && owner->tps == uploader.tps)
            return {true, fs::file_size(pathOf(sha))}; // the same photo, already whole
        // The photo of a sheet belongs to the sheet's TPS: its device takes the upload over
        // as its own, whoever began it (and however often that one renews its hold).
        if (!takesOver(sha, *owner, uploader))
            throw ApiError(Problem::Forbidden,
                           "photo " + sha.substr(0, 12) + "… is being uploaded by another device");
        if (fs::exists(pathOf(sha), ec)) { // whole already: the bytes hash to the name
            db_->prepare("UPDATE uploads SET device = ?, tps = ? WHERE sha256 = ?")
                .bindAll(uploader.device, uploader.tps, sha)
                .run();
            return {true, fs::file_size(pathOf(sha))};
        }
        discardLocked(sha);
        owner.reset();
    }
    if (fs::exists(pathOf(sha), ec))
        return {true, fs::file_size(pathOf(sha))};
    if (!owner) {
        // The device's partial uploads past their time to live leave its quota now, not at the
        // next housekeeping (once a minute), which would refuse its next photo meanwhile.
        std::vector<std::string> expired;
        auto mine = db_->prepare("SELECT sha256 FROM uploads WHERE device = ? AND updated_at < ?");
        mine.bindAll(uploader.device, nowSeconds() - limits_.partialTtl.count());
        while (mine.step())
            if (!fs::exists(pathOf(mine.text(0)), ec))
                expired.push_back(mine.text(0));
        mine.reset();
        for (const auto& old : expired)
            discardLocked(old);
        auto used = db_->prepare("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE device = ?");
        used.bindAll(uploader.device);
        used.step();
        auto have = static_cast<std::uint64_t>(used.int64(0));
        if (have + totalSize > limits_.quota)
            throw ApiError(Problem::PayloadTooLarge,
                           "this device's photo quota of " + std::to_string(limits_.quota) +
                               " bytes is used up (" + std::to_string(have) + " held)");
        // A partial file without an owner was begun before owners were kept: it is claimed.
    } else if (declared != totalSize) {
        throw ApiError(Problem::BadRequest, "Upload-Length " + std::to_string(totalSize) +
                                                " differs from the " + std::to_string(declared) +
                                                " this upload began with");
    }
    std::uint64_t have = fs::exists(part, ec) ? fs::file_size(part) : 0;
    if (offset != have)
        throw ApiError(Problem::OffsetMismatch, "upload stands at byte " + std::to_string(have) +
                                                    ", not " + std::to_string(offset));
    if (have + data.size() > totalSize)
        throw ApiError(Problem::BadRequest, "chunk runs past the photo's size");
    db_->prepare("INSERT INTO uploads (sha256, device, tps, size, updated_at) VALUES "
                 "(?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET updated_at = "
                 "excluded.updated_at")
        .bindAll(sha, uploader.device, uploader.tps, static_cast<std::int64_t>(totalSize),
                 nowSeconds())
        .run();
    appendDurably(part, data);
    have += data.size();
    if (have < totalSize)
        return {false, have};
    std::ifstream in(part, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    if (sha256Hex(buf.str()) != sha) {
        discardLocked(sha);
        throw ApiError(Problem::HashMismatch,
                       "the uploaded bytes do not hash to " + sha + "; upload discarded");
    }
    seal(part, pathOf(sha));
    return {true, have};
}

int PhotoStore::expirePartial() {
    std::lock_guard lock(mu_);
    std::vector<std::string> stale;
    auto st = db_->prepare("SELECT sha256 FROM uploads WHERE updated_at < ?");
    st.bindAll(nowSeconds() - limits_.partialTtl.count());
    std::error_code ec;
    while (st.step())
        if (!fs::exists(pathOf(st.text(0)), ec))
            stale.push_back(st.text(0));
    st.reset();
    for (const auto& sha : stale)
        discardLocked(sha);
    // Partial files begun before owners were kept have no row: their age is their mtime.
    auto cutoff = fs::file_time_type::clock::now() - limits_.partialTtl;
    int orphans = 0;
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
        if (e.path().extension() != ".part" || e.last_write_time(ec) >= cutoff)
            continue;
        auto q = db_->prepare("SELECT 1 FROM uploads WHERE sha256 = ?");
        q.bindAll(e.path().stem().string());
        if (!q.step() && fs::remove(e.path(), ec))
            ++orphans;
    }
    return static_cast<int>(stale.size()) + orphans;
}

} // namespace rekap::central
