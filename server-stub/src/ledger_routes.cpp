// The ledger over HTTP (docs/protocol.md, "The ledger"): the latest signed head and the
// receiver's key for anyone; consistency proofs between two heads for anyone (they show only
// hashes); an entry and its inclusion proof for the desk, or for the device the entry concerns.

#include "http_util.h"
#include "rekap/central/store.h"
#include "rekap/merkle.h"
#include "viewer.h"

namespace rekap::central {

namespace {

std::int64_t numberParam(const httplib::Request& req, const char* name) {
    auto v = req.get_param_value(name);
    try {
        std::size_t used = 0;
        auto n = std::stoll(v, &used);
        if (used == v.size() && n >= 0)
            return n;
    } catch (const std::exception&) {
    }
    throw ApiError(400, protocol::error::kBadRequest, std::string(name) + " must be a whole number",
                   name);
}

/// Devices see their own entries only: another TPS's revisions are not theirs to read.
void checkMayRead(CentralStore& store, const Viewer& v, std::int64_t index) {
    if (v.desk)
        return;
    if (index >= store.ledgerSize() || store.ledgerEntryDevice(index) != v.device)
        throw ApiError(403, protocol::error::kForbidden,
                       "a device reads only the ledger entries of its own revisions");
}

} // namespace

void addLedgerRoutes(httplib::Server& http, CentralStore& store) {
    http.Get("/api/v1/ledger/head", [&store](const httplib::Request&, httplib::Response& res) {
        guarded(res, [&] {
            auto head = store.latestHead();
            if (!head)
                throw ApiError(404, protocol::error::kNotFound, "the ledger is empty");
            sendJson(res, 200,
                     {{"tree_head", ledger::encode(*head)}, {"receiver_key", store.receiverKey()}});
        });
    });

    http.Get("/api/v1/ledger/proof", [&store](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            try {
                if (req.has_param("from")) {
                    auto from = numberParam(req, "from"), to = numberParam(req, "to");
                    sendJson(res, 200,
                             {{"from", from},
                              {"to", to},
                              {"proof", merkle::toHex(store.consistencyProof(from, to))}});
                    return;
                }
                auto v = viewerOf(store, req);
                auto index = numberParam(req, "index");
                auto size = req.has_param("size") ? numberParam(req, "size") : store.ledgerSize();
                checkMayRead(store, v, index);
                auto entry = store.ledgerEntry(index);
                sendJson(res, 200,
                         {{"index", index},
                          {"size", size},
                          {"leaf_hash", merkle::toHex(merkle::leafHash(entry))},
                          {"proof", merkle::toHex(store.inclusionProof(index, size))}});
            } catch (const std::out_of_range& e) {
                throw ApiError(404, protocol::error::kNotFound, e.what());
            }
        });
    });

    http.Get(R"(/api/v1/ledger/entries/(\d{1,15}))",
             [&store](const httplib::Request& req, httplib::Response& res) {
                 guarded(res, [&] {
                     auto v = viewerOf(store, req);
                     auto index = std::stoll(req.matches[1].str());
                     try {
                         checkMayRead(store, v, index);
                         res.set_content(store.ledgerEntry(index), "application/json");
                     } catch (const std::out_of_range& e) {
                         throw ApiError(404, protocol::error::kNotFound, e.what());
                     }
                 });
             });
}

} // namespace rekap::central
