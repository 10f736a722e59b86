#pragma once
// A real rekap-central process on 127.0.0.1 with the tiny test regency, for the security
// tests: they measure its memory, hold its sockets and read its log, as an attacker and an
// operator would. REKAP_CENTRAL_UNDER_TEST names another binary to test (an older build, to see
// each test fail there).

#include <memory>
#include <string>
#include <vector>

#include "child_process.h"
#include "rekap/protocol.h"
#include "temp_dir.h"

namespace rekap::test {

class CentralProcess {
public:
    /// `serveArgs` are added to `rekap-central serve --port 0`.
    explicit CentralProcess(std::vector<std::string> serveArgs = {});
    ~CentralProcess();
    int port() const { return port_; }
    const std::string& url() const { return url_; }
    /// Runs an admin command on the same store; returns its standard output (throws on failure).
    std::string cli(std::vector<std::string> args);
    std::string mint(protocol::Role role, const std::string& area);
    std::string deskToken(const std::string& name);
    /// Enrols a device over HTTP.
    protocol::EnrolResponse enrol(protocol::Role role, const std::string& area);
    /// A field of /proc/PID/status in KiB: VmRSS (now) or VmHWM (peak).
    long memoryKb(const std::string& field) const;
    /// Starts VmHWM again from the resident size now (/proc/PID/clear_refs), so that a peak
    /// measured after it is the peak of what followed, not of the set-up.
    void resetPeak() const;
    /// What the receiver wrote to stderr so far (its log and access log).
    std::string log() const;
    const TempDir& dir() const { return dir_; }
    static std::string binary();

private:
    TempDir dir_;
    std::string db_;
    std::unique_ptr<ChildProcess> child_;
    int port_ = 0;
    std::string url_;
};

} // namespace rekap::test
