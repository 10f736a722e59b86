// libFuzzer target: the receiver's sync push handler, exactly what an authenticated device's
// request body reaches (rekap/central/push.h), on a real store (SQLite file) with the tiny
// regency. Every input must be answered like the HTTP route answers it: 200 with one result per
// revision (checked: as many results as revisions, in order, each with its revision's id and a
// known status), or a 4xx error naming the problem, never a 500, a crash or a sanitizer report. The
// text "@DEV@" in an input stands for the enrolled device's id, so that seeds reach the merge.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "api/http_util.h"
#include "fixtures.h"
#include "rekap/central/push.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

using namespace rekap;

namespace {

struct Receiver {
    std::filesystem::path dir;
    std::unique_ptr<central::CentralStore> store;
    central::DeviceRecord device;

    Receiver() {
        dir = std::filesystem::temp_directory_path() /
              ("rekap-fuzz-push-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        auto regency = dir / "regency.json";
        std::ofstream(regency) << test::tinyRegencyJson().dump();
        // Durability is not under test here; speed of each run is.
        central::StoreOptions options;
        options.durable = false;
        store = std::make_unique<central::CentralStore>(dir / "central.db", options);
        store->masterData().loadRegency(regency);
        auto code =
            store->registry().mintCodes(protocol::Role::Operator, AreaCode::parse("9901011001001"),
                                        1, std::chrono::hours(1), "fuzz")[0];
        // Enrolled with a key, as every device is since protocol 2; the fuzzed revisions are not
        // signed by it, so those that decode are refused: the decoder and the answer's shape
        // are what is fuzzed here (signed revisions: tests/server/test_ledger.cpp).
        device = store->registry().authenticate(
            store->registry()
                .enrol({code, newUuid(), "fuzz", signing::generateKeyPair().publicKey})
                .token);
        static std::string cleanUp = dir.string();
        std::atexit([] { std::filesystem::remove_all(cleanUp); });
    }
    static Receiver& instance() {
        static Receiver r;
        return r;
    }
};

[[noreturn]] void wrong(const std::string& why, const std::string& request,
                        const std::string& answer) {
    std::cerr << "fuzz_push: " << why << "\nrequest: " << request.substr(0, 2000)
              << "\nanswer: " << answer.substr(0, 2000) << "\n";
    std::abort();
}

/// A 200 answers every revision of the request, in order: one result each, with its id, and a
/// status the protocol knows (docs/protocol.md). Nothing may be skipped or answered twice.
void checkOneResultPerRevision(const std::string& request, const std::string& answer) {
    auto sent = nlohmann::json::parse(request, nullptr, false);
    auto got = nlohmann::json::parse(answer, nullptr, false);
    if (sent.is_discarded() || !sent.is_object() || !sent.contains("revisions") ||
        !sent["revisions"].is_array())
        wrong("a 200 for a request without a revisions array", request, answer);
    if (!got.is_object() || !got.contains("results") || !got["results"].is_array())
        wrong("a 200 without results", request, answer);
    const auto& revisions = sent["revisions"];
    const auto& results = got["results"];
    if (results.size() != revisions.size())
        wrong(std::to_string(revisions.size()) + " revisions answered with " +
                  std::to_string(results.size()) + " results",
              request, answer);
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        const auto& rev = revisions[i];
        auto status = r.is_object() && r.contains("status") && r["status"].is_string()
                          ? protocol::parsePushStatus(r["status"].get<std::string>())
                          : std::nullopt;
        if (!status)
            wrong("result " + std::to_string(i) + " has no known status", request, answer);
        if (rev.is_object() && rev.contains("id") && rev["id"].is_string() &&
            r.value("id", std::string()) != rev["id"].get<std::string>())
            wrong("result " + std::to_string(i) + " answers another revision", request, answer);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto& receiver = Receiver::instance();
    std::string body(reinterpret_cast<const char*>(data), size);
    for (std::size_t at; (at = body.find("@DEV@")) != std::string::npos;)
        body.replace(at, 5, receiver.device.id);
    central::http::Response res;
    central::guarded(res, [&] {
        central::sendJson(res, 200,
                          central::handlePush(*receiver.store, receiver.device, body, {}));
    });
    if (res.status >= 500) {
        std::cerr << "fuzz_push: HTTP " << res.status << " for a device's request: " << res.body
                  << "\n";
        std::abort();
    }
    if (res.status == 200)
        checkOneResultPerRevision(body, res.body);
    return 0;
}
