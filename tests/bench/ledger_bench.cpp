// Google Benchmark figures of issue 13 for docs/benchmarks.md: signing a revision on the device
// and checking its signature at the receiver; an inclusion proof of the ledger's Merkle tree
// (its size as /api/v1/ledger/proof serves it, and the time to build and to check it). Linked
// into rekap_bench beside rekap_bench.cpp.

#include <benchmark/benchmark.h>

#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "../sim/sheet_maker.h"
#include "rekap/master_data.h"
#include "rekap/merkle.h"
#include "rekap/revision.h"
#include "rekap/signing.h"
#include "rekap/support/random.h"

using namespace rekap;

namespace {

const std::string kRegency = std::string(REKAP_DATA_DIR) + "/regencies/banyuasin-1607.json";

const Regency& banyuasin() {
    static const Regency reg = loadRegencyFile(kRegency);
    return reg;
}

/// A finalized, unsigned revision of the first TPS of Banyuasin for contest `code`.
Revision revisionFor(const std::string& code) {
    const auto& reg = banyuasin();
    std::mt19937_64 rng(9);
    Revision r;
    r.id = newUuid();
    r.device = newUuid();
    r.operatorName = "bench";
    r.capturedAt = "2024-02-14T09:00:00Z";
    for (const auto& c : reg.contests)
        if (c.code == code)
            r.sheet = sim::makeSheet(reg, reg.tps[0], c, rng);
    return r;
}

/// Arg 0: PPWP (3 paslon); 1: DPRD Kabupaten/Kota (18 parties of 8 caleg each: 162 lines, as
/// large as Banyuasin's sheets get).
const char* contestOf(benchmark::State& state) {
    return state.range(0) == 0 ? "ppwp" : "pdprdk";
}

void sheetCounters(benchmark::State& state, const Revision& r) {
    std::size_t lines = r.sheet.candidates.size();
    for (const auto& p : r.sheet.parties)
        lines += 1 + p.candidates.size();
    state.counters["lines"] = static_cast<double>(lines);
    state.counters["canonical_bytes"] = static_cast<double>(canonicalRevisionText(r).size());
    state.SetLabel(contestOf(state));
}

void BM_SignRevision(benchmark::State& state) {
    // What the device does at finalize: the revision's hash (its canonical text and SHA-256),
    // the signing text, and the Ed25519 signature.
    auto key = signing::generateKeyPair();
    auto r = revisionFor(contestOf(state));
    for (auto _ : state) {
        signRevision(r, key.privateKey);
        benchmark::DoNotOptimize(r.signature);
    }
    sheetCounters(state, r);
}
BENCHMARK(BM_SignRevision)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_SignRevisionSignatureOnly(benchmark::State& state) {
    // The part signing adds to what finalize already did (the hash): the signing text and the
    // Ed25519 signature.
    auto key = signing::generateKeyPair();
    auto r = revisionFor(contestOf(state));
    auto hash = r.hash();
    for (auto _ : state)
        benchmark::DoNotOptimize(signing::sign(key.privateKey, revisionSigningText(r, hash)));
    sheetCounters(state, r);
}
BENCHMARK(BM_SignRevisionSignatureOnly)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_CheckRevisionSignature(benchmark::State& state) {
    // What the receiver adds per revision: it has the hash from decoding the revision, so the
    // check is the signing text and the Ed25519 verification, whatever the sheet's size.
    auto key = signing::generateKeyPair();
    auto r = revisionFor(contestOf(state));
    signRevision(r, key.privateKey);
    auto hash = r.hash();
    for (auto _ : state)
        if (!revisionSignatureValid(r, hash, key.publicKey))
            state.SkipWithError("signature refused");
    sheetCounters(state, r);
}
BENCHMARK(BM_CheckRevisionSignature)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_SignatureChecksPerSecond(benchmark::State& state) {
    // The ceiling of signed ingest on this CPU (issue 30): the same check as above on 1 and 2
    // threads at once, each its own device and revision; checks/s is the sum over the threads
    // per second of wall time. PPWP only: the check does not depend on the sheet's size.
    auto key = signing::generateKeyPair();
    auto r = revisionFor("ppwp");
    signRevision(r, key.privateKey);
    auto hash = r.hash();
    std::size_t checks = 0;
    for (auto _ : state) {
        if (!revisionSignatureValid(r, hash, key.publicKey))
            state.SkipWithError("signature refused");
        ++checks;
    }
    state.counters["checks/s"] =
        benchmark::Counter(static_cast<double>(checks), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SignatureChecksPerSecond)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

/// A tree of `n` leaves, each the hash of a distinct entry text.
const merkle::Tree& treeOf(std::uint64_t n) {
    static std::map<std::uint64_t, merkle::Tree> trees;
    auto& t = trees[n];
    for (auto i = t.size(); i < n; ++i)
        t.append(merkle::leafHash("{\"index\":" + std::to_string(i) + "}"));
    return t;
}

/// The body of GET /api/v1/ledger/proof?index=...&size=... (ledger_routes.cpp), as sent.
std::string proofAnswer(const merkle::Tree& t, std::uint64_t index, std::uint64_t size) {
    return nlohmann::json{{"index", index},
                          {"size", size},
                          {"leaf_hash", merkle::toHex(t.leaf(index))},
                          {"proof", merkle::toHex(t.inclusionProof(index, size))}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Arg 0: ledger size; arg 1: 0 for the merkle.h function alone, 1 with the JSON answer (built
/// and written as the receiver serves it; parsed as the device reads it).
void proofCounters(benchmark::State& state, const merkle::Tree& t) {
    // The proof's length depends on the index (up to ceil(log2 n) hashes): over every index.
    std::size_t total = 0, most = 0, hashes = 0;
    for (std::uint64_t i = 0; i < t.size(); ++i) {
        auto bytes = proofAnswer(t, i, t.size()).size();
        total += bytes;
        most = std::max(most, bytes);
        hashes = std::max(hashes, t.inclusionProof(i, t.size()).size());
    }
    state.counters["answer_bytes_mean"] =
        static_cast<double>(total) / static_cast<double>(t.size());
    state.counters["answer_bytes_max"] = static_cast<double>(most);
    state.counters["hashes_max"] = static_cast<double>(hashes);
}

void BM_InclusionProofBuild(benchmark::State& state) {
    const auto n = static_cast<std::uint64_t>(state.range(0));
    const bool json = state.range(1) != 0;
    const auto& t = treeOf(n);
    std::uint64_t i = 0;
    for (auto _ : state) {
        i = (i + 7919) % n; // a prime stride: indices all over the tree
        if (json)
            benchmark::DoNotOptimize(proofAnswer(t, i, n));
        else
            benchmark::DoNotOptimize(t.inclusionProof(i, n));
    }
    proofCounters(state, t);
}
BENCHMARK(BM_InclusionProofBuild)
    ->Args({12745, 0})
    ->Args({12745, 1})
    ->Args({65000, 0})
    ->Args({65000, 1})
    ->Unit(benchmark::kMicrosecond);

void BM_InclusionProofVerify(benchmark::State& state) {
    const auto n = static_cast<std::uint64_t>(state.range(0));
    const bool json = state.range(1) != 0;
    const auto& t = treeOf(n);
    const auto root = t.root();
    // Proofs made beforehand: only the check is timed.
    std::vector<std::string> answers;
    std::vector<std::vector<merkle::Hash>> proofs;
    for (std::uint64_t i = 0; i < 1000; ++i) {
        auto index = (i * 7919) % n;
        answers.push_back(proofAnswer(t, index, n));
        proofs.push_back(t.inclusionProof(index, n));
    }
    std::size_t k = 0;
    for (auto _ : state) {
        k = (k + 1) % proofs.size();
        auto index = (k * 7919) % n;
        bool ok = false;
        if (json) {
            // As the device checks a receipt: parse the answer, read the hex, verify.
            auto proof = merkle::fromHex(
                nlohmann::json::parse(answers[k]).at("proof").get<std::vector<std::string>>());
            ok = proof && merkle::verifyInclusion(t.leaf(index), index, n, *proof, root);
        } else {
            ok = merkle::verifyInclusion(t.leaf(index), index, n, proofs[k], root);
        }
        if (!ok)
            state.SkipWithError("proof refused");
    }
    proofCounters(state, t);
}
BENCHMARK(BM_InclusionProofVerify)
    ->Args({12745, 0})
    ->Args({12745, 1})
    ->Args({65000, 0})
    ->Args({65000, 1})
    ->Unit(benchmark::kMicrosecond);

} // namespace
