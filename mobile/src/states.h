#pragma once
// The states the app shows, as enums with one name table each (states.cpp): a key for storage
// and tests, and a label in the UI language. QML reads the enums (SheetStatus.Accepted) and
// gets labels from the models, which re-read them when the language changes.

#include <QObject>
#include <QQmlEngine>
#include <QString>

#include "rekap/sync/store/file.h"

namespace rekap::tablet {

/// Where one of the TPS's sheets stands, as the operator's overview shows it.
namespace SheetStatus {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Empty,      ///< nothing typed
    Draft,      ///< typed, not finalized (also a correction being typed)
    Queued,     ///< finalized, waiting for a signal
    Sent,       ///< on its way
    Accepted,   ///< the receiver counts it
    Conflict,   ///< another device sent different numbers; the desk decides
    Rejected,   ///< breaks a rule or was refused
    Superseded, ///< the desk chose another revision
};
Q_ENUM_NS(Value)
} // namespace SheetStatus

/// Where a TPS stands in the camat's view.
namespace TpsStatus {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    NotReceived, ///< nothing from it yet
    OnDevice,    ///< a device reports sheets still queued
    Partial,     ///< some of its sheets accepted, others not received yet
    Accepted,    ///< every sheet accepted
    Conflict,
    Rejected,
};
Q_ENUM_NS(Value)
} // namespace TpsStatus

QString sheetStatusKey(SheetStatus::Value s);
QString sheetStatusLabel(SheetStatus::Value s);
SheetStatus::Value sheetStatusOf(sync::OutboxState s);
/// "accepted", "rejected", ... of the receiver's status API; nullopt-like Empty for others.
SheetStatus::Value sheetStatusFromKey(const QString& key);

QString tpsStatusKey(TpsStatus::Value s);
QString tpsStatusLabel(TpsStatus::Value s);
/// The receiver's status of a TPS (docs/protocol.md), made partial when only some of the
/// sheets it expects are in.
TpsStatus::Value tpsStatusOf(const QString& receiverStatus, int sheets, int expected);

} // namespace rekap::tablet
