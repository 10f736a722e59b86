#pragma once
// The camat's view of the kecamatan: every TPS with where it stands (partial when only some of
// its sheets are in), its sheets one by one, counts per state for the filters, and what went
// wrong with the last refresh. Offline it shows the last state fetched, and when.

#include <QAbstractListModel>
#include <QQmlEngine>
#include <QSortFilterProxyModel>

#include "error_text.h"
#include "regency_clock.h"
#include "rekap/sync/store/file.h"
#include "settings.h"
#include "states.h"

namespace rekap::tablet {

class SyncWorker;

/// The TPS of one state only (or all, with status -1).
class TpsFilter : public QSortFilterProxyModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("made by CamatModel")
    Q_PROPERTY(int status READ status WRITE setStatus NOTIFY statusChanged)
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    int status() const { return status_; }
    void setStatus(int s);
signals:
    void statusChanged();

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    int status_ = -1;
};

class CamatModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(TpsFilter* filtered READ filtered CONSTANT)
    Q_PROPERTY(QVariantList filters READ filters NOTIFY summaryChanged)
    Q_PROPERTY(QString fetchedAt READ fetchedAt NOTIFY summaryChanged)
    Q_PROPERTY(bool refreshing READ refreshing NOTIFY refreshingChanged)
    Q_PROPERTY(int problem READ problem NOTIFY summaryChanged)
    Q_PROPERTY(QString problemText READ problemText NOTIFY summaryChanged)
public:
    enum Role {
        TpsRole = Qt::UserRole + 1,
        NameRole,
        DesaRole,
        StatusRole,
        StatusKeyRole,
        LabelRole,
        ReceivedRole, ///< sheets accepted
        ExpectedRole, ///< sheets the TPS should send
        QueueRole,    ///< revisions its devices report still queued
        LastSeenRole,
        SheetsRole,   ///< [{contest, name, status, statusLabel, sendBack, sendBackBy,
                      ///< sendBackAnswered, rejection}] for each expected sheet
        SendBackRole, ///< the reasons of the marks that wait ("perlu perbaikan"), "" for none
    };
    /// One sheet of a TPS: its state, the desk's "perlu perbaikan" (reason, who, answered) and,
    /// when rejected, the rule and message of its latest revision.
    struct SheetLine {
        QString contest;
        SheetState status = SheetState::NotReceived;
        QString sendBack, sendBackBy;
        bool sendBackAnswered = false;
        QString rejectionId, rejectionEn; ///< "R2: <message>" for each error, one per line
        bool operator==(const SheetLine&) const = default;
    };
    struct Row {
        QString tps, name, desa;
        SheetState status = SheetState::NotReceived;
        int received = 0, expected = 0, queue = 0;
        QString lastSeen; ///< ISO text from the receiver
        std::vector<SheetLine> sheets;
        bool operator==(const Row&) const = default;
    };

    CamatModel(sync::DeviceFile& store, SyncWorker& worker, Settings& settings,
               QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    TpsFilter* filtered() { return &filtered_; }
    QVariantList filters() const;
    QString fetchedAt() const;
    bool refreshing() const { return refreshing_; }
    int problem() const { return failure_.problem; }
    QString problemText() const;

    Q_INVOKABLE void refresh();
    /// A TPS's row by code, for the detail page and tests: {tps, name, statusKey, sheets, ...}.
    Q_INVOKABLE QVariantMap tps(const QString& code) const;
    /// Re-reads the last state kept in the store (after enrolment, at start-up).
    Q_INVOKABLE void reload();

signals:
    void summaryChanged();
    void refreshingChanged();
    void refreshed(bool ok);

private:
    std::vector<Row> parse(const QByteArray& json) const;
    void apply(std::vector<Row> fresh);
    QVariant sheetsOf(const Row& r) const;

    sync::DeviceFile& store_;
    SyncWorker& worker_;
    Settings& settings_;
    RegencyClock clock_;
    TpsFilter filtered_;
    std::vector<Row> rows_;
    bool refreshing_ = false;
    Failure failure_;
};

} // namespace rekap::tablet
