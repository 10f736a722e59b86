#include "services.h"

namespace rekap::tablet {

Services::Services(sync::DeviceFile& s, sync::SyncOptions options, SyncService::Timing timing,
                   const QString& workDir)
    : store(s)
    , settings(s)
    , worker(new SyncWorker(s, std::move(options)))
    , enrolment(s, *worker, settings)
    , sync(s, *worker, events, settings, timing)
    , sheets(s, events, settings, sync)
    , outbox(s, events, settings)
    , camat(s, *worker, settings)
    , photos(s, workDir)
    , relayCodes(s, events)
    , relayInbox(s, events)
    , reading(s, *worker, sync, events, settings, workDir + QStringLiteral("/reading")) {
    worker->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    thread.start();
    QObject::connect(&enrolment, &Enrolment::finished, &sync, [this](bool ok) {
        if (!ok)
            return;
        events.notify(); // the TPS's sheets, from the master data just fetched
        camat.reload();
        sync.start();
        camat.refresh();
    });
    // Sheets scanned from another tablet go out as soon as there is a signal.
    QObject::connect(&relayInbox, &RelayInbox::forwardWanted, &sync, &SyncService::kick);
    // The camat's view follows each sync (the sync pulls what changed in the kecamatan).
    QObject::connect(&sync, &SyncService::finished, &camat, [this](bool ok) {
        if (ok && enrolment.camat())
            camat.refresh();
    });
}

Services::~Services() {
    worker->cancel();
    thread.quit();
    thread.wait();
}

QVariantMap Services::properties() {
    return {{QStringLiteral("settings"), QVariant::fromValue(&settings)},
            {QStringLiteral("enrolment"), QVariant::fromValue(&enrolment)},
            {QStringLiteral("sync"), QVariant::fromValue(&sync)},
            {QStringLiteral("sheets"), QVariant::fromValue(&sheets)},
            {QStringLiteral("outbox"), QVariant::fromValue(&outbox)},
            {QStringLiteral("camat"), QVariant::fromValue(&camat)},
            {QStringLiteral("photos"), QVariant::fromValue(&photos)},
            {QStringLiteral("scanner"), QVariant::fromValue(&scanner)},
            {QStringLiteral("relayCodes"), QVariant::fromValue(&relayCodes)},
            {QStringLiteral("relayInbox"), QVariant::fromValue(&relayInbox)},
            {QStringLiteral("reading"), QVariant::fromValue(&reading)}};
}

} // namespace rekap::tablet
