#include "sync_service.h"

#include "store_events.h"
#include "sync_worker.h"

namespace rekap::tablet {

SyncService::SyncService(sync::DeviceFile& store, SyncWorker& worker, StoreEvents& events,
                         Settings& settings, Timing timing, QObject* parent)
    : QObject(parent)
    , store_(store)
    , worker_(worker)
    , events_(events)
    , clock_(store)
    , timing_(timing) {
    // Kept in the store: "Terakhir tersambung" means as much after a restart as before.
    if (auto saved = store_.preferences().get("last_contact"); !saved.empty())
        lastContactAt_ = QDateTime::fromString(QString::fromStdString(saved), Qt::ISODateWithMs);
    next_.setSingleShot(true);
    connect(&next_, &QTimer::timeout, this, &SyncService::onTimer);
    // An answer grows old by itself: the header stops saying "online" without any event.
    stale_.setSingleShot(true);
    connect(&stale_, &QTimer::timeout, this, &SyncService::stateChanged);
    ticker_.setInterval(1000);
    connect(&ticker_, &QTimer::timeout, this, &SyncService::countdownChanged);
    connect(&worker_, &SyncWorker::probed, this, &SyncService::onProbed);
    connect(&worker_, &SyncWorker::synced, this, &SyncService::onSynced);
    connect(&worker_, &SyncWorker::progress, this, [this](double fraction, int, int) {
        progress_ = fraction;
        events_.notify();
        emit stateChanged();
    });
    connect(&events, &StoreEvents::changed, this, &SyncService::stateChanged);
    connect(&settings, &Settings::languageChanged, this, [this] {
        emit stateChanged();
        emit countdownChanged();
    });
}

void SyncService::setTiming(int checkMs, int firstRetryMs, int maxRetryMs, int heartbeatMs,
                            int freshMs) {
    timing_ = {checkMs, firstRetryMs, maxRetryMs, heartbeatMs, freshMs};
}

bool SyncService::online() const {
    return online_ && lastContactAt_.isValid() &&
           lastContactAt_.msecsTo(QDateTime::currentDateTimeUtc()) < timing_.freshMs;
}

void SyncService::contact() {
    lastContactAt_ = QDateTime::currentDateTimeUtc();
    store_.preferences().set("last_contact",
                             lastContactAt_.toString(Qt::ISODateWithMs).toStdString());
    stale_.start(timing_.freshMs);
}

void SyncService::scheduleIdle() {
    auto due = std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(syncDueAt_));
    schedule(static_cast<int>(std::min<qint64>(due, timing_.heartbeatMs)));
}

void SyncService::onTimer() {
    if (phase_ == Waiting) {
        probe();
    } else if (phase_ == Idle && QDateTime::currentDateTimeUtc() < syncDueAt_) {
        heartbeat_ = true;
        QMetaObject::invokeMethod(&worker_, &SyncWorker::probe);
    } else {
        sync();
    }
}

void SyncService::setPhase(Phase p) {
    if (p != Waiting && p != Idle)
        nextAt_ = {};
    phase_ = p;
    if (p == Waiting)
        ticker_.start();
    else
        ticker_.stop();
    emit stateChanged();
    emit countdownChanged();
}

void SyncService::schedule(int ms) {
    nextAt_ = QDateTime::currentDateTimeUtc().addMSecs(ms);
    next_.start(ms);
}

void SyncService::start() {
    if (!store_.identity().enrolment() || phase_ != Stopped)
        return;
    probe();
}

void SyncService::kick() {
    if (!store_.identity().enrolment())
        return;
    if (phase_ == Sending || phase_ == Probing) {
        again_ = true;
        return;
    }
    next_.stop();
    retryMs_ = 0;
    probe();
}

void SyncService::syncNow() {
    if (!store_.identity().enrolment() || phase_ == Sending || phase_ == Probing)
        return;
    next_.stop();
    retryMs_ = 0;
    probe(); // one quick look first: without signal the operator hears so at once
}

void SyncService::probe() {
    heartbeat_ = false;
    setPhase(Probing);
    QMetaObject::invokeMethod(&worker_, &SyncWorker::probe);
}

void SyncService::sync() {
    progress_ = 0;
    setPhase(Sending);
    QMetaObject::invokeMethod(&worker_, &SyncWorker::syncOnce);
}

void SyncService::onProbed(bool reachable) {
    if (heartbeat_ && phase_ == Idle) {
        heartbeat_ = false;
        if (!reachable) {
            // Gone since the last sync: say so now, and look again soon (the back-off).
            onSynced(Problem::NoConnection, QStringLiteral("GET /api/v1/health: no answer"), 0, 0,
                     0);
            return;
        }
        contact();
        scheduleIdle();
        emit stateChanged();
        return;
    }
    if (phase_ != Probing)
        return;
    if (reachable) {
        sync();
        return;
    }
    onSynced(Problem::NoConnection, QStringLiteral("GET /api/v1/health: no answer"), 0, 0, 0);
}

void SyncService::onSynced(int problem, const QString& detail, int accepted, int conflicts,
                           int rejected) {
    failure_ = {static_cast<Problem::Value>(problem), detail};
    events_.notify();
    if (!failure_) {
        online_ = true;
        retryMs_ = 0;
        contact();
        progress_ = 1;
        accepted_ = accepted;
        conflicts_ = conflicts;
        rejected_ = rejected;
        haveResult_ = true;
        syncDueAt_ = QDateTime::currentDateTimeUtc().addMSecs(again_ ? 0 : timing_.checkMs);
        scheduleIdle();
        again_ = false;
        setPhase(Idle);
        emit finished(true);
        return;
    }
    switch (failure_.problem) {
    case Problem::Revoked:
    case Problem::Unauthorized:
    case Problem::ProtocolTooOld:
    case Problem::LedgerAlarm: // the receiver's history changed: the desk must look first
        // Retrying cannot help until someone acts; the bar says who.
        online_ = true;
        contact();
        setPhase(Stopped);
        emit finished(false);
        return;
    default:
        break;
    }
    // Without an answer, back off: the first retry soon, then doubling to the ceiling, so a
    // receiver that comes back is found within `maxRetryMs` at the latest.
    online_ = failure_.problem != Problem::NoConnection && failure_.problem != Problem::TimedOut &&
              failure_.problem != Problem::Interrupted;
    if (online_)
        contact();
    retryMs_ = retryMs_ ? std::min(retryMs_ * 2, timing_.maxRetryMs) : timing_.firstRetryMs;
    std::uniform_int_distribution<int> wait(retryMs_ * 3 / 4, retryMs_);
    schedule(again_ ? 0 : wait(jitter_)); // a sheet just queued is tried once at once
    again_ = false;
    setPhase(Waiting);
    emit finished(false);
}

QString SyncService::queueText() const {
    int n = queueDepth();
    if (n > 0)
        return tr("%n sheet(s) waiting to be sent", "", n);
    return store_.outbox().all().empty() ? tr("No sheet finalized yet")
                                         : tr("Every finalized sheet has been sent");
}

QString SyncService::statusText() const {
    switch (phase_) {
    case Probing:
        return tr("Looking for the receiver...");
    case Sending:
        return tr("Sending...");
    case Waiting:
    case Stopped:
        if (failure_.problem == Problem::NoConnection && queueDepth() == 0)
            return tr("No connection to the receiver. Nothing is waiting to be sent.");
        return problemText();
    case Idle:
        if (!haveResult_)
            return {};
        if (conflicts_ + rejected_ == 0)
            return accepted_ == 0
                       ? tr("Connected to the receiver.")
                       : tr("Connected. %n sheet(s) accepted in the last sync.", "", accepted_);
        return tr("Connected. Last sync: %1 accepted, %2 in conflict, %3 rejected - see the "
                  "outbox.")
            .arg(accepted_)
            .arg(conflicts_)
            .arg(rejected_);
    }
    return {};
}

int SyncService::secondsToNextTry() const {
    if (!nextAt_.isValid())
        return -1;
    auto ms = QDateTime::currentDateTimeUtc().msecsTo(nextAt_);
    return static_cast<int>(std::max<qint64>(0, (ms + 999) / 1000));
}

QString SyncService::nextTryText() const {
    if (phase_ != Waiting || !nextAt_.isValid())
        return {};
    return tr("Next try at %1 (in %n s)", "", secondsToNextTry()).arg(clock_.time(nextAt_, true));
}

QString SyncService::lastContactTime() const {
    return lastContactAt_.isValid() ? clock_.time(lastContactAt_) : QString();
}

QString SyncService::lastSyncText() const {
    return lastContactAt_.isValid() ? tr("Last contact %1").arg(clock_.time(lastContactAt_))
                                    : QString();
}

} // namespace rekap::tablet
