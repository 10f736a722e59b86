#include "rekap/master_data.h"

#include <fstream>
#include <set>
#include <sstream>
#include <unordered_set>

#include "master_data_parts.h"
#include "rekap/error.h"
#include "rekap/json_reader.h"
#include "rekap/sha256.h"

namespace rekap {

namespace {

AreaCode readCode(const JsonReader& r, AreaLevel level) {
    std::string why;
    auto code = AreaCode::tryParse(r.string(), &why);
    if (!code)
        r.fail(why);
    if (code->level() != level)
        r.fail("expected a " + std::string(levelName(level)) + " code (" +
               std::to_string(levelDigits(level)) + " digits), got '" + code->str() + "'");
    return *code;
}

std::vector<Candidate> readCandidates(const JsonReader& r) {
    std::vector<Candidate> out;
    std::set<int> seen;
    for (std::size_t i = 0; i < r.size(); ++i) {
        auto c = r.at(i);
        c.rejectUnknownKeys({"number", "name"});
        Candidate cand{static_cast<int>(c.field("number").integer(1, 999)), c.field("name").name()};
        if (!seen.insert(cand.number).second)
            c.field("number").fail("duplicate candidate number " + std::to_string(cand.number));
        out.push_back(std::move(cand));
    }
    return out;
}

Dapil readDapil(const JsonReader& r, const Regency& reg) {
    r.rejectUnknownKeys({"code", "name", "areas", "lists"});
    Dapil d;
    d.code = r.field("code").name(40);
    d.name = r.field("name").name();
    auto areas = r.field("areas");
    for (std::size_t i = 0; i < areas.size(); ++i) {
        std::string why;
        auto a = AreaCode::tryParse(areas.at(i).string(), &why);
        if (!a)
            areas.at(i).fail(why);
        if (!reg.code.contains(*a) && !a->contains(reg.code))
            areas.at(i).fail("area " + a->str() + " is outside regency " + reg.code.str());
        d.areas.push_back(*a);
    }
    auto lists = r.field("lists");
    std::set<int> parties;
    for (std::size_t i = 0; i < lists.size(); ++i) {
        auto l = lists.at(i);
        l.rejectUnknownKeys({"party", "candidates"});
        PartyList pl;
        pl.party = static_cast<int>(l.field("party").integer(1, 99));
        if (!reg.findParty(pl.party))
            l.field("party").fail("party " + std::to_string(pl.party) + " is not in $.parties");
        if (!parties.insert(pl.party).second)
            l.field("party").fail("duplicate list for party " + std::to_string(pl.party));
        pl.candidates = readCandidates(l.field("candidates"));
        d.lists.push_back(std::move(pl));
    }
    return d;
}

Contest readContest(const JsonReader& r, const Regency& reg) {
    r.rejectUnknownKeys({"code", "name", "name_en", "form", "kind", "candidates", "dapils",
                         "synthetic_candidates", "ballot_reserve_permille"});
    Contest c;
    c.code = r.field("code").name(16);
    for (char ch : c.code)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
            r.field("code").fail("contest code '" + c.code + "' must be lower-case letters/digits");
    c.name = r.field("name").name();
    if (auto en = r.optionalField("name_en"))
        c.nameEn = en->name();
    if (auto form = r.optionalField("form"))
        c.form = form->name(40);
    // Up to 10 %: a reserve beyond that is a typo (KPU's are 2 % and 2.5 %), and it loosens R6.
    if (auto reserve = r.optionalField("ballot_reserve_permille"))
        c.ballotReservePermille = static_cast<int>(reserve->integer(0, 100));
    auto kindText = r.field("kind").string();
    auto kind = parseBallotKind(kindText);
    if (!kind)
        r.field("kind").fail("unknown ballot kind '" + kindText +
                             "' (expected paslon, party or individual)");
    c.kind = *kind;
    if (auto syn = r.optionalField("synthetic_candidates"))
        c.syntheticCandidates = syn->boolean();
    if (c.kind == BallotKind::Party) {
        if (r.has("candidates"))
            r.field("candidates").fail("a party contest lists its candidates per dapil");
        auto dapils = r.field("dapils");
        std::set<std::string> codes;
        for (std::size_t i = 0; i < dapils.size(); ++i) {
            c.dapils.push_back(readDapil(dapils.at(i), reg));
            if (!codes.insert(c.dapils.back().code).second)
                dapils.at(i).field("code").fail("duplicate dapil " + c.dapils.back().code);
        }
    } else {
        if (r.has("dapils"))
            r.field("dapils").fail("only party contests have dapils");
        c.candidates = readCandidates(r.field("candidates"));
        if (c.candidates.empty())
            r.field("candidates").fail("a contest needs at least one candidate");
    }
    return c;
}

Election readElection(const JsonReader& r) {
    r.rejectUnknownKeys({"code", "name", "name_en", "date"});
    Election e{r.field("code").name(40), r.field("name").name(), r.field("name_en").name(),
               r.field("date").string()};
    const auto& d = e.date;
    bool digits = d.size() == 10 && d[4] == '-' && d[7] == '-';
    for (std::size_t i = 0; digits && i < d.size(); ++i)
        digits = i == 4 || i == 7 || (d[i] >= '0' && d[i] <= '9');
    if (!digits || d.substr(5, 2) < "01" || d.substr(5, 2) > "12" || d.substr(8, 2) < "01" ||
        d.substr(8, 2) > "31")
        r.field("date").fail("expected a date YYYY-MM-DD, got '" + d + "'");
    return e;
}

std::vector<Area> readAreas(const JsonReader& r, AreaLevel level, const Regency& reg) {
    std::vector<Area> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < r.size(); ++i) {
        auto a = r.at(i);
        a.rejectUnknownKeys({"code", "name", "synthetic"});
        Area area{readCode(a.field("code"), level), a.field("name").name(), false};
        if (auto s = a.optionalField("synthetic"))
            area.synthetic = s->boolean();
        auto parent = *area.code.parent();
        if (level == AreaLevel::Kecamatan ? parent != reg.code : !reg.findArea(parent))
            a.field("code").fail(std::string(levelName(level)) + " " + area.code.str() +
                                 " lies in " + parent.str() + ", which is not in this file");
        if (!seen.insert(area.code.str()).second)
            a.field("code").fail("duplicate code " + area.code.str());
        out.push_back(std::move(area));
    }
    return out;
}

} // namespace

namespace master_data_parts {

Regency decodeHead(const JsonReader& root) {
    root.rejectUnknownKeys({"format", "format_version", "version", "regency", "provenance",
                            "election", "max_voters_per_tps", "parties", "contests", "kecamatan",
                            "desa", "tps"});
    if (root.field("format").string() != "rekap-regency")
        root.field("format").fail("expected \"rekap-regency\"");
    auto fv = root.field("format_version").integer(1, 1000);
    if (fv != kRegencyFormatVersion)
        root.field("format_version")
            .fail("format version " + std::to_string(fv) + " is not supported (this build reads " +
                  std::to_string(kRegencyFormatVersion) + ")");

    Regency reg;
    reg.version = root.field("version").name(64);
    auto head = root.field("regency");
    head.rejectUnknownKeys({"code", "name", "province", "time_zone"});
    reg.code = readCode(head.field("code"), AreaLevel::Kabupaten);
    reg.name = head.field("name").name();
    reg.province = head.field("province").name();
    auto tzText = head.field("time_zone").string();
    auto tz = parseTimeZone(tzText);
    if (!tz)
        head.field("time_zone").fail("unknown time zone '" + tzText + "' (WIB, WITA or WIT)");
    reg.timeZone = *tz;
    if (auto p = root.optionalField("provenance"))
        reg.provenance = p->string();
    if (auto e = root.optionalField("election"))
        reg.election = readElection(*e);
    if (auto m = root.optionalField("max_voters_per_tps"))
        reg.maxVotersPerTps = static_cast<int>(m->integer(1, 999));

    auto parties = root.field("parties");
    for (std::size_t i = 0; i < parties.size(); ++i) {
        auto p = parties.at(i);
        p.rejectUnknownKeys({"number", "abbreviation", "name"});
        Party party{static_cast<int>(p.field("number").integer(1, 99)),
                    p.field("abbreviation").name(20), p.field("name").name()};
        if (reg.findParty(party.number))
            p.field("number").fail("duplicate party number " + std::to_string(party.number));
        reg.parties.push_back(std::move(party));
    }

    reg.kecamatan = readAreas(root.field("kecamatan"), AreaLevel::Kecamatan, reg);
    reg.index();
    reg.desa = readAreas(root.field("desa"), AreaLevel::Desa, reg);
    reg.index();

    auto contests = root.field("contests");
    for (std::size_t i = 0; i < contests.size(); ++i) {
        auto c = readContest(contests.at(i), reg);
        if (reg.findContest(c.code))
            contests.at(i).field("code").fail("duplicate contest " + c.code);
        reg.contests.push_back(std::move(c));
    }
    if (reg.contests.empty())
        contests.fail("a regency needs at least one contest");

    return reg;
}

void decodeTps(const JsonReader& t, Regency& reg, std::unordered_set<std::uint64_t>& seen) {
    t.rejectUnknownKeys({"code", "name", "dpt_l", "dpt_p", "dpt_source", "contests", "synthetic"});
    Tps tps;
    tps.code = readCode(t.field("code"), AreaLevel::Tps);
    if (!reg.findArea(*tps.code.parent()))
        t.field("code").fail("TPS " + tps.code.str() + " lies in desa " + tps.code.parent()->str() +
                             ", which is not in $.desa");
    if (!seen.insert(std::stoull(tps.code.str())).second)
        t.field("code").fail("duplicate TPS " + tps.code.str());
    tps.name = t.field("name").name();
    tps.dptL = static_cast<int>(t.field("dpt_l").integer(0, 999));
    tps.dptP = static_cast<int>(t.field("dpt_p").integer(0, 999));
    if (tps.dpt() > reg.maxVotersPerTps)
        t.fail("DPT " + std::to_string(tps.dpt()) + " exceeds the " +
               std::to_string(reg.maxVotersPerTps) + " voters a TPS may have");
    if (auto s = t.optionalField("dpt_source"))
        tps.dptSource = s->name(40);
    if (auto s = t.optionalField("synthetic"))
        tps.synthetic = s->boolean();
    if (auto cs = t.optionalField("contests")) {
        for (std::size_t k = 0; k < cs->size(); ++k) {
            auto code = cs->at(k).string();
            if (!reg.findContest(code))
                cs->at(k).fail("unknown contest '" + code + "'");
            tps.contests.push_back(code);
        }
    }
    for (const auto& contest : reg.contests) {
        if (contest.kind != BallotKind::Party)
            continue;
        bool takes = tps.contests.empty() || std::find(tps.contests.begin(), tps.contests.end(),
                                                       contest.code) != tps.contests.end();
        if (takes && !contest.dapilFor(tps.code))
            t.field("code").fail("no dapil of contest " + contest.code + " covers TPS " +
                                 tps.code.str());
    }
    reg.tps.push_back(std::move(tps));
}

} // namespace master_data_parts

Regency decodeRegency(const nlohmann::json& doc, const std::string& source) {
    using namespace master_data_parts;
    JsonReader root(doc, source);
    auto reg = decodeHead(root);
    auto tpsList = root.field("tps");
    std::unordered_set<std::uint64_t> seen;
    for (std::size_t i = 0; i < tpsList.size(); ++i)
        decodeTps(tpsList.at(i), reg, seen);
    reg.index();
    reg.contentHash = sha256Hex(doc.dump(-1, ' ', true));
    return reg;
}

Regency loadRegencyFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DecodeError(path.string(), "cannot open the regency file");
    std::stringstream buf;
    buf << in.rdbuf();
    return decodeRegency(parseJsonText(buf.str(), path.string()), path.string());
}

namespace {
nlohmann::json encodeCandidates(const std::vector<Candidate>& cs) {
    auto out = nlohmann::json::array();
    for (const auto& c : cs)
        out.push_back({{"number", c.number}, {"name", c.name}});
    return out;
}
nlohmann::json encodeAreas(const std::vector<Area>& areas) {
    auto out = nlohmann::json::array();
    for (const auto& a : areas) {
        nlohmann::json j = {{"code", a.code.str()}, {"name", a.name}};
        if (a.synthetic)
            j["synthetic"] = true;
        out.push_back(std::move(j));
    }
    return out;
}
} // namespace

nlohmann::json encodeRegency(const Regency& reg) {
    nlohmann::json doc;
    doc["format"] = "rekap-regency";
    doc["format_version"] = kRegencyFormatVersion;
    doc["version"] = reg.version;
    doc["regency"] = {{"code", reg.code.str()},
                      {"name", reg.name},
                      {"province", reg.province},
                      {"time_zone", std::string(timeZoneName(reg.timeZone))}};
    if (!reg.provenance.empty())
        doc["provenance"] = reg.provenance;
    // Optional fields are written only when set, so the files made before them keep their bytes
    // (and their content hash, the master-data version devices compare).
    if (reg.election)
        doc["election"] = {{"code", reg.election->code},
                           {"name", reg.election->name},
                           {"name_en", reg.election->nameEn},
                           {"date", reg.election->date}};
    doc["max_voters_per_tps"] = reg.maxVotersPerTps;
    auto& parties = doc["parties"] = nlohmann::json::array();
    for (const auto& p : reg.parties)
        parties.push_back(
            {{"number", p.number}, {"abbreviation", p.abbreviation}, {"name", p.name}});
    auto& contests = doc["contests"] = nlohmann::json::array();
    for (const auto& c : reg.contests) {
        nlohmann::json j = {
            {"code", c.code}, {"name", c.name}, {"kind", std::string(ballotKindName(c.kind))}};
        if (c.syntheticCandidates)
            j["synthetic_candidates"] = true;
        if (!c.nameEn.empty())
            j["name_en"] = c.nameEn;
        if (!c.form.empty())
            j["form"] = c.form;
        if (c.ballotReservePermille != kGeneralBallotReservePermille)
            j["ballot_reserve_permille"] = c.ballotReservePermille;
        if (c.kind == BallotKind::Party) {
            auto& dapils = j["dapils"] = nlohmann::json::array();
            for (const auto& d : c.dapils) {
                nlohmann::json dj = {{"code", d.code}, {"name", d.name}};
                auto& areas = dj["areas"] = nlohmann::json::array();
                for (const auto& a : d.areas)
                    areas.push_back(a.str());
                auto& lists = dj["lists"] = nlohmann::json::array();
                for (const auto& l : d.lists)
                    lists.push_back(
                        {{"party", l.party}, {"candidates", encodeCandidates(l.candidates)}});
                dapils.push_back(std::move(dj));
            }
        } else {
            j["candidates"] = encodeCandidates(c.candidates);
        }
        contests.push_back(std::move(j));
    }
    doc["kecamatan"] = encodeAreas(reg.kecamatan);
    doc["desa"] = encodeAreas(reg.desa);
    auto& tps = doc["tps"] = nlohmann::json::array();
    for (const auto& t : reg.tps) {
        nlohmann::json j = {
            {"code", t.code.str()}, {"name", t.name}, {"dpt_l", t.dptL}, {"dpt_p", t.dptP}};
        if (!t.dptSource.empty())
            j["dpt_source"] = t.dptSource;
        if (!t.contests.empty())
            j["contests"] = t.contests;
        if (t.synthetic)
            j["synthetic"] = true;
        tps.push_back(std::move(j));
    }
    return doc;
}

} // namespace rekap
