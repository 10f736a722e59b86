#pragma once
// Runs the sync library's network calls on a worker thread, so the UI never waits on a network.

#include <QObject>
#include <QString>
#include <memory>

#include "rekap/sync/sync_client.h"

namespace rekap::tablet {

class SyncWorker : public QObject {
    Q_OBJECT
public:
    SyncWorker(sync::DeviceStore& store, sync::SyncOptions options);
    ~SyncWorker() override;
    /// Thread-safe: stops a running sync at the next chance.
    void cancel();

public slots:
    void enrol(const QString& server, const QString& code, const QString& deviceName);
    void syncOnce(bool probeFirst);
    void fetchStatus(const QString& area);

signals:
    void enrolled(bool ok, const QString& message);
    void progress(const QString& phase, double fraction, const QString& text);
    void synced(bool ok, bool reached, const QString& message);
    void statusFetched(bool ok, const QString& json, const QString& message);

private:
    sync::DeviceStore& store_;
    std::unique_ptr<sync::SyncClient> client_;
};

} // namespace rekap::tablet
