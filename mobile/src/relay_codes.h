#pragma once
// The operator's side of the QR relay (docs/relay.md): the tablet's queued revisions as a
// numbered series of QR codes, for a camat's tablet to scan and forward when this one has no
// signal. The revisions stay queued here; the next sync learns what became of them.

#include <QObject>
#include <QQmlEngine>
#include <QStringList>

#include "rekap/sync/store/file.h"

namespace rekap::tablet {

class StoreEvents;

class RelayCodes : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(QStringList codes READ codes NOTIFY changed)
    Q_PROPERTY(int count READ count NOTIFY changed)
    Q_PROPERTY(int sheets READ sheets NOTIFY changed)
    Q_PROPERTY(QString problemText READ problemText NOTIFY changed)
public:
    RelayCodes(sync::DeviceFile& store, StoreEvents& events, QObject* parent = nullptr);
    QStringList codes() const { return codes_; }
    int count() const { return static_cast<int>(codes_.size()); }
    int sheets() const { return sheets_; } ///< revisions the codes carry
    QString problemText() const { return problem_; }
    /// Re-reads the queue; the same queue gives the same series.
    Q_INVOKABLE void refresh();

signals:
    void changed();

private:
    sync::DeviceFile& store_;
    QStringList codes_;
    int sheets_ = 0;
    QString problem_;
};

} // namespace rekap::tablet
