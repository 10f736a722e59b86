// Desk sessions: the dashboard's cookie carries a session id, not the token; logout and
// revoking the token end it; tokens are never taken from the URL; writes on the strength of the
// cookie need JSON and our own origin; the dashboard carries the browser's protections.

#include <gtest/gtest.h>
#include <httplib.h>

#include "central_process.h"

using namespace rekap;
using namespace rekap::test;
using nlohmann::json;

namespace {

class DeskSession : public ::testing::Test {
protected:
    void SetUp() override {
        client = std::make_unique<httplib::Client>("127.0.0.1", central.port());
        token = central.deskToken("Desk Uji");
    }
    /// Logs in; returns "rekap_desk=<id>" for a Cookie header.
    std::string login() {
        auto res = client->Post("/desk/login", json{{"token", token}}.dump(), "application/json");
        EXPECT_TRUE(res);
        EXPECT_EQ(res->status, 200) << res->body;
        auto set = res->get_header_value("Set-Cookie");
        return set.substr(0, set.find(';'));
    }
    int me(const std::string& cookie) {
        auto res = client->Get("/api/v1/me", {{"Cookie", cookie}});
        return res ? res->status : 0;
    }
    CentralProcess central;
    std::unique_ptr<httplib::Client> client;
    std::string token;
};

} // namespace

TEST_F(DeskSession, TheCookieCarriesASessionNotTheToken) {
    auto cookie = login();
    EXPECT_EQ(cookie.find(token), std::string::npos) << cookie;
    EXPECT_EQ(me(cookie), 200);
}

TEST_F(DeskSession, ALoggedOutCookieGets401) {
    auto cookie = login();
    ASSERT_EQ(me(cookie), 200);
    auto out = client->Post("/desk/logout", {{"Cookie", cookie}}, "{}", "application/json");
    ASSERT_TRUE(out);
    EXPECT_EQ(out->status, 200);
    EXPECT_EQ(me(cookie), 401) << "the cookie still works after logout";
}

TEST_F(DeskSession, RevokingTheDeskTokenEndsItsSessions) {
    auto cookie = login();
    ASSERT_EQ(me(cookie), 200);
    central.cli({"desk-token", "--revoke", "Desk Uji"});
    EXPECT_EQ(me(cookie), 401);
    auto again = client->Post("/desk/login", json{{"token", token}}.dump(), "application/json");
    EXPECT_EQ(again->status, 401);
}

TEST_F(DeskSession, ATokenInTheUrlIsRefused) {
    auto login = client->Post(("/desk/login?token=" + token).c_str(), "", "application/json");
    ASSERT_TRUE(login);
    EXPECT_NE(login->status, 200);
    EXPECT_FALSE(login->has_header("Set-Cookie"));
    auto me = client->Get(("/api/v1/me?token=" + token).c_str());
    ASSERT_TRUE(me);
    EXPECT_NE(me->status, 200);
}

TEST_F(DeskSession, WritesNeedJsonAndOurOrigin) {
    auto cookie = login();
    json body = {{"sheet", "9901011001001/ppwp"}, {"revision", "x"}, {"reason", "dicek"}};
    // A form posted from another page: text/plain, as a cross-origin form can send it.
    auto form = client->Post("/api/v1/conflicts/resolve",
                             {{"Cookie", cookie}, {"Origin", "http://127.0.0.1:1"}}, body.dump(),
                             "text/plain");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 415) << form->body;
    auto foreign = client->Post("/api/v1/conflicts/resolve",
                                {{"Cookie", cookie}, {"Origin", "http://127.0.0.1:1"}}, body.dump(),
                                "application/json");
    EXPECT_EQ(foreign->status, 403) << foreign->body;
    // From the dashboard itself the request reaches the handler (no such head: 400).
    auto own = client->Post(
        "/api/v1/conflicts/resolve",
        {{"Cookie", cookie}, {"Origin", "http://127.0.0.1:" + std::to_string(central.port())}},
        body.dump(), "application/json");
    EXPECT_EQ(own->status, 400) << own->body;
}

TEST_F(DeskSession, TheDashboardCarriesTheBrowsersProtections) {
    for (const auto* path : {"/", "/assets/app.js"}) {
        auto res = client->Get(path);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200);
        auto csp = res->get_header_value("Content-Security-Policy");
        EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
        EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
        EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
        EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    }
}

TEST_F(DeskSession, TheCookieIsSecureBehindATlsProxy) {
    CentralProcess proxied({"--trust-proxy", "127.0.0.1"});
    auto desk = proxied.deskToken("Desk");
    httplib::Client c("127.0.0.1", proxied.port());
    auto res =
        c.Post("/desk/login", {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-For", "10.1.2.3"}},
               json{{"token", desk}}.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_NE(res->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
    auto plain = c.Post("/desk/login", json{{"token", desk}}.dump(), "application/json");
    EXPECT_EQ(plain->get_header_value("Set-Cookie").find("Secure"), std::string::npos);
}
