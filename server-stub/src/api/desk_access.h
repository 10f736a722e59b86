#pragma once
// Who may call which route: the receiver's authorisation matrix, one table in desk_access.cpp
// with one line per route (docs/desk-accounts.md prints it). Every route the router holds must
// have its line: the server refuses to start otherwise, and a test says which is missing. A
// desk login's role and a device's role are checked against it before the route's handler
// reads anything; the handler then narrows by scope (a camat's kecamatan, a device's TPS).

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "http/message.h"
#include "rekap/central/desk_accounts.h"
#include "rekap/protocol.h"

namespace rekap::central::access {

/// Who a line lets in (a bit each).
enum Who : unsigned {
    Public = 1u << 0,        ///< anyone, unauthenticated
    Administrator = 1u << 1, ///< desk roles (desk_accounts.h)
    Coordinator = 1u << 2,
    Reader = 1u << 3,
    Observer = 1u << 4,
    Operator = 1u << 5, ///< device roles
    Camat = 1u << 6,
    LocalHost = 1u << 7, ///< a request from the receiver's own host (metrics)
};
inline constexpr unsigned kDesk = Administrator | Coordinator | Reader | Observer;
inline constexpr unsigned kDevices = Operator | Camat;

struct Rule {
    std::string_view method;
    std::string_view route; ///< as the router holds it (a pattern, or a mount's "prefix/*")
    unsigned who;
    std::string_view why; ///< one line for the documented matrix
};

std::span<const Rule> rules();
/// The line of `method` (HEAD reads GET's) and `route`, or nullptr.
const Rule* ruleOf(std::string_view method, std::string_view route);
unsigned bitOf(DeskRole role);
unsigned bitOf(protocol::Role role);
/// Whether the route `req` reached lets `who` in (a bit of Who); false for a route without a
/// line.
bool allows(const http::Request& req, unsigned who);
/// Throws ApiError 403 naming the role and the route unless the route lets `who` in.
void require(const http::Request& req, unsigned who, std::string_view roleName);

} // namespace rekap::central::access
