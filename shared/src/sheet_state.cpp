#include "rekap/sheet_state.h"

#include <array>
#include <string>
#include <utility>

#include "rekap/error.h"

namespace rekap {

namespace {
// The one name table of sheet states.
constexpr std::array<std::pair<SheetState, std::string_view>, 12> kNames{{
    {SheetState::Empty, "empty"},
    {SheetState::Draft, "draft"},
    {SheetState::Queued, "queued"},
    {SheetState::Sending, "sending"},
    {SheetState::NotReceived, "not_received"},
    {SheetState::OnDevice, "on_device"},
    {SheetState::Partial, "partial"},
    {SheetState::Accepted, "accepted"},
    {SheetState::Conflict, "conflict"},
    {SheetState::Rejected, "rejected"},
    {SheetState::Superseded, "superseded"},
    {SheetState::Refused, "refused"},
}};

constexpr std::array<SheetState, kNames.size()> kAll = [] {
    std::array<SheetState, kNames.size()> out{};
    for (std::size_t i = 0; i < kNames.size(); ++i)
        out[i] = kNames[i].first;
    return out;
}();
} // namespace

std::string_view sheetStateName(SheetState s) {
    for (const auto& [state, name] : kNames)
        if (state == s)
            return name;
    return "?";
}

std::optional<SheetState> parseSheetState(std::string_view name) {
    for (const auto& [state, n] : kNames)
        if (n == name)
            return state;
    return std::nullopt;
}

std::span<const SheetState> allSheetStates() {
    return kAll;
}

SheetState storedSheetState(std::string_view name, std::string_view where) {
    if (auto s = parseSheetState(name))
        return *s;
    throw DecodeError(std::string(where), "unknown sheet state \"" + std::string(name) + "\"");
}

} // namespace rekap
