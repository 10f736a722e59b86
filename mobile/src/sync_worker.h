#pragma once
// Runs the sync library's network calls on a worker thread, so the UI never waits on a network.
// Failures come back as a Problem (error_text.h) and a detail for the log.

#include <QObject>
#include <QString>
#include <QVariantMap>
#include <memory>

#include "rekap/sync/sync_client.h"

namespace rekap::tablet {

class SyncWorker : public QObject {
    Q_OBJECT
public:
    SyncWorker(sync::DeviceFile& store, sync::SyncOptions options);
    ~SyncWorker() override;
    /// Thread-safe: stops a running request at the next chance.
    void cancel();

public slots:
    void enrol(const QString& server, const QString& code, const QString& deviceName);
    void probe();
    void syncOnce();
    void fetchStatus(const QString& area);
    /// Camat: claims the next sheet to read a second time and downloads its photo into `dir`.
    void claimReading(const QString& reader, const QString& dir);

signals:
    void enrolled(int problem, const QString& detail);
    void probed(bool reachable);
    void progress(double fraction, int sheetsDone, int sheetsTotal);
    /// accepted counts duplicates too (a retry of an accepted sheet).
    void synced(int problem, const QString& detail, int accepted, int conflicts, int rejected);
    void statusFetched(const QString& json, int problem, const QString& detail);
    /// The claim ({} when no sheet waits: sheet, tps, contest, contestName, tpsName, desaName,
    /// kecamatanName, parent, photo, photoFile, expiresAt}.
    void readingClaimed(const QVariantMap& claim, int problem, const QString& detail);

private:
    sync::DeviceFile& store_;
    std::unique_ptr<sync::SyncClient> client_;
};

} // namespace rekap::tablet
