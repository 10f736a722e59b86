#pragma once
// Content codings of request and response bodies (zlib): inflate as a stream with a hard cap on
// the output, so that a small compressed body cannot expand without bound; gzip for answers.

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rekap::central::http {

enum class Coding { Identity, Gzip, Deflate };

/// The coding named by a Content-Encoding value, or nullopt for one the receiver does not take.
std::optional<Coding> parseCoding(std::string_view contentEncoding);

/// Told the bytes inflated so far as they grow; false stops the inflation (OverBudget).
using InflateBudget = std::function<bool(std::size_t)>;

/// Thrown when an InflateBudget refused more bytes.
struct OverBudget : std::runtime_error {
    OverBudget()
        : std::runtime_error("over the receiver's budget of buffered request bytes") {}
};

/// Inflates `data`; stops and returns nullopt as soon as the output would pass `limit` bytes.
/// Throws std::invalid_argument for a stream that is not valid gzip or deflate, OverBudget when
/// `budget` refuses what was inflated so far.
std::optional<std::string> inflateCapped(std::string_view data, Coding coding, std::size_t limit,
                                         const InflateBudget& budget = {});

/// gzip of `data` (for answers to clients that accept it).
std::string gzip(std::string_view data);

/// Whether an answer of this Content-Type is worth compressing (text and JSON).
bool compressible(std::string_view contentType);

} // namespace rekap::central::http
