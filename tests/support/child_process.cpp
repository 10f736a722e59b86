#include "child_process.h"

#include <csignal>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace rekap::test {

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args) {
    int pipefd[2];
    if (::pipe(pipefd) != 0)
        throw std::runtime_error("pipe failed");
    // Built before the fork: in a threaded parent only async-signal-safe calls may follow it.
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0)
        throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(pipefd[1], STDOUT_FILENO);
        ::close(pipefd[0]);
        ::close(pipefd[1]);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(pipefd[1]);
    out_ = pipefd[0];
}

ChildProcess::~ChildProcess() {
    if (!exited_) {
        ::kill(pid_, SIGKILL);
        wait();
    }
    if (out_ >= 0)
        ::close(out_);
}

std::optional<std::string> ChildProcess::readLine(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto nl = buffer_.find('\n');
        if (nl != std::string::npos) {
            auto line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return std::nullopt;
        pollfd p{out_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            continue;
        char buf[4096];
        auto n = ::read(out_, buf, sizeof buf);
        if (n <= 0)
            return std::nullopt;
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

void ChildProcess::kill9() {
    if (!exited_)
        ::kill(pid_, SIGKILL);
}

int ChildProcess::wait() {
    if (!exited_) {
        ::waitpid(pid_, &status_, 0);
        exited_ = true;
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

std::pair<int, std::string> runProgram(const std::string& program,
                                       const std::vector<std::string>& args) {
    ChildProcess p(program, args);
    std::string out;
    while (auto line = p.readLine(std::chrono::minutes(2)))
        out += *line + "\n";
    return {p.wait(), out};
}

} // namespace rekap::test
