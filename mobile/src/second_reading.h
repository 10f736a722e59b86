#pragma once
// The camat's second reading (docs/second-reading.md): claims the next sheet of the kecamatan
// that waits for one, with its photo; hands an editor with every box blank (the operator's
// SheetEditor in reading mode: the same form, the same rules); once finalized, syncs and says
// what the receiver made of it: verified (equal), "beda bacaan" (different: a conflict for the
// desk) or rejected by the rules. The first entry's numbers are never fetched for it.

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QVariantMap>

#include "error_text.h"
#include "rekap/sync/store/file.h"
#include "settings.h"
#include "sheet_editor.h"
#include "store_events.h"

namespace rekap::tablet {

class SyncWorker;
class SyncService;

/// Where the camat's second reading stands. QML compares with ReadingState.Verified, ...; the
/// outcome's Rejected and Refused are the reading revision's SheetState at the receiver.
namespace ReadingState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Idle,
    Claiming, ///< asking the receiver for a sheet
    None,     ///< nothing waits for a reading
    Ready,    ///< claimed, typing
    Sending,  ///< finalized, not answered yet
    Verified, ///< equal numbers: the heads agree
    Differs,  ///< different numbers: a conflict for the desk ("beda bacaan")
    Rejected, ///< by the rules; `reason` lists them
    Refused,  ///< by the receiver, for the reason in `reason`
    Failed,   ///< the claim could not be made
    BadName,  ///< the reader's name mixes scripts: nothing was asked
};
Q_ENUM_NS(Value)
} // namespace ReadingState

class SecondReading : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built in main() and handed to QML")
    /// A ReadingState.
    Q_PROPERTY(int state READ state NOTIFY changed)
    Q_PROPERTY(QVariantMap claim READ claim NOTIFY changed)
    Q_PROPERTY(QString photoUrl READ photoUrl NOTIFY changed)
    Q_PROPERTY(SheetEditor* editor READ editor NOTIFY changed)
    Q_PROPERTY(QString problemText READ problemText NOTIFY changed)
    Q_PROPERTY(QString revision READ revision NOTIFY changed)
    /// The receiver's own words for a refused or rejected reading (its reason, or the rules
    /// broken), "" otherwise.
    Q_PROPERTY(QString reason READ reason NOTIFY changed)
    /// The name a claim was asked for: sheets its bearer entered are never offered to it.
    Q_PROPERTY(QString reader READ reader NOTIFY changed)
public:
    SecondReading(sync::DeviceFile& store, SyncWorker& worker, SyncService& sync,
                  StoreEvents& events, Settings& settings, QString workDir);

    int state() const { return state_; }
    QVariantMap claim() const { return claim_; }
    QString photoUrl() const;
    SheetEditor* editor() const { return editor_; }
    QString problemText() const { return problem_ ? ErrorText::describe(problem_) : QString(); }
    QString revision() const { return revision_; }
    QString reason() const { return reason_; }
    QString reader() const { return reader_; }

    /// Asks the receiver for the next sheet (for whoever's name the tablet holds).
    Q_INVOKABLE void claimNext();

signals:
    void changed();

private:
    void onClaimed(const QVariantMap& claim, int problem, const QString& detail);
    void onFinalized(const QString& revision);
    /// The answer the receiver gave the reading, once it came.
    void updateOutcome();
    void setState(ReadingState::Value s);

    sync::DeviceFile& store_;
    SyncWorker& worker_;
    SyncService& sync_;
    Settings& settings_;
    QString workDir_;
    ReadingState::Value state_ = ReadingState::Idle;
    QVariantMap claim_;
    QPointer<SheetEditor> editor_;
    Problem::Value problem_ = Problem::None;
    QString revision_;
    QString reason_;
    QString reader_;
};

} // namespace rekap::tablet
