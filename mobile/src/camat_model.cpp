#include "camat_model.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "sync_worker.h"

namespace rekap::tablet {

void TpsFilter::setStatus(int s) {
    if (s == status_)
        return;
    status_ = s;
    invalidateFilter();
    emit statusChanged();
}

bool TpsFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
    if (status_ < 0)
        return true;
    auto i = sourceModel()->index(row, 0, parent);
    return sourceModel()->data(i, CamatModel::StatusRole).toInt() == status_;
}

CamatModel::CamatModel(sync::DeviceFile& store, SyncWorker& worker, Settings& settings,
                       QObject* parent)
    : QAbstractListModel(parent)
    , store_(store)
    , worker_(worker)
    , settings_(settings)
    , clock_(store) {
    filtered_.setSourceModel(this);
    filtered_.setDynamicSortFilter(true);
    connect(&worker_, &SyncWorker::statusFetched, this,
            [this](const QString& json, int problem, const QString& detail) {
                refreshing_ = false;
                emit refreshingChanged();
                failure_ = {static_cast<Problem::Value>(problem), detail};
                if (!failure_) {
                    // Kept, so that offline the camat still sees the last state and its time.
                    store_.preferences().set("camat_status", json.toStdString());
                    apply(parse(json.toUtf8()));
                }
                emit summaryChanged();
                emit refreshed(!failure_);
            });
    connect(&settings, &Settings::languageChanged, this, [this] {
        emit summaryChanged();
        if (!rows_.empty())
            emit dataChanged(index(0), index(rowCount() - 1), {LabelRole, SheetsRole});
    });
    reload();
}

void CamatModel::reload() {
    apply(parse(QByteArray::fromStdString(store_.preferences().get("camat_status"))));
    emit summaryChanged();
}

void CamatModel::refresh() {
    auto e = store_.identity().enrolment();
    if (!e || e->role != protocol::Role::Camat || refreshing_)
        return;
    refreshing_ = true;
    emit refreshingChanged();
    auto area = QString::fromStdString(e->scope);
    QMetaObject::invokeMethod(&worker_, [w = &worker_, area] { w->fetchStatus(area); });
}

std::vector<CamatModel::Row> CamatModel::parse(const QByteArray& json) const {
    std::vector<Row> out;
    auto reg = store_.masterData().regency();
    if (json.isEmpty() || !reg)
        return out;
    auto doc = QJsonDocument::fromJson(json).object();
    for (const auto& d : doc[QLatin1String("desa")].toArray()) {
        auto desa = d.toObject();
        for (const auto& t : desa[QLatin1String("tps")].toArray()) {
            auto o = t.toObject();
            Row r;
            r.tps = o[QLatin1String("tps")].toString();
            r.name = o[QLatin1String("name")].toString();
            r.desa = desa[QLatin1String("name")].toString();
            r.expected = o[QLatin1String("expected_contests")].toInt();
            auto states = o[QLatin1String("contests")].toObject();
            auto marks = o[QLatin1String("send_backs")].toObject(); // absent: an older receiver
            auto rejections = o[QLatin1String("rejections")].toObject();
            // Every sheet the TPS should send, in the regency's contest order.
            const auto* tps = reg->findTps(AreaCode::parse(r.tps.toStdString()));
            for (const auto& c : reg->contests) {
                if (!tps || !reg->ballotFor(*tps, c))
                    continue;
                auto code = QString::fromStdString(c.code);
                auto state = states[code].toString();
                auto s = stateOfKey(state, SheetState::NotReceived);
                if (s == SheetState::Accepted)
                    ++r.received;
                SheetLine line{code, s, {}, {}, false, {}, {}};
                if (auto m = marks[code].toObject(); !m.isEmpty()) {
                    line.sendBack = m[QLatin1String("reason")].toString();
                    line.sendBackBy = m[QLatin1String("by")].toString();
                    line.sendBackAnswered =
                        m[QLatin1String("state")].toString() == QLatin1String("answered");
                }
                if (s == SheetState::Rejected) {
                    QStringList id, en;
                    for (const auto& f : rejections[code].toArray()) {
                        auto fo = f.toObject();
                        if (fo[QLatin1String("severity")].toString() != QLatin1String("error"))
                            continue;
                        auto rule = fo[QLatin1String("rule")].toString() + QStringLiteral(": ");
                        id << rule + fo[QLatin1String("message_id")].toString();
                        en << rule + fo[QLatin1String("message_en")].toString();
                    }
                    line.rejectionId = id.join(QLatin1Char('\n'));
                    line.rejectionEn = en.join(QLatin1Char('\n'));
                }
                r.sheets.push_back(std::move(line));
            }
            for (const auto& dev : o[QLatin1String("devices")].toArray()) {
                auto dv = dev.toObject();
                r.lastSeen = std::max(r.lastSeen, dv[QLatin1String("last_seen_at")].toString());
                r.queue += dv[QLatin1String("queue_depth")].toInt();
            }
            r.status = tpsStateOf(o[QLatin1String("status")].toString(), r.received, r.expected);
            out.push_back(std::move(r));
        }
    }
    return out;
}

void CamatModel::apply(std::vector<Row> fresh) {
    bool sameSet = fresh.size() == rows_.size() &&
                   std::equal(fresh.begin(), fresh.end(), rows_.begin(),
                              [](const Row& a, const Row& b) { return a.tps == b.tps; });
    if (!sameSet) {
        beginResetModel();
        rows_ = std::move(fresh);
        endResetModel();
        return;
    }
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        if (rows_[i] == fresh[i])
            continue;
        rows_[i] = std::move(fresh[i]);
        auto at = index(static_cast<int>(i));
        emit dataChanged(at, at);
    }
}

int CamatModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant CamatModel::sheetsOf(const Row& r) const {
    QVariantList out;
    auto reg = store_.masterData().regency();
    for (const auto& l : r.sheets) {
        const auto* c = reg ? reg->findContest(l.contest.toStdString()) : nullptr;
        auto s = l.status;
        out << QVariantMap{
            {QStringLiteral("contest"), l.contest},
            {QStringLiteral("name"), c ? QString::fromStdString(c->name) : l.contest},
            {QStringLiteral("status"), qmlState(s)},
            {QStringLiteral("statusKey"), stateKey(s)},
            {QStringLiteral("statusLabel"), sheetStateLabel(s)},
            {QStringLiteral("sendBack"), l.sendBack},
            {QStringLiteral("sendBackBy"), l.sendBackBy},
            {QStringLiteral("sendBackAnswered"), l.sendBackAnswered},
            {QStringLiteral("rejection"),
             settings_.language() == QLatin1String("en") ? l.rejectionEn : l.rejectionId}};
    }
    return out;
}

QVariant CamatModel::data(const QModelIndex& index, int role) const {
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const auto& r = rows_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case TpsRole:
        return r.tps;
    case NameRole:
        return r.name;
    case DesaRole:
        return r.desa;
    case StatusRole:
        return qmlState(r.status);
    case StatusKeyRole:
        return stateKey(r.status);
    case LabelRole:
        return tpsStateLabel(r.status);
    case ReceivedRole:
        return r.received;
    case ExpectedRole:
        return r.expected;
    case QueueRole:
        return r.queue;
    case LastSeenRole:
        return r.lastSeen.isEmpty() ? QString() : clock_.dateTime(r.lastSeen);
    case SendBackRole: {
        QStringList waiting;
        for (const auto& l : r.sheets)
            if (!l.sendBack.isEmpty() && !l.sendBackAnswered)
                waiting << l.sendBack;
        return waiting.join(QStringLiteral(" \u00b7 "));
    }
    case SheetsRole:
        return sheetsOf(r);
    default:
        return {};
    }
}

QHash<int, QByteArray> CamatModel::roleNames() const {
    return {{TpsRole, "tps"},           {NameRole, "name"},           {DesaRole, "desa"},
            {StatusRole, "status"},     {StatusKeyRole, "statusKey"}, {LabelRole, "statusLabel"},
            {ReceivedRole, "received"}, {ExpectedRole, "expected"},   {QueueRole, "queue"},
            {LastSeenRole, "lastSeen"}, {SheetsRole, "sheets"},       {SendBackRole, "sendBack"}};
}

QVariantList CamatModel::filters() const {
    std::map<int, int> counts;
    for (const auto& r : rows_)
        ++counts[qmlState(r.status)];
    QVariantList out{QVariantMap{{QStringLiteral("status"), -1},
                                 {QStringLiteral("label"), tr("All")},
                                 {QStringLiteral("count"), static_cast<int>(rows_.size())}}};
    for (auto s : {SheetState::NotReceived, SheetState::OnDevice, SheetState::Partial,
                   SheetState::Accepted, SheetState::Conflict, SheetState::Rejected})
        out << QVariantMap{{QStringLiteral("status"), qmlState(s)},
                           {QStringLiteral("key"), stateKey(s)},
                           {QStringLiteral("label"), tpsStateLabel(s)},
                           {QStringLiteral("count"), counts[qmlState(s)]}};
    return out;
}

QString CamatModel::problemText() const {
    switch (failure_.problem) {
    case Problem::NoConnection:
    case Problem::TimedOut:
    case Problem::Interrupted:
        // A camat's tablet sends nothing: what it lacks is the news, not a place in a queue.
        return tr("No connection to the receiver. Refresh again when there is signal.");
    default:
        return ErrorText::describe(failure_);
    }
}

QString CamatModel::fetchedAt() const {
    auto text = store_.preferences().get("camat_status");
    if (text.empty())
        return {};
    auto asOf = QJsonDocument::fromJson(QByteArray::fromStdString(text))
                    .object()[QLatin1String("as_of")]
                    .toString();
    return clock_.dateTime(asOf);
}

QVariantMap CamatModel::tps(const QString& code) const {
    for (int i = 0; i < rowCount(); ++i) {
        const auto& r = rows_[static_cast<std::size_t>(i)];
        if (r.tps != code)
            continue;
        QVariantMap out;
        auto names = roleNames();
        for (auto it = names.begin(); it != names.end(); ++it)
            out.insert(QString::fromUtf8(it.value()), data(index(i), it.key()));
        return out;
    }
    return {};
}

} // namespace rekap::tablet
