// rekap-crash-device: a device process for the crash tests that kills itself with SIGKILL at an
// exact point of its work (DeviceFile's fail points), so that a test knows where the kill
// landed instead of guessing from a random sleep. It prints "at <point>" just before the kill,
// "saved <id>" after a finalize and "synced" after a sync, like rekap-field.
//
//   rekap-crash-device --store DB --kill-at POINT [--kill-on N] record SHEET.json
//   rekap-crash-device --store DB --kill-at POINT [--kill-on N] sync [--batch N]

#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "rekap/json_reader.h"
#include "rekap/sheet_codec.h"
#include "rekap/sync/sync_client.h"

using namespace rekap;

int main(int argc, char** argv) {
    CLI::App app{"rekap-crash-device: a device that kills itself at a fail point"};
    app.require_subcommand(1);
    std::string storePath, killAt, sheetFile;
    int killOn = 1;
    std::size_t batch = 10;
    app.add_option("--store", storePath)->required();
    app.add_option("--kill-at", killAt, "Fail point to die at (\"\": none)");
    app.add_option("--kill-on", killOn, "Die the Nth time the point is reached");
    auto* record = app.add_subcommand("record");
    record->add_option("sheet", sheetFile)->required();
    auto* sync = app.add_subcommand("sync");
    sync->add_option("--batch", batch);
    CLI11_PARSE(app, argc, argv);

    try {
        sync::DeviceFile store(storePath);
        int reached = 0;
        store.setFailPointHook([&](std::string_view point) {
            if (point != killAt || ++reached < killOn)
                return;
            std::cout << "at " << point << std::endl;
            ::kill(::getpid(), SIGKILL); // no clean-up, no flush: a power cut
            ::pause();
        });
        if (*record) {
            std::ifstream in(sheetFile);
            std::stringstream text;
            text << in.rdbuf();
            auto sheet =
                decodeSheet(parseJsonText(text.str(), sheetFile), *store.masterData().regency());
            auto rev = store.capture().finalize(sheet, "Siti", {});
            std::cout << "saved " << rev.id << std::endl;
        } else {
            sync::SyncOptions options;
            options.maxBatchCount = batch;
            options.answerWhenStored = false; // test_crash.cpp counts final answers per batch
            options.baseBackoff = std::chrono::milliseconds(10);
            options.maxBackoff = std::chrono::milliseconds(100);
            sync::SyncClient(store, options).sync();
            std::cout << "synced" << std::endl;
        }
    } catch (const std::exception& e) {
        std::cerr << "rekap-crash-device: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
