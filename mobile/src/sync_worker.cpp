#include "sync_worker.h"

namespace rekap::tablet {

SyncWorker::SyncWorker(sync::DeviceStore& store, sync::SyncOptions options)
    : store_(store)
    , client_(std::make_unique<sync::SyncClient>(store, std::move(options))) {}

SyncWorker::~SyncWorker() = default;

void SyncWorker::cancel() {
    client_->cancel();
}

void SyncWorker::enrol(const QString& server, const QString& code, const QString& deviceName) {
    try {
        client_->resetCancel();
        auto e = client_->enrol(server.trimmed().toStdString(), code.trimmed().toStdString(),
                                deviceName.toStdString());
        emit enrolled(true, QString::fromStdString(e.device));
    } catch (const std::exception& e) {
        emit enrolled(false, QString::fromStdString(e.what()));
    }
}

void SyncWorker::syncOnce(bool probeFirst) {
    client_->resetCancel();
    if (probeFirst && !client_->reachable()) {
        emit synced(false, false, tr("The receiver cannot be reached; sheets stay queued."));
        return;
    }
    try {
        auto report = client_->sync([this](const sync::SyncProgress& p) {
            double done = p.sheetsTotal ? double(p.sheetsDone) / double(p.sheetsTotal) : 1.0;
            emit progress(QString::fromStdString(p.phase), done,
                          tr("%1 of %2 sheets, %3 of %4 KB")
                              .arg(p.sheetsDone)
                              .arg(p.sheetsTotal)
                              .arg(p.bytesDone / 1024)
                              .arg(p.bytesTotal / 1024));
        });
        emit synced(true, true,
                    tr("%1 accepted, %2 conflict, %3 rejected")
                        .arg(report.accepted + report.duplicates)
                        .arg(report.conflicts)
                        .arg(report.rejected + report.refused));
    } catch (const sync::SyncError& e) {
        emit synced(false, e.kind() != sync::SyncError::Kind::Transient,
                    QString::fromStdString(e.what()));
    }
}

void SyncWorker::fetchStatus(const QString& area) {
    try {
        client_->resetCancel();
        auto body = client_->get("/api/v1/status?area=" + area.toStdString());
        emit statusFetched(true, QString::fromStdString(body), {});
    } catch (const std::exception& e) {
        emit statusFetched(false, {}, QString::fromStdString(e.what()));
    }
}

} // namespace rekap::tablet
