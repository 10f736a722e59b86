#include "raw_http.h"

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
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

int peekStatus(int fd) {
    char buf[13] = {};
    auto n = ::recv(fd, buf, 12, MSG_PEEK | MSG_DONTWAIT);
    if (n < 12 || std::string(buf, 5) != "HTTP/")
        return 0;
    return std::atoi(buf + 9);
}

FloodResult flood(int port, int connections, const std::string& head, std::size_t bodyBytes,
                  int seconds, const std::function<void()>& during) {
    using Clock = std::chrono::steady_clock;
    struct Conn {
        int fd = -1;
        std::size_t left = 0;
        std::string in;
        bool closed = false;
    };
    std::vector<Conn> conns(static_cast<std::size_t>(connections));
    for (auto& c : conns) {
        c.fd = connectLoopback(port);
        c.left = bodyBytes;
        std::size_t off = 0;
        while (off < head.size()) { // a head fits in the socket's buffer: this does not block
            auto n = ::send(c.fd, head.data() + off, head.size() - off, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            off += static_cast<std::size_t>(n);
        }
    }
    std::thread meanwhile;
    if (during)
        meanwhile = std::thread(during);
    FloodResult r;
    static const std::string filler(256 * 1024, ' ');
    auto deadline = Clock::now() + std::chrono::seconds(seconds);
    for (bool busy = true; busy && Clock::now() < deadline;) {
        busy = false;
        bool moved = false;
        for (auto& c : conns) {
            if (c.closed)
                continue;
            char buf[4096];
            auto n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) {
                c.in.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n), 2048));
                moved = true;
            } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                c.closed = true;
                continue;
            }
            if (c.left > 0 && c.in.empty()) {
                auto s = ::send(c.fd, filler.data(), std::min(c.left, filler.size()),
                                MSG_NOSIGNAL | MSG_DONTWAIT);
                if (s > 0) {
                    c.left -= static_cast<std::size_t>(s);
                    r.sent += static_cast<std::size_t>(s);
                    moved = true;
                } else if (s < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    c.closed = true;
                    continue;
                }
            }
            // Still going: sending, or waiting for an answer to a body sent all but its end.
            busy = busy || c.in.empty();
        }
        if (!moved)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (meanwhile.joinable())
        meanwhile.join();
    for (auto& c : conns) {
        int status = 0;
        if (c.in.rfind("HTTP/1.", 0) == 0 && c.in.size() > 12)
            status = std::atoi(c.in.c_str() + 9);
        ++r.statuses[status];
        auto lower = c.in;
        for (auto& ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (auto at = lower.find("\r\nretry-after: "); at != std::string::npos)
            r.retryAfter = c.in.substr(at + 15, c.in.find("\r\n", at + 2) - at - 15);
        ::close(c.fd);
    }
    return r;
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
