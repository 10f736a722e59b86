#pragma once
// Desk accounts (docs/desk-accounts.md): a named person of the regency's desk with one role.
// Who may call which route is the table of desk_access.cpp; this unit owns the desk_accounts
// table. Passwords are stored as argon2id strings (password_hash.h), never as typed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rekap::central {

class CentralStore;

/// The desk's roles, after Kiesraad Abacus's authorisation matrix.
enum class DeskRole {
    Administrator, ///< accounts, devices, enrolment codes
    Coordinator,   ///< decisions, imports, exports: the desk's numbers
    Reader,        ///< the blind second reading only: never a first entry's numbers
    Observer,      ///< reads the tally and the sheets, changes nothing
};

inline constexpr DeskRole kDeskRoles[] = {DeskRole::Administrator, DeskRole::Coordinator,
                                          DeskRole::Reader, DeskRole::Observer};

std::string_view deskRoleName(DeskRole role);
std::optional<DeskRole> parseDeskRole(std::string_view name);

struct DeskAccount {
    std::string name;
    DeskRole role = DeskRole::Observer;
    bool hasPassword = false;
    std::string createdAt;
    std::optional<std::string> disabledAt;
};

/// A desk login: the account, as a session or a token names it.
struct DeskLogin {
    std::string name;
    DeskRole role = DeskRole::Observer;
};

namespace desk_accounts {

/// A new account; std::invalid_argument when the name is taken, empty or too long (the ledger
/// names a desk reader "desk:<name>" in 64 bytes at most, so 59).
void add(CentralStore& store, const std::string& name, DeskRole role,
         const std::string& passwordHash);
/// A new password; every session of the account ends.
void setPassword(CentralStore& store, const std::string& name, const std::string& passwordHash);
/// Disables the account: its sessions end at once and its tokens stop working.
void disable(CentralStore& store, const std::string& name);
std::vector<DeskAccount> list(CentralStore& store);
/// The enabled account of `name`, or nullopt.
std::optional<DeskAccount> enabled(CentralStore& store, const std::string& name);
/// The password hash of the enabled account `name` ("" when it has none), or nullopt.
std::optional<std::string> passwordHashOf(CentralStore& store, const std::string& name);
/// Throws std::invalid_argument naming what is wrong with `name`.
void checkName(const std::string& name);

} // namespace desk_accounts

} // namespace rekap::central
