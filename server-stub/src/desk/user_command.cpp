#include "desk/user_command.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <termios.h>
#include <unistd.h>

#include "desk/password_hash.h"
#include "rekap/central/desk_accounts.h"

namespace rekap::central {

namespace {

/// One line from `in`: from a terminal without echo, asked twice.
std::string readPassword(std::istream& in, std::ostream& out) {
    bool tty = &in == &std::cin && isatty(STDIN_FILENO);
    auto line = [&](const char* prompt) {
        termios old{};
        if (tty) {
            out << prompt << std::flush;
            tcgetattr(STDIN_FILENO, &old);
            auto quiet = old;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
        std::string s;
        bool got = static_cast<bool>(std::getline(in, s));
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSANOW, &old);
            out << "\n";
        }
        if (!got)
            throw std::invalid_argument("no password on standard input (one line)");
        if (!s.empty() && s.back() == '\r')
            s.pop_back();
        return s;
    };
    auto pw = line("Password: ");
    if (auto why = passwordProblem(pw); !why.empty())
        throw std::invalid_argument(why);
    if (tty && line("Again: ") != pw)
        throw std::invalid_argument("the two passwords differ");
    return pw;
}

} // namespace

void runUserCommand(CentralStore& store, const UserCommand& cmd, std::istream& in,
                    std::ostream& out) {
    if (cmd.action == "list") {
        auto all = nlohmann::json::array();
        for (const auto& a : desk_accounts::list(store))
            all.push_back({{"name", a.name},
                           {"role", std::string(deskRoleName(a.role))},
                           {"password", a.hasPassword},
                           {"created_at", a.createdAt},
                           {"disabled_at", a.disabledAt.value_or("")}});
        if (cmd.json) {
            out << all.dump(2) << "\n";
            return;
        }
        for (const auto& a : all)
            out << a["name"].get<std::string>() << "  " << a["role"].get<std::string>()
                << (a["password"].get<bool>() ? "" : "  (token only)")
                << (a["disabled_at"].get<std::string>().empty()
                        ? ""
                        : "  DISABLED " + a["disabled_at"].get<std::string>())
                << "\n";
        return;
    }
    if (cmd.name.empty())
        throw std::invalid_argument("--name is needed");
    if (cmd.action == "add") {
        auto role = parseDeskRole(cmd.role);
        if (!role)
            throw std::invalid_argument("--role: administrator, coordinator, reader or observer, "
                                        "not \"" +
                                        cmd.role + "\"");
        desk_accounts::checkName(cmd.name);
        desk_accounts::add(store, cmd.name, *role, hashPassword(readPassword(in, out)));
        out << "added " << cmd.name << " (" << cmd.role << ")\n";
    } else if (cmd.action == "passwd") {
        if (!desk_accounts::enabled(store, cmd.name))
            throw std::invalid_argument("no enabled desk account named \"" + cmd.name + "\"");
        desk_accounts::setPassword(store, cmd.name, hashPassword(readPassword(in, out)));
        out << "new password for " << cmd.name << "; their sessions ended\n";
    } else if (cmd.action == "disable") {
        desk_accounts::disable(store, cmd.name);
        out << "disabled " << cmd.name << "; their sessions and tokens ended\n";
    } else {
        throw std::invalid_argument("user add, passwd, disable or list");
    }
}

} // namespace rekap::central
