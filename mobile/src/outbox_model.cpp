#include "outbox_model.h"

#include "store_events.h"

namespace rekap::tablet {

OutboxModel::OutboxModel(sync::DeviceFile& store, StoreEvents& events, Settings& settings,
                         QObject* parent)
    : QAbstractListModel(parent)
    , store_(store)
    , settings_(settings)
    , clock_(store) {
    connect(&events, &StoreEvents::changed, this, &OutboxModel::refresh);
    connect(&settings, &Settings::languageChanged, this, [this] {
        if (!entries_.empty())
            emit dataChanged(index(0), index(count() - 1), {LabelRole, MessagesRole});
    });
    refresh();
}

void OutboxModel::refresh() {
    auto all = store_.outbox().all();
    std::vector<sync::OutboxEntry> fresh(all.rbegin(), all.rend());
    // The outbox only grows, at its newest end: what is new goes in at the top.
    auto known =
        entries_.empty()
            ? fresh.size()
            : static_cast<std::size_t>(std::find_if(fresh.begin(), fresh.end(),
                                                    [&](const sync::OutboxEntry& e) {
                                                        return e.seq == entries_.front().seq;
                                                    }) -
                                       fresh.begin());
    if (known > fresh.size() || fresh.size() - known != entries_.size()) {
        beginResetModel(); // another store, or something removed: start over
        entries_ = std::move(fresh);
        endResetModel();
        emit countChanged();
        return;
    }
    if (known > 0) {
        beginInsertRows({}, 0, static_cast<int>(known) - 1);
        entries_.insert(entries_.begin(), fresh.begin(),
                        fresh.begin() + static_cast<std::ptrdiff_t>(known));
        endInsertRows();
        emit countChanged();
    }
    for (std::size_t i = known; i < fresh.size(); ++i) {
        auto& old = entries_[i];
        const auto& now = fresh[i];
        if (old.state == now.state && old.error == now.error &&
            old.findings.size() == now.findings.size())
            continue;
        old = now;
        auto at = index(static_cast<int>(i));
        emit dataChanged(at, at);
    }
}

int OutboxModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QStringList OutboxModel::messages(const sync::OutboxEntry& e) const {
    QStringList out;
    for (const auto& f : e.findings)
        out << QString::fromStdString(f.rule + ": " +
                                      (settings_.english() ? f.messageEn : f.messageId));
    // The receiver's own words: a generic sentence leaves nobody knowing what to change.
    if (!e.error.empty() && e.findings.empty())
        out << tr("The receiver refused this sheet: %1. Make a correction, or call the desk.")
                   .arg(QString::fromStdString(e.error));
    return out;
}

QVariant OutboxModel::data(const QModelIndex& index, int role) const {
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const auto& e = entries_[static_cast<std::size_t>(index.row())];
    auto reg = store_.masterData().regency();
    switch (role) {
    case IdRole:
        return QString::fromStdString(e.revision.id);
    case ContestRole: {
        const auto* c = reg ? reg->findContest(e.revision.sheet.contest) : nullptr;
        return QString::fromStdString(c ? c->name : e.revision.sheet.contest);
    }
    case StatusRole:
        return qmlState(e.state);
    case StatusKeyRole:
        return stateKey(e.state);
    case LabelRole:
        return sheetStateLabel(e.state);
    case CapturedAtRole:
        return clock_.dateTime(QString::fromStdString(e.revision.capturedAt));
    case ReasonRole:
        return QString::fromStdString(e.revision.reason);
    case DecisionRole:
        return e.decision;
    case MessagesRole:
        return messages(e);
    case CorrectionRole:
        return e.revision.parent.has_value();
    default:
        return {};
    }
}

QHash<int, QByteArray> OutboxModel::roleNames() const {
    return {{IdRole, "revision"},       {ContestRole, "contest"},
            {StatusRole, "status"},     {StatusKeyRole, "statusKey"},
            {LabelRole, "statusLabel"}, {CapturedAtRole, "capturedAt"},
            {ReasonRole, "reason"},     {DecisionRole, "decision"},
            {MessagesRole, "messages"}, {CorrectionRole, "correction"}};
}

QVariant OutboxModel::get(int row, const QString& role) const {
    if (row < 0 || row >= count())
        return {};
    return data(index(row), roleNames().key(role.toUtf8()));
}

} // namespace rekap::tablet
