#!/usr/bin/env bash
# Rekap's signed ingest beside a PouchDB peer, same machine, same run (issue 30): first
# `rekap-ingest-load` against one `rekap-central serve` on SQLite (64 devices, one sheet per push,
# via scale_out_bench.sh), then tests/bench/pouchdb/peer.mjs (pouchdb-server --in-memory: a PouchDB
# client replicating, and 64 clients PUTting one document each). Prints both.
#
#   tests/bench/pouchdb_peer.sh [BUILD_DIR]     (DOCS, DEVICES as for peer.mjs; TPS for Rekap)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
peer=$here/tests/bench/pouchdb
if [[ ! -d $peer/node_modules/pouchdb-server ]]; then
    (cd "$peer" && npm ci --no-audit --no-fund >/dev/null)
fi
echo "== Rekap: signed, ledgered, durable (SQLite), ${DEVICES:-64} devices, one sheet per push"
CONFIGS=sqlite:1 DEVICES=${DEVICES:-64} BATCH=1 "$here/tests/bench/scale_out_bench.sh" "$build"
echo "== PouchDB peer: unsigned, in memory"
node "$peer/peer.mjs" --docs "${DOCS:-20000}" --devices "${DEVICES:-64}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
