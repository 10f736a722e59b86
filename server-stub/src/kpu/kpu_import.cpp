// KPU's files read and stored (docs/crosscheck.md, "File shapes"), and the sheet their numbers
// make for the rules.

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "rekap/central/api_error.h"
#include "rekap/central/crosscheck.h"
#include "rekap/sha256.h"
#include "rekap/sheet_codec.h"
#include "rekap/sheet_form.h"
#include "rekap/support/random.h"
#include "rekap/winner_alert.h"

namespace rekap::central {

namespace {

/// The administrative columns of KPU's per-TPS JSON, as its exports name them, and the C.Hasil
/// box each is. Both shapes use these names.
const std::map<std::string, std::string>& adminColumns() {
    static const std::map<std::string, std::string> m = {
        {"suara_sah", "summary.valid"},
        {"suara_tidak_sah", "summary.invalid"},
        {"suara_total", "summary.total"},
        {"dpt_j", "voters.dpt.total"},
        {"dpt_l", "voters.dpt.l"},
        {"dpt_p", "voters.dpt.p"},
        {"pengguna_dpt_j", "voters.from_dpt.total"},
        {"pengguna_dptb_j", "voters.from_dptb.total"},
        {"pengguna_non_dpt_j", "voters.from_dpk.total"},
        {"pengguna_total_j", "voters.total.total"},
    };
    return m;
}

/// Columns read but not compared: when KPU's site showed the row.
const std::set<std::string> kIgnoredColumns = {"ts"};

/// Where a cell is, for messages: "file.csv:17: column c2".
struct Place {
    const std::string& file;
    int line;
    std::string at(const std::string& column = {}) const {
        return file + ":" + std::to_string(line) + ":" +
               (column.empty() ? "" : " column " + column + ":");
    }
};

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ','))
        out.push_back(cell);
    if (!line.empty() && line.back() == ',')
        out.emplace_back();
    return out;
}

/// A published count: digits only (KPU's exports have no signs, spaces or separators).
int number(const std::string& v, const Place& where, const std::string& column) {
    bool digits = !v.empty() && v.size() <= 7 &&
                  std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits)
        throw std::runtime_error(where.at(column) + " \"" + v + "\" is not a number");
    return std::stoi(v);
}

struct Table {
    std::vector<std::string> header;
    std::vector<std::pair<int, std::vector<std::string>>> rows; ///< line number, cells
};

Table readTable(const std::string& text, const std::string& file) {
    Table t;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (number == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
            line.erase(0, 3); // a byte-order mark from a spreadsheet
        if (line.empty())
            continue;
        if (line.find('"') != std::string::npos)
            throw std::runtime_error(file + ":" + std::to_string(number) +
                                     ": quoted fields are not supported");
        auto cells = splitCsv(line);
        if (t.header.empty()) {
            t.header = std::move(cells);
            continue;
        }
        if (cells.size() != t.header.size())
            throw std::runtime_error(file + ":" + std::to_string(number) + ": " +
                                     std::to_string(cells.size()) + " fields, the header has " +
                                     std::to_string(t.header.size()));
        t.rows.emplace_back(number, std::move(cells));
    }
    if (t.header.empty())
        throw std::runtime_error(file + ": empty file, expected a header row");
    return t;
}

std::string readWhole(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error(file.string() + ": cannot open");
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

/// Finds rows by TPS, checking that each TPS is the regency's and takes part in the contest.
class RowBuilder {
public:
    RowBuilder(const Regency& reg, const Contest& contest)
        : reg_(reg)
        , contest_(contest) {}

    KpuRow& row(const std::string& kode, const Place& where) {
        std::string why;
        auto code = AreaCode::tryParse(kode, &why);
        if (!code || code->level() != AreaLevel::Tps)
            throw std::runtime_error(where.at("kode") + " \"" + kode + "\" is not a TPS code" +
                                     (why.empty() ? "" : " (" + why + ")"));
        auto it = index_.find(code->str());
        if (it != index_.end())
            return rows_[it->second];
        const Tps* tps = reg_.findTps(*code);
        if (!tps)
            throw std::runtime_error(where.at("kode") + " TPS " + code->str() +
                                     " is not in regency " + reg_.code.str());
        auto ballot = reg_.ballotFor(*tps, contest_);
        if (!ballot)
            throw std::runtime_error(where.at("kode") + " TPS " + code->str() + " has no " +
                                     contest_.code + " ballot");
        index_[code->str()] = rows_.size();
        forms_.emplace_back(blankSheet(*code, *ballot));
        rows_.push_back({code->str(), where.line, {}});
        return rows_.back();
    }

    /// Sets a published box, refusing a box the TPS's form does not have and a second value.
    void set(KpuRow& row, const std::string& field, int value, const Place& where,
             const std::string& column) {
        const auto& form = forms_[index_.at(row.tps)];
        if (!form.has(field))
            throw std::runtime_error(where.at(column) + " the " + contest_.code + " form of TPS " +
                                     row.tps + " has no box " + field);
        if (!row.fields.emplace(field, value).second)
            throw std::runtime_error(where.at(column) + " " + field + " of TPS " + row.tps +
                                     " given twice");
    }

    bool seen(const std::string& tps) const { return index_.count(tps) != 0; }
    std::vector<KpuRow> take() { return std::move(rows_); }

private:
    const Regency& reg_;
    const Contest& contest_;
    std::vector<KpuRow> rows_;
    std::vector<SheetForm> forms_;
    std::map<std::string, std::size_t> index_;
};

/// kode, c1..cN, the administrative columns, ts: one row per TPS.
std::vector<KpuRow> readWide(const Table& t, const std::string& file, RowBuilder& rows) {
    std::vector<std::string> fieldOf(t.header.size());
    for (std::size_t i = 0; i < t.header.size(); ++i) {
        const auto& h = t.header[i];
        if (h == "kode" || kIgnoredColumns.count(h))
            continue;
        if (auto a = adminColumns().find(h); a != adminColumns().end()) {
            fieldOf[i] = a->second;
        } else if (h.size() > 1 && h[0] == 'c' && std::all_of(h.begin() + 1, h.end(), [](char c) {
                       return c >= '0' && c <= '9';
                   })) {
            fieldOf[i] = "votes.candidates." + std::to_string(std::stoi(h.substr(1)));
        } else {
            throw std::runtime_error(file + ":1: unknown column \"" + h + "\"");
        }
    }
    auto kode = std::find(t.header.begin(), t.header.end(), "kode") - t.header.begin();
    for (const auto& [line, cells] : t.rows) {
        Place where{file, line};
        if (rows.seen(cells[kode]))
            throw std::runtime_error(where.at("kode") + " TPS " + cells[kode] + " given twice");
        auto& row = rows.row(cells[kode], where);
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (!fieldOf[i].empty() && !cells[i].empty())
                rows.set(row, fieldOf[i], number(cells[i], where, t.header[i]), where, t.header[i]);
    }
    return rows.take();
}

/// kode, partai, calon, suara: one row per box. calon is a caleg's number, "partai" (votes for
/// the party only) or "jumlah" (the party's total); with partai blank, an administrative column.
std::vector<KpuRow> readLong(const Table& t, const std::string& file, RowBuilder& rows) {
    for (const auto& [line, cells] : t.rows) {
        Place where{file, line};
        const auto &kode = cells[0], &partai = cells[1], &calon = cells[2], &suara = cells[3];
        auto& row = rows.row(kode, where);
        if (suara.empty())
            continue; // not published
        int value = number(suara, where, "suara");
        std::string field;
        if (partai.empty()) {
            auto a = adminColumns().find(calon);
            if (a == adminColumns().end())
                throw std::runtime_error(where.at("calon") + " \"" + calon +
                                         "\" is not a column of the administrative block");
            field = a->second;
        } else {
            int party = number(partai, where, "partai");
            if (calon == "partai")
                field = "votes.parties." + std::to_string(party) + ".party_only";
            else if (calon == "jumlah")
                field = "votes.parties." + std::to_string(party) + ".total";
            else
                field = "votes.parties." + std::to_string(party) + ".candidates." +
                        std::to_string(number(calon, where, "calon"));
        }
        rows.set(row, field, value, where, "suara");
    }
    return rows.take();
}

std::vector<KpuRow> parse(const std::string& text, const std::string& file, const Regency& reg,
                          const std::string& contestCode) {
    const Contest* contest = reg.findContest(contestCode);
    if (!contest)
        throw std::runtime_error("regency " + reg.code.str() + " has no contest " + contestCode);
    auto t = readTable(text, file);
    RowBuilder rows(reg, *contest);
    bool party = contest->kind == BallotKind::Party;
    const std::vector<std::string> longShape = {"kode", "partai", "calon", "suara"};
    if (party != (t.header == longShape))
        throw std::runtime_error(
            file + ":1: " + contestCode + " needs the " +
            (party ? "long shape: kode,partai,calon,suara" : "per-TPS shape: kode,c1,c2,...") +
            " (docs/crosscheck.md)");
    if (!party && std::find(t.header.begin(), t.header.end(), "kode") == t.header.end())
        throw std::runtime_error(file + ":1: no column \"kode\"");
    return party ? readLong(t, file, rows) : readWide(t, file, rows);
}

LpCount split(int total) {
    return {total / 2, total - total / 2, total};
}

} // namespace

bool KpuRow::hasVotes() const {
    return std::any_of(fields.begin(), fields.end(),
                       [](const auto& f) { return f.first.rfind("votes.", 0) == 0; });
}

std::vector<KpuRow> readKpuFile(const std::filesystem::path& file, const Regency& regency,
                                const std::string& contest) {
    return parse(readWhole(file), file.string(), regency, contest);
}

KpuImport importKpu(const CentralStore& store, const std::string& contest,
                    const std::filesystem::path& file) {
    auto text = readWhole(file);
    auto rows = parse(text, file.string(), store.masterData().regency(), contest);
    KpuImport im{0,
                 contest,
                 file.filename().string(),
                 sha256Hex(text),
                 utcNowText(),
                 static_cast<int>(rows.size())};
    store.write([&](const db::WriteTx& db) {
        auto added = db.prepare("INSERT INTO kpu_imports (contest, file_name, file_sha256, "
                                "imported_at, rows) VALUES (?, ?, ?, ?, ?) RETURNING id");
        added.bindAll(im.contest, im.fileName, im.fileSha256, im.importedAt, std::int64_t{im.rows});
        added.step();
        im.id = added.int64(0);
        for (const auto& r : rows)
            db.prepare("INSERT INTO kpu_numbers (import_id, tps, line, fields) VALUES (?, ?, "
                       "?, ?)")
                .bindAll(im.id, r.tps, std::int64_t{r.line}, nlohmann::json(r.fields).dump())
                .run();
    });
    return im;
}

std::vector<KpuImport> kpuImports(const CentralStore& store, const std::string& contest) {
    std::vector<KpuImport> out;
    store.read([&](const db::ReadTx& db) {
        auto st = db.prepare("SELECT id, contest, file_name, file_sha256, imported_at, rows FROM "
                             "kpu_imports WHERE contest = ? ORDER BY id");
        st.bindAll(contest);
        while (st.step())
            out.push_back(
                {st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.integer(5)});
    });
    return out;
}

Sheet kpuSheet(const KpuRow& row, const Regency& regency, const Contest& contest, const Tps& tps) {
    auto get = [&](const std::string& f) -> std::optional<int> {
        auto it = row.fields.find(f);
        return it == row.fields.end() ? std::nullopt : std::optional<int>(it->second);
    };
    Sheet s = blankSheet(tps.code, *regency.ballotFor(tps, contest));
    long sumIv = 0;
    for (auto& c : s.candidates) {
        c.votes = get(field::candidate(c.number)).value_or(0);
        sumIv += c.votes;
    }
    for (auto& p : s.parties) {
        p.partyOnly = get(field::partyOnly(p.party)).value_or(0);
        long own = p.partyOnly;
        for (auto& c : p.candidates) {
            c.votes = get(field::partyCandidate(p.party, c.number)).value_or(0);
            own += c.votes;
        }
        p.total = get(field::partyTotal(p.party)).value_or(static_cast<int>(own));
        sumIv += p.total;
    }
    auto valid = get("summary.valid");
    auto cast = get("voters.total.total");
    // Without the administrative block only section IV was published: V and I are made from it
    // so that only what was published can break a rule (as `rekap-data sirekap` does).
    bool partial = !valid || !cast;
    auto& sum = s.summary;
    if (partial) {
        sum = {static_cast<int>(sumIv), 0, static_cast<int>(sumIv)};
    } else {
        sum.valid = *valid;
        sum.invalid = get("summary.invalid").value_or(0);
        sum.total = get("summary.total").value_or(sum.valid + sum.invalid);
    }
    auto& v = s.voters;
    if (auto dpt = get("voters.dpt.total"))
        v.dpt = {get("voters.dpt.l").value_or(0), get("voters.dpt.p").value_or(0), *dpt};
    else
        v.dpt = {tps.dptL, tps.dptP, tps.dpt()};
    if (partial) {
        v.fromDpt = split(sum.total);
    } else {
        v.fromDpt = split(get("voters.from_dpt.total").value_or(0));
        v.fromDptb = split(get("voters.from_dptb.total").value_or(0));
        v.fromDpk = split(get("voters.from_dpk.total").value_or(0));
    }
    v.total = {v.fromDpt.l + v.fromDptb.l + v.fromDpk.l, v.fromDpt.p + v.fromDptb.p + v.fromDpk.p,
               v.fromDpt.total + v.fromDptb.total + v.fromDpk.total};
    if (!partial && v.total.total != *cast)
        v.total = split(*cast); // the published B4 is judged, not repaired
    auto& b = s.ballots;
    b.used = sum.total;
    b.received = static_cast<int>(ballotCapacity(tps.dpt(), contest.ballotReservePermille));
    b.unused = std::max(0, b.received - b.used);
    b.received = b.used + b.unused;
    return s;
}

} // namespace rekap::central
