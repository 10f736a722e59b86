// libFuzzer target: the sheet decoder and the rules. Any bytes may arrive as a sheet; each input
// must end in a DecodeError naming where it is wrong, or in a sheet that the validator checks
// without failing and that survives the canonical round trip unchanged. Anything else (a crash,
// another exception, a sanitizer report, a changed round trip) is a finding.

#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "fixtures.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/rules.h"
#include "rekap/sheet_codec.h"

using namespace rekap;

namespace {
[[noreturn]] void finding(const std::string& what) {
    std::cerr << "fuzz_sheet: " << what << "\n";
    std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Regency& regency = test::tinyRegency();
    std::string_view text(reinterpret_cast<const char*>(data), size);
    Sheet sheet;
    try {
        sheet = decodeSheet(parseJsonText(text, "fuzz"), regency, "fuzz");
    } catch (const DecodeError& e) {
        if (e.where().empty() && std::string(e.what()).empty())
            finding("a decode error that says nothing");
        return 0;
    }
    for (const auto& f : validateSheet(sheet, regency))
        if (f.rule.empty() || f.messageId.empty() || f.messageEn.empty())
            finding("a finding without a rule or a message");
    auto canonical = encodeSheet(sheet);
    auto again = decodeSheet(canonical, regency, "canonical");
    if (!(again == sheet))
        finding("the canonical encoding does not decode to the same sheet: " + canonical.dump());
    if (encodeSheet(again).dump() != canonical.dump())
        finding("the canonical encoding is not stable");
    return 0;
}
