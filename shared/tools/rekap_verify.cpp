// rekap-verify: checks a receiver's audit export (rekap-central audit-export) with nothing but
// the election domain library, so that a party witness, Bawaslu or a journalist need not trust
// the desk. It replays every ledger entry (each revision's hash and device signature, each
// decision's receiver signature, the rules' findings, the merge), holds the Merkle tree against
// every signed head, and prints the regency tally it recomputed; with --receipt it checks one
// operator's receipt. Exit 0 when everything holds, 1 naming the first failure, 2 on bad input.

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <thread>

#include "rekap/contest.h"
#include "rekap/ledger.h"
#include "rekap/ledger_replay.h"
#include "rekap/merkle.h"
#include "rekap/signing.h"

using namespace rekap;
using nlohmann::json;

namespace {

long votesOf(const AreaTally& t, VoteKey k) {
    auto it = t.votes.find(k.packed());
    return it == t.votes.end() ? 0 : it->second;
}

/// The regency's figures per contest, as the dashboard's tally gives them at kabupaten level.
json tallyJson(const Regency& reg, const Tally& tally) {
    auto out = json::array();
    for (const auto& c : reg.contests) {
        auto t = tally.area(c.code, reg.code);
        if (!t)
            continue;
        json j = {{"contest", c.code},
                  {"tps",
                   {{"total", t->tpsTotal},
                    {"reported", t->tpsReported},
                    {"conflict", t->tpsConflict},
                    {"rejected", t->tpsRejected},
                    {"verified", t->tpsVerified}}},
                  {"votes", {{"valid", t->valid}, {"invalid", t->invalid}, {"total", t->total}}}};
        if (c.kind == BallotKind::Party) {
            auto parties = json::array();
            for (const auto& p : reg.parties) {
                auto n = static_cast<std::uint8_t>(p.number);
                parties.push_back({{"number", p.number},
                                   {"abbreviation", p.abbreviation},
                                   {"votes", votesOf(*t, {VoteKey::PartyTotal, 0, n, 0})},
                                   {"party_only", votesOf(*t, {VoteKey::PartyOnly, 0, n, 0})}});
            }
            j["parties"] = parties;
        } else {
            auto candidates = json::array();
            for (const auto& cand : c.candidates)
                candidates.push_back(
                    {{"number", cand.number},
                     {"votes", votesOf(*t, {VoteKey::Candidate, 0, 0,
                                            static_cast<std::uint16_t>(cand.number)})}});
            j["candidates"] = candidates;
        }
        out.push_back(std::move(j));
    }
    return out;
}

struct Result {
    bool ok = true;
    std::string failure;
    std::int64_t entry = -1;
};

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"rekap-verify: check a Rekap audit export and recompute the regency tally"};
    std::string file, pinned, receipt;
    bool asJson = false;
    app.add_option("export", file, "The file rekap-central audit-export wrote")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--receiver-key", pinned,
                   "The receiver's public key as you know it from elsewhere (printout, dashboard)");
    app.add_option("--receipt", receipt, "An operator's receipt code to check, e.g. 1234-9f3a0c1e");
    app.add_flag("--json", asJson, "Machine-readable output");
    CLI11_PARSE(app, argc, argv);

    std::ifstream in(file, std::ios::binary);
    std::string line;
    json header;
    try {
        if (!std::getline(in, line))
            throw std::runtime_error("empty file");
        header = json::parse(line);
        if (header.value("rekap_audit", 0) != 1)
            throw std::runtime_error("not a Rekap audit export (line 1 has no \"rekap_audit\": 1)");
    } catch (const std::exception& e) {
        std::cerr << "rekap-verify: " << file << ": " << e.what() << "\n";
        return 2;
    }
    auto entries = header.value("entries", std::int64_t{0});
    auto headCount = header.value("heads", std::int64_t{0});
    ledger::Replay replay(pinned.empty() ? std::nullopt : std::optional(pinned));
    Result result;
    std::vector<ledger::TreeHead> heads;
    std::int64_t lineNo = 1;
    // Device signatures are most of the work: checked together at the end on every core, the
    // first failing entry still named first.
    replay.deferSignatures();
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    try {
        for (std::int64_t i = 0; i < entries; ++i) {
            ++lineNo;
            try {
                if (!std::getline(in, line))
                    throw ledger::ReplayError(i, "the export ends before it (line " +
                                                     std::to_string(lineNo) + ")");
                replay.apply(line);
            } catch (const ledger::ReplayError& e) {
                replay.checkDeferredSignatures(threads, e.index()); // an earlier one first
                throw;
            }
        }
        replay.checkDeferredSignatures(threads);
        for (std::int64_t i = 0; i < headCount; ++i) {
            ++lineNo;
            if (!std::getline(in, line))
                throw std::runtime_error("the export ends before signed head " +
                                         std::to_string(i + 1) + " of " +
                                         std::to_string(headCount));
            auto h = ledger::decodeTreeHead(json::parse(line).at("tree_head"), file,
                                            "line " + std::to_string(lineNo));
            replay.checkHead(h);
            heads.push_back(h);
        }
        if (heads.empty() || heads.back().size != static_cast<std::uint64_t>(replay.size()))
            throw ledger::ReplayError(heads.empty() ? 0
                                                    : static_cast<std::int64_t>(heads.back().size),
                                      "the last entries are covered by no signed head");
    } catch (const ledger::ReplayError& e) {
        result = {false, e.what(), e.index()};
    } catch (const std::exception& e) {
        result = {false, file + ": line " + std::to_string(lineNo) + ": " + e.what(),
                  replay.size()};
    }

    json out = {{"ok", result.ok},
                {"failure", result.failure},
                {"entry", result.entry},
                {"entries", replay.size()},
                {"heads", heads.size()},
                {"revisions", replay.revisions().size()},
                {"legacy_revisions", replay.legacyRevisions()},
                {"refusals", replay.refusals()},
                {"receiver_key", replay.receiverKey().value_or("")}};
    if (result.ok && !receipt.empty()) {
        auto code = ledger::parseReceiptCode(receipt);
        std::string problem;
        if (!code) {
            problem = "'" + receipt + "' is not a receipt code (like 1234-9f3a0c1e)";
        } else if (code->first >= replay.size()) {
            problem = "the ledger has no entry " + std::to_string(code->first);
        } else {
            auto leaf = merkle::toHex(replay.tree().leaf(static_cast<std::uint64_t>(code->first)));
            if (leaf.rfind(code->second, 0) != 0)
                problem = "entry " + std::to_string(code->first) + " hashes to " +
                          leaf.substr(0, 8) + ", not " + code->second +
                          ": the entry the operator was given was changed or replaced";
            else {
                // Included in the last signed head (proved, as a device would, with a proof).
                const auto& head = heads.back();
                auto proof = replay.tree().inclusionProof(static_cast<std::uint64_t>(code->first),
                                                          head.size);
                if (!merkle::verifyInclusion(replay.tree().leaf(code->first), code->first,
                                             head.size, proof, *merkle::fromHex(head.root)))
                    problem = "entry " + std::to_string(code->first) +
                              " is not included in the last signed head";
            }
        }
        out["receipt"] = {{"code", receipt}, {"ok", problem.empty()}, {"problem", problem}};
        if (!problem.empty())
            result = {false, "receipt " + receipt + ": " + problem, code ? code->first : -1};
    }
    if (result.ok)
        out["tally"] = tallyJson(replay.regency(), *replay.tally());
    out["ok"] = result.ok;
    out["failure"] = result.failure;

    if (asJson) {
        std::cout << out.dump(2) << "\n";
    } else if (!result.ok) {
        std::cout << "FAILED: " << result.failure << "\n";
    } else {
        std::cout << "ok: " << replay.size() << " ledger entries, " << heads.size()
                  << " signed heads, " << replay.revisions().size() << " revisions ("
                  << replay.legacyRevisions() << " unsigned, from before signing)\n";
        // Whoever made the export also chose the key it names: only a key from elsewhere (the
        // printed recap) tells that it is the desk's.
        auto key = replay.receiverKey().value_or("");
        std::cout << "trusted receiver key " << signing::fingerprint(key) << " (" << key << "), "
                  << (pinned.empty() ? "taken from the export itself: compare it with the key "
                                       "printed on the recap, or pin it with --receiver-key"
                                     : "as pinned with --receiver-key")
                  << "\n";
        if (!receipt.empty())
            std::cout << "receipt " << receipt << ": included in the signed head of "
                      << heads.back().size << " entries\n";
        const auto& reg = replay.regency();
        std::cout << reg.name << " (" << reg.code.str() << "), recomputed from the ledger:\n";
        for (const auto& c : out["tally"]) {
            std::cout << "  " << c["contest"].get<std::string>() << ": TPS " << c["tps"]["reported"]
                      << "/" << c["tps"]["total"] << ", valid " << c["votes"]["valid"]
                      << ", invalid " << c["votes"]["invalid"] << "\n";
            for (const auto& l : c.contains("parties") ? c["parties"] : c["candidates"])
                std::cout << "    " << l["number"] << ": " << l["votes"] << "\n";
        }
    }
    return result.ok ? 0 : 1;
}
