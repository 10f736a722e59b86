#pragma once
// The canonical JSON text of a sheet and of a revision, written straight into a string: byte for
// byte what nlohmann::json's dump() prints for encodeSheet() and encodeRevision() (keys sorted,
// no spaces), without building the JSON tree first. Building and freeing that tree was most of
// the receiver's ingest time; tests/shared/test_canonical_text.cpp holds the two to each other.

#include <string>

#include "rekap/revision.h"
#include "rekap/sheet.h"

namespace rekap::canonical {

/// Appends encodeSheet(sheet).dump(-1, ' ', ensureAscii).
void appendSheet(std::string& out, const Sheet& sheet, bool ensureAscii = false);

/// Appends the revision's JSON: every field of encodeRevision() but "hash" and "signature", which
/// are written only when `hash` is given. With ensureAscii and no hash these are the bytes
/// Revision::hash() digests.
void appendRevision(std::string& out, const Revision& revision, const std::string* hash,
                    bool ensureAscii);

} // namespace rekap::canonical
