#include "rekap/rules.h"

#include <algorithm>
#include <functional>

#include "rekap/sheet_codec.h"

namespace rekap {

std::string_view severityName(Severity s) {
    switch (s) {
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    case Severity::Conflict:
        return "conflict";
    }
    return "?";
}

bool hasErrors(const std::vector<Finding>& findings) {
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding& f) { return f.severity != Severity::Warning; });
}

namespace {

std::string n(long v) {
    return std::to_string(v);
}

/// " Selisih 3." / " Off by 3.": the gap in numbers, so nobody has to work it out.
std::string gapId(long a, long b) {
    return " Selisih " + n(a > b ? a - b : b - a) + ".";
}
std::string gapEn(long a, long b) {
    return " Off by " + n(a > b ? a - b : b - a) + ".";
}

/// The form's labels for the L/P rows, in both languages.
struct RowLabel {
    const char* field;
    const char* label;
};

class Checker {
public:
    Checker(const Sheet& s, std::vector<Finding>& out)
        : s_(s)
        , out_(out) {}

    void add(const char* rule, Severity sev, std::vector<std::string> fields, std::string id,
             std::string en) {
        out_.push_back({rule, sev, std::move(fields), std::move(id), std::move(en)});
    }

    void r1() {
        const std::pair<const LpCount*, RowLabel> rows[] = {
            {&s_.voters.dpt, {"voters.dpt", "I.A"}},
            {&s_.voters.fromDpt, {"voters.from_dpt", "I.B1"}},
            {&s_.voters.fromDptb, {"voters.from_dptb", "I.B2"}},
            {&s_.voters.fromDpk, {"voters.from_dpk", "I.B3"}},
            {&s_.voters.total, {"voters.total", "I.B4"}},
            {&s_.disabledVoters, {"disabled_voters", "III"}},
        };
        for (const auto& [row, label] : rows) {
            if (row->l + row->p == row->total)
                continue;
            std::string f = label.field;
            add("R1", Severity::Error, {f + ".l", f + ".p", f + ".total"},
                std::string("Baris ") + label.label + ": jumlah " + n(row->total) +
                    " harus sama dengan L + P = " + n(row->l + row->p) + "." +
                    gapId(row->total, row->l + row->p),
                std::string("Row ") + label.label + ": total " + n(row->total) +
                    " must equal L + P = " + n(row->l + row->p) + "." +
                    gapEn(row->total, row->l + row->p));
        }
        const auto& v = s_.voters;
        const std::pair<const char*, std::function<int(const LpCount&)>> parts[] = {
            {"l", [](const LpCount& c) { return c.l; }},
            {"p", [](const LpCount& c) { return c.p; }},
            {"total", [](const LpCount& c) { return c.total; }},
        };
        for (const auto& [suffix, get] : parts) {
            int sum = get(v.fromDpt) + get(v.fromDptb) + get(v.fromDpk);
            if (get(v.total) == sum)
                continue;
            std::string s = suffix;
            add("R1", Severity::Error,
                {"voters.total." + s, "voters.from_dpt." + s, "voters.from_dptb." + s,
                 "voters.from_dpk." + s},
                "I.B4 (" + s + ") = " + n(get(v.total)) +
                    " harus sama dengan B1 + B2 + B3 = " + n(sum) + "." + gapId(get(v.total), sum),
                "I.B4 (" + s + ") = " + n(get(v.total)) + " must equal B1 + B2 + B3 = " + n(sum) +
                    "." + gapEn(get(v.total), sum));
        }
    }

    // Field names are built only for a rule that fails: on a DPRD sheet of some 250 lines,
    // building them for every sheet cost more than the checks.
    void r2r9(const Contest& contest) {
        long sumIv = 0;
        if (contest.kind == BallotKind::Party) {
            for (const auto& p : s_.parties) {
                sumIv += p.total;
                long own = p.partyOnly;
                for (const auto& c : p.candidates)
                    own += c.votes;
                if (own == p.total)
                    continue;
                std::vector<std::string> r9{field::partyTotal(p.party), field::partyOnly(p.party)};
                for (const auto& c : p.candidates)
                    r9.push_back(field::partyCandidate(p.party, c.number));
                add("R9", Severity::Error, std::move(r9),
                    "Partai " + n(p.party) + ": jumlah " + n(p.total) +
                        " harus sama dengan suara partai + suara calon = " + n(own) + "." +
                        gapId(p.total, own),
                    "Party " + n(p.party) + ": total " + n(p.total) +
                        " must equal party-only votes + candidate votes = " + n(own) + "." +
                        gapEn(p.total, own));
            }
        } else {
            for (const auto& c : s_.candidates)
                sumIv += c.votes;
        }
        if (sumIv == s_.summary.valid)
            return;
        std::vector<std::string> fields{"summary.valid"};
        if (contest.kind == BallotKind::Party)
            for (const auto& p : s_.parties)
                fields.push_back(field::partyTotal(p.party));
        else
            for (const auto& c : s_.candidates)
                fields.push_back(field::candidate(c.number));
        add("R2", Severity::Error, std::move(fields),
            "Suara sah (V.A = " + n(s_.summary.valid) +
                ") harus sama dengan jumlah perolehan suara di bagian IV = " + n(sumIv) + "." +
                gapId(s_.summary.valid, sumIv),
            "Valid votes (V.A = " + n(s_.summary.valid) + ") must equal the sum of section IV = " +
                n(sumIv) + "." + gapEn(s_.summary.valid, sumIv));
    }

    void r3() {
        const auto& v = s_.summary;
        if (v.valid + v.invalid != v.total)
            add("R3", Severity::Error, {"summary.total", "summary.valid", "summary.invalid"},
                "V.C = " + n(v.total) + " harus sama dengan suara sah + tidak sah = " +
                    n(v.valid + v.invalid) + "." + gapId(v.total, v.valid + v.invalid),
                "V.C = " + n(v.total) + " must equal valid + invalid votes = " +
                    n(v.valid + v.invalid) + "." + gapEn(v.total, v.valid + v.invalid));
    }

    void r4() {
        int voters = s_.voters.total.total, used = s_.ballots.used, cast = s_.summary.total;
        if (voters == used && used == cast)
            return;
        int most = std::max({voters, used, cast}), least = std::min({voters, used, cast});
        add("R4", Severity::Error, {"voters.total.total", "ballots.used", "summary.total"},
            "Jumlah pemilih (I.B4 = " + n(voters) + "), surat suara terpakai (II.2 = " + n(used) +
                ") dan jumlah suara (V.C = " + n(cast) + ") harus sama." + gapId(most, least),
            "Voters (I.B4 = " + n(voters) + "), ballots used (II.2 = " + n(used) +
                ") and votes cast (V.C = " + n(cast) + ") must be equal." + gapEn(most, least));
    }

    void r5() {
        const auto& b = s_.ballots;
        int sum = b.used + b.damaged + b.unused;
        if (b.received != sum)
            add("R5", Severity::Warning,
                {"ballots.received", "ballots.used", "ballots.damaged", "ballots.unused"},
                "Surat suara diterima (II.1 = " + n(b.received) +
                    ") biasanya sama dengan terpakai + rusak + tidak terpakai = " + n(sum) + "." +
                    gapId(b.received, sum),
                "Ballots received (II.1 = " + n(b.received) +
                    ") usually equal used + damaged + unused = " + n(sum) + "." +
                    gapEn(b.received, sum));
    }

    void r6(const Tps& tps, const Contest& contest) {
        int dpt = tps.dpt();
        if (dpt <= 0)
            return;
        // DPT + the contest's ballot reserve (2 %, or 2.5 % at the Pilkada), in integers:
        // V.C * 1000 <= DPT * 1020 is the general election's V.C <= 1.02 x DPT.
        const long perMille = 1000 + contest.ballotReservePermille;
        if (static_cast<long>(s_.summary.total) * 1000 <= static_cast<long>(dpt) * perMille)
            return;
        long limit = static_cast<long>(dpt) * perMille / 1000;
        auto percent = [&](char decimalMark) {
            std::string p = std::to_string(perMille / 10);
            if (perMille % 10)
                p += decimalMark + std::to_string(perMille % 10);
            return p + "%";
        };
        add("R6", Severity::Error, {"summary.total"},
            "Jumlah suara (V.C = " + n(s_.summary.total) + ") melebihi " + percent(',') +
                " DPT TPS ini (" + n(dpt) + ", paling banyak " + n(limit) +
                "): periksa kembali angka yang tertulis.",
            "Votes cast (V.C = " + n(s_.summary.total) + ") exceed " + percent('.') +
                " of this TPS's DPT (" + n(dpt) + ", at most " + n(limit) +
                "): check the digits again.");
    }

    void r8() {
        auto check = [&](auto&& fieldName, int v) {
            if (v >= 0 && v <= 999)
                return;
            std::string f = fieldName();
            add("R8", Severity::Error, {f},
                "Isian " + f + " = " + n(v) + " harus bilangan bulat 0 sampai 999.",
                "Field " + f + " = " + n(v) + " must be a whole number from 0 to 999.");
        };
        auto lp = [&](const char* f, const LpCount& c) {
            check([&] { return std::string(f) + ".l"; }, c.l);
            check([&] { return std::string(f) + ".p"; }, c.p);
            check([&] { return std::string(f) + ".total"; }, c.total);
        };
        auto plain = [](const char* f) { return [f] { return std::string(f); }; };
        lp("voters.dpt", s_.voters.dpt);
        lp("voters.from_dpt", s_.voters.fromDpt);
        lp("voters.from_dptb", s_.voters.fromDptb);
        lp("voters.from_dpk", s_.voters.fromDpk);
        lp("voters.total", s_.voters.total);
        lp("disabled_voters", s_.disabledVoters);
        check(plain("ballots.received"), s_.ballots.received);
        check(plain("ballots.used"), s_.ballots.used);
        check(plain("ballots.damaged"), s_.ballots.damaged);
        check(plain("ballots.unused"), s_.ballots.unused);
        for (const auto& c : s_.candidates)
            check([&] { return field::candidate(c.number); }, c.votes);
        for (const auto& p : s_.parties) {
            check([&] { return field::partyOnly(p.party); }, p.partyOnly);
            check([&] { return field::partyTotal(p.party); }, p.total);
            for (const auto& c : p.candidates)
                check([&] { return field::partyCandidate(p.party, c.number); }, c.votes);
        }
        check(plain("summary.valid"), s_.summary.valid);
        check(plain("summary.invalid"), s_.summary.invalid);
        check(plain("summary.total"), s_.summary.total);
    }

private:
    const Sheet& s_;
    std::vector<Finding>& out_;
};

} // namespace

std::vector<Finding> validateSheet(const Sheet& sheet, const Contest& contest, const Tps& tps) {
    std::vector<Finding> out;
    Checker c(sheet, out);
    c.r8();
    c.r1();
    c.r2r9(contest);
    c.r3();
    c.r4();
    c.r5();
    c.r6(tps, contest);
    return out;
}

std::vector<Finding> validateSheet(const Sheet& sheet, const Regency& regency) {
    const Tps* tps = regency.findTps(sheet.tps);
    const Contest* contest = regency.findContest(sheet.contest);
    if (!tps || !contest || !regency.ballotFor(*tps, *contest)) {
        return {{"R0",
                 Severity::Error,
                 {"tps", "contest"},
                 "TPS " + sheet.tps.str() + " tidak menerima surat suara " + sheet.contest +
                     " menurut data induk.",
                 "TPS " + sheet.tps.str() + " does not receive contest " + sheet.contest +
                     " according to the master data."}};
    }
    return validateSheet(sheet, *contest, *tps);
}

std::vector<Finding> checkConflict(const Sheet& a, const Sheet& b) {
    if (a.key() != b.key() || a == b)
        return {};
    return {{"R7",
             Severity::Conflict,
             {},
             "Dua lembar hasil yang diterima untuk " + a.key() +
                 " berisi angka berbeda: perlu diputuskan oleh desk.",
             "Two accepted sheets for " + a.key() +
                 " hold different numbers: the desk must adjudicate."}};
}

} // namespace rekap
