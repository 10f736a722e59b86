#include "rekap/sync/store/photos.h"

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "rekap/sha256.h"
#include "rekap/sync/store/file.h"

namespace rekap::sync {

namespace fs = std::filesystem;

namespace {
std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw std::runtime_error(p.string() + ": cannot open");
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

// The photo is on disk before the row that names it commits: a crash leaves at most a file
// no row names, never a row without its file.
void writeDurably(const fs::path& p, const std::string& data) {
    auto tmp = p.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        throw std::runtime_error(tmp + ": cannot create");
    bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok)
        throw std::runtime_error(tmp + ": cannot write (disk full?)");
    fs::rename(tmp, p);
}
} // namespace

std::string Photos::add(const fs::path& file) {
    auto bytes = readFile(file);
    if (bytes.empty())
        throw std::invalid_argument(file.string() + ": empty photo");
    auto sha = sha256Hex(bytes);
    fs::create_directories(dir_);
    if (!fs::exists(path(sha)))
        writeDurably(path(sha), bytes);
    file_.write([&](WriteTx& tx) {
        tx.prepare("INSERT INTO photos (sha256, size) VALUES (?, ?) ON CONFLICT (sha256) DO "
                   "NOTHING")
            .bindAll(sha, static_cast<std::int64_t>(bytes.size()))
            .run();
    });
    return sha;
}

std::vector<std::string> Photos::pending() const {
    auto tx = file_.read();
    auto st = tx.prepare("SELECT sha256 FROM photos WHERE uploaded = 0 ORDER BY rowid");
    std::vector<std::string> out;
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

fs::path Photos::path(const std::string& sha) const {
    return dir_ / (sha + ".jpg");
}

void Photos::markUploaded(const std::string& sha) {
    file_.write([&](WriteTx& tx) {
        tx.prepare("UPDATE photos SET uploaded = 1 WHERE sha256 = ?").bindAll(sha).run();
    });
}

bool Photos::has(const ReadTx& tx, const std::string& sha) const {
    auto known = tx.prepare("SELECT 1 FROM photos WHERE sha256 = ?");
    known.bindAll(sha);
    return known.step() && fs::exists(path(sha));
}

} // namespace rekap::sync
