// An area's lines in the cross-check (crosscheck_lines.h).

#include "kpu/crosscheck_lines.h"

#include <set>

#include "rekap/sheet_codec.h"

namespace rekap::central::crosscheck {

const char* categoryName(Category c) {
    switch (c) {
    case Category::Same:
        return "same";
    case Category::Different:
        return "different";
    case Category::DeskOnly:
        return "desk_only";
    case Category::KpuOnly:
        return "kpu_only";
    case Category::None:
        break;
    }
    return "none";
}

std::vector<Line> linesOf(const Regency& reg, const Contest& contest) {
    std::vector<Line> out;
    if (contest.kind == BallotKind::Party) {
        std::set<int> parties;
        for (const auto& d : contest.dapils)
            for (const auto& l : d.lists)
                parties.insert(l.party);
        for (int p : parties) {
            const auto* party = reg.findParty(p);
            out.push_back(
                {field::partyTotal(p), p, party ? party->abbreviation : std::to_string(p)});
        }
    } else {
        for (const auto& c : contest.candidates)
            out.push_back({field::candidate(c.number), c.number, c.name});
    }
    out.push_back({"summary.valid", 0, "V.A"});
    out.push_back({"summary.invalid", 0, "V.B"});
    out.push_back({"summary.total", 0, "V.C"});
    out.push_back({"voters.total.total", 0, "I.B4"});
    out.push_back({"voters.dpt.total", 0, "I.A"});
    return out;
}

void LineSum::add(Category category, std::optional<int> d, std::optional<int> k) {
    deskAll += d.value_or(0);
    kpuAll += k.value_or(0);
    switch (category) {
    case Category::Same:
    case Category::Different:
        if (!k) {
            ++kpuBlank;
        } else if (d) {
            ++tps;
            desk += *d;
            kpu += *k;
            differing += *d != *k;
        }
        break;
    case Category::DeskOnly:
        deskOnly += d.value_or(0);
        break;
    case Category::KpuOnly:
        kpuOnly += k.value_or(0);
        break;
    case Category::None:
        break;
    }
}

nlohmann::json LineSum::toJson(const Line& line) const {
    return {{"field", line.field},
            {"number", line.number},
            {"label", line.label},
            {"desk", desk},
            {"kpu", kpu},
            {"delta", kpu - desk},
            {"tps", tps},
            {"differing", differing},
            {"kpu_blank", kpuBlank},
            {"desk_only", deskOnly},
            {"kpu_only", kpuOnly},
            {"desk_all", deskAll},
            {"kpu_all", kpuAll}};
}

} // namespace rekap::central::crosscheck
