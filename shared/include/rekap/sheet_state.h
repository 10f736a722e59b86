#pragma once
// Where a sheet stands, as one enum from the tablet's outbox through the receiver's store, the
// tally, the reports, the JSON and the QML (issue 25, section 2). Before, two enums with two name
// tables (the receiver's revision state, the device's outbox state) and string compares in a
// dozen files described this one lifecycle; a misspelt "acepted" compiled and counted nothing.
//
// The lifecycle: on the tablet a sheet is Empty, then Draft, Queued and Sending; the receiver
// answers Accepted, Conflict or Rejected (or Refused: nothing stored), and a desk decision sets a
// head aside (Superseded).
// Seen from the receiver, a sheet (or a TPS) of which nothing arrived is NotReceived; a TPS whose
// sheets still wait on a tablet is OnDevice, and one with only some of its sheets in is Partial.
//
// The names are the wire's and the stores' strings (docs/protocol.md): they never change, so old
// tablets and old store files keep working. sheetStateName() and parseSheetState() are the only
// code that spells them (tests/shared/test_sheet_state.cpp scans the sources for others).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rekap {

enum class SheetState : std::uint8_t {
    Empty,       ///< "empty": nothing typed on the tablet
    Draft,       ///< "draft": typed, not finalized (also a correction being typed)
    Queued,      ///< "queued": finalized, waiting for a signal (the outbox, a relay's inbox)
    Sending,     ///< "sending": on its way
    NotReceived, ///< "not_received": nothing of it at the receiver
    OnDevice,    ///< "on_device": a TPS whose tablet reports sheets still queued
    Partial,     ///< "partial": a TPS with some of its sheets in, others not yet
    Accepted,    ///< "accepted": counted
    Conflict,    ///< "conflict": heads with different numbers; the desk decides
    Rejected,    ///< "rejected": breaks a rule; kept, never counted
    Superseded,  ///< "superseded": a desk decision chose another head
    Refused,     ///< "refused": the receiver stored nothing of it (bad signature, bad form, ...)
};

/// The one name of a state: what the JSON, the store columns, the CSV and the QML keys say.
std::string_view sheetStateName(SheetState s);
/// The state a name stands for; nullopt for any other string (the caller names the field).
std::optional<SheetState> parseSheetState(std::string_view name);
/// Every state, in lifecycle order (for tests and for tables keyed by state).
std::span<const SheetState> allSheetStates();

/// A state read back from a store column or a JSON field: parseSheetState(), or a DecodeError
/// naming `where` and the unknown string.
SheetState storedSheetState(std::string_view name, std::string_view where);

/// nlohmann::json writes and reads a state by its name (left to itself it would write the
/// enum's number: a silent change of the wire format).
template <class Json> void to_json(Json& j, SheetState s) {
    j = std::string(sheetStateName(s));
}
template <class Json> void from_json(const Json& j, SheetState& s) {
    s = storedSheetState(j.template get<std::string>(), "state");
}

/// Counted by the tally: its winner's numbers are in the sums (docs/tally.md).
inline bool isCounted(SheetState s) {
    return s == SheetState::Accepted || s == SheetState::Conflict;
}

} // namespace rekap
