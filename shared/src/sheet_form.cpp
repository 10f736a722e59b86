#include "rekap/sheet_form.h"

#include <algorithm>
#include <stdexcept>

#include "rekap/error.h"
#include "rekap/sheet_codec.h"

namespace rekap {

std::string_view formRowKindName(FormRow::Kind kind) {
    switch (kind) {
    case FormRow::Kind::Lp:
        return "lp";
    case FormRow::Kind::Count:
        return "count";
    case FormRow::Kind::Candidate:
        return "candidate";
    case FormRow::Kind::PartyTotal:
        return "party_total";
    case FormRow::Kind::PartyOnly:
        return "party_only";
    case FormRow::Kind::PartyCandidate:
        return "party_candidate";
    }
    return "?";
}

std::size_t SheetForm::add(std::string id) {
    index_.emplace(id, boxes_.size());
    boxes_.push_back({std::move(id), false, {}, std::nullopt});
    return boxes_.size() - 1;
}

std::size_t SheetForm::addSum(std::string id, std::vector<std::size_t> inputs) {
    index_.emplace(id, boxes_.size());
    boxes_.push_back({std::move(id), true, std::move(inputs), std::nullopt});
    return boxes_.size() - 1;
}

void SheetForm::addLp(int section, const std::string& code, const std::string& prefix) {
    auto l = add(prefix + ".l");
    auto p = add(prefix + ".p");
    addSum(prefix + ".total", {l, p});
    rows_.push_back(
        {FormRow::Kind::Lp, section, code, {prefix + ".l", prefix + ".p", prefix + ".total"}});
}

void SheetForm::addLpSum(int section, const std::string& code, const std::string& prefix,
                         const std::vector<std::string>& of) {
    std::vector<std::size_t> ls, ps;
    for (const auto& row : of) {
        ls.push_back(index_.at(row + ".l"));
        ps.push_back(index_.at(row + ".p"));
    }
    auto l = addSum(prefix + ".l", ls);
    auto p = addSum(prefix + ".p", ps);
    addSum(prefix + ".total", {l, p});
    rows_.push_back(
        {FormRow::Kind::Lp, section, code, {prefix + ".l", prefix + ".p", prefix + ".total"}});
}

void SheetForm::addCount(int section, const std::string& code, const std::string& id) {
    add(id);
    rows_.push_back({FormRow::Kind::Count, section, code, {id}});
}

SheetForm::SheetForm(const Sheet& layout)
    : layout_(layout) {
    // Section I: voters. B4 is computed from B1-B3, as the form adds them up.
    addLp(1, "I.A", "voters.dpt");
    addLp(1, "I.B1", "voters.from_dpt");
    addLp(1, "I.B2", "voters.from_dptb");
    addLp(1, "I.B3", "voters.from_dpk");
    addLpSum(1, "I.B4", "voters.total", {"voters.from_dpt", "voters.from_dptb", "voters.from_dpk"});
    // Section II: ballot papers, each typed (R5 checks them against each other).
    addCount(2, "II.1", "ballots.received");
    addCount(2, "II.2", "ballots.used");
    addCount(2, "II.3", "ballots.damaged");
    addCount(2, "II.4", "ballots.unused");
    // Section III: voters with disabilities.
    addLp(3, "III", "disabled_voters");
    // Section IV: valid votes per paslon or candidate, or per party with its total computed.
    for (const auto& c : layout_.candidates) {
        auto id = field::candidate(c.number);
        add(id);
        rows_.push_back({FormRow::Kind::Candidate, 4, "IV", {id}, 0, c.number});
    }
    for (const auto& p : layout_.parties) {
        // The total's row comes first (as the party's heading) but adds up the boxes below it.
        auto totalRow = rows_.size();
        rows_.push_back(
            {FormRow::Kind::PartyTotal, 4, "IV", {field::partyTotal(p.party)}, p.party});
        std::vector<std::size_t> inputs{add(field::partyOnly(p.party))};
        rows_.push_back(
            {FormRow::Kind::PartyOnly, 4, "IV", {field::partyOnly(p.party)}, p.party, 0});
        for (const auto& c : p.candidates) {
            auto id = field::partyCandidate(p.party, c.number);
            inputs.push_back(add(id));
            rows_.push_back({FormRow::Kind::PartyCandidate, 4, "IV", {id}, p.party, c.number});
        }
        addSum(rows_[totalRow].fields[0], std::move(inputs));
    }
    // Section V: V.A is typed, so that a misread vote in IV is caught by R2; V.C = A + B.
    auto valid = add("summary.valid");
    rows_.push_back({FormRow::Kind::Count, 5, "V.A", {"summary.valid"}});
    auto invalid = add("summary.invalid");
    rows_.push_back({FormRow::Kind::Count, 5, "V.B", {"summary.invalid"}});
    addSum("summary.total", {valid, invalid});
    rows_.push_back({FormRow::Kind::Count, 5, "V.C", {"summary.total"}});
}

SheetForm SheetForm::start(const Tps& tps, const Ballot& ballot) {
    SheetForm form(blankSheet(tps.code, ballot));
    form.set("voters.dpt.l", tps.dptL);
    form.set("voters.dpt.p", tps.dptP);
    return form;
}

SheetForm SheetForm::filled(const Sheet& sheet) {
    SheetForm form(sheet);
    const auto& v = sheet.voters;
    const std::pair<const char*, const LpCount*> rows[] = {
        {"voters.dpt", &v.dpt},
        {"voters.from_dpt", &v.fromDpt},
        {"voters.from_dptb", &v.fromDptb},
        {"voters.from_dpk", &v.fromDpk},
        {"disabled_voters", &sheet.disabledVoters}};
    for (const auto& [prefix, row] : rows) {
        form.set(std::string(prefix) + ".l", row->l);
        form.set(std::string(prefix) + ".p", row->p);
    }
    form.set("ballots.received", sheet.ballots.received);
    form.set("ballots.used", sheet.ballots.used);
    form.set("ballots.damaged", sheet.ballots.damaged);
    form.set("ballots.unused", sheet.ballots.unused);
    for (const auto& c : sheet.candidates)
        form.set(field::candidate(c.number), c.votes);
    for (const auto& p : sheet.parties) {
        form.set(field::partyOnly(p.party), p.partyOnly);
        for (const auto& c : p.candidates)
            form.set(field::partyCandidate(p.party, c.number), c.votes);
    }
    form.set("summary.valid", sheet.summary.valid);
    form.set("summary.invalid", sheet.summary.invalid);
    return form;
}

std::vector<std::string> SheetForm::fields() const {
    std::vector<std::string> out;
    for (const auto& row : rows_)
        out.insert(out.end(), row.fields.begin(), row.fields.end());
    return out;
}

const SheetForm::Box* SheetForm::find(std::string_view field) const {
    auto it = index_.find(std::string(field));
    return it == index_.end() ? nullptr : &boxes_[it->second];
}

bool SheetForm::has(std::string_view field) const {
    return find(field) != nullptr;
}

bool SheetForm::isComputed(std::string_view field) const {
    const auto* box = find(field);
    return box && box->computed;
}

std::optional<int> SheetForm::valueOf(const Box& box) const {
    if (!box.computed)
        return box.value;
    int sum = 0;
    for (auto i : box.inputs) {
        auto v = valueOf(boxes_[i]);
        if (!v)
            return std::nullopt;
        sum += *v;
    }
    return sum;
}

std::optional<int> SheetForm::value(std::string_view field) const {
    const auto* box = find(field);
    return box ? valueOf(*box) : std::nullopt;
}

void SheetForm::set(std::string_view field, std::optional<int> value) {
    auto it = index_.find(std::string(field));
    if (it == index_.end())
        throw std::invalid_argument("no box " + std::string(field) + " on this form");
    auto& box = boxes_[it->second];
    if (box.computed)
        throw std::invalid_argument(std::string(field) + " is computed by the form");
    if (value && *value < 0)
        throw std::invalid_argument(std::string(field) + ": a count cannot be negative");
    box.value = value;
}

std::vector<std::string> SheetForm::blankFields() const {
    std::vector<std::string> out;
    for (const auto& id : fields()) {
        const auto* box = find(id);
        if (!box->computed && !box->value)
            out.push_back(id);
    }
    return out;
}

Sheet SheetForm::sheet() const {
    Sheet s = layout_;
    auto get = [&](const std::string& id) { return value(id).value_or(0); };
    auto lp = [&](const std::string& prefix) {
        return LpCount{get(prefix + ".l"), get(prefix + ".p"), get(prefix + ".total")};
    };
    s.voters = {lp("voters.dpt"), lp("voters.from_dpt"), lp("voters.from_dptb"),
                lp("voters.from_dpk"), lp("voters.total")};
    s.ballots = {get("ballots.received"), get("ballots.used"), get("ballots.damaged"),
                 get("ballots.unused")};
    s.disabledVoters = lp("disabled_voters");
    for (auto& c : s.candidates)
        c.votes = get(field::candidate(c.number));
    for (auto& p : s.parties) {
        p.partyOnly = get(field::partyOnly(p.party));
        for (auto& c : p.candidates)
            c.votes = get(field::partyCandidate(p.party, c.number));
        // A blank box reads as 0 here, so the total is the sum of what the sheet holds.
        p.total = p.partyOnly;
        for (const auto& c : p.candidates)
            p.total += c.votes;
    }
    s.summary = {get("summary.valid"), get("summary.invalid"), 0};
    s.summary.total = s.summary.valid + s.summary.invalid;
    // Row totals of a partly typed form, likewise from what the sheet holds.
    for (auto* row : {&s.voters.dpt, &s.voters.fromDpt, &s.voters.fromDptb, &s.voters.fromDpk,
                      &s.disabledVoters})
        row->total = row->l + row->p;
    auto& v = s.voters;
    v.total.l = v.fromDpt.l + v.fromDptb.l + v.fromDpk.l;
    v.total.p = v.fromDpt.p + v.fromDptb.p + v.fromDpk.p;
    v.total.total = v.total.l + v.total.p;
    return s;
}

std::vector<Finding> SheetForm::findings(const Contest& contest, const Tps& tps) const {
    auto all = validateSheet(sheet(), contest, tps);
    std::vector<Finding> out;
    for (auto& f : all) {
        bool typed = std::all_of(f.fields.begin(), f.fields.end(), [&](const std::string& id) {
            return !has(id) || value(id).has_value();
        });
        if (typed)
            out.push_back(std::move(f));
    }
    return out;
}

std::string SheetForm::anchor(const Finding& finding) const {
    for (const auto& id : finding.fields)
        if (has(id) && !isComputed(id))
            return id;
    return finding.fields.empty() ? std::string() : finding.fields.front();
}

std::string SheetForm::nextEntered(std::string_view field, int step) const {
    auto all = fields();
    auto it = std::find(all.begin(), all.end(), field);
    if (it == all.end())
        return {};
    auto i = static_cast<long>(it - all.begin());
    for (i += step; i >= 0 && i < static_cast<long>(all.size()); i += step)
        if (!isComputed(all[static_cast<std::size_t>(i)]))
            return all[static_cast<std::size_t>(i)];
    return {};
}

nlohmann::json SheetForm::encodeDraft() const {
    auto values = nlohmann::json::object();
    for (const auto& box : boxes_)
        if (!box.computed && box.value)
            values[box.id] = *box.value;
    return {{"form", 1}, {"values", values}};
}

SheetForm SheetForm::decodeDraft(const nlohmann::json& draft, const Sheet& layout,
                                 const Regency& regency) {
    if (draft.is_object() && !draft.contains("form"))
        return filled(decodeSheet(draft, regency, "draft")); // every box typed, as drafts were
    if (!draft.is_object() || draft["form"] != 1 || !draft.contains("values") ||
        !draft["values"].is_object())
        throw DecodeError("draft: $", "expected {\"form\": 1, \"values\": {...}}");
    SheetForm form(layout);
    for (const auto& [id, v] : draft["values"].items()) {
        auto where = "draft: $.values." + id;
        if (!form.has(id) || form.isComputed(id))
            throw DecodeError(where, "no box to type on this form");
        if (!v.is_number_integer() || v.get<long long>() < 0 ||
            v.get<long long>() > kMaxDecodedCount)
            throw DecodeError(where, "expected a whole number from 0 to " +
                                         std::to_string(kMaxDecodedCount));
        form.set(id, v.get<int>());
    }
    return form;
}

} // namespace rekap
