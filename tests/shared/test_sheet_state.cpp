// Issue 25, section 2: a sheet's state is one enum (rekap/sheet_state.h) with one name table.
// Each name reads back to its state, and the names are the wire's and the stores' strings, which
// never change (old tablets, old store files).

#include <gtest/gtest.h>

#include <set>

#include "rekap/error.h"
#include "rekap/sheet_state.h"

using namespace rekap;

TEST(SheetStateNames, EveryStateReadsBackFromItsName) {
    std::set<std::string_view> names;
    for (auto s : allSheetStates()) {
        auto name = sheetStateName(s);
        EXPECT_NE(name, "?");
        EXPECT_TRUE(names.insert(name).second) << name << " names two states";
        EXPECT_EQ(parseSheetState(name), s) << name;
        EXPECT_EQ(storedSheetState(name, "x"), s);
    }
    EXPECT_EQ(names.size(), 12u);
}

TEST(SheetStateNames, TheNamesAreTheWiresAndTheStoresAsBefore) {
    // What old tablets send and read, and what old store files hold (docs/protocol.md).
    EXPECT_EQ(sheetStateName(SheetState::Accepted), "accepted");
    EXPECT_EQ(sheetStateName(SheetState::Conflict), "conflict");
    EXPECT_EQ(sheetStateName(SheetState::Rejected), "rejected");
    EXPECT_EQ(sheetStateName(SheetState::Superseded), "superseded");
    EXPECT_EQ(sheetStateName(SheetState::Queued), "queued");
    EXPECT_EQ(sheetStateName(SheetState::Sending), "sending");
    EXPECT_EQ(sheetStateName(SheetState::Refused), "refused");
    EXPECT_EQ(sheetStateName(SheetState::NotReceived), "not_received");
    EXPECT_EQ(sheetStateName(SheetState::OnDevice), "on_device");
    EXPECT_EQ(sheetStateName(SheetState::Partial), "partial");
    EXPECT_EQ(sheetStateName(SheetState::Empty), "empty");
    EXPECT_EQ(sheetStateName(SheetState::Draft), "draft");
}

TEST(SheetStateNames, AnUnknownNameIsRefusedWithTheFieldNamed) {
    EXPECT_EQ(parseSheetState("Accepted"), std::nullopt);
    EXPECT_EQ(parseSheetState(""), std::nullopt);
    EXPECT_EQ(parseSheetState("acepted"), std::nullopt);
    try {
        storedSheetState("acepted", "outbox state");
        FAIL() << "an unknown state was read";
    } catch (const DecodeError& e) {
        EXPECT_EQ(e.where(), "outbox state");
        EXPECT_NE(std::string(e.what()).find("acepted"), std::string::npos);
    }
}

TEST(SheetStateNames, OnlyAcceptedAndConflictAreCounted) {
    for (auto s : allSheetStates())
        EXPECT_EQ(isCounted(s), s == SheetState::Accepted || s == SheetState::Conflict)
            << sheetStateName(s);
}
