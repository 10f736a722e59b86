#pragma once
// People's names as the second reading compares them (docs/second-reading.md): a reader must
// not be who typed the sheet, and a look-alike name must not pass for another person. Names are
// compared after Unicode normalisation (NFKC, case-folded, spaces collapsed) and then by their
// confusable skeleton (Unicode TR39): "Siti" with a Cyrillic "Ѕ" folds like "Siti". A name that
// mixes scripts (Latin with Cyrillic look-alikes, say) is refused outright wherever one is typed.

#include <string>
#include <string_view>

namespace rekap::person_name {

/// What two names of one person have in common; equal for "Siti", " siti ", "ＳＩＴＩ" and
/// "Ѕiti". Invalid UTF-8 folds byte for byte, lowercased.
std::string folded(std::string_view name);
/// The same person: equal folded().
bool same(std::string_view a, std::string_view b);
/// Whether the name's letters come from more than one script (digits, spaces and punctuation
/// belong to none): "Ѕiti" with a Cyrillic "Ѕ" does, "Siti" and "Сергей" do not.
bool mixesScripts(std::string_view name);

} // namespace rekap::person_name
