#pragma once
// rekap-central user add|passwd|disable|list: the desk's accounts at the command line (the first
// administrator is made here). Passwords are read from the terminal without echo, or as one
// line of standard input when it is not a terminal: never from the command line, which other
// users of the host can read in the process list.

#include <iosfwd>
#include <string>

#include "rekap/central/store.h"

namespace rekap::central {

struct UserCommand {
    std::string action; ///< add, passwd, disable or list
    std::string name;
    std::string role; ///< add only
    bool json = false;
};

/// Runs it; writes what it did to `out`. Throws std::invalid_argument naming what is wrong.
void runUserCommand(CentralStore& store, const UserCommand& cmd, std::istream& in,
                    std::ostream& out);

} // namespace rekap::central
