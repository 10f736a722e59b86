// The desk's counted sheets beside KPU's published numbers, TPS by TPS and summed by area
// (docs/crosscheck.md, "Categories"). Read-only: nothing here writes or counts.

#include "rekap/central/crosscheck.h"

#include <set>
#include <sstream>

#include "kpu/crosscheck_lines.h"
#include "rekap/central/api_error.h"
#include "rekap/sheet_codec.h"
#include "rekap/sheet_form.h"
#include "rekap/support/random.h"

namespace rekap::central {

using json = nlohmann::json;
using crosscheck::Category;
using crosscheck::categoryName;
using crosscheck::Line;
using crosscheck::linesOf;
using crosscheck::LineSum;

namespace {

const char* kNoticeId = "Angka KPU adalah salinan publikasi KPU (Sirekap) sebagaimana diimpor; "
                        "angka desk adalah hasil rekap internal Pemkab yang bersifat sementara. "
                        "Keduanya bukan hasil resmi rekapitulasi.";
const char* kNoticeEn = "KPU's numbers are a copy of what KPU published (Sirekap) as imported; "
                        "the desk's are the regency's internal, provisional count. Neither is "
                        "the official recapitulation.";

/// "I.A L", "IV 02", "IV P03 partai", "V.C": a box named by the form's own row codes.
std::map<std::string, std::string> boxLabels(const SheetForm& form) {
    std::map<std::string, std::string> out;
    auto two = [](int n) {
        std::string out(n < 10 ? 1 : 0, '0'); // appended apart: GCC 12 at -O3 (105329)
        out += std::to_string(n);
        return out;
    };
    for (const auto& r : form.rows()) {
        switch (r.kind) {
        case FormRow::Kind::Lp:
            out[r.fields[0]] = r.code + " L";
            out[r.fields[1]] = r.code + " P";
            out[r.fields[2]] = r.code + " L+P";
            break;
        case FormRow::Kind::Count:
            out[r.fields[0]] = r.code;
            break;
        case FormRow::Kind::Candidate:
            out[r.fields[0]] = "IV " + two(r.number);
            break;
        case FormRow::Kind::PartyTotal:
            out[r.fields[0]] = "IV P" + two(r.party);
            break;
        case FormRow::Kind::PartyOnly:
            out[r.fields[0]] = "IV P" + two(r.party) + " partai";
            break;
        case FormRow::Kind::PartyCandidate:
            out[r.fields[0]] = "IV P" + two(r.party) + " " + std::to_string(r.number);
            break;
        }
    }
    return out;
}

struct Difference {
    std::string field;
    std::optional<int> desk;
    int kpu = 0;
};

struct Change {
    std::string field;
    std::optional<int> before, after;
};

/// One TPS, both sources.
struct Check {
    const Tps* tps = nullptr;
    const KpuRow* kpu = nullptr; ///< only when KPU published votes
    CountedSheet desk;
    Category category = Category::None;
    std::vector<Finding> kpuFindings;
    std::vector<Difference> differences;
    std::vector<Change> changes; ///< KPU's numbers against the import before
    /// Each summed line (linesOf) from each source; nullopt: not counted or not published.
    std::vector<std::optional<int>> deskLines, kpuLines;
    bool misread() const { return kpu && hasErrors(kpuFindings); }
};

using Rows = std::map<std::string, KpuRow>;

Rows loadRows(const CentralStore& store, std::int64_t importId, const AreaCode& area) {
    Rows out;
    store.read([&](const db::ReadTx& db) {
        auto st = db.prepare("SELECT tps, line, fields FROM kpu_numbers WHERE import_id = ? AND "
                             "substr(tps, 1, ?) = ?");
        st.bindAll(importId, static_cast<std::int64_t>(area.str().size()), area.str());
        while (st.step()) {
            KpuRow r{st.text(0), st.integer(1), {}};
            r.fields = json::parse(st.text(2)).get<std::map<std::string, int>>();
            out.emplace(r.tps, std::move(r));
        }
    });
    return out;
}

struct Counts {
    std::map<std::string, int> n = {{"same", 0},       {"different", 0}, {"desk_only", 0},
                                    {"kpu_only", 0},   {"none", 0},      {"kpu_misread", 0},
                                    {"kpu_changed", 0}};
    std::vector<LineSum> sums; ///< one per line, in order
    void add(const Check& c, const std::vector<Line>& lines) {
        ++n[categoryName(c.category)];
        n["kpu_misread"] += c.misread();
        n["kpu_changed"] += !c.changes.empty();
        sums.resize(lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i)
            sums[i].add(c.category, c.deskLines[i], c.kpuLines[i]);
    }
    json toJson(const std::vector<Line>& lines) const {
        json ls = json::array();
        for (std::size_t i = 0; i < lines.size(); ++i)
            ls.push_back((i < sums.size() ? sums[i] : LineSum{}).toJson(lines[i]));
        return {{"counts", n}, {"lines", ls}};
    }
};

class Crosscheck {
public:
    Crosscheck(const CentralStore& store, const std::string& contestCode, const AreaCode& area,
               std::optional<std::int64_t> importId)
        : store_(store)
        , reg_(store.masterData().regency())
        , area_(area) {
        contest_ = reg_.findContest(contestCode);
        if (!contest_)
            throw ApiError(Problem::NotFound, "no contest " + contestCode);
        if (area != reg_.code && !reg_.findArea(area) && !reg_.findTps(area))
            throw ApiError(Problem::NotFound,
                           "area " + area.str() + " is not in regency " + reg_.code.str());
        imports_ = kpuImports(store, contestCode);
        for (std::size_t i = 0; i < imports_.size(); ++i)
            if (!importId || imports_[i].id == *importId) {
                chosen_ = i; // the newest, unless one is asked for
                if (importId)
                    break;
            }
        if (importId && (!chosen_ || imports_[*chosen_].id != *importId))
            throw ApiError(Problem::NotFound,
                           "no KPU import " + std::to_string(*importId) + " of " + contestCode);
        if (chosen_) {
            rows_ = loadRows(store, imports_[*chosen_].id, area);
            if (*chosen_ > 0)
                before_ = loadRows(store, imports_[*chosen_ - 1].id, area);
        }
        lines_ = linesOf(reg_, *contest_);
        for (const auto* tps : reg_.tpsIn(area))
            if (reg_.ballotFor(*tps, *contest_))
                checks_.push_back(check(*tps));
    }

    json report() const {
        json out;
        out["contest"] = {{"code", contest_->code},
                          {"name", contest_->name},
                          {"kind", std::string(ballotKindName(contest_->kind))}};
        out["area"] = areaJson(area_);
        auto path = json::array();
        for (auto a = std::optional<AreaCode>(area_); a && reg_.code.contains(*a); a = a->parent())
            path.insert(path.begin(), areaJson(*a));
        out["path"] = std::move(path);
        out["as_of"] = utcNowText();
        out["notice_id"] = kNoticeId;
        out["notice_en"] = kNoticeEn;
        auto imports = json::array();
        for (const auto& im : imports_)
            imports.push_back(importJson(im));
        out["imports"] = std::move(imports);
        out["import"] = chosen_ ? importJson(imports_[*chosen_]) : json(nullptr);
        out["previous_import"] =
            chosen_ && *chosen_ > 0 ? json(imports_[*chosen_ - 1].id) : json(nullptr);

        Counts total;
        std::map<std::string, Counts> children;
        std::vector<std::string> order;
        for (const auto& c : checks_) {
            total.add(c, lines_);
            auto child = childOf(c.tps->code);
            if (!children.count(child))
                order.push_back(child);
            children[child].add(c, lines_);
        }
        auto t = total.toJson(lines_);
        out["counts"] = t["counts"];
        out["lines"] = t["lines"];
        auto kids = json::array();
        if (area_.level() != AreaLevel::Tps)
            for (const auto& code : order) {
                auto k = children.at(code).toJson(lines_);
                k["area"] = areaJson(AreaCode::parse(code));
                kids.push_back(std::move(k));
            }
        out["children"] = std::move(kids);
        // A desa lists every TPS; above, only those that need a look: a difference, a KPU
        // misread, or KPU's numbers changed since the import before. TPS at one source only
        // are counted there (early on, that is most of them).
        bool all = area_.level() == AreaLevel::Desa || area_.level() == AreaLevel::Tps;
        auto tps = json::array();
        for (const auto& c : checks_)
            if (all || c.category == Category::Different || c.misread() || !c.changes.empty())
                tps.push_back(tpsJson(c, area_.level() == AreaLevel::Tps));
        out["tps"] = std::move(tps);
        return out;
    }

    std::string csv() const {
        // Names are plain text in cells without quotes: a comma or quote becomes a space.
        auto clean = [](std::string s) {
            for (auto& ch : s)
                if (ch == ',' || ch == '"' || ch == '\n')
                    ch = ' ';
            return s;
        };
        std::ostringstream out;
        out << "kode_tps,nama_tps,kategori,kpu_salah_baca,aturan_dilanggar_kpu,baris_berbeda";
        for (const auto& l : lines_)
            out << ",desk_" << clean(l.label) << ",kpu_" << clean(l.label);
        out << "\n";
        for (const auto& c : checks_) {
            std::set<std::string> rules;
            for (const auto& f : c.kpuFindings)
                if (f.severity != Severity::Warning)
                    rules.insert(f.rule);
            std::string ruleText, diffText;
            for (const auto& r : rules)
                ruleText += (ruleText.empty() ? "" : " ") + r;
            for (const auto& d : c.differences)
                diffText += (diffText.empty() ? "" : " ") + d.field + "=" +
                            (d.desk ? std::to_string(*d.desk) : "-") + "/" + std::to_string(d.kpu);
            out << c.tps->code.str() << "," << clean(c.tps->name) << "," << categoryName(c.category)
                << "," << (c.misread() ? "ya" : "") << "," << ruleText << "," << diffText;
            for (std::size_t i = 0; i < lines_.size(); ++i) {
                out << ",";
                if (c.deskLines[i])
                    out << *c.deskLines[i];
                out << ",";
                if (c.kpuLines[i])
                    out << *c.kpuLines[i];
            }
            out << "\n";
        }
        return out.str();
    }

private:
    Check check(const Tps& tps) const {
        Check c;
        c.tps = &tps;
        auto it = rows_.find(tps.code.str());
        if (it != rows_.end() && it->second.hasVotes()) {
            c.kpu = &it->second;
            auto sheet = kpuSheet(*c.kpu, reg_, *contest_, tps);
            c.kpuFindings = validateSheet(sheet, *contest_, tps);
        }
        c.desk = store_.live().counted(tps.code.str() + "/" + contest_->code);
        std::optional<SheetForm> deskForm;
        if (c.desk.sheet)
            deskForm = SheetForm::filled(*c.desk.sheet);
        for (const auto& l : lines_) {
            c.deskLines.push_back(deskForm && deskForm->has(l.field) ? deskForm->value(l.field)
                                                                     : std::nullopt);
            std::optional<int> kpu;
            if (c.kpu)
                if (auto f = c.kpu->fields.find(l.field); f != c.kpu->fields.end())
                    kpu = f->second;
            c.kpuLines.push_back(kpu);
        }
        if (c.kpu && deskForm) {
            const auto& form = *deskForm;
            for (const auto& [field, value] : c.kpu->fields) {
                auto desk = form.has(field) ? form.value(field) : std::nullopt;
                if (desk != value)
                    c.differences.push_back({field, desk, value});
            }
            c.category = c.differences.empty() ? Category::Same : Category::Different;
        } else {
            c.category = c.kpu          ? Category::KpuOnly
                         : c.desk.sheet ? Category::DeskOnly
                                        : Category::None;
        }
        if (chosen_ && *chosen_ > 0) {
            const KpuRow* now = it != rows_.end() ? &it->second : nullptr;
            auto b = before_.find(tps.code.str());
            const KpuRow* then = b != before_.end() ? &b->second : nullptr;
            std::set<std::string> fields;
            for (const auto* r : {now, then})
                if (r)
                    for (const auto& f : r->fields)
                        fields.insert(f.first);
            auto get = [](const KpuRow* r, const std::string& f) -> std::optional<int> {
                if (!r)
                    return std::nullopt;
                auto v = r->fields.find(f);
                return v == r->fields.end() ? std::nullopt : std::optional<int>(v->second);
            };
            for (const auto& f : fields)
                if (get(then, f) != get(now, f))
                    c.changes.push_back({f, get(then, f), get(now, f)});
        }
        return c;
    }

    json tpsJson(const Check& c, bool withForm) const {
        auto opt = [](std::optional<int> v) { return v ? json(*v) : json(nullptr); };
        Sheet layout = blankSheet(c.tps->code, *reg_.ballotFor(*c.tps, *contest_));
        auto labels = boxLabels(SheetForm(layout));
        auto label = [&](const std::string& f) {
            auto it = labels.find(f);
            return it == labels.end() ? f : it->second;
        };
        json out = {{"tps", c.tps->code.str()},
                    {"name", c.tps->name},
                    {"desa", reg_.areaName(c.tps->code.ancestor(AreaLevel::Desa))},
                    {"sheet", c.tps->code.str() + "/" + contest_->code},
                    {"category", categoryName(c.category)},
                    {"kpu_misread", c.misread()},
                    {"desk_state", c.desk.state == SheetState::NotReceived
                                       ? std::string()
                                       : std::string(sheetStateName(c.desk.state))},
                    {"desk_verified", c.desk.verified},
                    {"kpu_line", c.kpu ? json(c.kpu->line) : json(nullptr)}};
        auto findings = json::array();
        std::set<std::string> rules;
        for (const auto& f : c.kpuFindings) {
            if (f.severity != Severity::Warning)
                rules.insert(f.rule);
            findings.push_back({{"rule", f.rule},
                                {"severity", std::string(severityName(f.severity))},
                                {"fields", f.fields},
                                {"message_id", f.messageId},
                                {"message_en", f.messageEn}});
        }
        out["kpu_rules"] = rules;
        out["kpu_findings"] = std::move(findings);
        auto diffs = json::array();
        for (const auto& d : c.differences)
            diffs.push_back({{"field", d.field},
                             {"label", label(d.field)},
                             {"desk", opt(d.desk)},
                             {"kpu", d.kpu},
                             {"delta", d.desk ? json(d.kpu - *d.desk) : json(nullptr)}});
        out["differences"] = std::move(diffs);
        auto changes = json::array();
        for (const auto& ch : c.changes)
            changes.push_back({{"field", ch.field},
                               {"label", label(ch.field)},
                               {"before", opt(ch.before)},
                               {"after", opt(ch.after)}});
        out["kpu_changes"] = std::move(changes);
        if (withForm) {
            // Every box of the form, both sources side by side, for the drill-down.
            auto deskForm = c.desk.sheet
                                ? std::optional<SheetForm>(SheetForm::filled(*c.desk.sheet))
                                : std::nullopt;
            auto form = json::array();
            SheetForm shape(layout);
            for (const auto& r : shape.rows())
                for (const auto& f : r.fields) {
                    std::optional<int> desk, kpu;
                    if (deskForm && deskForm->has(f))
                        desk = deskForm->value(f);
                    if (c.kpu)
                        if (auto it = c.kpu->fields.find(f); it != c.kpu->fields.end())
                            kpu = it->second;
                    form.push_back({{"field", f},
                                    {"label", label(f)},
                                    {"section", r.section},
                                    {"desk", opt(desk)},
                                    {"kpu", opt(kpu)},
                                    {"differs", kpu && desk != kpu}});
                }
            out["form"] = std::move(form);
        }
        return out;
    }

    /// The child of area_ that holds `tps`: a kecamatan, a desa, or the TPS itself.
    std::string childOf(const AreaCode& tps) const {
        switch (area_.level()) {
        case AreaLevel::Provinsi:
        case AreaLevel::Kabupaten:
            return tps.ancestor(AreaLevel::Kecamatan).str();
        case AreaLevel::Kecamatan:
            return tps.ancestor(AreaLevel::Desa).str();
        default:
            return tps.str();
        }
    }

    json areaJson(const AreaCode& a) const {
        return {{"code", a.str()},
                {"name", reg_.areaName(a)},
                {"level", std::string(levelName(a.level()))}};
    }

    static json importJson(const KpuImport& im) {
        return {{"id", im.id},
                {"file_name", im.fileName},
                {"file_sha256", im.fileSha256},
                {"imported_at", im.importedAt},
                {"rows", im.rows}};
    }

    const CentralStore& store_;
    const Regency& reg_;
    AreaCode area_;
    const Contest* contest_ = nullptr;
    std::vector<KpuImport> imports_;
    std::optional<std::size_t> chosen_;
    Rows rows_, before_;
    std::vector<Line> lines_;
    std::vector<Check> checks_;
};

} // namespace

json crosscheckReport(const CentralStore& store, const std::string& contest, const AreaCode& area,
                      std::optional<std::int64_t> importId) {
    return Crosscheck(store, contest, area, importId).report();
}

std::string crosscheckCsv(const CentralStore& store, const std::string& contest,
                          const AreaCode& area, std::optional<std::int64_t> importId) {
    return Crosscheck(store, contest, area, importId).csv();
}

} // namespace rekap::central
