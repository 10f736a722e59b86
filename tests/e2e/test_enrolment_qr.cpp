// `rekap-central mint --qr` prints the enrolment as a QR code; a device that decodes the printed
// image (zxing-cpp, as the tablet does) enrols with what it reads.

#include <gtest/gtest.h>

#include <ZXing/ReadBarcode.h>
#include <png.h>

#include "child_process.h"
#include "rekap/enrolment_link.h"
#include "sync_fixture.h"
#include "test_programs.h"

using namespace rekap;
using namespace rekap::test;

namespace {
/// The text of the one QR code in a PNG file; "" when none is found.
std::string decodeQrPng(const std::string& file) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, file.c_str()))
        return {};
    image.format = PNG_FORMAT_GRAY;
    std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr))
        return {};
    auto hints = ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode);
    auto result = ZXing::ReadBarcode({pixels.data(), static_cast<int>(image.width),
                                      static_cast<int>(image.height), ZXing::ImageFormat::Lum},
                                     hints);
    return result.isValid() ? result.text() : std::string();
}
} // namespace

TEST_F(SyncFixture, APrintedEnrolmentQrEnrolsATablet) {
    auto png = live.dir().file("enrol.png");
    auto [rc, out] =
        runProgram(REKAP_CENTRAL_BIN, {"--db", live.dir().file("central.db"), "mint", "--area",
                                       "9901011001001", "--qr", png, "--url", live.url() + "/"});
    ASSERT_EQ(rc, 0) << out;
    auto code = out.substr(0, out.find('\n'));

    auto text = decodeQrPng(png);
    ASSERT_FALSE(text.empty()) << "no QR code in " << png;
    auto link = decodeEnrolmentLink(text);
    EXPECT_EQ(link.server, live.url());
    EXPECT_EQ(link.code, code) << "the printed code is the one minted";

    sync::DeviceFile store(live.dir().file("tablet.db"));
    auto answer = sync::SyncClient(store, fastOptions()).enrol(link.server, link.code, "tablet");
    EXPECT_EQ(answer.scope, "9901011001001");
    EXPECT_TRUE(store.masterData().regency() != nullptr) << "master data fetched";
}

TEST_F(SyncFixture, SeveralQrCodesAreNumberedAndABadUrlMintsNothing) {
    auto base = live.dir().file("slips.png");
    auto [rc, out] = runProgram(
        REKAP_CENTRAL_BIN, {"--db", live.dir().file("central.db"), "mint", "--area", "990101",
                            "--role", "camat", "--count", "2", "--qr", base, "--url", live.url()});
    ASSERT_EQ(rc, 0) << out;
    auto second = decodeEnrolmentLink(decodeQrPng(live.dir().file("slips-2.png")));
    EXPECT_NE(out.find(second.code), std::string::npos);

    auto [bad, badOut] =
        runProgram(REKAP_CENTRAL_BIN, {"--db", live.dir().file("central.db"), "mint", "--area",
                                       "9901011001001", "--qr", base, "--url", "rekap.example"});
    EXPECT_NE(bad, 0);
    EXPECT_TRUE(badOut.empty()) << "no code minted: " << badOut;
    auto [noUrl, noUrlOut] =
        runProgram(REKAP_CENTRAL_BIN, {"--db", live.dir().file("central.db"), "mint", "--area",
                                       "9901011001001", "--qr", base});
    EXPECT_NE(noUrl, 0);
}
