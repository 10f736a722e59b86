#pragma once
// Replaying a ledger from its first entry: every check an outsider can make without trusting the
// receiver. Each entry must sit at its index, parse, and agree with everything before it: a
// revision must hash to its content, carry a valid signature of an enrolled, unrevoked operator
// device of its TPS, and carry the findings the rules give; a decision must be signed by the
// receiver's key and choose a head. The replay derives what counts (each sheet's heads, state
// and winner, and the tally) by the same merge as the receiver (rekap/merge.h).
//
// Used by rekap-verify on an export, and by the receiver's own `verify` to compare its derived
// tables with a rebuild.

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "rekap/ledger.h"
#include "rekap/merge.h"
#include "rekap/merkle.h"
#include "rekap/regency.h"
#include "rekap/revision.h"
#include "rekap/revision_key.h"
#include "rekap/sheet.h"
#include "rekap/tally.h"

namespace rekap::ledger {

/// The first entry (or head) that fails, and what is wrong with it.
class ReplayError : public std::runtime_error {
public:
    ReplayError(std::int64_t index, const std::string& what);
    std::int64_t index() const { return index_; }

private:
    std::int64_t index_;
};

struct DeviceInfo {
    std::string id, name, role, scope;
    std::optional<std::string> publicKey;
    bool revoked = false;
    std::string enrolledAt; ///< its device_enrolled entry's time
    /// Its device_revoked entry's time; nullopt for a revocation carried over from an older
    /// store, whose entry is placed after the device's last revision rather than at its time.
    std::optional<std::string> revokedAt;
};

/// Held for every revision of the ledger (4,100,000 at national size): its strings are views of
/// strings the replay holds once (a key of sheets(), a key of revisions() or another interned
/// revision key, an interned device id and operator name), about 100 bytes a revision fewer
/// than copies.
struct RevisionInfo {
    std::string_view sheet;
    std::optional<std::string_view> parent;
    std::string_view device; ///< or "desk" for a decision
    bool rejected = false;
    std::int64_t index = 0;
    std::string_view operatorName;
    bool reading = false;  ///< a second reading (merge::kSecondReading)
    std::int64_t line = 0; ///< the merge's line (merge::Head::line); its own index when rejected
};

/// A photo attached to a revision after it was sent (rekap/photo_attachment.h), as the ledger
/// recorded it.
struct AttachedPhoto {
    std::int64_t index = 0; ///< its photo_attached entry
    std::string revision;   ///< the revision's key
    std::string sheet;
    std::string photo;
    std::string device;
    std::string attachedAt; ///< the device's clock
    std::string at;         ///< the entry's time
};

/// A sheet sent back to its operator (rekap/send_back.h), as the ledger recorded it, and the
/// revision that answered it: the sheet's next revision by an operator's tablet (a first entry,
/// not a second reading nor a desk decision), recorded after the mark.
struct SentBack {
    std::int64_t index = 0; ///< its send_back entry
    std::string revision;   ///< the key of the revision it asks to be corrected
    std::string sheet;
    std::string device; ///< that revision's device
    std::string reason;
    std::string by;
    std::string at;                          ///< the entry's time (the mark's, as signed)
    std::string signature;                   ///< the receiver's, over the mark
    std::optional<std::string> answeredBy;   ///< the key of the revision that answered it
    std::optional<std::int64_t> answeredIdx; ///< that revision's entry
    bool operator==(const SentBack&) const = default;
};

/// What the last applied revision or decision entry says in full, for a caller that keeps its
/// own copy of every revision (the receiver's `revisions` table) to compare, column by column.
struct AppliedRevision {
    Revision revision;
    std::string at;          ///< the entry's time
    RevisionTexts texts;     ///< hash and body
    std::string numbersHash; ///< merge::numbersHash of the sheet
    nlohmann::json findings; ///< as recorded in the entry ([] for a decision)
    bool rejected = false;
    bool decision = false;
    std::int64_t line = 0;
    std::vector<std::string> superseded; ///< a decision's, in the merge's order
};

class Replay {
public:
    /// `pinnedReceiverKey`: the receiver's public key as the caller knows it from elsewhere (the
    /// printout, the dashboard); every receiver_key entry must then be that key.
    explicit Replay(std::optional<std::string> pinnedReceiverKey = std::nullopt);
    ~Replay();

    /// For a whole export (rekap-verify): device signatures are queued by apply() instead of
    /// checked one by one, and checkDeferredSignatures() checks them on several threads. The
    /// first failure is still the one with the lowest index.
    void deferSignatures() { defer_ = true; }
    /// Checks the queued signatures of entries before `before` on `threads` threads; throws the
    /// ReplayError of the lowest entry whose signature fails.
    void checkDeferredSignatures(unsigned threads,
                                 std::int64_t before = std::numeric_limits<std::int64_t>::max());

    /// The texts of the entries at `indexes` (revisions or decisions), in that order.
    using EntriesAt =
        std::function<std::vector<std::string>(const std::vector<std::int64_t>& indexes)>;
    /// Keeps no head's numbers in memory: counted() and tally() read the heads' entries back
    /// through `entriesAt` from the ledger the caller holds, and take each only if it hashes to
    /// the leaf this replay appended for it (ReplayError otherwise). A receiver's start-up
    /// verification of a national store held a decoded Sheet for each of 4,100,000 heads (about
    /// 1.3 KB each); its entry index is kept instead (merge::Head::seq). Call before apply().
    void readSheetsFrom(EntriesAt entriesAt) { sheetsAt_ = std::move(entriesAt); }
    /// Keeps the tree's leaves and the nodes its current root needs, not every inner node
    /// (merkle::Tree::Keep::LeavesAndFrontier): for a caller that checks each signed head when
    /// size() reaches it; checkHead() of an earlier size then rebuilds from the leaves. Call
    /// before apply().
    void keepCompactTree() {
        if (size() > 0)
            throw std::logic_error("keepCompactTree() after entries were applied");
        tree_ = merkle::Tree(merkle::Tree::Keep::LeavesAndFrontier);
    }

    /// Applies the entry that should sit at index size(). Throws ReplayError.
    void apply(std::string_view entryText);
    /// Checks a signed head against the tree: its root at its size, and its signature by the
    /// receiver key in force at that size. Throws ReplayError (index: the head's size).
    void checkHead(const TreeHead& head) const;
    /// The same against `root`, the tree's root at the head's size as tree().root() gave it
    /// when size() was that size: for a head whose regency is known only later (a compact tree
    /// would rebuild an earlier root from every leaf before it).
    void checkHead(const TreeHead& head, const merkle::Hash& root) const;

    std::int64_t size() const { return static_cast<std::int64_t>(tree_.size()); }
    const merkle::Tree& tree() const { return tree_; }
    /// Throws std::runtime_error before the first master_data entry.
    const Regency& regency() const;
    bool hasRegency() const { return !regencies_.empty(); }
    std::optional<std::string> receiverKey() const { return receiverKey_; }
    const std::map<std::string, DeviceInfo>& devices() const { return devices_; }
    const std::map<std::string, merge::SheetHeads>& sheets() const { return sheets_; }
    const std::unordered_map<std::string, RevisionInfo>& revisions() const { return revisions_; }
    /// What a sheet counts now (as the receiver's tally counts it).
    CountedSheet counted(const std::string& sheetKey) const;
    /// The tally of every sheet counted now.
    std::unique_ptr<Tally> tally() const;

    /// The latest master_data entry's document as JSON text (what the receiver serves).
    const std::string& masterDataDocument() const { return masterDataDocument_; }
    /// The kind and time of the last entry apply() took in, and whether it was carried over from
    /// a store made before the ledger ("migrated").
    Kind lastKind() const { return lastKind_; }
    const std::string& lastAt() const { return lastAt_; }
    bool lastMigrated() const { return lastMigrated_; }
    /// The revision or decision the last apply() took in; nullopt after any other entry.
    const std::optional<AppliedRevision>& lastRevision() const { return last_; }

    /// Entries carried over from a store made before signing began (docs/integrity.md).
    std::int64_t legacyRevisions() const { return legacy_; }
    std::int64_t refusals() const { return refusals_; }
    /// Every photo attached to a sent revision, in ledger order.
    const std::vector<AttachedPhoto>& attachedPhotos() const { return attached_; }
    /// Every sheet sent back to its operator, in ledger order, with what answered it.
    const std::vector<SentBack>& sendBacks() const { return sentBack_; }

private:
    void applyRevision(std::int64_t index, const nlohmann::json& e);
    /// A desk clerk's second reading: signed by the receiver's key.
    void checkDeskReading(const Revision& rev, const std::string& hash, bool reading) const;
    /// A device's revision: an enrolled, unrevoked device of the TPS (an operator), or a
    /// second reading by the camat of its kecamatan; signed by the device's key.
    void checkDeviceRevision(std::int64_t index, const nlohmann::json& e, const Revision& rev,
                             const std::string& hash, bool reading);
    void applyDecision(std::int64_t index, const nlohmann::json& e);
    /// A photo_attached entry: signed by the revision's own device, enrolled and unrevoked, for
    /// a revision of that device's, of the sheet it names, not attached twice.
    void applyPhotoAttached(std::int64_t index, const nlohmann::json& e);
    /// A send_back entry: signed by the receiver's key, naming a revision the ledger holds of
    /// that sheet by an operator's device, while no other mark on the sheet waits.
    void applySendBack(std::int64_t index, const nlohmann::json& e);
    /// A first entry of `sheet` answers the marks on it that wait.
    void answerSendBacks(const std::string& sheet, const std::string& key, std::int64_t index);
    std::optional<std::string> effectiveParent(std::optional<std::string> id) const;
    /// Every stored revision with the id `name`, for revision_key.h.
    std::vector<revision_key::Named> named(const std::string& name) const;

    std::optional<std::string> pinned_, receiverKey_;
    std::map<std::uint64_t, std::string> receiverKeys_; ///< from size -> key in force
    std::vector<std::shared_ptr<const Regency>> regencies_;
    merkle::Tree tree_;
    std::map<std::string, DeviceInfo> devices_;
    std::map<std::string, merge::SheetHeads> sheets_;
    std::unordered_map<std::string, RevisionInfo> revisions_; ///< by key (revision_key.h)
    /// Every device id a revision names, once: RevisionInfo::device views them (an unordered
    /// set's elements stay where they are when it grows).
    std::unordered_set<std::string> authors_;
    /// Parent keys that name no revision of the ledger (yet), and operator names, held once.
    std::unordered_set<std::string> otherParents_, people_;
    /// The stored form of a revision's sheet, device, parent and operator: views of strings held
    /// once.
    std::string_view sheetKey(const std::string& key);
    std::string_view author(const std::string& device);
    std::optional<std::string_view> parentKey(const std::optional<std::string>& parent);
    std::string_view person(const std::string& name);
    /// Keys "<id>@<device>" by id, in ledger order: only ids two devices used (revision_key.h),
    /// so a national ledger's replay holds nothing more.
    std::unordered_map<std::string, std::vector<std::string>> shared_;
    /// Numbers of current heads, by id; empty when they are read back (readSheetsFrom).
    std::unordered_map<std::string, Sheet> headSheets_;
    EntriesAt sheetsAt_;
    /// The sheets of the entries at `indexes`, read back through sheetsAt_ and checked.
    std::vector<Sheet> readBack(const std::vector<std::int64_t>& indexes) const;
    std::int64_t legacy_ = 0, refusals_ = 0;
    std::vector<AttachedPhoto> attached_;
    std::vector<SentBack> sentBack_;
    std::unordered_map<std::string, std::size_t> waitingSendBack_; ///< sheet -> its open mark
    std::optional<AppliedRevision> last_;
    std::string masterDataDocument_;
    Kind lastKind_ = Kind::ReceiverKey;
    std::string lastAt_;
    bool lastMigrated_ = false;
    /// An entry written live (not "migrated", not a receiver key) was seen: the migration of a
    /// store made before signing writes only the start of a ledger, so no migrated entry follows.
    bool live_ = false;
    struct PendingSignature {
        std::int64_t index;
        std::string message, signature, publicKey, failure;
    };
    bool defer_ = false;
    std::vector<PendingSignature> pending_;
};

} // namespace rekap::ledger
