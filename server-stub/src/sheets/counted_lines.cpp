#include "sheets/counted_lines.h"

#include <charconv>
#include <stdexcept>
#include <vector>

#include "ledger/ledger_entries.h"
#include "rekap/merge.h"
#include "sheets/derive.h"

namespace rekap::central::counted_lines {

namespace {

/// A JSON reader that walks the text once, keeps nothing it is not asked for and allocates
/// nothing: objects are visited key by key, values it is not asked for are skipped.
class Walk {
public:
    explicit Walk(std::string_view text)
        : s_(text) {}

    /// Calls f(key) for each member of the object at the cursor; f reads or skips the value.
    template <class F> void object(F&& f) {
        expect('{');
        if (peek() == '}') {
            ++i_;
            return;
        }
        for (;;) {
            auto key = string();
            expect(':');
            f(key);
            if (stopped_)
                return;
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect('}');
            return;
        }
    }

    /// Calls f() for each element of the array at the cursor.
    template <class F> void array(F&& f) {
        expect('[');
        if (peek() == ']') {
            ++i_;
            return;
        }
        for (;;) {
            f();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect(']');
            return;
        }
    }

    /// A string's text as written (escapes left as they are: codes and keys have none).
    std::string_view string() {
        expect('"');
        auto start = i_;
        while (i_ < s_.size() && s_[i_] != '"')
            i_ += s_[i_] == '\\' ? 2 : 1;
        if (i_ >= s_.size())
            fail("an unterminated string");
        return s_.substr(start, i_++ - start);
    }

    int integer() {
        peek();
        int v = 0;
        auto [end, ec] = std::from_chars(s_.data() + i_, s_.data() + s_.size(), v);
        if (ec != std::errc())
            fail("a whole number");
        i_ = static_cast<std::size_t>(end - s_.data());
        return v;
    }

    /// Leaves the walk: every object and array being read returns at once.
    void stop() { stopped_ = true; }

    void skip() {
        switch (peek()) {
        case '{':
        case '[':
            skipNested();
            return;
        case '"':
            string();
            return;
        default: // a number or a literal
            while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' &&
                   !isSpace(s_[i_]))
                ++i_;
        }
    }

    [[noreturn]] void fail(const char* what) const {
        throw std::runtime_error(std::string("ledger entry: expected ") + what + " at byte " +
                                 std::to_string(i_));
    }

private:
    /// An object or an array, to its closing bracket: brackets counted, strings stepped over
    /// (the calegs' votes, most of a DPRD sheet, are skipped here at a byte a step).
    void skipNested() {
        int depth = 0;
        do {
            if (i_ >= s_.size())
                fail("a closing bracket");
            char c = s_[i_++];
            if (c == '"') {
                --i_;
                string();
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                --depth;
            }
        } while (depth > 0);
    }

    static bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

    char peek() {
        while (i_ < s_.size() && isSpace(s_[i_]))
            ++i_;
        if (i_ >= s_.size())
            fail("more text");
        return s_[i_];
    }

    void expect(char c) {
        if (peek() != c) {
            const char what[] = {'\'', c, '\'', '\0'};
            fail(what);
        }
        ++i_;
    }

    std::string_view s_;
    std::size_t i_ = 0;
    bool stopped_ = false;
};

void readSheet(Walk& w, Sheet& out) {
    w.object([&](std::string_view key) {
        if (key == "tps")
            out.tps = AreaCode::parse(std::string(w.string()));
        else if (key == "contest")
            out.contest = w.string();
        else if (key == "summary")
            w.object([&](std::string_view k) {
                int& field = k == "valid"     ? out.summary.valid
                             : k == "invalid" ? out.summary.invalid
                             : k == "total"   ? out.summary.total
                                              : (w.fail("a summary line"), out.summary.total);
                field = w.integer();
            });
        else if (key == "voters")
            w.object([&](std::string_view k) {
                if (k != "total")
                    return w.skip();
                w.object([&](std::string_view lp) {
                    if (lp == "total")
                        out.voters.total.total = w.integer();
                    else
                        w.skip();
                });
            });
        else if (key == "votes")
            w.object([&](std::string_view k) {
                if (k == "candidates")
                    w.array([&] {
                        CandidateVotes c;
                        w.object([&](std::string_view f) {
                            if (f == "number")
                                c.number = w.integer();
                            else if (f == "votes")
                                c.votes = w.integer();
                            else
                                w.skip();
                        });
                        out.candidates.push_back(c);
                    });
                else if (k == "parties")
                    w.array([&] {
                        PartyVotes p;
                        w.object([&](std::string_view f) {
                            if (f == "party")
                                p.party = w.integer();
                            else if (f == "party_only")
                                p.partyOnly = w.integer();
                            else if (f == "total")
                                p.total = w.integer();
                            else
                                w.skip(); // the calegs: a report's TPS row does not show them
                        });
                        out.parties.push_back(std::move(p));
                    });
                else
                    w.skip();
            });
        else
            w.skip();
    });
}

} // namespace

Sheet lines(std::string_view entry) {
    Sheet out;
    bool found = false;
    Walk w(entry);
    w.object([&](std::string_view key) {
        if (key != "revision")
            return w.skip();
        w.object([&](std::string_view k) {
            if (k != "sheet")
                return w.skip();
            readSheet(w, out);
            found = true;
            w.stop(); // nothing after the sheet is asked for (its signature)
        });
    });
    if (!found)
        w.fail("a revision's sheet");
    return out;
}

std::map<std::string, CountedSheet> in(const db::ReadTx& db, const std::string& tpsPrefix,
                                       const std::string& contest) {
    struct Row {
        std::string sheet, tps;
        CountedSheet counted;
        bool winner = false;
        std::int64_t winnerIdx = -1;
        std::string device;
        std::int64_t heads = 0;
    };
    std::vector<Row> rows;
    {
        // The area's sheets and their winners, one statement (sheets_tps is the index).
        auto st = db.prepare(
            "SELECT s.sheet, s.tps, s.state, s.winner IS NULL, r.ledger_idx, r.device, (SELECT "
            "COUNT(*) FROM sheet_heads h WHERE h.sheet = s.sheet) FROM sheets s LEFT JOIN "
            "revisions r ON r.id = s.winner WHERE s.tps >= ? AND s.tps < ? AND s.contest = ?");
        st.bindAll(tpsPrefix, tpsPrefix + ":", contest);
        while (st.step()) {
            Row row;
            row.sheet = st.text(0);
            row.tps = st.text(1);
            row.counted.state = storedSheetState(st.text(2), "sheets.state");
            if (st.int64(3) == 0) {
                row.winner = true;
                row.winnerIdx = st.isNull(4) ? -1 : st.int64(4);
                row.device = st.text(5);
                row.heads = st.int64(6);
            }
            rows.push_back(std::move(row));
        }
    }
    // The winners' entries, one statement (the numbers live there, schema step 4).
    std::vector<std::int64_t> idxs;
    for (const auto& row : rows)
        if (row.winner)
            idxs.push_back(row.winnerIdx);
    auto entries = ledger_entries::texts(db, idxs);
    std::map<std::string, CountedSheet> out;
    for (auto& row : rows) {
        auto& c = row.counted;
        if (row.winner) {
            // As readCounted(): verified by a desk decision, or by a second reading that agrees
            // (several heads: rare, so the merge's own reading is used).
            c.verified = merge::isDecision(row.device) ||
                         (c.state == SheetState::Accepted && row.heads > 1 &&
                          merge::verified(derive::loadSheet(db, row.sheet)));
            auto entry = entries.find(row.winnerIdx);
            if (entry == entries.end())
                throw std::runtime_error("sheet " + row.sheet +
                                         ": its counted revision's ledger entry " +
                                         std::to_string(row.winnerIdx) + " is missing");
            try {
                c.sheet = lines(entry->second);
            } catch (const std::runtime_error& e) {
                throw std::runtime_error("sheet " + row.sheet + ", " + e.what() + " (entry " +
                                         std::to_string(row.winnerIdx) + ")");
            }
        }
        out.emplace(std::move(row.tps), std::move(c));
    }
    return out;
}

} // namespace rekap::central::counted_lines
