// The enrolment QR's text: what the desk prints is what the tablet reads, and anything else is
// refused with a reason.

#include <gtest/gtest.h>

#include "rekap/enrolment_link.h"
#include "rekap/error.h"

using namespace rekap;

TEST(EnrolmentLink, RoundTrips) {
    EnrolmentLink link{"https://rekap.hss.go.id:8443/base", "K7QM-4XPD-93TA"};
    auto text = encodeEnrolmentLink(link);
    EXPECT_EQ(text, "rekap://enrol?v=1&server=https%3A%2F%2Frekap.hss.go.id%3A8443%2Fbase"
                    "&code=K7QM-4XPD-93TA");
    EXPECT_EQ(decodeEnrolmentLink(text), link);
    EXPECT_EQ(decodeEnrolmentLink(text + "\n"), link) << "a scanner's trailing newline";
}

TEST(EnrolmentLink, TrailingSlashOfTheServerIsDropped) {
    auto text = encodeEnrolmentLink({"http://127.0.0.1:8080/", "ABCD-EFGH"});
    EXPECT_EQ(decodeEnrolmentLink(text).server, "http://127.0.0.1:8080");
}

TEST(EnrolmentLink, UnknownKeysAreLeftForLaterVersions) {
    auto link = decodeEnrolmentLink("rekap://enrol?v=1&label=TPS%20001&server=http%3A%2F%2Fa"
                                    "&code=ABCD");
    EXPECT_EQ(link.server, "http://a");
    EXPECT_EQ(link.code, "ABCD");
}

TEST(EnrolmentLink, RefusesWhatIsNotAnEnrolment) {
    auto where = [](const std::string& text) {
        try {
            decodeEnrolmentLink(text);
        } catch (const DecodeError& e) {
            return e.where();
        }
        return std::string("accepted");
    };
    EXPECT_EQ(where("https://example.com"), "enrolment link");
    EXPECT_EQ(where("rekap://enrol?v=2&server=http%3A%2F%2Fa&code=ABCD"), "enrolment link: v");
    EXPECT_EQ(where("rekap://enrol?server=http%3A%2F%2Fa&code=ABCD"), "enrolment link: v");
    EXPECT_EQ(where("rekap://enrol?v=1&server=ftp%3A%2F%2Fa&code=ABCD"), "enrolment link: server");
    EXPECT_EQ(where("rekap://enrol?v=1&server=http%3A%2F%2F&code=ABCD"), "enrolment link: server");
    EXPECT_EQ(where("rekap://enrol?v=1&server=http%3A%2F%2Fa&code=AB"), "enrolment link: code");
    EXPECT_EQ(where("rekap://enrol?v=1&server=http%3A%2F%2Fa&code=AB%3BCD"),
              "enrolment link: code");
    EXPECT_EQ(where("rekap://enrol?v=1&server=http%3A%2F%2Fa&code=AB%2"), "enrolment link: code");
    EXPECT_EQ(where("rekap://enrol?v=1&code=ABCD"), "enrolment link: server");
    EXPECT_THROW(encodeEnrolmentLink({"rekap.hss.go.id", "ABCD"}), DecodeError);
    EXPECT_THROW(encodeEnrolmentLink({"http://a", ""}), DecodeError);
}
