#include "cutting_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace rekap::test {

CuttingProxy::CuttingProxy(int targetPort)
    : targetPort_(targetPort) {
    listenFd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listenFd_, 64) != 0)
        throw std::runtime_error("proxy cannot listen");
    socklen_t len = sizeof addr;
    ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { acceptLoop(); });
}

CuttingProxy::~CuttingProxy() {
    stopping_ = true;
    ::shutdown(listenFd_, SHUT_RDWR);
    ::close(listenFd_);
    acceptor_.join();
    for (auto& w : workers_)
        w.join();
}

void CuttingProxy::cutNextRequestAfter(std::size_t bytes) {
    std::lock_guard lock(mu_);
    cutRequest_ = static_cast<long>(bytes);
}

void CuttingProxy::dropNextResponse() {
    std::lock_guard lock(mu_);
    dropResponse_ = true;
}

void CuttingProxy::cutAfterTotalBytes(std::size_t bytes) {
    std::lock_guard lock(mu_);
    totalBudget_ = static_cast<long>(bytes);
}

void CuttingProxy::passEverything() {
    std::lock_guard lock(mu_);
    totalBudget_ = -1;
    cutRequest_ = -1;
    dropResponse_ = false;
}

void CuttingProxy::acceptLoop() {
    while (!stopping_) {
        pollfd p{listenFd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        int client = ::accept(listenFd_, nullptr, nullptr);
        if (client < 0)
            continue;
        ++connections_;
        workers_.emplace_back([this, client] { serve(client); });
    }
}

void CuttingProxy::serve(int client) {
    long cutRequest = -1;
    bool dropResponse = false;
    {
        std::lock_guard lock(mu_);
        std::swap(cutRequest, cutRequest_);
        std::swap(dropResponse, dropResponse_);
    }
    int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(targetPort_));
    if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(server);
        ::close(client);
        return;
    }
    long forwarded = 0;
    char buf[16384];
    bool open = true;
    while (open && !stopping_) {
        pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (::poll(fds, 2, 100) <= 0)
            continue;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            auto n = ::recv(client, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            long allowed = n;
            if (cutRequest >= 0)
                allowed = std::min<long>(n, cutRequest - forwarded);
            {
                std::lock_guard lock(mu_);
                if (totalBudget_ >= 0) {
                    allowed = std::min(allowed, totalBudget_);
                    totalBudget_ -= allowed;
                    if (allowed < n)
                        open = false;
                }
            }
            if (allowed > 0)
                ::send(server, buf, static_cast<std::size_t>(allowed), MSG_NOSIGNAL);
            forwarded += allowed;
            if (cutRequest >= 0 && forwarded >= cutRequest)
                open = false;
        }
        if (open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            auto n = ::recv(server, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            if (dropResponse)
                break; // the receiver has answered, so it has committed: the device never hears
            ::send(client, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL);
        }
    }
    ::shutdown(client, SHUT_RDWR);
    ::close(client);
    ::close(server);
}

} // namespace rekap::test
