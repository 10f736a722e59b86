#include "app_controller.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include "rekap/json_reader.h"
#include "rekap/sheet_codec.h"

namespace rekap::tablet {

namespace {
/// "2024-02-14T10:06:00Z" -> "14-02 18.06 WITA": the operator reads times in the regency's zone.
QString localTime(const QString& iso, const std::shared_ptr<const Regency>& reg) {
    auto t = QDateTime::fromString(iso, Qt::ISODate);
    if (!t.isValid() || !reg)
        return iso;
    auto tz = reg->timeZone;
    auto local = t.toUTC().addSecs(static_cast<int>(utcOffset(tz).count()) * 3600);
    return local.toString("dd-MM HH.mm ") + QString::fromStdString(std::string(timeZoneName(tz)));
}

constexpr int kFastProbeMs = 15000;     // while the receiver answers
constexpr int kSlowestProbeMs = 300000; // back-off ceiling without signal: 5 minutes
} // namespace

AppController::AppController(sync::DeviceStore& store, sync::SyncOptions options, QObject* parent)
    : QObject(parent)
    , store_(store)
    , worker_(new SyncWorker(store, std::move(options))) {
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &SyncWorker::enrolled, this, [this](bool ok, const QString& message) {
        setBusy(false);
        reachable_ = ok; // it just answered
        emit syncStateChanged();
        emit enrolmentChanged();
        emit outboxChanged();
        emit enrolFinished(ok, message);
        if (ok)
            startAutoSync();
    });
    connect(worker_, &SyncWorker::progress, this,
            [this](const QString&, double fraction, const QString& text) {
                progress_ = fraction;
                syncMessage_ = text;
                emit syncStateChanged();
                emit outboxChanged();
            });
    connect(worker_, &SyncWorker::synced, this, &AppController::onSynced);
    connect(worker_, &SyncWorker::statusFetched, this,
            [this](bool ok, const QString& json, const QString& message) {
                setBusy(false);
                if (ok) {
                    // Kept, so that offline the camat still sees the last state and its time.
                    store_.setPreference("camat_status", json.toStdString());
                    store_.setPreference(
                        "camat_status_at",
                        QDateTime::currentDateTime().toString("dd-MM-yyyy HH.mm").toStdString());
                }
                emit statusChanged();
                emit statusRefreshed(ok, message);
            });
    thread_.start();
    autoSync_.setSingleShot(true);
    connect(&autoSync_, &QTimer::timeout, this, [this] { startSync(true); });
    auto lang = QString::fromStdString(store_.preference("language"));
    if (!lang.isEmpty())
        language_ = lang;
}

AppController::~AppController() {
    worker_->cancel();
    thread_.quit();
    thread_.wait();
}

bool AppController::enrolled() const {
    return store_.enrolment().has_value();
}
bool AppController::camat() const {
    auto e = store_.enrolment();
    return e && e->role == protocol::Role::Camat;
}
QString AppController::scope() const {
    auto e = store_.enrolment();
    return e ? QString::fromStdString(e->scope) : QString();
}
QString AppController::scopeName() const {
    auto reg = store_.regency();
    auto e = store_.enrolment();
    if (!reg || !e)
        return {};
    auto code = AreaCode::parse(e->scope);
    auto name = reg->areaName(code);
    if (code.level() == AreaLevel::Tps)
        name = reg->areaName(*code.parent()) + ", " + name;
    return QString::fromStdString(name);
}
QString AppController::device() const {
    auto e = store_.enrolment();
    return e ? QString::fromStdString(e->device) : QString();
}
QString AppController::server() const {
    auto e = store_.enrolment();
    return e ? QString::fromStdString(e->server) : QString();
}
QString AppController::regencyName() const {
    auto reg = store_.regency();
    return reg ? QString::fromStdString(reg->name) : QString();
}
QString AppController::operatorName() const {
    return QString::fromStdString(store_.preference("operator"));
}
void AppController::setOperatorName(const QString& n) {
    if (n == operatorName())
        return;
    store_.setPreference("operator", n.trimmed().toStdString());
    emit operatorNameChanged();
}
void AppController::setLanguage(const QString& l) {
    if (l == language_)
        return;
    language_ = l;
    store_.setPreference("language", l.toStdString());
    emit translationRequested(l);
    emit languageChanged();
    emit outboxChanged();
}

void AppController::setBusy(bool b) {
    if (b == busy_)
        return;
    busy_ = b;
    emit busyChanged();
}

QVariantList AppController::sheets() const {
    QVariantList out;
    auto reg = store_.regency();
    auto e = store_.enrolment();
    if (!reg || !e || e->role != protocol::Role::Operator)
        return out;
    const auto* tps = reg->findTps(AreaCode::parse(e->scope));
    if (!tps)
        return out;
    auto entries = store_.outbox();
    for (const auto& c : reg->contests) {
        if (!reg->ballotFor(*tps, c))
            continue;
        auto key = tps->code.str() + "/" + c.code;
        QString state = store_.draft(key) ? "draft" : "empty";
        for (const auto& en : entries) {
            if (en.revision.sheet.key() != key || en.fromDesk)
                continue;
            switch (en.state) {
            case sync::OutboxState::Queued:
                state = "queued";
                break;
            case sync::OutboxState::Sending:
                state = "sent";
                break;
            default:
                state = QString::fromStdString(std::string(sync::outboxStateName(en.state)));
            }
        }
        if (store_.draft(key) && state != "draft")
            state = "draft"; // a correction being typed
        out << QVariantMap{{"contest", QString::fromStdString(c.code)},
                           {"name", QString::fromStdString(c.name)},
                           {"state", state}};
    }
    return out;
}

QVariantList AppController::outbox() const {
    QVariantList out;
    auto reg = store_.regency();
    auto entries = store_.outbox();
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        const auto& e = *it;
        QStringList messages;
        for (const auto& f : e.findings)
            messages << QString::fromStdString(f.rule + ": " +
                                               (language_ == "en" ? f.messageEn : f.messageId));
        if (!e.error.empty())
            messages << QString::fromStdString(e.error);
        const auto* c = reg ? reg->findContest(e.revision.sheet.contest) : nullptr;
        out << QVariantMap{
            {"id", QString::fromStdString(e.revision.id)},
            {"contest", QString::fromStdString(c ? c->name : e.revision.sheet.contest)},
            {"state", QString::fromStdString(std::string(sync::outboxStateName(e.state)))},
            {"capturedAt", localTime(QString::fromStdString(e.revision.capturedAt), reg)},
            {"reason", QString::fromStdString(e.revision.reason)},
            {"fromDesk", e.fromDesk},
            {"messages", messages}};
    }
    return out;
}

SheetEditor* AppController::openSheet(const QString& contestCode) {
    auto reg = store_.regency();
    auto e = store_.enrolment();
    if (!reg || !e)
        return nullptr;
    const auto* tps = reg->findTps(AreaCode::parse(e->scope));
    const auto* contest = reg->findContest(contestCode.toStdString());
    if (!tps || !contest || !reg->ballotFor(*tps, *contest))
        return nullptr;
    auto key = tps->code.str() + "/" + contest->code;
    auto head = store_.head(key);
    Sheet sheet = blankSheet(tps->code, *reg->ballotFor(*tps, *contest));
    sheet.voters.dpt = {tps->dptL, tps->dptP,
                        tps->dpt()}; // I.A as the DPT says; the KPPS checks it
    if (auto draft = store_.draft(key)) {
        try {
            sheet = decodeSheet(*draft, *reg);
        } catch (const std::exception&) {
            // A draft from older master data: start again from the blank sheet.
        }
    } else if (head) {
        if (auto entry = store_.entry(*head))
            sheet = entry->revision.sheet;
    }
    // The editor belongs to the page that shows it: QML owns it and frees it with the page.
    auto* editor = new SheetEditor(store_, sheet, head.has_value(), nullptr);
    QQmlEngine::setObjectOwnership(editor, QQmlEngine::JavaScriptOwnership);
    editor->setEnglish(language_ == "en");
    connect(this, &AppController::languageChanged, editor,
            [this, editor] { editor->setEnglish(language_ == "en"); });
    connect(editor, &SheetEditor::changed, this, &AppController::outboxChanged);
    connect(editor, &SheetEditor::finalized, this, [this] {
        emit outboxChanged();
        startSync(true); // try at once; stays queued without signal
    });
    return editor;
}

void AppController::enrol(const QString& server, const QString& code, const QString& deviceName) {
    setBusy(true);
    QMetaObject::invokeMethod(worker_, [=, this] { worker_->enrol(server, code, deviceName); });
}

void AppController::syncNow() {
    startSync(false);
}

void AppController::startAutoSync(int firstDelayMs) {
    if (enrolled())
        autoSync_.start(firstDelayMs);
}

void AppController::startSync(bool probeFirst) {
    if (syncing_ || !enrolled())
        return;
    autoSync_.stop();
    syncing_ = true;
    progress_ = 0;
    emit syncStateChanged();
    QMetaObject::invokeMethod(worker_, [=, this] { worker_->syncOnce(probeFirst); });
}

void AppController::onSynced(bool ok, bool reached, const QString& message) {
    syncing_ = false;
    reachable_ = reached;
    syncMessage_ = message;
    if (ok) {
        progress_ = 1;
        lastSync_ = QDateTime::currentDateTime().toString("HH.mm");
    }
    // Back off while there is no signal; come back quickly once there is.
    backoffMs_ = reached ? kFastProbeMs : std::min(backoffMs_ * 2, kSlowestProbeMs);
    autoSync_.start(backoffMs_);
    emit syncStateChanged();
    emit outboxChanged();
    emit syncFinished(ok, message);
    if (ok && camat())
        refreshStatus();
}

void AppController::refreshStatus() {
    if (!camat())
        return;
    setBusy(true);
    auto area = scope();
    QMetaObject::invokeMethod(worker_, [=, this] { worker_->fetchStatus(area); });
}

void AppController::setStatusFilter(const QString& f) {
    if (f == statusFilter_)
        return;
    statusFilter_ = f;
    emit statusChanged();
}

QVariantList AppController::statusGroups() const {
    QVariantList out;
    auto text = store_.preference("camat_status");
    if (text.empty())
        return out;
    auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
    auto reg = store_.regency();
    for (const auto& d : doc["desa"].toArray()) {
        auto desa = d.toObject();
        QVariantList tps;
        for (const auto& t : desa["tps"].toArray()) {
            auto o = t.toObject();
            if (!statusFilter_.isEmpty() && o["status"].toString() != statusFilter_)
                continue;
            QString lastSeen, queued;
            int queue = 0;
            for (const auto& dev : o["devices"].toArray()) {
                auto dv = dev.toObject();
                lastSeen = std::max(lastSeen, dv["last_seen_at"].toString());
                queue += dv["queue_depth"].toInt();
            }
            tps << QVariantMap{
                {"tps", o["tps"].toString()},
                {"name", o["name"].toString()},
                {"status", o["status"].toString()},
                {"sheets", o["contests"].toObject().size()},
                {"expected", o["expected_contests"].toInt()},
                {"queue", queue},
                {"lastSeen", lastSeen.isEmpty() ? lastSeen : localTime(lastSeen, reg)}};
        }
        if (!tps.isEmpty())
            out << QVariantMap{{"desa", desa["name"].toString()}, {"tps", tps}};
    }
    return out;
}

QString AppController::statusFetchedAt() const {
    return QString::fromStdString(store_.preference("camat_status_at"));
}

} // namespace rekap::tablet
