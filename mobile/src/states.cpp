#include "states.h"

#include <QCoreApplication>

namespace rekap::tablet {

namespace {
struct SheetName {
    SheetStatus::Value value;
    const char* key;
    const char* label;
};
// The one name table of sheet states: key (as the protocol and the tests say it) and label.
constexpr SheetName kSheetNames[] = {
    {SheetStatus::Empty, "empty", QT_TRANSLATE_NOOP("States", "not typed")},
    {SheetStatus::Draft, "draft", QT_TRANSLATE_NOOP("States", "draft")},
    {SheetStatus::Queued, "queued", QT_TRANSLATE_NOOP("States", "waiting to send")},
    {SheetStatus::Sent, "sending", QT_TRANSLATE_NOOP("States", "sending")},
    {SheetStatus::Accepted, "accepted", QT_TRANSLATE_NOOP("States", "accepted")},
    {SheetStatus::Conflict, "conflict", QT_TRANSLATE_NOOP("States", "conflict")},
    {SheetStatus::Rejected, "rejected", QT_TRANSLATE_NOOP("States", "rejected")},
    {SheetStatus::Superseded, "superseded", QT_TRANSLATE_NOOP("States", "superseded")},
};

struct TpsName {
    TpsStatus::Value value;
    const char* key;
    const char* label;
};
constexpr TpsName kTpsNames[] = {
    {TpsStatus::NotReceived, "not_received", QT_TRANSLATE_NOOP("States", "not received")},
    {TpsStatus::OnDevice, "on_device", QT_TRANSLATE_NOOP("States", "still on the tablet")},
    {TpsStatus::Partial, "partial", QT_TRANSLATE_NOOP("States", "partly received")},
    {TpsStatus::Accepted, "accepted", QT_TRANSLATE_NOOP("States", "all received")},
    {TpsStatus::Conflict, "conflict", QT_TRANSLATE_NOOP("States", "conflict")},
    {TpsStatus::Rejected, "rejected", QT_TRANSLATE_NOOP("States", "rejected")},
};
} // namespace

QString sheetStatusKey(SheetStatus::Value s) {
    for (const auto& n : kSheetNames)
        if (n.value == s)
            return QString::fromLatin1(n.key);
    return {};
}

QString sheetStatusLabel(SheetStatus::Value s) {
    for (const auto& n : kSheetNames)
        if (n.value == s)
            return QCoreApplication::translate("States", n.label);
    return {};
}

SheetStatus::Value sheetStatusFromKey(const QString& key) {
    for (const auto& n : kSheetNames)
        if (key == QLatin1String(n.key))
            return n.value;
    return SheetStatus::Empty;
}

SheetStatus::Value sheetStatusOf(sync::OutboxState s) {
    switch (s) {
    case sync::OutboxState::Queued:
        return SheetStatus::Queued;
    case sync::OutboxState::Sending:
        return SheetStatus::Sent;
    case sync::OutboxState::Accepted:
        return SheetStatus::Accepted;
    case sync::OutboxState::Conflict:
        return SheetStatus::Conflict;
    case sync::OutboxState::Rejected:
        return SheetStatus::Rejected;
    case sync::OutboxState::Superseded:
        return SheetStatus::Superseded;
    }
    return SheetStatus::Empty;
}

QString tpsStatusKey(TpsStatus::Value s) {
    for (const auto& n : kTpsNames)
        if (n.value == s)
            return QString::fromLatin1(n.key);
    return {};
}

QString tpsStatusLabel(TpsStatus::Value s) {
    for (const auto& n : kTpsNames)
        if (n.value == s)
            return QCoreApplication::translate("States", n.label);
    return {};
}

TpsStatus::Value tpsStatusOf(const QString& receiverStatus, int sheets, int expected) {
    for (const auto& n : kTpsNames)
        if (receiverStatus == QLatin1String(n.key)) {
            // The receiver says "accepted" once any sheet is; the camat needs to see the rest.
            if (n.value == TpsStatus::Accepted && sheets < expected)
                return TpsStatus::Partial;
            return n.value;
        }
    return TpsStatus::NotReceived;
}

} // namespace rekap::tablet
