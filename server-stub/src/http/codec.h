#pragma once
// Content codings of request and response bodies (zlib): inflate as a stream with a hard cap on
// the output, so that a small compressed body cannot expand without bound; gzip for answers.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rekap::central::http {

enum class Coding { Identity, Gzip, Deflate };

/// The coding named by a Content-Encoding value, or nullopt for one the receiver does not take.
std::optional<Coding> parseCoding(std::string_view contentEncoding);

/// Inflates `data`; stops and returns nullopt as soon as the output would pass `limit` bytes.
/// Throws std::invalid_argument for a stream that is not valid gzip or deflate.
std::optional<std::string> inflateCapped(std::string_view data, Coding coding, std::size_t limit);

/// gzip of `data` (for answers to clients that accept it).
std::string gzip(std::string_view data);

/// Whether an answer of this Content-Type is worth compressing (text and JSON).
bool compressible(std::string_view contentType);

} // namespace rekap::central::http
