#include "rekap/person_name.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

namespace rekap::person_name {

namespace {

std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Spaces trimmed and each inner run made one.
std::string collapseSpaces(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

struct SpoofCloser {
    void operator()(USpoofChecker* sc) const { uspoof_close(sc); }
};

/// One checker per thread: ICU's checker is not for two threads at once.
USpoofChecker* checker() {
    thread_local std::unique_ptr<USpoofChecker, SpoofCloser> sc = [] {
        UErrorCode err = U_ZERO_ERROR;
        std::unique_ptr<USpoofChecker, SpoofCloser> c(uspoof_open(&err));
        return U_FAILURE(err) ? nullptr : std::move(c);
    }();
    return sc.get();
}

bool validUtf8(std::string_view s) {
    std::int32_t i = 0, n = static_cast<std::int32_t>(s.size());
    while (i < n) {
        UChar32 c;
        U8_NEXT(s.data(), i, n, c);
        if (c < 0)
            return false;
    }
    return true;
}

} // namespace

std::string folded(std::string_view name) {
    if (!validUtf8(name))
        return collapseSpaces(asciiLower(name));
    UErrorCode err = U_ZERO_ERROR;
    const auto* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(err);
    if (U_FAILURE(err))
        return collapseSpaces(asciiLower(name));
    auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<std::int32_t>(name.size())));
    auto normal = nfkc->normalize(text, err);
    if (U_FAILURE(err))
        return collapseSpaces(asciiLower(name));
    std::string utf8;
    normal.toUTF8String(utf8);
    utf8 = collapseSpaces(utf8);
    auto* sc = checker();
    if (!sc)
        return utf8;
    std::string skeleton(utf8.size() * 4 + 16, '\0');
    auto len =
        uspoof_getSkeletonUTF8(sc, 0, utf8.data(), static_cast<std::int32_t>(utf8.size()),
                               skeleton.data(), static_cast<std::int32_t>(skeleton.size()), &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        err = U_ZERO_ERROR;
        skeleton.resize(static_cast<std::size_t>(len) + 1);
        len = uspoof_getSkeletonUTF8(sc, 0, utf8.data(), static_cast<std::int32_t>(utf8.size()),
                                     skeleton.data(), static_cast<std::int32_t>(skeleton.size()),
                                     &err);
    }
    if (U_FAILURE(err))
        return utf8;
    skeleton.resize(static_cast<std::size_t>(len));
    return skeleton;
}

bool same(std::string_view a, std::string_view b) {
    return folded(a) == folded(b);
}

bool mixesScripts(std::string_view name) {
    std::int32_t i = 0, n = static_cast<std::int32_t>(name.size());
    std::optional<UScriptCode> seen;
    while (i < n) {
        UChar32 c;
        U8_NEXT(name.data(), i, n, c);
        if (c < 0)
            return true; // not UTF-8: no name
        UErrorCode err = U_ZERO_ERROR;
        auto script = uscript_getScript(c, &err);
        if (U_FAILURE(err) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED)
            continue;
        if (seen && *seen != script)
            return true;
        seen = script;
    }
    return false;
}

} // namespace rekap::person_name
