#pragma once
// What each TPS of an area counts, for a report's rows (a desa's TPS), read in two statements
// and without decoding whole revisions. readCounted() (counted.h) parses each winner's ledger
// entry into a JSON tree and decodes the whole sheet: for a desa of 100 TPS on a DPRD contest
// that is 500 KB of JSON and most of the report's time at national scale. A report's row of a
// TPS shows only the sums, the candidates' or the parties' votes and the party-only votes; this
// scans the entry's canonical text for those and skips the rest (the calegs, sections I to III).
// The caller holds the store's lock.

#include <map>
#include <string>
#include <string_view>

#include "rekap/central/database.h"
#include "rekap/tally.h"

namespace rekap::central::counted_lines {

/// Every stored sheet of `contest` whose TPS code starts with `tpsPrefix`, by TPS code, as
/// readCounted() reads it (state, verified) but with a sheet that holds only its counted lines
/// (see lines()).
std::map<std::string, CountedSheet> in(const db::ReadTx& db, const std::string& tpsPrefix,
                                       const std::string& contest);

/// The counted lines of the sheet in a revision's ledger entry ({"revision":{"sheet":...}}):
/// tps, contest, summary, voters' total, the candidates' votes, each party's total and
/// party-only votes; its calegs and sections I (but the total) to III are left empty. Throws
/// std::runtime_error naming the place of anything else than the JSON it expects.
Sheet lines(std::string_view entry);

} // namespace rekap::central::counted_lines
