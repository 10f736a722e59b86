// The ledger over HTTP (docs/protocol.md, "The ledger"): the latest signed head and the
// receiver's key for anyone; consistency proofs between two heads for anyone (they show only
// hashes); an entry and its inclusion proof for the desk, or for the device the entry concerns.

#include "api/http_util.h"
#include "api/viewer.h"
#include "http/router.h"
#include "rekap/central/reports.h"
#include "rekap/central/server.h"
#include "rekap/merkle.h"

namespace rekap::central {

namespace {

std::int64_t numberParam(const http::Request& req, const char* name) {
    auto v = req.param(name);
    try {
        std::size_t used = 0;
        auto n = std::stoll(v, &used);
        if (used == v.size() && n >= 0)
            return n;
    } catch (const std::exception&) {
    }
    throw ApiError(Problem::BadRequest, std::string(name) + " must be a whole number", name);
}

/// Devices see their own entries only: another TPS's revisions are not theirs to read.
void checkMayRead(CentralStore& store, const Viewer& v, std::int64_t index) {
    if (v.desk)
        return;
    if (index >= store.ledger().ledgerSize() || store.ledger().ledgerEntryDevice(index) != v.device)
        throw ApiError(Problem::Forbidden,
                       "a device reads only the ledger entries of its own revisions");
}

} // namespace

void CentralServer::ledgerRoutes() {
    auto& r = *router_;
    r.get(
        "/api/v1/ledger/head",
        [this](http::Request&, http::Response& res) {
            auto head = store_.ledger().latestHead();
            if (!head)
                throw ApiError(Problem::NotFound, "the ledger is empty");
            // With the seal as the dashboard shows it, including the startup verification's result:
            // every page of the dashboard shows a failure in red.
            sendJson(res, 200,
                     {{"tree_head", ledger::encode(*head)},
                      {"receiver_key", store_.masterData().receiverKey()},
                      {"seal", sealReport(store_)}});
        },
        http::Access::Public);

    r.get(
        "/api/v1/ledger/proof",
        [this](http::Request& req, http::Response& res) {
            try {
                if (req.hasParam("from")) {
                    auto from = numberParam(req, "from"), to = numberParam(req, "to");
                    sendJson(
                        res, 200,
                        {{"from", from},
                         {"to", to},
                         {"proof", merkle::toHex(store_.ledger().consistencyProof(from, to))}});
                    return;
                }
                auto v = viewerFor(req);
                auto index = numberParam(req, "index");
                auto size =
                    req.hasParam("size") ? numberParam(req, "size") : store_.ledger().ledgerSize();
                checkMayRead(store_, v, index);
                auto entry = store_.ledger().ledgerEntry(index);
                sendJson(res, 200,
                         {{"index", index},
                          {"size", size},
                          {"leaf_hash", merkle::toHex(merkle::leafHash(entry))},
                          {"proof", merkle::toHex(store_.ledger().inclusionProof(index, size))}});
            } catch (const std::out_of_range& e) {
                throw ApiError(Problem::NotFound, e.what());
            }
        },
        http::Access::Public);

    r.get(R"(/api/v1/ledger/entries/(\d{1,15}))", [this](http::Request& req, http::Response& res) {
        auto v = viewerFor(req);
        auto index = std::stoll(req.matches[1]);
        try {
            checkMayRead(store_, v, index);
            res.setContent(store_.ledger().ledgerEntry(index), "application/json");
        } catch (const std::out_of_range& e) {
            throw ApiError(Problem::NotFound, e.what());
        }
    });
}

} // namespace rekap::central
