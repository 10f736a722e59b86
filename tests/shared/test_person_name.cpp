// Names as the second reading compares them (rekap/person_name.h): after NFKC, case-folded,
// spaces collapsed, by confusable skeleton; names mixing scripts are told apart.

#include <gtest/gtest.h>

#include "rekap/merge.h"
#include "rekap/person_name.h"

using namespace rekap;

namespace {
const char* const kCyrillicSiti = "\xD0\x85iti"; // Ѕ (U+0405) + "iti"
const char* const kFullWidthSiti = "\xEF\xBC\xB3\xEF\xBC\xA9\xEF\xBC\xB4\xEF\xBC\xA9"; // ＳＩＴＩ
const char* const kCyrillicAci = "\xD0\x90\xD1\x81\xD1\x96"; // Асі, every letter Cyrillic
} // namespace

TEST(PersonName, TheSamePersonWhateverTheCaseSpacesOrWidth) {
    EXPECT_TRUE(person_name::same("Siti", "  siti "));
    EXPECT_TRUE(person_name::same("Siti Aminah", "SITI   aminah"));
    EXPECT_TRUE(person_name::same("Siti", kFullWidthSiti));
    EXPECT_FALSE(person_name::same("Siti", "Sita"));
    EXPECT_TRUE(merge::samePerson("Siti", kFullWidthSiti));
}

TEST(PersonName, ALookAlikeIsTheSamePersonAndAMixedNameIsSeen) {
    EXPECT_TRUE(person_name::same("Siti", kCyrillicSiti));
    EXPECT_TRUE(person_name::mixesScripts(kCyrillicSiti));
    // Wholly Cyrillic: one script, and still the look-alike of "Aci".
    EXPECT_FALSE(person_name::mixesScripts(kCyrillicAci));
    EXPECT_TRUE(person_name::same("Aci", kCyrillicAci));
    EXPECT_FALSE(person_name::mixesScripts("Siti Aminah-2"));
    EXPECT_FALSE(person_name::mixesScripts(kFullWidthSiti));
    EXPECT_FALSE(person_name::mixesScripts("\xD0\xA1\xD0\xB5\xD1\x80\xD0\xB3\xD0\xB5\xD0\xB9"));
}

TEST(PersonName, InvalidUtf8IsComparedByteForByte) {
    EXPECT_TRUE(person_name::same("Siti\xff", "siti\xff"));
    EXPECT_FALSE(person_name::same("Siti\xff", "Siti"));
    EXPECT_TRUE(person_name::mixesScripts("Siti\xff"));
}
