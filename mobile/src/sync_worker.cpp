#include "sync_worker.h"

#include <QDebug>

#include "error_text.h"

namespace rekap::tablet {

namespace {
Failure failureOf(const std::exception& e) {
    auto f = ErrorText::classify(e);
    if (f)
        qWarning().noquote() << "rekap-tablet:" << f.detail;
    return f;
}
} // namespace

SyncWorker::SyncWorker(sync::DeviceFile& store, sync::SyncOptions options)
    : store_(store)
    , client_(std::make_unique<sync::SyncClient>(store, std::move(options))) {}

SyncWorker::~SyncWorker() = default;

void SyncWorker::cancel() {
    client_->cancel();
}

void SyncWorker::enrol(const QString& server, const QString& code, const QString& deviceName) {
    try {
        client_->resetCancel();
        client_->enrol(server.trimmed().toStdString(), code.trimmed().toStdString(),
                       deviceName.toStdString());
        emit enrolled(Problem::None, {});
    } catch (const std::exception& e) {
        auto f = failureOf(e);
        emit enrolled(f ? f.problem : Problem::Unknown, f.detail);
    }
}

void SyncWorker::probe() {
    client_->resetCancel();
    emit probed(client_->reachable());
}

void SyncWorker::syncOnce() {
    client_->resetCancel();
    try {
        auto report = client_->sync([this](const sync::SyncProgress& p) {
            if (p.phase != "push")
                return;
            double done = p.sheetsTotal ? double(p.sheetsDone) / double(p.sheetsTotal) : 1.0;
            emit progress(done, static_cast<int>(p.sheetsDone), static_cast<int>(p.sheetsTotal));
        });
        emit synced(Problem::None, {}, report.accepted + report.duplicates, report.conflicts,
                    report.rejected + report.refused);
    } catch (const std::exception& e) {
        auto f = failureOf(e);
        emit synced(f.problem, f.detail, 0, 0, 0);
    }
}

void SyncWorker::fetchStatus(const QString& area) {
    try {
        client_->resetCancel();
        // One quick look first: a camat pressing "Perbarui" without signal hears so at once,
        // not after a request's retries.
        if (!client_->reachable()) {
            emit statusFetched({}, Problem::NoConnection, QStringLiteral("GET /api/v1/health"));
            return;
        }
        // What the kecamatan's state says is only as good as the receiver's record: a receiver
        // rolled back below the head this device kept is named, and its state not shown.
        client_->checkLedger();
        auto body = client_->get("/api/v1/status?area=" + area.toStdString());
        emit statusFetched(QString::fromStdString(body), Problem::None, {});
    } catch (const std::exception& e) {
        auto f = failureOf(e);
        emit statusFetched({}, f ? f.problem : Problem::Unknown, f.detail);
    }
}

void SyncWorker::claimReading(const QString& reader, const QString& dir) {
    try {
        client_->resetCancel();
        auto claim = client_->claimReading(reader.trimmed().toStdString());
        if (!claim) {
            emit readingClaimed({}, Problem::None, {});
            return;
        }
        auto file =
            QStringLiteral("%1/reading-%2.jpg").arg(dir, QString::fromStdString(claim->photo));
        client_->downloadPhoto(claim->photo, file.toStdString());
        auto q = [](const std::string& s) { return QString::fromStdString(s); };
        emit readingClaimed({{QStringLiteral("sheet"), q(claim->sheet)},
                             {QStringLiteral("tps"), q(claim->tps)},
                             {QStringLiteral("contest"), q(claim->contest)},
                             {QStringLiteral("contestName"), q(claim->contestName)},
                             {QStringLiteral("tpsName"), q(claim->tpsName)},
                             {QStringLiteral("desaName"), q(claim->desaName)},
                             {QStringLiteral("kecamatanName"), q(claim->kecamatanName)},
                             {QStringLiteral("parent"), q(claim->parent)},
                             {QStringLiteral("photo"), q(claim->photo)},
                             {QStringLiteral("photoFile"), file},
                             {QStringLiteral("expiresAt"), q(claim->expiresAt)}},
                            Problem::None, {});
    } catch (const std::exception& e) {
        auto f = failureOf(e);
        emit readingClaimed({}, f ? f.problem : Problem::Unknown, f.detail);
    }
}

} // namespace rekap::tablet
