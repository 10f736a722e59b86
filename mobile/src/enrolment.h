#pragma once
// Enrolling the tablet once: the receiver's address and a one-time code, typed or read from the
// desk's QR code (rekap/enrolment_link.h); and who the tablet is once enrolled.

#include <QObject>
#include <QQmlEngine>

#include "error_text.h"
#include "rekap/sync/store/file.h"
#include "settings.h"

namespace rekap::tablet {

class SyncWorker;

class Enrolment : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    Q_PROPERTY(bool enrolled READ enrolled NOTIFY changed)
    Q_PROPERTY(bool camat READ camat NOTIFY changed)
    Q_PROPERTY(QString scope READ scope NOTIFY changed)
    Q_PROPERTY(QString scopeName READ scopeName NOTIFY changed)
    Q_PROPERTY(QString device READ device NOTIFY changed)
    Q_PROPERTY(QString server READ server NOTIFY changed)
    Q_PROPERTY(QString regencyName READ regencyName NOTIFY changed)
    Q_PROPERTY(QString electionName READ electionName NOTIFY changed)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(int problem READ problem NOTIFY problemChanged)
    Q_PROPERTY(QString problemText READ problemText NOTIFY problemChanged)
public:
    Enrolment(sync::DeviceFile& store, SyncWorker& worker, Settings& settings,
              QObject* parent = nullptr);

    bool enrolled() const;
    bool camat() const;
    QString scope() const;
    QString scopeName() const;
    QString device() const;
    QString server() const;
    QString regencyName() const;
    /// Which election the master data is for, with its voting day ("Pilkada Serentak 2024 ·
    /// 27-11-2024"), in the UI's language; "" when the regency file does not name one.
    QString electionName() const;
    bool busy() const { return busy_; }
    int problem() const { return failure_.problem; }
    QString problemText() const { return ErrorText::describe(failure_); }

    /// Enrols with a typed address and code. An address without a scheme is taken as https://.
    Q_INVOKABLE void enrol(const QString& server, const QString& code);
    /// Enrols with the text of a scanned enrolment QR code.
    Q_INVOKABLE void enrolWithLink(const QString& text);
    Q_INVOKABLE void clearProblem();

signals:
    void changed();
    void busyChanged();
    void problemChanged();
    void finished(bool ok);

private:
    void fail(Failure f);
    sync::DeviceFile& store_;
    SyncWorker& worker_;
    Settings& settings_;
    bool busy_ = false;
    Failure failure_;
};

} // namespace rekap::tablet
