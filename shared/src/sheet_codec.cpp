#include "rekap/sheet_codec.h"

#include <algorithm>
#include <set>

#include "rekap/json_reader.h"

namespace rekap {

namespace field {
std::string candidate(int number) {
    return "votes.candidates." + std::to_string(number);
}
std::string partyTotal(int party) {
    return "votes.parties." + std::to_string(party) + ".total";
}
std::string partyOnly(int party) {
    return "votes.parties." + std::to_string(party) + ".party_only";
}
std::string partyCandidate(int party, int number) {
    return "votes.parties." + std::to_string(party) + ".candidates." + std::to_string(number);
}
} // namespace field

namespace {

int readCount(const JsonReader& r) {
    return static_cast<int>(r.integer(0, kMaxDecodedCount));
}

LpCount readLp(const JsonReader& r) {
    r.rejectUnknownKeys({"l", "p", "total"});
    return {readCount(r.field("l")), readCount(r.field("p")), readCount(r.field("total"))};
}

nlohmann::json encodeLp(const LpCount& c) {
    return {{"l", c.l}, {"p", c.p}, {"total", c.total}};
}

/// Reads [{number, votes}] and checks it names exactly the candidates in `expected`.
std::vector<CandidateVotes> readVotes(const JsonReader& r, const std::vector<Candidate>& expected,
                                      const std::string& what) {
    std::vector<CandidateVotes> out;
    std::set<int> seen;
    for (std::size_t i = 0; i < r.size(); ++i) {
        auto e = r.at(i);
        e.rejectUnknownKeys({"number", "votes"});
        int number = static_cast<int>(e.field("number").integer(1, 999));
        bool known = std::any_of(expected.begin(), expected.end(),
                                 [&](const Candidate& c) { return c.number == number; });
        if (!known)
            e.field("number").fail("no " + what + " number " + std::to_string(number) +
                                   " on this ballot");
        if (!seen.insert(number).second)
            e.field("number").fail(what + " " + std::to_string(number) + " appears twice");
        out.push_back({number, readCount(e.field("votes"))});
    }
    for (const auto& c : expected)
        if (!seen.count(c.number))
            r.fail("missing " + what + " number " + std::to_string(c.number) + " (" + c.name + ")");
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.number < b.number; });
    return out;
}

std::vector<PartyVotes> readParties(const JsonReader& r, const Dapil& dapil,
                                    const Regency& regency) {
    std::vector<PartyVotes> out;
    std::set<int> seen;
    for (std::size_t i = 0; i < r.size(); ++i) {
        auto e = r.at(i);
        e.rejectUnknownKeys({"party", "party_only", "candidates", "total"});
        PartyVotes pv;
        pv.party = static_cast<int>(e.field("party").integer(1, 99));
        const auto* list = dapil.findList(pv.party);
        if (!list)
            e.field("party").fail("party " + std::to_string(pv.party) + " has no list in dapil " +
                                  dapil.code);
        if (!seen.insert(pv.party).second)
            e.field("party").fail("party " + std::to_string(pv.party) + " appears twice");
        pv.partyOnly = readCount(e.field("party_only"));
        pv.candidates = readVotes(e.field("candidates"), list->candidates, "candidate");
        pv.total = readCount(e.field("total"));
        out.push_back(std::move(pv));
    }
    for (const auto& list : dapil.lists) {
        if (!seen.count(list.party)) {
            const auto* party = regency.findParty(list.party);
            r.fail("missing party " + std::to_string(list.party) +
                   (party ? " (" + party->abbreviation + ")" : std::string()));
        }
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.party < b.party; });
    return out;
}

} // namespace

Sheet decodeSheet(const nlohmann::json& j, const Regency& regency, const std::string& source,
                  const std::string& path) {
    JsonReader r(j, source, path);
    r.rejectUnknownKeys(
        {"tps", "contest", "voters", "ballots", "disabled_voters", "votes", "summary"});
    Sheet s;
    std::string why;
    auto tpsReader = r.field("tps");
    auto code = AreaCode::tryParse(tpsReader.string(), &why);
    if (!code)
        tpsReader.fail(why);
    if (code->level() != AreaLevel::Tps)
        tpsReader.fail("expected a 13-digit TPS code, got '" + code->str() + "'");
    const Tps* tps = regency.findTps(*code);
    if (!tps)
        tpsReader.fail("TPS " + code->str() + " is not in the master data of " +
                       regency.code.str() + " " + regency.name);
    s.tps = *code;

    auto contestReader = r.field("contest");
    s.contest = contestReader.string();
    const Contest* contest = regency.findContest(s.contest);
    if (!contest)
        contestReader.fail("unknown contest '" + s.contest + "'");
    auto ballot = regency.ballotFor(*tps, *contest);
    if (!ballot)
        contestReader.fail("TPS " + code->str() + " does not receive contest " + s.contest);

    auto v = r.field("voters");
    v.rejectUnknownKeys({"dpt", "from_dpt", "from_dptb", "from_dpk", "total"});
    s.voters = {readLp(v.field("dpt")), readLp(v.field("from_dpt")), readLp(v.field("from_dptb")),
                readLp(v.field("from_dpk")), readLp(v.field("total"))};

    auto b = r.field("ballots");
    b.rejectUnknownKeys({"received", "used", "damaged", "unused"});
    s.ballots = {readCount(b.field("received")), readCount(b.field("used")),
                 readCount(b.field("damaged")), readCount(b.field("unused"))};

    s.disabledVoters = readLp(r.field("disabled_voters"));

    auto votes = r.field("votes");
    if (contest->kind == BallotKind::Party) {
        votes.rejectUnknownKeys({"parties"});
        s.parties = readParties(votes.field("parties"), *ballot->dapil, regency);
    } else {
        votes.rejectUnknownKeys({"candidates"});
        s.candidates = readVotes(votes.field("candidates"), contest->candidates,
                                 contest->kind == BallotKind::Paslon ? "paslon" : "candidate");
    }

    auto sum = r.field("summary");
    sum.rejectUnknownKeys({"valid", "invalid", "total"});
    s.summary = {readCount(sum.field("valid")), readCount(sum.field("invalid")),
                 readCount(sum.field("total"))};
    return s;
}

nlohmann::json encodeSheet(const Sheet& s) {
    auto votesOf = [](const std::vector<CandidateVotes>& cs) {
        auto sorted = cs;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](auto& a, auto& b) { return a.number < b.number; });
        auto out = nlohmann::json::array();
        for (const auto& c : sorted)
            out.push_back({{"number", c.number}, {"votes", c.votes}});
        return out;
    };
    nlohmann::json votes;
    if (!s.parties.empty()) {
        auto parties = s.parties;
        std::stable_sort(parties.begin(), parties.end(),
                         [](auto& a, auto& b) { return a.party < b.party; });
        auto& arr = votes["parties"] = nlohmann::json::array();
        for (const auto& p : parties)
            arr.push_back({{"party", p.party},
                           {"party_only", p.partyOnly},
                           {"candidates", votesOf(p.candidates)},
                           {"total", p.total}});
    } else {
        votes["candidates"] = votesOf(s.candidates);
    }
    return {
        {"tps", s.tps.str()},
        {"contest", s.contest},
        {"voters",
         {{"dpt", encodeLp(s.voters.dpt)},
          {"from_dpt", encodeLp(s.voters.fromDpt)},
          {"from_dptb", encodeLp(s.voters.fromDptb)},
          {"from_dpk", encodeLp(s.voters.fromDpk)},
          {"total", encodeLp(s.voters.total)}}},
        {"ballots",
         {{"received", s.ballots.received},
          {"used", s.ballots.used},
          {"damaged", s.ballots.damaged},
          {"unused", s.ballots.unused}}},
        {"disabled_voters", encodeLp(s.disabledVoters)},
        {"votes", votes},
        {"summary",
         {{"valid", s.summary.valid}, {"invalid", s.summary.invalid}, {"total", s.summary.total}}}};
}

} // namespace rekap
