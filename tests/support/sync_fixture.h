#pragma once
// A live receiver and devices that talk to it (directly or through a FaultProxy).

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "fault_proxy.h"
#include "fixtures.h"
#include "live_central.h"
#include "rekap/sync/sync_client.h"
#include "store_sql.h"

namespace rekap::test {

struct Device {
    std::unique_ptr<sync::DeviceFile> store;
    std::unique_ptr<sync::SyncClient> client;
};

class SyncFixture : public ::testing::Test {
protected:
    /// A device enrolled as operator of `tps`, reaching the receiver at `url` (default: direct).
    Device device(const std::string& tps = "9901011001001", std::string url = {},
                  sync::SyncOptions options = fastOptions()) {
        Device d;
        d.store = std::make_unique<sync::DeviceFile>(
            live.dir().file("device-" + std::to_string(devices_++) + ".db"));
        // Enrolled by a client of its own, as at the office before election day: the sync
        // client below starts without an open connection, so a proxy's "next connection" fault
        // meets its first request.
        sync::SyncClient(*d.store, options)
            .enrol(url.empty() ? live.url() : url, live.mint(protocol::Role::Operator, tps),
                   "test device");
        d.client = std::make_unique<sync::SyncClient>(*d.store, options);
        return d;
    }
    static sync::SyncOptions fastOptions() {
        sync::SyncOptions o;
        o.baseBackoff = std::chrono::milliseconds(10);
        o.maxBackoff = std::chrono::milliseconds(50);
        o.http.connectTimeoutMs = 2000;
        o.http.requestTimeoutMs = 10000;
        return o;
    }
    Revision record(Device& d, const Sheet& s, std::string reason = {}) {
        sync::Capture::FinalizeOptions o;
        o.reason = std::move(reason);
        return d.store->capture().finalize(s, "Siti", o);
    }
    SheetState stateOf(Device& d, const std::string& id) {
        return d.store->outbox().entry(id)->state;
    }
    /// A photo file of `size` bytes, different for each `seed`.
    std::string writePhoto(std::size_t size, int seed) {
        std::string bytes;
        for (int i = 0; bytes.size() < size; ++i)
            bytes += std::to_string(seed) + ":" + std::to_string(i * 7919) + ",";
        bytes.resize(size);
        auto file = live.dir().file("photo-" + std::to_string(seed) + ".jpg");
        std::ofstream(file, std::ios::binary) << bytes;
        return file;
    }
    /// What the receiver keeps of a photo once complete ("" until then).
    std::string photoAtReceiver(const std::string& sha) {
        std::ifstream in(live.dir().path() / "photos" / (sha + ".jpg"), std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    /// The receiver's latest change: where a device that pulled everything stands.
    std::int64_t latestChange() {
        auto sql = sqlOf(live.store());
        auto st = sql->prepare("SELECT COALESCE(MAX(seq), 0) FROM changes");
        st.step();
        return st.int64(0);
    }

    LiveCentral live;
    int devices_ = 0;
};

} // namespace rekap::test
