// Outsiders can check the desk's figures (issue 13), in a real browser against a real
// rekap-central: the dashboard shows the signed ledger head ("Segel data") the figures stand
// under; rekap-verify on the receiver's audit export recomputes the same regency tally to the
// vote; and a receiver started on a ledger someone edited with sqlite3 says so in red while it
// keeps serving reads. The figures are checked against sums made here from the sheets pushed,
// not by the receiver's Tally class. Screenshots go to $REKAP_SCREENSHOT_DIR when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { stopCentral } from "./central.mjs";

const root = new URL("../..", import.meta.url).pathname;
const bin = process.env.REKAP_BUILD_DIR || join(root, "build");
const central = join(bin, "server-stub/rekap-central");
const rekapData = join(bin, "shared/tools/rekap-data");
const rekapVerify = join(bin, "shared/tools/rekap-verify");
const shots = process.env.REKAP_SCREENSHOT_DIR;

let work, db, server, url, token, browser, page, sheets;

function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: "utf8", env: { ...process.env, REKAP_BUILD_DIR: bin }, ...options });
}

async function startServer() {
  server = spawn(central, ["--db", db, "serve", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  server.log = "";
  server.stderr.on("data", (d) => { server.log += String(d); });
  url = await new Promise((resolve, reject) => {
    server.stdout.on("data", (d) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    server.on("exit", () => reject(new Error("rekap-central exited")));
  });
}

async function stopServer() {
  const exited = new Promise((resolve) => server.on("exit", resolve));
  server.kill("SIGTERM");
  await exited;
}

async function api(path) {
  const res = await fetch(url + path, { headers: { Authorization: "Bearer " + token } });
  assert.equal(res.status, 200, path);
  return res.json();
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-integrity-"));
  db = join(work, "central.db");
  const regency = join(root, "data/regencies/hss-6306.json");
  run(central, ["--db", db, "init", "--regency", regency]);
  token = run(central, ["--db", db, "desk-token", "--name", "Desk HSS"]).trim();
  await startServer();
  run(rekapData, ["sirekap", "--regency", regency,
                  "--csv", join(root, "data/source/hss-6306-sirekap-ppwp-snapshot.csv"),
                  "--write-sheets", join(work, "sheets")]);
  sheets = readdirSync(join(work, "sheets")).filter((f) => f.startsWith("630605")).sort()
    .slice(0, 12).map((f) => join(work, "sheets", f));
  run(join(root, "scripts/simulate-tablets"), [db, url, join(work, "tablets"), ...sheets]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

async function login() {
  await page.goto(url + "/");
  await page.waitForSelector("#login-form, [data-test=tps-masuk]");
  if (await page.$("#login-form")) {
    await page.fill("#token", token);
    await page.click("#login-form button");
  }
  await page.waitForSelector("[data-test=tps-masuk]");
}


// Polls a predicate in the page. Not page.waitForFunction: its polling evaluates a string,
// which the dashboard's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
async function waitUntil(fn, arg, options = {}) {
  const deadline = Date.now() + (options.timeout || 30000);
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + fn);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The regency's figures from the twelve sheets pushed, summed here. Three of them break a rule
// and are kept as rejected, never counted: 6306051001001 (R4: 257 voters, 193 ballots used),
// 6306051001002 (R2: 95 + 69 + 10 = 174 votes for paslon, 173 valid) and 6306051001009
// (R2: 113 + 74 + 9 = 196, 201 valid). The sums of the other nine were also added by hand.
const rejectedTps = new Set(["6306051001001", "6306051001002", "6306051001009"]);
function expectedFigures() {
  const out = { reported: 0, rejected: 0, votes: { valid: 0, invalid: 0, total: 0 }, candidates: {} };
  for (const file of sheets) {
    const s = JSON.parse(readFileSync(file, "utf8"));
    const paslon = s.votes.candidates.reduce((sum, c) => sum + c.votes, 0);
    const breaks = paslon !== s.summary.valid || s.voters.total.total !== s.ballots.used;
    assert.equal(breaks, rejectedTps.has(s.tps), `${s.tps}: R2 or R4 as checked by hand`);
    if (breaks) { ++out.rejected; continue; }
    ++out.reported;
    for (const k of ["valid", "invalid", "total"]) out.votes[k] += s.summary[k];
    for (const c of s.votes.candidates) out.candidates[c.number] = (out.candidates[c.number] || 0) + c.votes;
  }
  assert.deepEqual(out, { reported: 9, rejected: 3, votes: { valid: 1494, invalid: 52, total: 1546 },
                          candidates: { 1: 807, 2: 605, 3: 82 } }, "the hand-added sums");
  return out;
}
const byNumber = (candidates) => Object.fromEntries(candidates.map((c) => [c.number, c.votes]));

test("the dashboard shows the signed head, and rekap-verify recomputes its tally to the vote", async () => {
  const want = expectedFigures();
  await login();
  const seal = await page.textContent("[data-test=seal]");
  const t = await api("/api/v1/tally?contest=ppwp&area=6306");
  assert.equal(t.tps.reported, want.reported);
  assert.equal(t.tps.rejected, want.rejected);
  assert.deepEqual(t.votes, want.votes);
  assert.deepEqual(byNumber(t.candidates), want.candidates);
  assert.match(seal, new RegExp(`Segel data: ${t.seal.size.toLocaleString("id-ID").replace(".", "\\.")} entri · akar ${t.seal.root_short}`));
  assert.match(seal, /kunci penerima [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}/);
  assert.ok(await page.$eval("#integrity", (e) => e.hidden), "no alarm on an untouched ledger");
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "dashboard-seal.png") });
  }

  const exported = join(work, "audit.jsonl");
  run(central, ["--db", db, "audit-export", "--out", exported]);
  const verified = JSON.parse(run(rekapVerify, [exported, "--json", "--receiver-key", t.seal.receiver_key]));
  assert.equal(verified.ok, true, verified.failure);
  const ppwp = verified.tally.find((c) => c.contest === "ppwp");
  assert.deepEqual(ppwp.votes, want.votes);
  assert.equal(ppwp.tps.reported, want.reported);
  assert.deepEqual(byNumber(ppwp.candidates), want.candidates);
  // The CSV export carries the same seal on its last line.
  const csv = await (await fetch(url + "/api/v1/tally.csv?contest=ppwp&area=6306",
                                 { headers: { Authorization: "Bearer " + token } })).text();
  assert.match(csv.trim().split("\n").pop(), new RegExp(`^# Segel data: ${t.seal.size} entri, akar ${t.seal.root_short}`));
});

test("a ledger edited with sqlite3 is caught at start, shown in red, and reads go on", async () => {
  await stopServer();
  // Someone with the file changes paslon 1's votes in the first accepted sheet.
  const entry = run("sqlite3", [db, "SELECT idx FROM ledger WHERE kind = 'revision' ORDER BY idx LIMIT 1"]).trim();
  run("sqlite3", [db, `DROP TRIGGER ledger_no_update; UPDATE ledger SET entry = replace(entry, '{"number":1,"votes":', '{"number":1,"votes":9') WHERE idx = ${entry};`]);
  await startServer();
  await login();
  await waitUntil(() => !document.querySelector("#integrity").hidden, null, { timeout: 20000 });
  const alarm = await page.textContent("#integrity");
  assert.match(alarm, new RegExp(`ledger entry ${entry}`));
  assert.match(alarm, /PERINGATAN/);
  assert.match(server.log, /LEDGER VERIFICATION FAILED/);
  const t = await api("/api/v1/tally?contest=ppwp&area=6306");
  assert.equal(t.seal.verification.state, "failed");
  if (shots) await page.screenshot({ path: join(shots, "dashboard-ledger-alarm.png") });
  // Every page says so, not only the tally: a desk member opening the conflicts list first.
  await page.goto(url + "/#/konflik");
  await page.reload();
  await waitUntil(() => !document.querySelector("#integrity").hidden && document.querySelector("#integrity").textContent.includes("PERINGATAN"), null, { timeout: 20000 });
  const v = (() => { try { run(central, ["--db", db, "verify"]); return 0; } catch (e) { return e.status; } })();
  assert.equal(v, 1, "rekap-central verify exits 1");
});
