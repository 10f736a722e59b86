// The authorisation matrix: every route of the receiver, one line each, and who it lets in.
// A reader gets the blind second reading and nothing that shows a first entry's numbers (the
// tally, its CSV, the sheets, conflicts, rejections, the cross-check, ledger entries); an
// observer reads and changes nothing; an administrator handles devices and codes and reads
// the status; a coordinator decides, imports and exports. Devices keep what they had, narrowed
// by scope in the handlers. A new route adds its line here (and to docs/desk-accounts.md).

#include "api/desk_access.h"

#include <algorithm>

#include "rekap/central/api_error.h"

namespace rekap::central::access {

namespace {

constexpr unsigned A = Administrator, C = Coordinator, R = Reader, O = Observer, Op = Operator,
                   Cm = Camat;

constexpr Rule kRules[] = {
    // Anyone.
    {"GET", "/api/v1/health", Public, "liveness and protocol version"},
    {"GET", "/healthz", Public, "liveness for load balancers"},
    {"GET", "/", Public, "the dashboard's page (it asks to log in)"},
    {"GET", "/assets/*", Public, "the dashboard's files"},
    {"GET", "/vendor/chart.js/*", Public, "the chart library"},
    {"POST", "/desk/login", Public, "name and password (or a desk token) for a session"},
    {"POST", "/desk/logout", Public, "ends the cookie's session"},
    {"POST", "/api/v1/enrol", Public, "a one-time enrolment code makes a device"},
    {"GET", "/api/v1/ledger/head", Public, "the signed head: hashes only"},
    {"GET", "/api/v1/ledger/proof", Public | kDesk | kDevices,
     "consistency proofs: anyone; an inclusion proof: any login (hashes only)"},
    {"GET", "/metrics", LocalHost | A | C, "counters; from the receiver's host or the desk"},
    // Devices only.
    {"GET", "/api/v1/master-data", kDevices, "the regency file"},
    {"POST", "/api/v1/sync/push", kDevices, "signed revisions"},
    {"POST", "/api/v1/sync/photo-attachments", kDevices, "photos attached later"},
    {"POST", "/api/v1/sync/relay", kDevices, "revisions other tablets signed"},
    {"GET", "/api/v1/sync/pull", kDevices, "the device's feed"},
    {"POST", "/api/v1/sync/receipts", kDevices, "what became of pushes answered queued"},
    {"POST", "/api/v1/device/key", kDevices, "a device's first key"},
    {"GET", R"(/api/v1/photos/([0-9a-f]{64}))", kDevices, "a photo upload's progress"},
    {"PATCH", R"(/api/v1/photos/([0-9a-f]{64}))", Op, "a photo's bytes"},
    // Every login.
    {"GET", "/api/v1/me", kDesk | kDevices, "who is logged in, with role"},
    {"GET", "/api/v1/version", kDesk | kDevices, "the data version, to refresh"},
    // The numbers: never a reader's.
    {"GET", "/api/v1/tally", A | C | O | kDevices, "the tally (devices: their scope)"},
    {"GET", "/api/v1/tally.csv", A | C | O | kDevices, "the tally as CSV"},
    {"GET", "/api/v1/status", A | C | O | kDevices, "TPS and devices, no numbers"},
    {"GET", R"(/api/v1/sheets/(\d{13})/([a-z0-9]+))", C | O | kDevices,
     "a sheet with every revision's numbers"},
    {"GET", "/api/v1/conflicts", C | O | kDevices, "sheets in conflict, with numbers"},
    {"GET", "/api/v1/rejected", C | O | kDevices, "rejected sheets, with numbers"},
    {"GET", "/api/v1/crosscheck", C | O, "KPU's numbers beside the desk's"},
    {"GET", "/api/v1/crosscheck.csv", C | O, "the same as CSV"},
    {"GET", R"(/api/v1/ledger/entries/(\d{1,15}))", C | O | kDevices,
     "a ledger entry, with numbers (devices: their own)"},
    {"GET", R"(/api/v1/photos/([0-9a-f]{64})/content)", C | R | O | kDevices,
     "a plano photo (devices: their scope)"},
    // Decisions and administration.
    {"POST", "/api/v1/conflicts/resolve", C, "the desk's decision on a conflict"},
    {"POST", "/api/v1/sheets/send-back", C, "a sheet sent back to its operator, with a reason"},
    {"GET", "/api/v1/send-backs", C | O | kDevices,
     "sheets sent back and their state (devices: their scope)"},
    {"POST", "/api/v1/enrolment/codes", A, "enrolment codes and slips"},
    {"GET", "/api/v1/accounts", A, "the desk's accounts with their roles"},
    {"POST", "/api/v1/accounts/disable", A, "disables an account: its sessions end at once"},
    // The blind second reading.
    {"GET", "/api/v1/reading/queue", C | R | O | kDevices, "counts per kecamatan, no numbers"},
    {"POST", "/api/v1/reading/next", R | Cm, "claims the next sheet: place, photo, blank form"},
    {"POST", "/api/v1/reading/release", R | Cm, "gives a claim back"},
    {"POST", "/api/v1/reading/submit", R, "the reading, on the reader's live claim"},
};

} // namespace

std::span<const Rule> rules() {
    return kRules;
}

const Rule* ruleOf(std::string_view method, std::string_view route) {
    if (method == "HEAD")
        method = "GET";
    auto it = std::find_if(std::begin(kRules), std::end(kRules),
                           [&](const Rule& r) { return r.method == method && r.route == route; });
    return it == std::end(kRules) ? nullptr : &*it;
}

unsigned bitOf(DeskRole role) {
    switch (role) {
    case DeskRole::Administrator:
        return Administrator;
    case DeskRole::Coordinator:
        return Coordinator;
    case DeskRole::Reader:
        return Reader;
    case DeskRole::Observer:
        return Observer;
    }
    return 0;
}

unsigned bitOf(protocol::Role role) {
    return role == protocol::Role::Camat ? Camat : Operator;
}

bool allows(const http::Request& req, unsigned who) {
    const auto* rule = ruleOf(req.method, req.route);
    return rule && (rule->who & (who | Public)) != 0;
}

void require(const http::Request& req, unsigned who, std::string_view roleName) {
    if (!allows(req, who))
        throw ApiError(Problem::Forbidden, "a login of role " + std::string(roleName) +
                                               " may not " + req.method + " " + req.route +
                                               " (docs/desk-accounts.md)");
}

} // namespace rekap::central::access
