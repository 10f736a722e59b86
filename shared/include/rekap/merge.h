#pragma once
// The merge of the revision model, as one pure function of a sheet's history, so that the
// receiver and the independent verifier (rekap-verify) decide every sheet the same way.
//
// A sheet's accepted revisions form a tree; its heads are the accepted revisions nothing
// accepted builds on yet. Each head belongs to a line: a chain of fast-forwards that started at
// the line's first revision. Authorship rules (docs/protocol.md): a revision replaces the head
// it builds on (fast-forward, same line) only when that head was written by the same device and
// is not a desk decision; anything else (another device's head, a desk decision, a stale parent,
// a second device's first sheet) adds a head on a line of its own. The sheet is in conflict when
// its heads hold different numbers. Its provisional winner is the head of the oldest line (the
// receiver's order: line start, then receive order), so a conflict never changes what is counted
// until the desk decides, and the same history gives the same winner everywhere.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rekap/sheet.h"
#include "rekap/sheet_state.h"

namespace rekap::merge {

/// SHA-256 of the sheet's canonical JSON alone (no id, device or reason): equal numbers, equal
/// hash. Heads with equal ones agree.
std::string numbersHash(const Sheet& sheet);

/// The author of every desk decision, in place of a device id. "desk" is what the ledger, the
/// receiver's revisions.device and a tablet's revisions.origin hold (docs/protocol.md); in code
/// the idea has one name, a decision.
inline constexpr std::string_view kDecisionAuthor = "desk";
/// Whether a revision written by `author` is a desk decision.
inline bool isDecision(std::string_view author) {
    return author == kDecisionAuthor;
}

/// The reason that marks a revision as a second reading (docs/second-reading.md): the numbers
/// typed again from the photo, blind, by someone else, on top of the counted revision. A reason
/// rather than a new field, so that the revision's format, hash and signature stay as they are
/// for every device and verifier.
inline constexpr std::string_view kSecondReading = "bacaan kedua";
/// A desk clerk's reading is written by "desk:<clerk>" (signed by the receiver like a decision,
/// but an author like any other: never a decision).
inline constexpr std::string_view kDeskReaderPrefix = "desk:";
/// Operator names compared as people (person_name.h): after NFKC, case-folded, spaces
/// collapsed, by confusable skeleton.
bool samePerson(std::string_view a, std::string_view b);

struct Head {
    std::string id;
    std::int64_t seq = 0;    ///< the receiver's order (ledger index)
    std::int64_t line = 0;   ///< seq of the line's first revision
    std::string author;      ///< device id, or kDecisionAuthor
    std::string numbersHash; ///< SHA-256 of the sheet alone: heads that agree have equal ones
    bool reading = false;    ///< a second reading (reason kSecondReading)
    std::string person;      ///< who typed it (the revision's operator)
    bool operator==(const Head&) const = default;
};

/// A sheet's history as the merge sees it: its heads, and whether anything was rejected.
struct SheetHeads {
    std::vector<Head> heads; ///< oldest line first
    bool anyRejected = false;
    /// Accepted, Conflict, Rejected (nothing accepted, something rejected) or NotReceived.
    SheetState state() const;
    /// The counted head (the oldest line's); nullptr when nothing accepted exists.
    const Head* winner() const;
};

struct Step {
    bool fastForward = false;
    std::optional<std::string> replaced; ///< the head a fast-forward replaced
};

/// Whether what the sheet counts is verified: its winner is a desk decision, or every head
/// agrees and one of them is a second reading by another author and another person than the
/// winner's (two entries by different people agree).
bool verified(const SheetHeads& sheet);
/// The second reading that verifies the winner, or nullptr (none, or verified by a decision).
const Head* verifyingReading(const SheetHeads& sheet);

/// An accepted revision arrives. `effectiveParent` is its parent, or the nearest accepted
/// ancestor when the parent was rejected, or nullopt. `incoming.line` is set here.
Step applyAccepted(SheetHeads& sheet, Head incoming,
                   const std::optional<std::string>& effectiveParent);
/// A rejected revision arrives: it is kept, never counted, never a head.
void applyRejected(SheetHeads& sheet);
/// The desk decides: `decision` (author kDecisionAuthor, content of the chosen head) becomes the
/// only head, on the chosen head's line. Returns the heads set aside (superseded). Throws
/// std::invalid_argument when `chosen` is not a head.
std::vector<std::string> applyDecision(SheetHeads& sheet, Head decision, const std::string& chosen);

} // namespace rekap::merge
