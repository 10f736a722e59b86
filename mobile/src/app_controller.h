#pragma once
// The tablet app's one service object, built in main() and handed to QML: enrolment, the TPS's
// sheets and outbox, sheet editors, sync (automatic when the receiver can be reached, and on
// demand) and, for a camat, the kecamatan's sync status. Network work runs on a worker thread.

#include <QJsonDocument>
#include <QObject>
#include <QQmlEngine>
#include <QThread>
#include <QTimer>
#include <QVariantList>

#include "rekap/sync/device_store.h"
#include "sheet_editor.h"
#include "sync_worker.h"

namespace rekap::tablet {

class AppController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(bool enrolled READ enrolled NOTIFY enrolmentChanged)
    Q_PROPERTY(bool camat READ camat NOTIFY enrolmentChanged)
    Q_PROPERTY(QString scope READ scope NOTIFY enrolmentChanged)
    Q_PROPERTY(QString scopeName READ scopeName NOTIFY enrolmentChanged)
    Q_PROPERTY(QString device READ device NOTIFY enrolmentChanged)
    Q_PROPERTY(QString server READ server NOTIFY enrolmentChanged)
    Q_PROPERTY(QString regencyName READ regencyName NOTIFY enrolmentChanged)
    Q_PROPERTY(
        QString operatorName READ operatorName WRITE setOperatorName NOTIFY operatorNameChanged)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(QVariantList sheets READ sheets NOTIFY outboxChanged)
    Q_PROPERTY(QVariantList outbox READ outbox NOTIFY outboxChanged)
    Q_PROPERTY(int queueDepth READ queueDepth NOTIFY outboxChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(bool syncing READ syncing NOTIFY syncStateChanged)
    Q_PROPERTY(bool reachable READ reachable NOTIFY syncStateChanged)
    Q_PROPERTY(double progress READ progress NOTIFY syncStateChanged)
    Q_PROPERTY(QString syncMessage READ syncMessage NOTIFY syncStateChanged)
    Q_PROPERTY(QString lastSync READ lastSync NOTIFY syncStateChanged)
    Q_PROPERTY(QVariantList statusGroups READ statusGroups NOTIFY statusChanged)
    Q_PROPERTY(QString statusFetchedAt READ statusFetchedAt NOTIFY statusChanged)
    Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter NOTIFY statusChanged)
public:
    AppController(sync::DeviceStore& store, sync::SyncOptions options, QObject* parent = nullptr);
    ~AppController() override;

    bool enrolled() const;
    bool camat() const;
    QString scope() const;
    QString scopeName() const;
    QString device() const;
    QString server() const;
    QString regencyName() const;
    QString operatorName() const;
    void setOperatorName(const QString& n);
    QString language() const { return language_; }
    void setLanguage(const QString& l);
    QVariantList sheets() const;
    QVariantList outbox() const;
    int queueDepth() const { return store_.queueDepth(); }
    bool busy() const { return busy_; }
    bool syncing() const { return syncing_; }
    bool reachable() const { return reachable_; }
    double progress() const { return progress_; }
    QString syncMessage() const { return syncMessage_; }
    QString lastSync() const { return lastSync_; }
    QVariantList statusGroups() const;
    QString statusFetchedAt() const;
    QString statusFilter() const { return statusFilter_; }
    void setStatusFilter(const QString& f);

    Q_INVOKABLE void enrol(const QString& server, const QString& code, const QString& deviceName);
    /// "Kirim sekarang": a sync right away, whatever the back-off says.
    Q_INVOKABLE void syncNow();
    /// An editor for the sheet of `contest`: its draft, or a correction of the finalized one.
    Q_INVOKABLE rekap::tablet::SheetEditor* openSheet(const QString& contest);
    Q_INVOKABLE void refreshStatus();
    /// Starts the automatic sync: probes the receiver with back-off and syncs when it answers.
    Q_INVOKABLE void startAutoSync(int firstDelayMs = 2000);

signals:
    void enrolmentChanged();
    void operatorNameChanged();
    void languageChanged();
    void outboxChanged();
    void busyChanged();
    void syncStateChanged();
    void statusChanged();
    void enrolFinished(bool ok, const QString& message);
    void syncFinished(bool ok, const QString& message);
    void statusRefreshed(bool ok, const QString& message);
    /// Ask the UI layer to load the translation of `language` (main() connects it).
    void translationRequested(const QString& language);

private:
    void startSync(bool probeFirst);
    void onSynced(bool ok, bool reached, const QString& message);
    void setBusy(bool b);

    sync::DeviceStore& store_;
    QThread thread_;
    SyncWorker* worker_;
    QTimer autoSync_;
    int backoffMs_ = 15000;
    bool busy_ = false, syncing_ = false, reachable_ = false;
    double progress_ = 0;
    QString syncMessage_, lastSync_, language_ = "id", statusFilter_;
};

} // namespace rekap::tablet
