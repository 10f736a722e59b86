#include "rekap/push_bounds.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace rekap::protocol {

namespace {

struct Frame {
    bool array = false;
    bool expectKey = true; ///< an object before its next member's name
    std::size_t index = 0; ///< an array's current element
    std::array<char, 64> key{};
    std::size_t keyLen = 0;
    std::string_view keyText() const { return {key.data(), keyLen}; }
};

class Scanner {
public:
    Scanner(std::string_view body, const PushBounds& b)
        : s_(body)
        , b_(b) {
        stack_.reserve(b.maxDepth + 1); // the only allocation: fixed, whatever the body
    }

    void run() {
        while (skipSpace()) {
            char c = s_[i_];
            switch (c) {
            case '{':
            case '[':
                beginValue();
                if (stack_.size() >= b_.maxDepth)
                    fail("nested deeper than " + std::to_string(b_.maxDepth) + " levels", false);
                stack_.push_back(Frame{c == '[', true, 0, {}, 0});
                ++i_;
                break;
            case '}':
            case ']':
                if (stack_.empty())
                    return; // the parser names the syntax error
                stack_.pop_back();
                ++i_;
                endValue();
                break;
            case ',':
                if (!stack_.empty()) {
                    auto& top = stack_.back();
                    if (top.array)
                        ++top.index;
                    else
                        top.expectKey = true;
                }
                ++i_;
                break;
            case ':':
                if (!stack_.empty())
                    stack_.back().expectKey = false;
                ++i_;
                break;
            case '"':
                if (!stack_.empty() && !stack_.back().array && stack_.back().expectKey)
                    key();
                else
                    stringValue();
                break;
            default:
                scalar();
            }
        }
    }

private:
    bool skipSpace() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
            ++i_;
        return i_ < s_.size();
    }

    /// Every value one or two levels down (the push's members, the revisions) is counted, and
    /// every value two levels down is an item, bounded in bytes and values: whatever its
    /// member is called, nothing escapes the bounds before the decoder names unknown members.
    void beginValue() {
        if (stack_.size() <= 2 && ++topValues_ > b_.maxItems + 8)
            fail("more than " + std::to_string(b_.maxItems) +
                     " revisions in one push: send fewer at once",
                 true, true);
        if (stack_.size() == 2) {
            if (stack_[1].array && stack_[1].index + 1 > b_.maxItems)
                fail("more than " + std::to_string(b_.maxItems) +
                         " revisions in one push: send fewer at once",
                     true, true);
            inItem_ = true;
            itemStart_ = i_;
            itemValues_ = 0;
        }
        if (!inItem_)
            return;
        if (++itemValues_ > b_.maxItemValues)
            fail("a revision of more than " + std::to_string(b_.maxItemValues) + " JSON values",
                 true, false, 2);
        checkItemBytes();
    }

    void endValue() {
        checkItemBytes();
        if (inItem_ && stack_.size() <= 2)
            inItem_ = false;
    }

    void checkItemBytes() {
        if (inItem_ && i_ - itemStart_ > b_.maxItemBytes)
            fail("a revision of more than " + std::to_string(b_.maxItemBytes) + " bytes", true,
                 false, 2);
    }

    /// Scans a string from its opening quote; returns its length in characters (an escape or
    /// a multi-byte UTF-8 sequence is one), stopping as soon as it passes `limitChars` or, for
    /// `limitBytes`, that many bytes as written.
    std::size_t scanString(std::size_t limitChars, std::size_t limitBytes, const char* what) {
        ++i_;
        std::size_t chars = 0, start = i_;
        while (i_ < s_.size() && s_[i_] != '"') {
            auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '\\') {
                i_ += (i_ + 1 < s_.size() && s_[i_ + 1] == 'u') ? 6 : 2;
                ++chars;
            } else {
                if ((c & 0xC0) != 0x80)
                    ++chars;
                ++i_;
            }
            if (chars > limitChars || i_ - start > limitBytes)
                fail(std::string(what) + " longer than " +
                         (limitBytes < limitChars * 6 ? std::to_string(limitBytes) + " bytes"
                                                      : std::to_string(limitChars) + " characters"),
                     false);
        }
        // An unterminated string ends with the body (an escape may have stepped past it).
        stringEnd_ = std::min(i_, s_.size());
        i_ = std::min(i_ + 1, s_.size());
        return chars;
    }

    void key() {
        auto start = i_ + 1;
        scanString(b_.maxKeyBytes, b_.maxKeyBytes, "a member name");
        // The bounds go by member name: "re\u0076isions" must not pass for another name.
        // A body may end inside the name, or right after its opening quote: the name is what
        // lies between the quotes, or up to the body's end.
        std::string_view name(s_.data() + start, stringEnd_ - start);
        if (name.find('\\') != std::string_view::npos)
            fail("a member name with an escape sequence", false);
        auto& top = stack_.back();
        auto len = std::min(name.size(), top.key.size());
        std::memcpy(top.key.data(), s_.data() + start, len);
        top.keyLen = len;
        checkItemBytes();
    }

    void stringValue() {
        beginValue();
        std::string_view k =
            !stack_.empty() && !stack_.back().array ? stack_.back().keyText() : std::string_view();
        if (k == "id" || k == "parent" || k == "device")
            scanString(b_.maxIdBytes, b_.maxIdBytes, "a string");
        else if (k == "reason")
            scanString(b_.maxReasonChars, b_.maxReasonChars * 6, "a string");
        else
            scanString(b_.maxNameChars, b_.maxNameChars * 6, "a string");
        endValue();
    }

    void scalar() {
        beginValue();
        auto start = i_;
        while (i_ < s_.size() && std::strchr(" \t\r\n,:]}[{\"", s_[i_]) == nullptr) {
            if (++i_ - start > b_.maxNumberChars)
                fail("a value longer than " + std::to_string(b_.maxNumberChars) + " characters",
                     false);
        }
        if (i_ == start)
            ++i_; // a stray byte: the parser names it
        endValue();
    }

    /// `levels`: how much of the path to name (0: all of it); `container`: name the array, not
    /// its element.
    [[noreturn]] void fail(const std::string& what, bool tooLarge, bool container = false,
                           std::size_t levels = 0) const {
        std::string path = "$";
        std::size_t upto = levels ? std::min(levels, stack_.size()) : stack_.size();
        for (std::size_t k = 0; k < upto; ++k) {
            const auto& f = stack_[k];
            // Appended piece by piece: GCC 12 -O3 takes "[" + std::string for an overlapping
            // copy (-Werror=restrict).
            if (f.array) {
                if (!(container && k + 1 == upto)) {
                    path += '[';
                    path += std::to_string(f.index);
                    path += ']';
                }
            } else if (f.keyLen && !f.expectKey) {
                path += '.';
                path += f.keyText();
            }
        }
        throw BoundsError(path, what, tooLarge);
    }

    std::string_view s_;
    const PushBounds& b_;
    std::vector<Frame> stack_;
    std::size_t i_ = 0;
    std::size_t stringEnd_ = 0; ///< where the last scanned string's text ends
    bool inItem_ = false;
    std::size_t topValues_ = 0;
    std::size_t itemStart_ = 0;
    std::size_t itemValues_ = 0;
};

} // namespace

void checkPushBounds(std::string_view body, const PushBounds& bounds) {
    Scanner(body, bounds).run();
}

} // namespace rekap::protocol
