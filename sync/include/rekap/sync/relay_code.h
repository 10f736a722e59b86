#pragma once
// The QR relay's codes (docs/relay.md): an operator's tablet with no signal shows its queued
// revisions as a short, numbered series of QR codes; a camat's tablet scans them and forwards
// them to the receiver when it has signal. The revisions travel as signed, so the relay can carry
// them but not change them: the receiver checks each against its operator device's key.
//
// A series is a few groups of whole revisions, each group gzip-compressed and base64url-encoded
// (QR byte mode), then cut into frames of at most maxFrameChars. A group of small sheets fits in
// one frame; a DPR sheet with hundreds of candidate lines takes a few. Every group decodes on its
// own, so a series cut short still relays each group whose frames were all scanned, and what
// was not relayed simply stays queued on the operator's tablet.
//
// One frame's text: RKR1/<series>/<number>/<count>/<group start>/<group size>/<data>
//   series: 8 hex digits naming the series' content (the same queue shows the same series);
//   number: 1..count, this frame's place; group start and size: the frames of its group.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rekap::sync::relay {

inline constexpr std::string_view kPrefix = "RKR1/";
inline constexpr int kMaxFrames = 999;
/// A group's JSON, inflated, may not exceed this: a code crafted to inflate without end is
/// refused before it costs memory.
inline constexpr std::size_t kMaxGroupBytes = 1024 * 1024;

struct Frame {
    std::string series;
    int number = 0;
    int count = 0;
    int groupStart = 0;
    int groupSize = 0;
    std::string data; ///< this frame's slice of the group's base64url text
    bool operator==(const Frame&) const = default;
};

std::string encodeFrame(const Frame& f);
/// nullopt when `text` is not a relay code at all (an enrolment code, a stranger's QR);
/// DecodeError naming the part when it starts like one but is malformed.
std::optional<Frame> parseFrame(std::string_view text);

struct SeriesOptions {
    /// 600 characters fit a QR code of version 19 at error correction M (93 modules square):
    /// on a 10" screen each module is over 1.3 mm (101 modules with the quiet zone), easy for a
    /// cheap tablet's camera.
    std::size_t maxFrameChars = 600;
};

/// The frames' texts for `revisions` (each as encodeRevision() gives it), in order. Empty for
/// none. Throws std::length_error when they would need more than kMaxFrames frames.
std::vector<std::string> encodeSeries(const std::vector<nlohmann::json>& revisions,
                                      const SeriesOptions& options = {});

/// The revisions a complete group holds: `frames` are the group's frames in order. Throws
/// DecodeError when they are not one whole group or do not decode to an array of revisions.
nlohmann::json decodeGroup(const std::vector<Frame>& frames);

} // namespace rekap::sync::relay
