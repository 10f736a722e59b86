#include "raw_http.h"

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace rekap::test {

int connectLoopback(int port, const char* source) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (source) {
        sockaddr_in from{};
        from.sin_family = AF_INET;
        ::inet_pton(AF_INET, source, &from.sin_addr);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0)
            throw std::runtime_error(std::string("cannot bind ") + source);
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot connect to port " + std::to_string(port));
    }
    return fd;
}

namespace {
/// Reads what is there; returns false at end of stream or error.
bool readSome(int fd, std::string& into) {
    char buf[65536];
    auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
        into.append(buf, static_cast<std::size_t>(n));
        return true;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

bool complete(const std::string& in) {
    auto end = in.find("\r\n\r\n");
    if (end == std::string::npos)
        return false;
    auto head = in.substr(0, end);
    for (auto& c : head)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto cl = head.find("content-length:");
    if (cl == std::string::npos)
        return true;
    return in.size() >= end + 4 + std::stoul(head.substr(cl + 15));
}
} // namespace

RawAnswer rawExchange(int port, const std::string& head, const std::function<std::string()>& next,
                      int timeoutMs, const char* source) {
    using Clock = std::chrono::steady_clock;
    auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    int fd = connectLoopback(port, source);
    RawAnswer a;
    std::string in;
    bool open = true;
    std::string pending = head;
    std::size_t headLeft = head.size();
    bool sending = true;
    while (Clock::now() < deadline && open && !complete(in)) {
        if (sending && pending.empty() && next) {
            pending = next();
            if (pending.empty())
                sending = false;
        } else if (sending && pending.empty()) {
            sending = false;
        }
        pollfd p{fd, static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        if (p.revents & (POLLIN | POLLHUP | POLLERR))
            open = readSome(fd, in);
        if (!in.empty())
            sending = false; // answered: stop sending, as a client reading answers would
        if (sending && (p.revents & POLLOUT)) {
            auto n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno != EAGAIN) {
                sending = false;
                continue;
            }
            if (n > 0) {
                auto used = static_cast<std::size_t>(n);
                if (headLeft > 0) {
                    auto h = std::min(headLeft, used);
                    headLeft -= h;
                    a.sent += used - h;
                } else {
                    a.sent += used;
                }
                pending.erase(0, used);
            }
        }
    }
    ::close(fd);
    auto end = in.find("\r\n\r\n");
    if (in.rfind("HTTP/1.", 0) == 0 && in.size() > 12)
        a.status = std::stoi(in.substr(9, 3));
    a.head = in.substr(0, end);
    if (end != std::string::npos)
        a.body = in.substr(end + 4);
    return a;
}

std::string gzipOfZeros(std::size_t bytes) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    std::vector<unsigned char> zeros(1 << 20, 0);
    std::string out;
    std::vector<unsigned char> buf(1 << 16);
    std::size_t left = bytes;
    int flush = Z_NO_FLUSH;
    do {
        auto n = std::min(left, zeros.size());
        left -= n;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = zeros.data();
        z.avail_in = static_cast<uInt>(n);
        do {
            z.next_out = buf.data();
            z.avail_out = static_cast<uInt>(buf.size());
            deflate(&z, flush);
            out.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
        } while (z.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&z);
    return out;
}

} // namespace rekap::test
