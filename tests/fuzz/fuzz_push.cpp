// libFuzzer target: the receiver's sync push handler, exactly what an authenticated device's
// request body reaches (rekap/central/push.h), on a real store (SQLite file) with the tiny
// regency. Every input must be answered like the HTTP route answers it: 200 with one result per
// revision, or a 4xx error naming the problem, never a 500, a crash or a sanitizer report. The
// text "@DEV@" in an input stands for the enrolled device's id, so that seeds reach the merge.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "fixtures.h"
#include "http_util.h"
#include "rekap/central/push.h"
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
        store = std::make_unique<central::CentralStore>(dir / "central.db");
        // Durability is not under test here; speed of each run is.
        store->database().exec("PRAGMA synchronous = OFF");
        store->loadRegency(regency);
        auto code = store->mintCodes(protocol::Role::Operator, AreaCode::parse("9901011001001"), 1,
                                     std::chrono::hours(1), "fuzz")[0];
        device = store->authenticate(store->enrol({code, newUuid(), "fuzz"}).token);
        static std::string cleanUp = dir.string();
        std::atexit([] { std::filesystem::remove_all(cleanUp); });
    }
    static Receiver& instance() {
        static Receiver r;
        return r;
    }
};

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
    return 0;
}
