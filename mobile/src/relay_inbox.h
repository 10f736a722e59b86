#pragma once
// The carrying side of the QR relay (docs/relay.md), on the camat's tablet: the codes scanned
// from operators' tablets, and the sheets they carried with what the receiver answered for
// each. Forwarding is part of every sync; a scan that completes sheets asks for one soon.

#include <QAbstractListModel>
#include <QQmlEngine>

#include "rekap/sync/store/file.h"

namespace rekap::tablet {

class StoreEvents;

class RelayInbox : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int queued READ queued NOTIFY countChanged)
    Q_PROPERTY(QString message READ message NOTIFY scanned)
    Q_PROPERTY(bool messageIsError READ messageIsError NOTIFY scanned)
    Q_PROPERTY(int scannedCodes READ scannedCodes NOTIFY scanned)
    Q_PROPERTY(int seriesCodes READ seriesCodes NOTIFY scanned)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TpsRole,
        ContestRole,
        StatusRole, ///< SheetState: queued, or the receiver's answer (refused as rejected)
        StatusKeyRole,
        LabelRole,
        ErrorRole,
    };

    RelayInbox(sync::DeviceFile& store, StoreEvents& events, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(rows_.size()); }
    int queued() const;
    QString message() const { return message_; }
    bool messageIsError() const { return error_; }
    int scannedCodes() const { return scan_.scanned; }
    int seriesCodes() const { return scan_.count; }

    /// One code read by the camera. True when it was a relay code kept (new or repeated).
    Q_INVOKABLE bool scan(const QString& text);
    /// A row's value by role name, for tests: get(0, "statusKey").
    Q_INVOKABLE QVariant get(int row, const QString& role) const;
    Q_INVOKABLE void refresh();

signals:
    void countChanged();
    void scanned();
    /// Sheets were completed and wait to be forwarded.
    void forwardWanted();

private:
    sync::DeviceFile& store_;
    std::vector<sync::RelayedRevision> rows_; ///< oldest first
    sync::RelayScan scan_;
    QString message_;
    bool error_ = false;
};

} // namespace rekap::tablet
