#pragma once
// Runs a program of the project as a child process, reads its standard output line by line, and
// kills it with SIGKILL: for the tests that pull the plug on a device or the receiver.

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rekap::test {

class ChildProcess {
public:
    ChildProcess(const std::string& program, const std::vector<std::string>& args);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// The next line of standard output, or nullopt at end of output or after `timeout`.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    /// SIGKILL: no clean-up, no flush, as a power cut or the OOM killer would.
    void kill9();
    /// Waits for the exit; returns the exit code (128 + signal when killed).
    int wait();
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int out_ = -1;
    std::string buffer_;
    bool exited_ = false;
    int status_ = 0;
};

/// Runs a program to completion; returns its exit code and standard output.
std::pair<int, std::string> runProgram(const std::string& program,
                                       const std::vector<std::string>& args);

} // namespace rekap::test
