// A PouchDB peer beside Rekap's signed ingest (issue 30): the same machine, sheet-like documents
// of Rekap's size, sent to `pouchdb-server --in-memory` in two ways, each timed:
//   replicate  a PouchDB 9 client replicates N documents to the server (batched _bulk_docs and
//              _revs_diff, as a PouchDB app syncs);
//   devices    D clients at once, each PUTting one document per request (Rekap's "64 devices,
//              one sheet per push").
// Neither is signed, ledgered or durable (in memory): it is the figure a plain document store
// reaches on these cores, not a like-for-like replacement.
//
//   node tests/bench/pouchdb/peer.mjs [--docs N] [--devices D] [--port P]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const docs = Number(args.docs ?? 20000);
const devices = Number(args.devices ?? 64);
const port = Number(args.port ?? 5989);
const base = `http://127.0.0.1:${port}`;

// A PPWP sheet as a Rekap revision carries it: place, contest, device, times, the form's
// numbers, the photo's hash and an Ed25519 signature (base64): about 800 bytes of JSON.
function sheet(i) {
  const tps = String(1607010001001 + i);
  const n = (k) => (i * 7919 + k * 104729) % 250;
  return {
    _id: `${tps}/ppwp/${i.toString(16).padStart(32, "0")}`,
    tps, contest: "ppwp", device: `dev-${i % 2549}`, base: null,
    created_at: "2024-02-14T10:06:00Z", master_data: "1607-2024-02",
    values: {
      "voters.from_dpt.l": n(1), "voters.from_dpt.p": n(2), "voters.from_dptb.l": n(3) % 9,
      "voters.from_dptb.p": n(4) % 9, "voters.from_dpk.l": 0, "voters.from_dpk.p": 0,
      "ballots.received": 297, "ballots.used": 239, "ballots.damaged": 0, "ballots.unused": 58,
      "disabled_voters.l": 1, "disabled_voters.p": 0, "votes.candidates.1": n(5),
      "votes.candidates.2": n(6), "votes.candidates.3": n(7), "summary.valid": 233,
      "summary.invalid": 6,
    },
    operator: "Siti Rahmawati", note: "",
    photo: "9f3a0c1e" + "0".repeat(56),
    signature: "A".repeat(86) + "==",
  };
}

async function waitFor(url) {
  for (let i = 0; i < 100; ++i) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

function quantile(sorted, q) { return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]; }

async function fresh(db) {
  await fetch(`${base}/${db}`, { method: "DELETE" });
  const r = await fetch(`${base}/${db}`, { method: "PUT" });
  if (!r.ok) throw new Error(`PUT /${db}: ${r.status}`);
}

// pouchdb-server writes its config.json and log.txt where it runs: a scratch folder.
const scratch = mkdtempSync(join(tmpdir(), "rekap-pouchdb-"));
const server = spawn(process.execPath,
  [join(here, "node_modules/pouchdb-server/bin/pouchdb-server"), "--in-memory", "--port", String(port)],
  { stdio: ["ignore", "ignore", "inherit"], cwd: scratch });
try {
  await waitFor(base);
  const bytes = JSON.stringify(sheet(1)).length;

  // 1. Replication from a PouchDB client.
  const PouchDB = require("pouchdb").plugin(require("pouchdb-adapter-memory"));
  const local = new PouchDB("local", { adapter: "memory" });
  const all = Array.from({ length: docs }, (_, i) => sheet(i));
  for (let i = 0; i < all.length; i += 1000) await local.bulkDocs(all.slice(i, i + 1000));
  await fresh("replicated");
  let t = process.hrtime.bigint();
  const rep = await local.replicate.to(`${base}/replicated`, { batch_size: 100 });
  const repSecs = Number(process.hrtime.bigint() - t) / 1e9;
  if (rep.docs_written !== docs) throw new Error(`replicated ${rep.docs_written} of ${docs}`);

  // 2. D devices at once, one document per request.
  await fresh("devices");
  const latencies = [];
  let next = 0;
  t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: devices }, async () => {
    for (let i = next++; i < docs; i = next++) {
      const d = sheet(i);
      const s = process.hrtime.bigint();
      const r = await fetch(`${base}/devices/${encodeURIComponent(d._id)}`, {
        method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(d),
      });
      await r.arrayBuffer();
      if (r.status !== 201) throw new Error(`PUT ${d._id}: ${r.status}`);
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }));
  const devSecs = Number(process.hrtime.bigint() - t) / 1e9;
  const info = await (await fetch(`${base}/devices`)).json();
  if (info.doc_count !== docs) throw new Error(`stored ${info.doc_count} of ${docs}`);
  latencies.sort((a, b) => a - b);

  console.log(`pouchdb peer: ${docs} documents of ${bytes} bytes, pouchdb-server 4.2 --in-memory, node ${process.version}`);
  console.log(`replicate (PouchDB 9 client, batch 100): ${repSecs.toFixed(2)} s, ${Math.round(docs / repSecs)} docs/s`);
  console.log(`devices (${devices} at once, one PUT each): ${devSecs.toFixed(2)} s, ${Math.round(docs / devSecs)} docs/s, ` +
              `p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms`);
} finally {
  server.kill();
  rmSync(scratch, { recursive: true, force: true });
}
