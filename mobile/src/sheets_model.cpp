#include "sheets_model.h"

#include "sheet_editor.h"
#include "store_events.h"
#include "sync_service.h"

namespace rekap::tablet {

SheetsModel::SheetsModel(sync::DeviceFile& store, StoreEvents& events, Settings& settings,
                         SyncService& sync, QObject* parent)
    : QAbstractListModel(parent)
    , store_(store)
    , events_(events)
    , settings_(settings)
    , sync_(sync) {
    connect(&events, &StoreEvents::changed, this, &SheetsModel::refresh);
    // The labels follow the language, and so do the contests' names (a Pilkada file names
    // them in English too).
    connect(&settings, &Settings::languageChanged, this, &SheetsModel::refresh);
    connect(&settings, &Settings::languageChanged, this, [this] {
        if (!rows_.empty())
            emit dataChanged(index(0), index(count() - 1), {LabelRole, NameRole});
    });
    refresh();
}

std::vector<SheetsModel::Row> SheetsModel::read() const {
    std::vector<Row> out;
    auto reg = store_.masterData().regency();
    auto e = store_.identity().enrolment();
    if (!reg || !e || e->role != protocol::Role::Operator)
        return out;
    const auto* tps = reg->findTps(AreaCode::parse(e->scope));
    if (!tps)
        return out;
    auto entries = store_.outbox().all();
    for (const auto& c : reg->contests) {
        if (!reg->ballotFor(*tps, c))
            continue;
        auto key = tps->code.str() + "/" + c.code;
        const auto& name = settings_.english() && !c.nameEn.empty() ? c.nameEn : c.name;
        Row row;
        row.contest = QString::fromStdString(c.code);
        row.name = QString::fromStdString(name);
        // The newest revision of the operator's own says where the sheet stands; a desk
        // resolution of it counts as the receiver's answer.
        for (const auto& en : entries) {
            if (en.revision.sheet.key() != key)
                continue;
            row.status = en.decision ? SheetState::Accepted : en.state;
            if (!en.decision)
                row.noPhoto = !en.revision.photo.has_value() &&
                              store_.attachments().of(en.revision.id).empty();
            if (auto r = en.decision ? std::nullopt : store_.receipts().of(en.revision.id))
                row.receipt = QString::fromStdString(r->code);
        }
        if (auto mark = store_.sendBacks().of(key); mark && !mark->answered) {
            row.sendBack = QString::fromStdString(mark->reason);
            row.sendBackBy = QString::fromStdString(mark->by);
        }
        if (store_.drafts().of(key))
            row.status = SheetState::Draft; // a first sheet or a correction being typed
        out.push_back(std::move(row));
    }
    return out;
}

void SheetsModel::refresh() {
    auto fresh = read();
    bool sameSet = fresh.size() == rows_.size() &&
                   std::equal(fresh.begin(), fresh.end(), rows_.begin(),
                              [](const Row& a, const Row& b) { return a.contest == b.contest; });
    if (!sameSet) {
        beginResetModel();
        rows_ = std::move(fresh);
        endResetModel();
        emit countChanged();
        return;
    }
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        if (rows_[i] == fresh[i])
            continue;
        rows_[i] = fresh[i];
        auto at = index(static_cast<int>(i));
        emit dataChanged(at, at,
                         {StatusRole, StatusKeyRole, LabelRole, ReceiptRole, NoPhotoRole,
                          SendBackRole, SendBackByRole});
    }
}

int SheetsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant SheetsModel::data(const QModelIndex& index, int role) const {
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const auto& r = rows_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case ContestRole:
        return r.contest;
    case NameRole:
        return r.name;
    case StatusRole:
        return qmlState(r.status);
    case StatusKeyRole:
        return stateKey(r.status);
    case LabelRole:
        return sheetStateLabel(r.status);
    case ReceiptRole:
        return r.receipt;
    case NoPhotoRole:
        return r.noPhoto;
    case SendBackRole:
        return r.sendBack;
    case SendBackByRole:
        return r.sendBackBy;
    default:
        return {};
    }
}

QHash<int, QByteArray> SheetsModel::roleNames() const {
    return {
        {ContestRole, "contest"},     {NameRole, "name"},         {StatusRole, "status"},
        {StatusKeyRole, "statusKey"}, {LabelRole, "statusLabel"}, {ReceiptRole, "receipt"},
        {NoPhotoRole, "noPhoto"},     {SendBackRole, "sendBack"}, {SendBackByRole, "sendBackBy"}};
}

QString SheetsModel::statusKey(const QString& contest) const {
    for (const auto& r : rows_)
        if (r.contest == contest)
            return stateKey(r.status);
    return {};
}

QString SheetsModel::receipt(const QString& contest) const {
    for (const auto& r : rows_)
        if (r.contest == contest)
            return r.receipt;
    return {};
}

bool SheetsModel::noPhoto(const QString& contest) const {
    for (const auto& r : rows_)
        if (r.contest == contest)
            return r.noPhoto;
    return false;
}

QString SheetsModel::sendBack(const QString& contest) const {
    for (const auto& r : rows_)
        if (r.contest == contest)
            return r.sendBack;
    return {};
}

SheetEditor* SheetsModel::open(const QString& contest) {
    auto* editor = SheetEditor::open(store_, contest, settings_);
    if (!editor)
        return nullptr;
    QQmlEngine::setObjectOwnership(editor, QQmlEngine::JavaScriptOwnership);
    connect(editor, &SheetEditor::draftSaved, &events_, &StoreEvents::notify);
    connect(editor, &SheetEditor::finalized, this, [this] {
        events_.notify();
        sync_.kick(); // try at once; stays queued without signal
    });
    connect(editor, &SheetEditor::photoAttached, this, [this] {
        events_.notify();
        sync_.kick();
    });
    // A sync's answers (a photo attached later now received) show on the open sheet.
    connect(&events_, &StoreEvents::changed, editor, &SheetEditor::storeChanged);
    return editor;
}

} // namespace rekap::tablet
