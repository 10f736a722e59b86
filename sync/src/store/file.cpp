#include "rekap/sync/store/file.h"

#include "../device_schema.h"

namespace rekap::sync {

namespace fs = std::filesystem;

DeviceFile::DeviceFile(const fs::path& file)
    : path_(file)
    , db_(file.string(), true)
    , identity_(*this, settings_)
    , masterData_(*this)
    , drafts_(*this)
    , outbox_(*this, masterData_, receipts_)
    , capture_(*this, identity_, masterData_, outbox_, drafts_)
    , receipts_(*this, settings_, identity_)
    , photos_(*this, file.string() + ".photos")
    , attachments_(*this, identity_, outbox_, photos_)
    , relay_(*this, masterData_)
    , sendBacks_(*this, outbox_)
    , feed_(*this, settings_, outbox_, sendBacks_)
    , preferences_(*this, settings_) {
    db_.migrate(deviceMigrations());
    masterData_.load(read());
    // A crash or kill during a sync leaves revisions marked sending: they go again.
    outbox_.requeueSending();
    // A device enrolled or upgraded before devices signed gets its key, and its own revisions
    // not yet signed are signed with it (they were finalized here; the key now vouches for them).
    auto enrolled = identity_.enrolment();
    if (!enrolled || enrolled->role != protocol::Role::Operator || !masterData_.regency())
        return;
    write([&](WriteTx& tx) {
        auto key = identity_.deviceKey(tx);
        identity_.markKeyUnregistered(tx);
        outbox_.signUnsigned(tx, key.privateKey);
    });
}

DeviceFile::Durability DeviceFile::durability() const {
    auto tx = read();
    Durability d;
    auto mode = tx.prepare("PRAGMA journal_mode");
    if (mode.step())
        d.journalMode = mode.text(0);
    auto sync = tx.prepare("PRAGMA synchronous");
    if (sync.step())
        d.synchronous = sync.integer(0);
    return d;
}

} // namespace rekap::sync
