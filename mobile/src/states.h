#pragma once
// The states the app shows are rekap::SheetState (rekap/sheet_state.h), the one enum of a sheet's
// lifecycle from the outbox to the desk. QML reads it as SheetState.Accepted, ...: the enum below
// is that same enum declared again for the QML engine (which reads enums only from moc), value
// for value (states.cpp checks each). Keys are rekap::sheetStateName(); labels, in the UI
// language, come from here and the models re-read them when the language changes.

#include <QObject>
#include <QQmlEngine>
#include <QString>

#include "rekap/sheet_state.h"
#include "rekap/sync/store/file.h"

namespace rekap::tablet {

/// rekap::SheetState for QML.
namespace SheetStateQml {
Q_NAMESPACE
QML_NAMED_ELEMENT(SheetState)
enum Value {
    Empty,
    Draft,
    Queued,
    Sending,
    NotReceived,
    OnDevice,
    Partial,
    Accepted,
    Conflict,
    Rejected,
    Superseded,
    Refused,
};
Q_ENUM_NS(Value)
} // namespace SheetStateQml

/// The value QML compares with SheetState.X (a model's status role).
inline int qmlState(SheetState s) {
    return static_cast<int>(s);
}
/// The key of a state (rekap::sheetStateName()), for statusKey roles, tests and scripts.
QString stateKey(SheetState s);
/// A state read from a key (the receiver's status API); `otherwise` for unknown keys.
SheetState stateOfKey(const QString& key, SheetState otherwise);

/// How one sheet's state reads in the UI language.
QString sheetStateLabel(SheetState s);
/// How a TPS's state reads in the camat's view ("all received" where a sheet says "accepted").
QString tpsStateLabel(SheetState s);
/// The receiver's status of a TPS (docs/protocol.md), made partial when only some of the
/// sheets it expects are in; NotReceived for unknown ones.
SheetState tpsStateOf(const QString& receiverStatus, int sheets, int expected);

} // namespace rekap::tablet
