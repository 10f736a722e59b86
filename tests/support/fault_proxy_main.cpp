// rekap-faultproxy: the test suite's FaultProxy as a program, for shell-driven tests such as the
// 2G link (tests/net), where it is the relay that adds the link's delay. Prints
// "listening on HOST:PORT", then on SIGTERM or SIGINT the bytes it forwarded each way.

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "fault_proxy.h"

int main(int argc, char** argv) {
    std::string listenHost = "127.0.0.1", targetHost = "127.0.0.1";
    int listenPort = 0, targetPort = 0, delayMs = 0;
    double faults = 0;
    long cutWithin = 4096;
    std::string only;
    std::uint64_t seed = 1;
    CLI::App app{"rekap-faultproxy: a TCP relay that delays and breaks connections"};
    app.add_option("--listen-host", listenHost)->capture_default_str();
    app.add_option("--listen-port", listenPort, "0: any free port")->capture_default_str();
    app.add_option("--target-host", targetHost)->capture_default_str();
    app.add_option("--target-port", targetPort)->required();
    app.add_option("--delay-ms", delayMs, "Delay of every chunk, each direction")
        ->capture_default_str();
    app.add_option("--faults", faults, "Share of connections broken")->capture_default_str();
    app.add_option("--cut-within", cutWithin, "Cuts fall within this many bytes")
        ->capture_default_str();
    app.add_option("--only", only,
                   "Only these faults, comma-separated: refuse, reset-request, reset-response, "
                   "truncate, stall (default: all, evenly)");
    app.add_option("--seed", seed)->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    try {
        rekap::test::FaultProxy proxy(targetPort, listenHost, listenPort, targetHost);
        proxy.setDelay(std::chrono::milliseconds(delayMs));
        if (faults > 0) {
            auto profile = rekap::test::FaultProfile::uniform(faults, seed);
            if (!only.empty()) {
                profile = {};
                profile.seed = seed;
                int n = 0;
                for (const char* kind :
                     {"refuse", "reset-request", "reset-response", "truncate", "stall"})
                    n += only.find(kind) != std::string::npos;
                auto share = n ? faults / n : 0;
                auto set = [&](const char* kind, double& chance) {
                    if (only.find(kind) != std::string::npos)
                        chance = share;
                };
                set("refuse", profile.refuse);
                set("reset-request", profile.resetRequest);
                set("reset-response", profile.resetResponse);
                set("truncate", profile.truncateResponse);
                set("stall", profile.stall);
            }
            profile.cutWithin = cutWithin;
            proxy.setFaults(profile);
        }
        std::cout << "listening on " << listenHost << ":" << proxy.port() << std::endl;
        int signal = 0;
        sigwait(&stop, &signal);
        std::cout << "bytes up " << proxy.bytesUp() << ", down " << proxy.bytesDown() << "; "
                  << proxy.counts().summary() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "rekap-faultproxy: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
