#include "rekap/canonical_text.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace rekap::canonical {

namespace {

void appendInt(std::string& out, int v) {
    char buf[16];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

/// A JSON string as nlohmann::json's serializer writes it. Printable ASCII other than the quote
/// and the backslash is copied; anything else (rare: an operator's name, a reason) goes through
/// the serializer itself, so that escapes and non-ASCII handling are its own, not a copy.
void appendString(std::string& out, const std::string& s, bool ensureAscii) {
    bool plain = std::all_of(
        s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
    if (!plain) {
        out += nlohmann::json(s).dump(-1, ' ', ensureAscii);
        return;
    }
    out += '"';
    out += s;
    out += '"';
}

/// `"key":` (keys are fixed ASCII names).
void appendKey(std::string& out, const char* key) {
    out += '"';
    out += key;
    out += "\":";
}

void appendLp(std::string& out, const LpCount& c) {
    out += "{\"l\":";
    appendInt(out, c.l);
    out += ",\"p\":";
    appendInt(out, c.p);
    out += ",\"total\":";
    appendInt(out, c.total);
    out += '}';
}

template <typename T, typename Less>
std::vector<const T*> sortedBy(const std::vector<T>& v, Less less) {
    std::vector<const T*> out;
    out.reserve(v.size());
    for (const auto& x : v)
        out.push_back(&x);
    std::stable_sort(out.begin(), out.end(), [&](const T* a, const T* b) { return less(*a, *b); });
    return out;
}

void appendVotes(std::string& out, const std::vector<CandidateVotes>& votes) {
    out += '[';
    bool first = true;
    for (const auto* c : sortedBy(votes, [](auto&a, auto&b) { return a.number < b.number; })) {
        if (!first)
            out += ',';
        first = false;
        out += "{\"number\":";
        appendInt(out, c->number);
        out += ",\"votes\":";
        appendInt(out, c->votes);
        out += '}';
    }
    out += ']';
}

} // namespace

void appendSheet(std::string& out, const Sheet& s, bool ensureAscii) {
    // Keys in byte order, as nlohmann::json's std::map keeps them.
    out += "{\"ballots\":{\"damaged\":";
    appendInt(out, s.ballots.damaged);
    out += ",\"received\":";
    appendInt(out, s.ballots.received);
    out += ",\"unused\":";
    appendInt(out, s.ballots.unused);
    out += ",\"used\":";
    appendInt(out, s.ballots.used);
    out += "},\"contest\":";
    appendString(out, s.contest, ensureAscii);
    out += ",\"disabled_voters\":";
    appendLp(out, s.disabledVoters);
    out += ",\"summary\":{\"invalid\":";
    appendInt(out, s.summary.invalid);
    out += ",\"total\":";
    appendInt(out, s.summary.total);
    out += ",\"valid\":";
    appendInt(out, s.summary.valid);
    out += "},\"tps\":";
    appendString(out, s.tps.str(), ensureAscii);
    out += ",\"voters\":{\"dpt\":";
    appendLp(out, s.voters.dpt);
    out += ",\"from_dpk\":";
    appendLp(out, s.voters.fromDpk);
    out += ",\"from_dpt\":";
    appendLp(out, s.voters.fromDpt);
    out += ",\"from_dptb\":";
    appendLp(out, s.voters.fromDptb);
    out += ",\"total\":";
    appendLp(out, s.voters.total);
    out += "},\"votes\":{";
    if (!s.parties.empty()) {
        out += "\"parties\":[";
        bool first = true;
        for (const auto* p :
             sortedBy(s.parties, [](auto&a, auto&b) { return a.party < b.party; })) {
            if (!first)
                out += ',';
            first = false;
            out += "{\"candidates\":";
            appendVotes(out, p->candidates);
            out += ",\"party\":";
            appendInt(out, p->party);
            out += ",\"party_only\":";
            appendInt(out, p->partyOnly);
            out += ",\"total\":";
            appendInt(out, p->total);
            out += '}';
        }
        out += ']';
    } else {
        out += "\"candidates\":";
        appendVotes(out, s.candidates);
    }
    out += "}}";
}

void appendRevision(std::string& out, const Revision& r, const std::string* hash,
                    bool ensureAscii) {
    out += '{';
    appendKey(out, "captured_at");
    appendString(out, r.capturedAt, ensureAscii);
    out += ',';
    appendKey(out, "device");
    appendString(out, r.device, ensureAscii);
    if (hash) {
        out += ',';
        appendKey(out, "hash");
        appendString(out, *hash, ensureAscii);
    }
    out += ',';
    appendKey(out, "id");
    appendString(out, r.id, ensureAscii);
    out += ',';
    appendKey(out, "operator");
    appendString(out, r.operatorName, ensureAscii);
    if (r.parent) {
        out += ',';
        appendKey(out, "parent");
        appendString(out, *r.parent, ensureAscii);
    }
    if (r.photo) {
        out += ',';
        appendKey(out, "photo");
        appendString(out, *r.photo, ensureAscii);
    }
    if (!r.reason.empty()) {
        out += ',';
        appendKey(out, "reason");
        appendString(out, r.reason, ensureAscii);
    }
    out += ',';
    appendKey(out, "sheet");
    appendSheet(out, r.sheet, ensureAscii);
    // The signature signs the hash, so it is never part of the hashed bytes.
    if (hash && r.signature) {
        out += ',';
        appendKey(out, "signature");
        appendString(out, *r.signature, ensureAscii);
    }
    out += '}';
}

} // namespace rekap::canonical
