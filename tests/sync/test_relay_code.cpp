// The QR relay's codes (sync/relay_code.h): a series decodes back to exactly the revisions it
// was made of, group by group; a frame names what is wrong with it; nothing inflates without end.

#include <gtest/gtest.h>

#include "gzip.h"
#include "rekap/error.h"
#include "rekap/sync/relay_code.h"

using namespace rekap;
using namespace rekap::sync;

namespace {

/// A revision-like object of about `size` characters that compresses poorly, as signed
/// revisions do (hashes, signatures, ids).
nlohmann::json revision(int n, std::size_t size = 400) {
    std::string noise;
    unsigned x = 2166136261u ^ static_cast<unsigned>(n);
    while (noise.size() < size) {
        x = x * 16777619u + 12345u;
        noise += "0123456789abcdef"[(x >> 13) & 15];
    }
    return {{"id", "rev-" + std::to_string(n)}, {"device", "dev-1"}, {"signature", noise}};
}

std::vector<nlohmann::json> revisions(int count, std::size_t size = 400) {
    std::vector<nlohmann::json> out;
    for (int i = 0; i < count; ++i)
        out.push_back(revision(i, size));
    return out;
}

/// Decodes every group of a series in order.
std::vector<nlohmann::json> decodeAll(const std::vector<std::string>& codes) {
    std::vector<relay::Frame> frames;
    for (const auto& c : codes)
        frames.push_back(*relay::parseFrame(c));
    std::vector<nlohmann::json> out;
    for (std::size_t i = 0; i < frames.size();) {
        std::vector<relay::Frame> group(frames.begin() + static_cast<std::ptrdiff_t>(i),
                                        frames.begin() + static_cast<std::ptrdiff_t>(i) +
                                            frames[i].groupSize);
        for (const auto& r : relay::decodeGroup(group))
            out.push_back(r);
        i += static_cast<std::size_t>(frames[i].groupSize);
    }
    return out;
}

} // namespace

TEST(RelayCode, ASeriesDecodesToTheRevisionsItWasMadeOfInOrder) {
    for (std::size_t chars : {120u, 300u, 600u, 2000u}) {
        auto revs = revisions(7);
        auto codes = relay::encodeSeries(revs, {chars});
        ASSERT_FALSE(codes.empty());
        for (std::size_t i = 0; i < codes.size(); ++i) {
            EXPECT_LE(codes[i].size(), chars) << "code " << i + 1;
            auto f = *relay::parseFrame(codes[i]);
            EXPECT_EQ(f.number, static_cast<int>(i) + 1);
            EXPECT_EQ(f.count, static_cast<int>(codes.size()));
            EXPECT_EQ(relay::encodeFrame(f), codes[i]);
        }
        EXPECT_EQ(decodeAll(codes), revs) << chars << " characters a code";
    }
}

TEST(RelayCode, SmallSheetsShareACodeAndALargeOneSpansSeveral) {
    auto small = relay::encodeSeries(revisions(3, 60), {600});
    EXPECT_EQ(small.size(), 1u);
    auto large = relay::encodeSeries({revision(1, 3000)}, {600});
    ASSERT_GT(large.size(), 1u);
    auto f = *relay::parseFrame(large.back());
    EXPECT_EQ(f.groupStart, 1);
    EXPECT_EQ(f.groupSize, static_cast<int>(large.size()));
}

TEST(RelayCode, TheSameQueueShowsTheSameSeriesAndAnotherQueueAnother) {
    auto a = relay::encodeSeries(revisions(4));
    EXPECT_EQ(a, relay::encodeSeries(revisions(4)));
    auto b = relay::encodeSeries(revisions(5));
    EXPECT_NE(relay::parseFrame(a[0])->series, relay::parseFrame(b[0])->series);
    EXPECT_TRUE(relay::encodeSeries({}).empty());
}

TEST(RelayCode, OtherQrCodesAreNotRelayCodes) {
    EXPECT_FALSE(relay::parseFrame("https://rekap.example/enrol#code=AB12"));
    EXPECT_FALSE(relay::parseFrame(""));
}

TEST(RelayCode, AMalformedCodeNamesItsPart) {
    auto where = [](const std::string& text) {
        try {
            relay::parseFrame(text);
        } catch (const DecodeError& e) {
            return e.where();
        }
        return std::string("accepted");
    };
    EXPECT_EQ(where("RKR1/0123abcd/1/2/1/1"), "relay code");
    EXPECT_EQ(where("RKR1/0123ABCD/1/2/1/1/QUJD"), "series");
    EXPECT_EQ(where("RKR1/0123abcd/x/2/1/1/QUJD"), "number");
    EXPECT_EQ(where("RKR1/0123abcd/0/2/1/1/QUJD"), "number");
    EXPECT_EQ(where("RKR1/0123abcd/1/1000/1/1/QUJD"), "count");
    EXPECT_EQ(where("RKR1/0123abcd/3/2/1/1/QUJD"), "number");
    EXPECT_EQ(where("RKR1/0123abcd/2/3/1/1/QUJD"), "group");
    EXPECT_EQ(where("RKR1/0123abcd/2/2/2/2/QUJD"), "group");
    EXPECT_EQ(where("RKR1/0123abcd/1/1/1/1/QU+D"), "data");
    EXPECT_EQ(where("RKR1/0123abcd/1/1/1/1/"), "data");
    EXPECT_EQ(where("RKR1/0123abcd/1/1/1/1/QUJD"), "accepted");
}

TEST(RelayCode, AGroupMustBeWholeInOrderAndDecodeToRevisions) {
    auto codes = relay::encodeSeries({revision(1, 3000)}, {300});
    std::vector<relay::Frame> frames;
    for (const auto& c : codes)
        frames.push_back(*relay::parseFrame(c));
    auto missing = frames;
    missing.pop_back();
    EXPECT_THROW(relay::decodeGroup(missing), DecodeError);
    auto swapped = frames;
    std::swap(swapped[0], swapped[1]);
    EXPECT_THROW(relay::decodeGroup(swapped), DecodeError);
    auto misread = frames;
    misread[1].data[3] = misread[1].data[3] == 'a' ? 'b' : 'a';
    EXPECT_THROW(relay::decodeGroup(misread), DecodeError);
    EXPECT_EQ(relay::decodeGroup(frames).size(), 1u);

    // Well-formed gzip of something that is not a list of revisions.
    auto notRevisions = [](const std::string& json) {
        std::string b64;
        const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        auto gz = gzipCompress(json);
        for (std::size_t i = 0; i < gz.size(); i += 3) {
            unsigned v = static_cast<unsigned char>(gz[i]) << 16;
            if (i + 1 < gz.size())
                v |= static_cast<unsigned char>(gz[i + 1]) << 8;
            if (i + 2 < gz.size())
                v |= static_cast<unsigned char>(gz[i + 2]);
            b64 += abc[(v >> 18) & 63];
            b64 += abc[(v >> 12) & 63];
            if (i + 1 < gz.size())
                b64 += abc[(v >> 6) & 63];
            if (i + 2 < gz.size())
                b64 += abc[v & 63];
        }
        return relay::Frame{"0123abcd", 1, 1, 1, 1, b64};
    };
    EXPECT_EQ(relay::decodeGroup({notRevisions(R"([{"id":"x"}])")}).size(), 1u);
    EXPECT_THROW(relay::decodeGroup({notRevisions(R"({"id":"x"})")}), DecodeError);
    EXPECT_THROW(relay::decodeGroup({notRevisions("[]")}), DecodeError);
    EXPECT_THROW(relay::decodeGroup({notRevisions("[1,2]")}), DecodeError);
    // A code crafted to inflate to gigabytes is refused at the limit.
    EXPECT_THROW(relay::decodeGroup({notRevisions(std::string(relay::kMaxGroupBytes + 1, ' '))}),
                 DecodeError);
}

TEST(RelayCode, AQueueTooLargeForQrCodesIsSaidSo) {
    EXPECT_THROW(relay::encodeSeries(revisions(400, 2000), {200}), std::length_error);
}
