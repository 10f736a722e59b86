#pragma once
// The operator's overview: one row per sheet of the TPS (one per contest it receives), with its
// state. Rows are updated one by one as the store changes, never rebuilt under the view.

#include <QAbstractListModel>
#include <QQmlEngine>

#include "rekap/sync/store/file.h"
#include "settings.h"
#include "sheet_editor.h"
#include "states.h"

namespace rekap::tablet {

class StoreEvents;
class SyncService;

class SheetsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        ContestRole = Qt::UserRole + 1,
        NameRole,
        StatusRole,
        StatusKeyRole,
        LabelRole,
        ReceiptRole,
        NoPhotoRole,
        SendBackRole,
        SendBackByRole
    };
    struct Row {
        QString contest;
        QString name;
        SheetState status = SheetState::Empty;
        /// The receiver's receipt of the operator's newest revision the ledger holds ("1234-
        /// 9f3a0c1e"), for the operator to note on the paper form; "" before one came back.
        QString receipt;
        /// The operator's newest finalized revision went without a plano photo ("foto
        /// menyusul"): the desk cannot check it until one comes.
        bool noPhoto = false;
        /// The desk sent the sheet back ("perlu perbaikan") and no correction has reached the
        /// receiver yet: the desk's reason and who sent it back ("" when no mark waits).
        QString sendBack;
        QString sendBackBy;
        bool operator==(const Row&) const = default;
    };

    SheetsModel(sync::DeviceFile& store, StoreEvents& events, Settings& settings, SyncService& sync,
                QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return static_cast<int>(rows_.size()); }

    /// An editor for the sheet of `contest`: its draft, its finalized numbers (read-only until
    /// a correction is started), or a new blank sheet. QML owns it.
    Q_INVOKABLE rekap::tablet::SheetEditor* open(const QString& contest);
    /// The state's key of a contest's sheet ("accepted"), for tests and scripts.
    Q_INVOKABLE QString statusKey(const QString& contest) const;
    /// The receipt code shown on a contest's card ("" without one), for tests and scripts.
    Q_INVOKABLE QString receipt(const QString& contest) const;
    /// Whether a contest's sheet was finalized without a photo, for tests and scripts.
    Q_INVOKABLE bool noPhoto(const QString& contest) const;
    /// The reason of the mark sending a contest's sheet back, "" when none waits (tests).
    Q_INVOKABLE QString sendBack(const QString& contest) const;
    /// Re-reads the store: rows whose state changed are updated; the set of rows is rebuilt
    /// only when the TPS or its contests changed (enrolment, new master data).
    Q_INVOKABLE void refresh();

signals:
    void countChanged();

private:
    std::vector<Row> read() const;
    sync::DeviceFile& store_;
    StoreEvents& events_;
    Settings& settings_;
    SyncService& sync_;
    std::vector<Row> rows_;
};

} // namespace rekap::tablet
