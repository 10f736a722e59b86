// HTTPS with a pinned CA: verification is always on; a device trusts the receiver's certificate
// only through the CA file it is given.

#include <gtest/gtest.h>

#include "child_process.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/sync/sync_client.h"

using namespace rekap;
using namespace rekap::test;

TEST(Tls, PinnedCaIsTrustedAndAnUnknownCertificateIsNot) {
    TempDir dir;
    auto cert = dir.file("cert.pem"), key = dir.file("key.pem");
    auto [rc, out] = runProgram("/usr/bin/openssl",
                                {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                 "-keyout", key, "-out", cert});
    ASSERT_EQ(rc, 0) << out;
    central::ServerOptions o;
    o.certFile = cert;
    o.keyFile = key;
    LiveCentral live(o);
    auto url = "https://127.0.0.1:" + std::to_string(live.port());

    sync::SyncOptions unpinned;
    unpinned.maxAttempts = 1;
    sync::DeviceFile s1(dir.file("d1.db"));
    sync::SyncClient c1(s1, unpinned);
    try {
        c1.enrol(url, live.mint(protocol::Role::Operator, "9901011001001"), "t");
        FAIL() << "trusted a certificate no CA vouches for";
    } catch (const sync::SyncError& e) {
        EXPECT_NE(std::string(e.what()).find("certificate"), std::string::npos) << e.what();
    }

    sync::SyncOptions pinned;
    pinned.http.caFile = cert;
    sync::DeviceFile s2(dir.file("d2.db"));
    sync::SyncClient c2(s2, pinned);
    c2.enrol(url, live.mint(protocol::Role::Operator, "9901011001001"), "t");
    sync::Capture::FinalizeOptions fo;
    s2.capture().finalize(validPpwpSheet(), "Siti", fo);
    EXPECT_EQ(c2.sync().accepted, 1);
}
