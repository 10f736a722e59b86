#pragma once
// Where a test's receiver store lives: a SQLite file in the test's folder, or a fresh
// PostgreSQL database on the throwaway cluster that scripts/test starts (REKAP_TEST_POSTGRES,
// an admin URL whose role may create databases). Suites that must hold on both engines are
// parameterised by StoreKind (INSTANTIATE_STORE_SUITE below), not copied.

#include <atomic>
#include <cstdlib>
#include <gtest/gtest.h>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "rekap/central/database.h"
#include "rekap/central/store.h"
#include "temp_dir.h"

namespace rekap::test {

enum class StoreKind { SQLite, PostgreSQL };

inline std::string storeKindName(const ::testing::TestParamInfo<StoreKind>& info) {
    return info.param == StoreKind::SQLite ? "sqlite" : "postgresql";
}

/// The throwaway cluster's admin URL, "" when scripts/test could not start one.
inline std::string postgresAdminUrl() {
    const char* url = std::getenv("REKAP_TEST_POSTGRES");
    return url ? url : "";
}

/// The one line a PostgreSQL test prints when it finds no cluster.
inline constexpr const char* kNoPostgres =
    "no PostgreSQL: REKAP_TEST_POSTGRES is not set (scripts/test sets it when it can start a "
    "throwaway cluster)";

/// Whether this run was told to leave PostgreSQL out (REKAP_TEST_SKIP_POSTGRES=1). Without that,
/// a PostgreSQL test that finds no cluster fails: a green run must not hide half the suite.
inline bool postgresMaySkip() {
    const char* v = std::getenv("REKAP_TEST_SKIP_POSTGRES");
    return v && std::string(v) == "1";
}

/// In a test or its SetUp without a cluster: skips when told to, fails otherwise. Returns from
/// the function either way; a derived SetUp checks IsSkipped() || HasFatalFailure().
#define REKAP_WITHOUT_POSTGRES()                                                                   \
    do {                                                                                           \
        if (::rekap::test::postgresMaySkip())                                                      \
            GTEST_SKIP() << ::rekap::test::kNoPostgres;                                            \
        GTEST_FAIL() << ::rekap::test::kNoPostgres                                                 \
                     << " (REKAP_TEST_SKIP_POSTGRES=1 skips the PostgreSQL tests on purpose)";     \
    } while (false)

class StoreLocation {
public:
    StoreLocation(StoreKind kind, const TempDir& dir)
        : kind_(kind) {
        options_.signingKeyFile = dir.file("central.key");
        if (kind == StoreKind::SQLite) {
            location_ = dir.file("central.db");
            options_.signingKeyFile.clear(); // the default: beside the file
            return;
        }
        admin_ = postgresAdminUrl();
        if (admin_.empty())
            return;
        static std::atomic<int> serial{0};
        name_ = "rekap_t_" + std::to_string(::getpid()) + "_" + std::to_string(++serial) + "_" +
                std::to_string(std::random_device()() % 100000);
        central::db::open(admin_)->exec("CREATE DATABASE " + name_);
        location_ = admin_.substr(0, admin_.rfind('/') + 1) + name_;
    }
    ~StoreLocation() {
        if (name_.empty())
            return;
        try {
            central::db::open(admin_)->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (const std::exception&) {
            // the cluster is torn down at the end anyway
        }
    }
    StoreLocation(const StoreLocation&) = delete;
    StoreLocation& operator=(const StoreLocation&) = delete;

    /// True when this is PostgreSQL and there is no cluster: the test skips.
    bool unavailable() const { return location_.empty(); }
    const std::string& location() const { return location_; }
    const central::StoreOptions& options() const { return options_; }
    StoreKind kind() const { return kind_; }

private:
    StoreKind kind_;
    std::string admin_, name_, location_;
    central::StoreOptions options_;
};

/// rekap-central's arguments for a receiver on `location` with the photo folder `photos`.
inline std::vector<std::string> receiverArgs(const StoreLocation& location,
                                             const std::string& photos,
                                             std::vector<std::string> args) {
    std::vector<std::string> out{"--db",          location.location(),
                                 "--photos",      photos,
                                 "--signing-key", location.options().signingKeyFile.string()};
    out.insert(out.end(), args.begin(), args.end());
    return out;
}

} // namespace rekap::test

/// Runs a TEST_P suite on both engines: Stores/<Suite>.<Test>/sqlite and .../postgresql.
#define INSTANTIATE_STORE_SUITE(suite)                                                             \
    INSTANTIATE_TEST_SUITE_P(                                                                      \
        Stores, suite,                                                                             \
        ::testing::Values(::rekap::test::StoreKind::SQLite, ::rekap::test::StoreKind::PostgreSQL), \
        ::rekap::test::storeKindName)
