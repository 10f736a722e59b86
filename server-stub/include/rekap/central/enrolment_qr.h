#pragma once
// Enrolment codes printed as QR codes (libqrencode), for a tablet to scan instead of typing the
// receiver's address and the code. The text is rekap/enrolment_link.h's.

#include <filesystem>
#include <string>

#include "rekap/enrolment_link.h"

namespace rekap::central {

/// Writes `link` as a black-on-white PNG QR code (error correction level M, a quiet zone of
/// four modules, `modulePixels` pixels a module). Throws std::runtime_error naming the file
/// when it cannot be written, DecodeError when the link is not one a tablet could read.
void writeEnrolmentQr(const EnrolmentLink& link, const std::filesystem::path& png,
                      int modulePixels = 10);

/// The same code as an SVG image (one path; a module is one unit, the quiet zone included), for
/// the dashboard's printable slips: sharp at any print size.
std::string enrolmentQrSvg(const EnrolmentLink& link);

} // namespace rekap::central
