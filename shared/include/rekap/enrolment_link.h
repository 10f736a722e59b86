#pragma once
// What an enrolment QR code holds: the receiver's address and a one-time code, as one line of
// text both the desk (which prints it) and the tablet (which scans it) read the same way:
//
//   rekap://enrol?v=1&server=https%3A%2F%2Frekap.hss.go.id&code=K7QM-4XPD-93TA
//
// `server` is percent-encoded (RFC 3986 unreserved characters stay as they are); `v` is the
// format's version, and a link of a newer version is refused with a message that says so.

#include <string>
#include <string_view>

namespace rekap {

struct EnrolmentLink {
    std::string server; ///< the receiver's base URL, http:// or https://
    std::string code;   ///< the one-time enrolment code as minted
    bool operator==(const EnrolmentLink&) const = default;
};

inline constexpr int kEnrolmentLinkVersion = 1;

/// The link's text. Throws DecodeError when the server is not an http(s) URL or the code is
/// empty (nothing that could not be read back is ever printed).
std::string encodeEnrolmentLink(const EnrolmentLink& link);
/// Reads a scanned link strictly. Throws DecodeError naming the part at fault ("server",
/// "code", "v") with a message an operator can act on.
EnrolmentLink decodeEnrolmentLink(std::string_view text);

} // namespace rekap
