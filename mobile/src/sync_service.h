#pragma once
// Automatic sync: whenever the receiver can be reached the queue goes out; without signal the
// tablet probes the receiver (GET /health, a few hundred bytes) with back-off, and says when the
// next try is. Between syncs a heartbeat probe asks whether it still answers, and "online" is
// said only while its last answer is recent: a receiver that stopped is noticed within seconds.
// "Kirim sekarang" tries at once. Everything shown is worded when read, so that a language switch
// re-words the sync bar at once.

#include <QDateTime>
#include <QObject>
#include <QQmlEngine>
#include <QTimer>
#include <random>

#include "error_text.h"
#include "regency_clock.h"
#include "rekap/sync/store/file.h"
#include "settings.h"

namespace rekap::tablet {

class StoreEvents;
class SyncWorker;

class SyncService : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(Phase phase READ phase NOTIFY stateChanged)
    /// The receiver answered within the last `freshMs` (and its answer was not "no signal").
    Q_PROPERTY(bool online READ online NOTIFY stateChanged)
    Q_PROPERTY(bool syncing READ syncing NOTIFY stateChanged)
    Q_PROPERTY(double progress READ progress NOTIFY stateChanged)
    Q_PROPERTY(int queueDepth READ queueDepth NOTIFY stateChanged)
    Q_PROPERTY(QString queueText READ queueText NOTIFY stateChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY stateChanged)
    Q_PROPERTY(QString nextTryText READ nextTryText NOTIFY countdownChanged)
    Q_PROPERTY(int secondsToNextTry READ secondsToNextTry NOTIFY countdownChanged)
    Q_PROPERTY(QString lastSyncText READ lastSyncText NOTIFY stateChanged)
    /// When the receiver last answered ("14.32 WITA", regency time; "" never), kept across a
    /// restart: the header says it beside "online", or as "last connected" without.
    Q_PROPERTY(QString lastContactTime READ lastContactTime NOTIFY stateChanged)
    Q_PROPERTY(int backoffMs READ backoffMs NOTIFY stateChanged)
    Q_PROPERTY(int problem READ problem NOTIFY stateChanged)
    Q_PROPERTY(QString problemText READ problemText NOTIFY stateChanged)
public:
    enum Phase {
        Stopped, ///< not enrolled, or not started
        Idle,    ///< the receiver answered; the next check is due later
        Probing, ///< asking whether the receiver answers
        Sending, ///< a sync is running
        Waiting, ///< no answer: waiting for the next try
    };
    Q_ENUM(Phase)

    static constexpr int kHeartbeatMs = 10000;
    static constexpr int kFreshMs = 15000;
    /// How long to wait: after a good contact, and the back-off without one (doubling from
    /// `firstRetry` to `maxRetry`, each wait drawn from [3/4, 1] of it); the heartbeat between
    /// syncs, and how long an answer counts as "online" (a heartbeat plus its probe's time).
    struct Timing {
        int checkMs = 30000;
        int firstRetryMs = 5000;
        int maxRetryMs = 60000;
        int heartbeatMs = kHeartbeatMs;
        int freshMs = kFreshMs;
    };

    SyncService(sync::DeviceFile& store, SyncWorker& worker, StoreEvents& events,
                Settings& settings, Timing timing, QObject* parent = nullptr);

    Phase phase() const { return phase_; }
    bool online() const;
    bool syncing() const { return phase_ == Sending; }
    double progress() const { return progress_; }
    int queueDepth() const { return store_.outbox().queueDepth(); }
    QString queueText() const;
    QString statusText() const;
    QString nextTryText() const;
    int secondsToNextTry() const;
    QString lastSyncText() const;
    QString lastContactTime() const;
    /// The current back-off ceiling without an answer (0 after a good contact).
    int backoffMs() const { return retryMs_; }
    int problem() const { return failure_.problem; }
    QString problemText() const { return ErrorText::describe(failure_); }

    /// Starts the automatic sync (after enrolment, and at start-up when enrolled).
    Q_INVOKABLE void start();
    /// "Kirim sekarang": a sync right away, whatever the back-off says.
    Q_INVOKABLE void syncNow();
    /// Something was queued: try soon (probing first), without waiting for the back-off.
    void kick();
    Q_INVOKABLE void setTiming(int checkMs, int firstRetryMs, int maxRetryMs,
                               int heartbeatMs = kHeartbeatMs, int freshMs = kFreshMs);

signals:
    void stateChanged();
    void countdownChanged();
    void finished(bool ok);

private:
    void setPhase(Phase p);
    void schedule(int ms);
    void probe();
    void sync();
    /// While idle: the heartbeat until the next sync is due, or that sync.
    void scheduleIdle();
    void onTimer();
    /// The receiver answered: "online" for `freshMs`, and "last connected" kept in the store.
    void contact();
    void onProbed(bool reachable);
    void onSynced(int problem, const QString& detail, int accepted, int conflicts, int rejected);

    sync::DeviceFile& store_;
    SyncWorker& worker_;
    StoreEvents& events_;
    RegencyClock clock_;
    Timing timing_;
    Phase phase_ = Stopped;
    bool online_ = false;
    double progress_ = 0;
    int retryMs_ = 0;
    QTimer next_, ticker_, stale_;
    QDateTime nextAt_, lastContactAt_, syncDueAt_;
    bool heartbeat_ = false; ///< the probe running is a heartbeat (the phase stays Idle)
    Failure failure_;
    int accepted_ = 0, conflicts_ = 0, rejected_ = 0;
    bool haveResult_ = false;
    bool again_ = false; ///< something was queued while a round ran: go again at its end
    std::mt19937 jitter_{std::random_device{}()};
};

} // namespace rekap::tablet
