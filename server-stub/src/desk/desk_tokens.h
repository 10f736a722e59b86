#pragma once
// The desk_tokens table: login tokens for the desk from before accounts (`rekap-central token`),
// stored hashed, each naming a desk account. Operational: no result depends on them. This unit
// holds every statement on the table; the caller holds the store's lock.

#include <optional>
#include <string>

#include "rekap/central/database.h"

namespace rekap::central::desk_tokens {

/// Records a token for `name`, making `name` a coordinator's account when it has none (as the
/// tokens of before accounts were, schema step 10). Throws std::invalid_argument when the
/// account is disabled.
void add(const db::WriteTx& db, const std::string& name, const std::string& tokenHash);
/// Revokes every live token of `name`; returns how many.
int revokeAll(const db::WriteTx& db, const std::string& name);
/// The account a live token of an enabled account belongs to.
std::optional<std::string> nameOf(const db::ReadTx& db, const std::string& tokenHash);

} // namespace rekap::central::desk_tokens
