#include "rekap/merge.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "rekap/canonical_text.h"
#include "rekap/person_name.h"
#include "rekap/sha256.h"

namespace rekap::merge {

namespace {
void order(std::vector<Head>& heads) {
    std::sort(heads.begin(), heads.end(), [](const Head& a, const Head& b) {
        return a.line != b.line ? a.line < b.line : a.seq < b.seq;
    });
}
} // namespace

bool samePerson(std::string_view a, std::string_view b) {
    // After normalisation and by confusable skeleton: a look-alike name is the same person.
    return person_name::same(a, b);
}

const Head* verifyingReading(const SheetHeads& sheet) {
    const auto* w = sheet.winner();
    if (!w || isDecision(w->author) || sheet.state() != SheetState::Accepted)
        return nullptr;
    for (const auto& h : sheet.heads)
        if (h.reading && h.id != w->id && h.numbersHash == w->numbersHash &&
            h.author != w->author && !samePerson(h.person, w->person))
            return &h;
    return nullptr;
}

bool verified(const SheetHeads& sheet) {
    const auto* w = sheet.winner();
    return w && (isDecision(w->author) || verifyingReading(sheet));
}

std::string numbersHash(const Sheet& sheet) {
    std::string text;
    canonical::appendSheet(text, sheet);
    return sha256Hex(text);
}

SheetState SheetHeads::state() const {
    if (heads.empty())
        return anyRejected ? SheetState::Rejected : SheetState::NotReceived;
    std::set<std::string> contents; // distinct numbers among the heads
    for (const auto& h : heads)
        contents.insert(h.numbersHash);
    return contents.size() > 1 ? SheetState::Conflict : SheetState::Accepted;
}

const Head* SheetHeads::winner() const {
    return heads.empty() ? nullptr : &heads.front();
}

Step applyAccepted(SheetHeads& sheet, Head incoming,
                   const std::optional<std::string>& effectiveParent) {
    Step step;
    auto parent = effectiveParent
                      ? std::find_if(sheet.heads.begin(), sheet.heads.end(),
                                     [&](const Head& h) { return h.id == *effectiveParent; })
                      : sheet.heads.end();
    bool sameAuthor = parent != sheet.heads.end() && parent->author == incoming.author &&
                      !isDecision(parent->author) && !isDecision(incoming.author);
    if (sameAuthor) {
        incoming.line = parent->line;
        step.fastForward = true;
        step.replaced = parent->id;
        *parent = std::move(incoming);
    } else {
        incoming.line = incoming.seq;
        sheet.heads.push_back(std::move(incoming));
    }
    order(sheet.heads);
    return step;
}

void applyRejected(SheetHeads& sheet) {
    sheet.anyRejected = true;
}

std::vector<std::string> applyDecision(SheetHeads& sheet, Head decision,
                                       const std::string& chosen) {
    auto it = std::find_if(sheet.heads.begin(), sheet.heads.end(),
                           [&](const Head& h) { return h.id == chosen; });
    if (it == sheet.heads.end())
        throw std::invalid_argument("revision " + chosen + " is not a head of the sheet");
    decision.line = it->line;
    decision.author = std::string(kDecisionAuthor);
    std::vector<std::string> superseded;
    for (const auto& h : sheet.heads)
        if (h.id != chosen)
            superseded.push_back(h.id);
    sheet.heads = {std::move(decision)};
    return superseded;
}

} // namespace rekap::merge
