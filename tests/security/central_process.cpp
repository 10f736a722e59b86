#include "central_process.h"

#include "test_programs.h"

#include "revisions.h"

#include <csignal>
#include <fstream>
#include <httplib.h>
#include <sstream>
#include <stdexcept>

#include "live_central.h"
#include "rekap/support/random.h"

namespace rekap::test {

std::string CentralProcess::binary() {
    const char* other = std::getenv("REKAP_CENTRAL_UNDER_TEST");
    return other && *other ? other : REKAP_CENTRAL_BIN;
}

CentralProcess::CentralProcess(std::vector<std::string> serveArgs)
    : db_(dir_.file("central.db")) {
    cli({"init", "--regency", writeTinyRegency(dir_)});
    // stderr to a file through the shell, so that tests can read the log.
    std::vector<std::string> args = {"-c",     "exec \"$0\" \"$@\" 2>" + dir_.file("stderr.log"),
                                     binary(), "--db",
                                     db_,      "serve",
                                     "--port", "0"};
    args.insert(args.end(), serveArgs.begin(), serveArgs.end());
    child_ = std::make_unique<ChildProcess>("/bin/sh", args);
    auto line = child_->readLine(std::chrono::seconds(30));
    if (!line || line->find("listening on ") == std::string::npos) {
        ::kill(child_->pid(), SIGKILL);
        child_->wait();
        child_.reset();
        throw std::runtime_error("rekap-central did not start: " + log());
    }
    url_ = line->substr(line->find("listening on ") + 13);
    port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
}

CentralProcess::~CentralProcess() {
    if (child_) {
        ::kill(child_->pid(), SIGTERM);
        child_->wait();
    }
}

std::string CentralProcess::cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    auto [code, out] = runProgram(binary(), args);
    if (code != 0)
        throw std::runtime_error("rekap-central " + args[2] + " failed (" + std::to_string(code) +
                                 "): " + out);
    return out;
}

std::string CentralProcess::mint(protocol::Role role, const std::string& area) {
    auto out = cli({"mint", "--role", std::string(protocol::roleName(role)), "--area", area});
    return out.substr(0, out.find('\n'));
}

std::string CentralProcess::deskToken(const std::string& name) {
    auto out = cli({"desk-token", "--name", name});
    return out.substr(0, out.find('\n'));
}

protocol::EnrolResponse CentralProcess::enrol(protocol::Role role, const std::string& area) {
    httplib::Client c("127.0.0.1", port_);
    auto req = enrolmentRequest(mint(role, area));
    auto res = c.Post("/api/v1/enrol", protocol::encode(req.request).dump(), "application/json");
    if (!res || res->status != 200)
        throw std::runtime_error("enrolment failed: " +
                                 (res ? res->body : std::string("no answer")));
    // Remembered, so that makeRevision signs this device's revisions.
    return remember(protocol::decodeEnrolResponse(nlohmann::json::parse(res->body)), req);
}

long CentralProcess::memoryKb(const std::string& field) const {
    std::ifstream in("/proc/" + std::to_string(child_->pid()) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0)
            return std::stol(line.substr(field.size() + 1));
    return -1;
}

void CentralProcess::resetPeak() const {
    std::ofstream("/proc/" + std::to_string(child_->pid()) + "/clear_refs") << "5";
}

std::string CentralProcess::log() const {
    std::ifstream in(dir_.file("stderr.log"));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace rekap::test
