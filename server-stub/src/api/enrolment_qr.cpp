#include "rekap/central/enrolment_qr.h"

#include <memory>
#include <png.h>
#include <qrencode.h>
#include <stdexcept>
#include <vector>

namespace rekap::central {

namespace {

constexpr int kQuiet = 4; // modules of white around the code, as scanners expect

std::unique_ptr<QRcode, decltype(&QRcode_free)> encodeLink(const EnrolmentLink& link) {
    auto text = encodeEnrolmentLink(link);
    // Level M (15 % of the code may be lost): a printed slip gets folded and smudged.
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
        QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!qr)
        throw std::runtime_error("cannot encode the enrolment link as a QR code");
    return qr;
}

} // namespace

std::string enrolmentQrSvg(const EnrolmentLink& link) {
    auto qr = encodeLink(link);
    const int side = qr->width + 2 * kQuiet;
    std::string path;
    for (int y = 0; y < qr->width; ++y)
        for (int x = 0; x < qr->width; ++x)
            if (qr->data[y * qr->width + x] & 1) {
                // Appended piece by piece: GCC 12 at -O3 warns (-Werror=restrict, its bug 105329)
                // on "literal" + std::to_string(...).
                path += 'M';
                path += std::to_string(x + kQuiet);
                path += ' ';
                path += std::to_string(y + kQuiet);
                path += "h1v1h-1z";
            }
    auto n = std::to_string(side);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
           "\" shape-rendering=\"crispEdges\"><rect width=\"" + n + "\" height=\"" + n +
           "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

void writeEnrolmentQr(const EnrolmentLink& link, const std::filesystem::path& png,
                      int modulePixels) {
    auto qr = encodeLink(link);
    const int modules = qr->width + 2 * kQuiet;
    const int side = modules * modulePixels;
    std::vector<unsigned char> pixels(static_cast<std::size_t>(side) * side, 255);
    for (int y = 0; y < qr->width; ++y)
        for (int x = 0; x < qr->width; ++x) {
            if (!(qr->data[y * qr->width + x] & 1))
                continue;
            for (int dy = 0; dy < modulePixels; ++dy)
                for (int dx = 0; dx < modulePixels; ++dx)
                    pixels[static_cast<std::size_t>((y + kQuiet) * modulePixels + dy) * side +
                           (x + kQuiet) * modulePixels + dx] = 0;
        }
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(side);
    image.height = static_cast<png_uint_32>(side);
    image.format = PNG_FORMAT_GRAY;
    if (!png_image_write_to_file(&image, png.c_str(), 0, pixels.data(), side, nullptr))
        throw std::runtime_error(png.string() + ": cannot write the QR code: " + image.message);
}

} // namespace rekap::central
