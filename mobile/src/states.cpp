#include "states.h"

#include <QCoreApplication>

namespace rekap::tablet {

namespace {
// QML's copy of the enum is rekap::SheetState value for value.
#define REKAP_SAME_STATE(name)                                                                     \
    static_assert(static_cast<int>(SheetStateQml::name) == static_cast<int>(SheetState::name))
REKAP_SAME_STATE(Empty);
REKAP_SAME_STATE(Draft);
REKAP_SAME_STATE(Queued);
REKAP_SAME_STATE(Sending);
REKAP_SAME_STATE(NotReceived);
REKAP_SAME_STATE(OnDevice);
REKAP_SAME_STATE(Partial);
REKAP_SAME_STATE(Accepted);
REKAP_SAME_STATE(Conflict);
REKAP_SAME_STATE(Rejected);
REKAP_SAME_STATE(Superseded);
REKAP_SAME_STATE(Refused);
#undef REKAP_SAME_STATE

struct Label {
    SheetState state;
    const char* text;
};
// Labels only: the names are rekap::sheetStateName()'s.
constexpr Label kSheetLabels[] = {
    {SheetState::Empty, QT_TRANSLATE_NOOP("States", "not typed")},
    {SheetState::Draft, QT_TRANSLATE_NOOP("States", "draft")},
    {SheetState::Queued, QT_TRANSLATE_NOOP("States", "waiting to send")},
    {SheetState::Sending, QT_TRANSLATE_NOOP("States", "sending")},
    {SheetState::NotReceived, QT_TRANSLATE_NOOP("States", "not received")},
    {SheetState::Accepted, QT_TRANSLATE_NOOP("States", "accepted")},
    {SheetState::Conflict, QT_TRANSLATE_NOOP("States", "conflict")},
    {SheetState::Rejected, QT_TRANSLATE_NOOP("States", "rejected")},
    {SheetState::Superseded, QT_TRANSLATE_NOOP("States", "superseded")},
};
constexpr Label kTpsLabels[] = {
    {SheetState::NotReceived, QT_TRANSLATE_NOOP("States", "not received")},
    {SheetState::OnDevice, QT_TRANSLATE_NOOP("States", "still on the tablet")},
    {SheetState::Partial, QT_TRANSLATE_NOOP("States", "partly received")},
    {SheetState::Accepted, QT_TRANSLATE_NOOP("States", "all received")},
    {SheetState::Conflict, QT_TRANSLATE_NOOP("States", "conflict")},
    {SheetState::Rejected, QT_TRANSLATE_NOOP("States", "rejected")},
};

template <std::size_t N> QString labelOf(SheetState s, const Label (&table)[N]) {
    for (const auto& l : table)
        if (l.state == s)
            return QCoreApplication::translate("States", l.text);
    return {};
}
} // namespace

QString stateKey(SheetState s) {
    auto name = sheetStateName(s);
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

SheetState stateOfKey(const QString& key, SheetState otherwise) {
    return parseSheetState(key.toStdString()).value_or(otherwise);
}

QString sheetStateLabel(SheetState s) {
    return labelOf(s, kSheetLabels);
}

QString tpsStateLabel(SheetState s) {
    return labelOf(s, kTpsLabels);
}

SheetState tpsStateOf(const QString& receiverStatus, int sheets, int expected) {
    auto s = stateOfKey(receiverStatus, SheetState::NotReceived);
    for (const auto& l : kTpsLabels)
        if (l.state == s) {
            // The receiver says accepted once any sheet is; the camat needs to see the rest.
            if (s == SheetState::Accepted && sheets < expected)
                return SheetState::Partial;
            return s;
        }
    return SheetState::NotReceived;
}

} // namespace rekap::tablet
