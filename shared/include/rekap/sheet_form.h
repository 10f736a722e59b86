#pragma once
// The C.Hasil form as an operator fills it in: every box by field id (the ids of sheet_codec.h),
// in the paper form's order, blank until typed; and the boxes the form computes (each row's
// total, I.B4, each party's total, V.C), computed from the typed ones and blank while any box
// they add up is blank. What is blank is never counted as 0: a form with a blank box is not a
// sheet yet. The app and the tools take field ids and computed totals from here, never from a
// copy of their own.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rekap/regency.h"
#include "rekap/rules.h"
#include "rekap/sheet.h"

namespace rekap {

/// One printed line of the form and its boxes.
struct FormRow {
    enum class Kind {
        Lp,             ///< L, P and total boxes (I.A-I.B4, III)
        Count,          ///< one box (II.1-II.4, V.A-V.C)
        Candidate,      ///< a paslon or DPD candidate (IV)
        PartyTotal,     ///< a party's total (IV, computed)
        PartyOnly,      ///< votes for the party only (IV)
        PartyCandidate, ///< a caleg on the party's list (IV)
    };
    Kind kind = Kind::Count;
    int section = 1;  ///< 1-5 for I-V
    std::string code; ///< "I.A", "I.B1", ..., "II.1", "III", "IV", "V.A", "V.B", "V.C"
    std::vector<std::string> fields; ///< Lp: l, p, total; otherwise one
    int party = 0;                   ///< party rows
    int number = 0;                  ///< Candidate, PartyCandidate: ballot number
};

std::string_view formRowKindName(FormRow::Kind kind); ///< "lp", "count", "candidate", ...

class SheetForm {
public:
    /// Every box blank, section IV laid out as in `layout` (a blankSheet).
    explicit SheetForm(const Sheet& layout);
    /// A new sheet for `tps`: blank, but for I.A which the DPT of master data fills in (the
    /// KPPS checks it against the form).
    static SheetForm start(const Tps& tps, const Ballot& ballot);
    /// Every box typed as in `sheet` (a finalized revision).
    static SheetForm filled(const Sheet& sheet);

    const AreaCode& tps() const { return layout_.tps; }
    const std::string& contest() const { return layout_.contest; }
    const std::vector<FormRow>& rows() const { return rows_; }
    /// Every field id, in the order an operator types the form.
    std::vector<std::string> fields() const;
    bool has(std::string_view field) const;
    bool isComputed(std::string_view field) const;

    /// A typed value, or a computed one once every box it adds up is typed; nullopt if blank.
    std::optional<int> value(std::string_view field) const;
    /// Types an entered box, or clears it with nullopt. Throws std::invalid_argument for an
    /// unknown or computed field or a negative value.
    void set(std::string_view field, std::optional<int> value);

    /// The entered boxes still blank, in form order. A form is a sheet only with none.
    std::vector<std::string> blankFields() const;
    bool complete() const { return blankFields().empty(); }
    /// The numbers as a sheet, computed boxes computed; blanks read as 0, so only the sheet of
    /// a complete form is what the operator typed.
    Sheet sheet() const;

    /// The rules (R1-R9) on what is typed so far: a finding is left out while any box it names
    /// is blank, so R4 waits until sections I, II and V are all typed.
    std::vector<Finding> findings(const Contest& contest, const Tps& tps) const;
    /// The box a finding is shown beside: its first entered (not computed) box, else its first.
    std::string anchor(const Finding& finding) const;
    /// The entered box after `field` in form order (before it with step -1); "" at the end.
    std::string nextEntered(std::string_view field, int step = 1) const;

    /// A draft: {"form": 1, "values": {"<field>": n, ...}}, the typed boxes only.
    nlohmann::json encodeDraft() const;
    /// Reads a draft over `layout`. Also reads drafts written before there were blanks (a whole
    /// sheet, every box typed). Throws DecodeError naming the JSON path.
    static SheetForm decodeDraft(const nlohmann::json& draft, const Sheet& layout,
                                 const Regency& regency);

private:
    struct Box {
        std::string id;
        bool computed = false;
        std::vector<std::size_t> inputs; ///< boxes a computed box adds up
        std::optional<int> value;        ///< entered boxes only
    };
    std::size_t add(std::string id);
    std::size_t addSum(std::string id, std::vector<std::size_t> inputs);
    void addLp(int section, const std::string& code, const std::string& prefix);
    void addLpSum(int section, const std::string& code, const std::string& prefix,
                  const std::vector<std::string>& of);
    void addCount(int section, const std::string& code, const std::string& id);
    const Box* find(std::string_view field) const;
    std::optional<int> valueOf(const Box& box) const;

    Sheet layout_;
    std::vector<Box> boxes_;
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<FormRow> rows_;
};

} // namespace rekap
