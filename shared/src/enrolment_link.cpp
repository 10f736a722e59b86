#include "rekap/enrolment_link.h"

#include <algorithm>
#include <cctype>

#include "rekap/error.h"

namespace rekap {

namespace {

constexpr std::string_view kPrefix = "rekap://enrol?";

bool unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percentEncode(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (unreserved(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string percentDecode(std::string_view text, const std::string& part) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        int hi = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
        int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            throw DecodeError("enrolment link: " + part, "a broken %-escape");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

void checkServer(const std::string& server) {
    bool scheme = server.rfind("https://", 0) == 0 || server.rfind("http://", 0) == 0;
    auto host = server.substr(server.find("//") == std::string::npos ? 0 : server.find("//") + 2);
    bool printable = std::all_of(server.begin(), server.end(),
                                 [](unsigned char c) { return c > 32 && c < 127; });
    if (!scheme || host.empty() || host[0] == '/' || !printable)
        throw DecodeError("enrolment link: server",
                          "\"" + server + "\" is not an http:// or https:// address");
}

void checkCode(const std::string& code) {
    std::size_t symbols = 0;
    for (unsigned char c : code) {
        if (std::isalnum(c))
            ++symbols;
        else if (c != '-' && c != ' ')
            throw DecodeError("enrolment link: code",
                              "an enrolment code holds only letters, digits and dashes");
    }
    if (symbols < 4 || code.size() > 64)
        throw DecodeError("enrolment link: code", "the enrolment code is missing or too short");
}

} // namespace

std::string encodeEnrolmentLink(const EnrolmentLink& link) {
    auto server = link.server;
    while (!server.empty() && server.back() == '/')
        server.pop_back();
    checkServer(server);
    checkCode(link.code);
    return std::string(kPrefix) + "v=" + std::to_string(kEnrolmentLinkVersion) +
           "&server=" + percentEncode(server) + "&code=" + percentEncode(link.code);
}

EnrolmentLink decodeEnrolmentLink(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    if (text.substr(0, kPrefix.size()) != kPrefix)
        throw DecodeError("enrolment link", "this QR code is not a Rekap enrolment code");
    auto query = text.substr(kPrefix.size());
    EnrolmentLink link;
    bool haveVersion = false, haveServer = false, haveCode = false;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        auto eq = pair.find('=');
        auto key = std::string(pair.substr(0, eq));
        auto value = percentDecode(
            eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), key);
        if (key == "v") {
            haveVersion = true;
            if (value != std::to_string(kEnrolmentLinkVersion))
                throw DecodeError("enrolment link: v", "version " + value +
                                                           " of the enrolment code is not known to "
                                                           "this app: update the app");
        } else if (key == "server") {
            haveServer = true;
            link.server = value;
        } else if (key == "code") {
            haveCode = true;
            link.code = value;
        }
        // Unknown keys are left for later versions of the same format to add.
    }
    if (!haveVersion)
        throw DecodeError("enrolment link: v", "missing");
    if (!haveServer)
        throw DecodeError("enrolment link: server", "missing");
    if (!haveCode)
        throw DecodeError("enrolment link: code", "missing");
    checkServer(link.server);
    checkCode(link.code);
    return link;
}

} // namespace rekap
