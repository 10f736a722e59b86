// Request framing (RFC 9112 section 6, issue 26): a transfer coding other than one "chunked", or
// one beside a Content-Length, is refused with 400 and the connection closed, so that a request
// hidden in the body is never answered.

#include <gtest/gtest.h>

#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "central_process.h"
#include "raw_http.h"

using namespace rekap::test;

TEST(Framing, ATransferCodingOtherThanChunkedIsRefusedNotFramedByItsLength) {
    CentralProcess central;
    // What the issue sent: a coding the receiver does not know, and a length that frames the
    // body so that a second request hides behind it.
    const std::string hidden = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (const std::string coding :
         {"xchunked", "chunked, identity", "gzip", "chunked\r\nTransfer-Encoding: chunked"}) {
        SCOPED_TRACE(coding);
        int fd = connectLoopback(central.port());
        auto request = "POST /desk/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                       "application/json\r\nTransfer-Encoding: " +
                       coding + "\r\nContent-Length: 2\r\n\r\n{}" + hidden;
        ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
                  static_cast<ssize_t>(request.size()));
        std::string in;
        timeval tv{10, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[4096];
        for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
            in.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        EXPECT_EQ(in.rfind("HTTP/1.1 400", 0), 0u) << in;
        EXPECT_EQ(in.find("HTTP/1.1", 1), std::string::npos) << "the hidden request was answered:\n"
                                                             << in;
    }
    // Chunked alone is still taken.
    int fd = connectLoopback(central.port());
    std::string chunked =
        "POST /desk/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        "application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
    ::send(fd, chunked.data(), chunked.size(), MSG_NOSIGNAL);
    char buf[4096];
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto n = ::recv(fd, buf, sizeof buf, 0);
    ::close(fd);
    ASSERT_GT(n, 12);
    EXPECT_EQ(std::string(buf, 12), "HTTP/1.1 200");
}
