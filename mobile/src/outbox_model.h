#pragma once
// The outbox: every finalized revision of this tablet, newest first, with where it stands and
// what the receiver said. New revisions are inserted at the top and changed ones updated in
// place, so a list scrolled to an entry stays there through a sync.

#include <QAbstractListModel>
#include <QQmlEngine>

#include "regency_clock.h"
#include "rekap/sync/store/file.h"
#include "settings.h"
#include "states.h"

namespace rekap::tablet {

class StoreEvents;

class OutboxModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        ContestRole,
        StatusRole,
        StatusKeyRole,
        LabelRole,
        CapturedAtRole,
        ReasonRole,
        DecisionRole,
        MessagesRole,
        CorrectionRole,
    };

    OutboxModel(sync::DeviceFile& store, StoreEvents& events, Settings& settings,
                QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return static_cast<int>(entries_.size()); }
    /// A row's value by role name, for tests: get(0, "statusKey").
    Q_INVOKABLE QVariant get(int row, const QString& role) const;
    Q_INVOKABLE void refresh();

signals:
    void countChanged();

private:
    QStringList messages(const sync::OutboxEntry& e) const;
    sync::DeviceFile& store_;
    Settings& settings_;
    RegencyClock clock_;
    std::vector<sync::OutboxEntry> entries_; ///< newest first
};

} // namespace rekap::tablet
