#include "relay_inbox.h"

#include "rekap/error.h"
#include "states.h"
#include "store_events.h"

namespace rekap::tablet {

RelayInbox::RelayInbox(sync::DeviceFile& store, StoreEvents& events, QObject* parent)
    : QAbstractListModel(parent)
    , store_(store) {
    connect(&events, &StoreEvents::changed, this, &RelayInbox::refresh);
    refresh();
}

int RelayInbox::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

int RelayInbox::queued() const {
    return static_cast<int>(std::count_if(
        rows_.begin(), rows_.end(), [](const auto& r) { return r.state == SheetState::Queued; }));
}

QVariant RelayInbox::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= count())
        return {};
    const auto& r = rows_[static_cast<std::size_t>(index.row())];
    auto slash = r.sheet.find('/');
    auto contestCode = slash == std::string::npos ? std::string() : r.sheet.substr(slash + 1);
    switch (role) {
    case IdRole:
        return QString::fromStdString(r.id);
    case TpsRole:
        return QString::fromStdString(r.sheet.substr(0, slash));
    case ContestRole: {
        auto reg = store_.masterData().regency();
        const auto* c = reg ? reg->findContest(contestCode) : nullptr;
        return QString::fromStdString(c ? c->name : contestCode);
    }
    case StatusRole: // refused shows as rejected: nothing of it counts
        return qmlState(r.state == SheetState::Refused ? SheetState::Rejected : r.state);
    case StatusKeyRole:
        return stateKey(r.state);
    case LabelRole:
        if (r.state == SheetState::Queued)
            return tr("Waiting to be forwarded");
        if (r.state == SheetState::Refused)
            return tr("Refused by the receiver");
        return sheetStateLabel(r.state);
    case ErrorRole:
        return QString::fromStdString(r.error);
    }
    return {};
}

QHash<int, QByteArray> RelayInbox::roleNames() const {
    return {{IdRole, "revision"},         {TpsRole, "tps"},
            {ContestRole, "contest"},     {StatusRole, "status"},
            {StatusKeyRole, "statusKey"}, {LabelRole, "label"},
            {ErrorRole, "error"}};
}

QVariant RelayInbox::get(int row, const QString& role) const {
    auto names = roleNames();
    for (auto it = names.begin(); it != names.end(); ++it)
        if (it.value() == role.toUtf8())
            return data(index(row), it.key());
    return {};
}

bool RelayInbox::scan(const QString& text) {
    bool kept = false;
    try {
        scan_ = store_.relay().addCode(text.toStdString());
        kept = true;
        error_ = false;
        QString where = tr("Code %1 of %2").arg(scan_.number).arg(scan_.count);
        if (scan_.repeated)
            message_ = tr("%1 was scanned already.").arg(where);
        else if (scan_.added > 0)
            message_ = tr("%1 read: %n sheet(s) received.", "", scan_.added).arg(where);
        else
            message_ = tr("%1 read.").arg(where);
        if (!scan_.missing.empty()) {
            QStringList missing;
            for (int n : scan_.missing)
                missing << QString::number(n);
            message_ += " " + tr("Still to scan: %1.").arg(missing.join(", "));
        } else {
            message_ += " " + tr("All codes of this tablet are read.");
        }
    } catch (const DecodeError& e) {
        error_ = true;
        message_ = text.startsWith(QString::fromLatin1(sync::relay::kPrefix.data(),
                                                       sync::relay::kPrefix.size()))
                       ? tr("This code could not be read whole. Scan it again.")
                       : tr("This is not a Rekap relay code. Scan the codes the operator's "
                            "tablet shows under \"Send by QR\".");
    } catch (const std::exception& e) {
        error_ = true;
        message_ = tr("Sync this tablet once before relaying.");
    }
    emit scanned();
    refresh();
    if (kept && scan_.added > 0)
        emit forwardWanted();
    return kept;
}

void RelayInbox::refresh() {
    auto rows = store_.relay().relayed();
    // Rows are only ever appended (oldest first); what changes in place is their state.
    const std::size_t known = std::min(rows.size(), rows_.size());
    for (std::size_t i = 0; i < known; ++i)
        if (rows[i].state != rows_[i].state || rows[i].error != rows_[i].error) {
            rows_[i] = rows[i];
            emit dataChanged(index(static_cast<int>(i)), index(static_cast<int>(i)));
        }
    if (rows.size() > rows_.size()) {
        beginInsertRows({}, count(), static_cast<int>(rows.size()) - 1);
        rows_.insert(rows_.end(), rows.begin() + static_cast<std::ptrdiff_t>(known), rows.end());
        endInsertRows();
    }
    emit countChanged(); // queued may have changed
}

} // namespace rekap::tablet
