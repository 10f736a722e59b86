// The central desk's dashboard in a real browser (Debian's chromium, driven by playwright-core)
// against a real rekap-central with Hulu Sungai Selatan, filled by simulated tablets that sync
// KPU's published numbers. Screenshots go to $REKAP_SCREENSHOT_DIR when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { serveCentral, stopCentral } from "./central.mjs";
import { createServer } from "node:http";

const root = new URL("../..", import.meta.url).pathname;
const bin = process.env.REKAP_BUILD_DIR || join(root, "build");
const central = join(bin, "server-stub/rekap-central");
const rekapData = join(bin, "shared/tools/rekap-data");
const shots = process.env.REKAP_SCREENSHOT_DIR;

let work, server, url, token, browser, page;

function run(cmd, args, input) {
  return execFileSync(cmd, args, { encoding: "utf8", input, env: { ...process.env, REKAP_BUILD_DIR: bin } });
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

async function shot(name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `dashboard-${name}.png`), fullPage: true });
}

function tablets(files, folder = "tablets") {
  return run(join(root, "scripts/simulate-tablets"), [join(work, "central.db"), url, join(work, folder), ...files]);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-web-"));
  const db = join(work, "central.db");
  run(central, ["--db", db, "init", "--regency", join(root, "data/regencies/hss-6306.json")]);
  token = run(central, ["--db", db, "desk-token", "--name", "Desk HSS"]).trim();
  // Tablets are enrolled by the administrator (docs/desk-accounts.md); the password on stdin.
  run(central, ["--db", db, "user", "add", "--name", "Admin HSS", "--role", "administrator"], "sandi-admin-hss\n");
  ({ server, url } = await serveCentral(central, db));
  // KPU's numbers for kecamatan Kandangan (630605): clean sheets accepted, misread ones rejected.
  run(rekapData, ["sirekap", "--regency", join(root, "data/regencies/hss-6306.json"),
                  "--csv", join(root, "data/source/hss-6306-sirekap-ppwp-snapshot.csv"),
                  "--write-sheets", join(work, "sheets")]);
  const sheets = readdirSync(join(work, "sheets")).filter((f) => f.startsWith("630605")).sort();
  const synced = tablets(sheets.slice(0, 30).map((f) => join(work, "sheets", f)));
  // A second tablet at a TPS whose sheet was accepted, one vote apart: a conflict.
  const acceptedTps = synced.split("\n").find((l) => l.includes(" 1 accepted")).slice(0, 13);
  const first = JSON.parse(readFileSync(join(work, "sheets", acceptedTps + "-ppwp.json"), "utf8"));
  first.votes.candidates[0].votes -= 1;
  first.votes.candidates[1].votes += 1;
  mkdirSync(join(work, "second"));
  writeFileSync(join(work, "second", first.tps + "-ppwp.json"), JSON.stringify(first));
  const second = tablets([join(work, "second", first.tps + "-ppwp.json")], "second-tablets");
  assert.match(second, / 1 conflicts/);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the dashboard asks for a desk login, then shows the regency tally", async () => {
  await page.goto(url + "/");
  await page.waitForSelector("#login-form");
  await shot("login");
  await page.fill("#token", "wrong-token");
  await page.click("#login-form button");
  await page.waitForSelector("text=Token tidak dikenal.");
  await page.fill("#token", token);
  await page.click("#login-form button");
  await page.waitForSelector("[data-test=tps-masuk]");
  const masuk = await page.textContent("[data-test=tps-masuk]");
  assert.match(masuk, /^\d+ \/ 781$/);
  assert.notEqual(masuk.split(" / ")[0], "0");
  assert.match(await page.textContent("[data-test=as-of]"), /pukul \d\d\.\d\d WITA/);
  assert.match(await page.textContent("#notice"), /bukan hasil resmi KPU/);
  // Which election: February's file has no election block, and is the general election.
  assert.equal(await page.textContent("[data-test=election]"), "Pemilu 2024 · 14-02-2024");
  assert.ok(await page.$("#chart"), "the chart is drawn");
  await shot("kabupaten");
});

test("drill down kabupaten → kecamatan → desa → TPS → one sheet and its history", async () => {
  await page.click("[data-test=children] a:text('KANDANGAN')");
  await page.waitForSelector(".crumbs a:text('Hulu Sungai Selatan')");
  // The crumbs can be drawn before the table of children: wait until its rows are desa (and
  // then TPS), or the click lands on a row of the level before (a flaky failure seen in CI).
  const firstChildLinks = (prefix, digits) =>
    waitUntil(([p, n]) => {
      const a = document.querySelector("[data-test=children] tbody tr:first-child a");
      const href = a ? a.getAttribute("href") : "";
      return href.startsWith(p) && href.split("/").some((part) => /^\d+$/.test(part) && part.length === n);
    }, [prefix, digits]);
  await firstChildLinks("#/rekap/", 10);
  await shot("kecamatan");
  await page.click("[data-test=children] tbody tr:first-child a");
  await waitUntil(() => location.hash.split("/").pop().length === 10);
  await firstChildLinks("#/lembar/", 13);
  await page.click("[data-test=children] tbody tr:first-child a");
  await waitUntil(() => location.hash.startsWith("#/lembar/"));
  await page.waitForSelector("[data-test=sheet-numbers]");
  const text = await page.textContent("[data-test=sheet-numbers]");
  assert.match(text, /V\.A Suara sah/);
  assert.ok((await page.$$("[data-test=history] li")).length >= 1);
  await shot("sheet");
});

test("a page on another port cannot resolve a conflict with an auto-submitted form", async () => {
  // The attack of issue 12: while the desk is logged in, a page of the same host on another
  // port (same site, so even a SameSite=Strict cookie goes along) posts a text/plain form whose
  // body is valid JSON. The receiver must refuse it: not JSON by type, and not our origin.
  const before = await page.evaluate(() => fetch("/api/v1/conflicts").then((r) => r.json()));
  assert.equal(before.conflicts.length, 1);
  const c = before.conflicts[0];
  const json = JSON.stringify({ sheet: c.sheet, revision: c.heads[1].id, reason: "halaman lain" });
  const name = json.slice(0, -2); // ... "reason":"halaman lain   + "=" + value
  const value = '"}';
  const attr = (s) => s.replace(/&/g, "&amp;").replace(/'/g, "&#39;");
  const evil = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(`<form method="POST" action="${url}/api/v1/conflicts/resolve" enctype="text/plain">` +
            `<input type="hidden" name='${attr(name)}' value='${attr(value)}'></form>` +
            `<script>document.forms[0].submit()</script>`);
  });
  await new Promise((resolve) => evil.listen(0, "127.0.0.1", resolve));
  try {
    // The desk's browser visits the other page (same browser, so its cookie goes along).
    await page.goto(`http://127.0.0.1:${evil.address().port}/`);
    await page.waitForURL(url + "/api/v1/conflicts/resolve");
    const answer = await page.textContent("body");
    assert.match(answer, /unsupported_media_type|forbidden/);
  } finally {
    evil.close();
  }
  await page.goto(url + "/#/konflik");
  const after = await page.evaluate(() => fetch("/api/v1/conflicts").then((r) => r.json()));
  assert.equal(after.conflicts.length, 1, "the conflict is still open: nothing was resolved");
});

const getJson = (path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);
const votesOf = (tally) => tally.candidates.map((c) => c.votes);

test("a conflict is shown side by side and resolved with a reason: the chosen version counts", async () => {
  await page.goto(url + "/#/konflik");
  await page.waitForSelector(".conflict");
  assert.equal(await page.textContent("#conflict-count"), "1");
  const diffRows = await page.$$(".conflict tr.diff");
  assert.equal(diffRows.length, 2, "the two paslon rows that differ are highlighted");
  await shot("conflicts");
  const [conflict] = (await getJson("/api/v1/conflicts")).conflicts;
  const tps = conflict.sheet.slice(0, 13);
  const [first, second] = conflict.heads;
  assert.ok(first.provisional_winner, "the first version received counts until the desk decides");
  const kabBefore = await getJson("/api/v1/tally?contest=ppwp&area=6306");
  const tpsBefore = await getJson(`/api/v1/tally?contest=ppwp&area=${tps}`);
  assert.deepEqual(votesOf(tpsBefore), first.sheet.votes.candidates.map((c) => c.votes));
  assert.equal(tpsBefore.state, "conflict");

  await page.click(".conflict [data-resolve='0:1']"); // the second tablet's version
  await page.waitForSelector("#resolve-dialog[open]");
  await page.fill("#resolve-reason", "Dicek dengan foto C.Hasil plano");
  await page.click("#resolve-ok");
  await page.waitForSelector("[data-test=no-conflicts]");
  assert.equal((await getJson("/api/v1/conflicts")).conflicts.length, 0);

  // The decision holds the chosen version's numbers, and the tally now counts them, verified.
  const sheet = await getJson(`/api/v1/sheets/${tps}/ppwp`);
  const decision = sheet.history.at(-1);
  assert.equal(sheet.state, "accepted");
  assert.equal(sheet.winner, decision.id);
  assert.equal(decision.parent, second.id);
  assert.ok(decision.decision);
  assert.ok(decision.from_desk, "the name old scripts read");
  assert.equal(decision.reason, "Dicek dengan foto C.Hasil plano");
  assert.deepEqual(decision.sheet.votes, second.sheet.votes);
  // The sheet's page marks the decision as the desk's (it reads `decision`, not `from_desk`).
  await page.goto(`${url}/#/lembar/${tps}/ppwp`);
  await page.waitForSelector(".badge:text('keputusan desk')");
  const tpsAfter = await getJson(`/api/v1/tally?contest=ppwp&area=${tps}`);
  assert.equal(tpsAfter.state, "accepted");
  assert.deepEqual(votesOf(tpsAfter), second.sheet.votes.candidates.map((c) => c.votes));
  const kabAfter = await getJson("/api/v1/tally?contest=ppwp&area=6306");
  const moved = votesOf(kabAfter).map((v, i) => v - votesOf(kabBefore)[i]);
  const expected = second.sheet.votes.candidates.map((c, i) => c.votes - first.sheet.votes.candidates[i].votes);
  assert.deepEqual(moved, expected, "the kabupaten moved by exactly the difference of the versions");
  assert.equal(kabAfter.tps.conflict, kabBefore.tps.conflict - 1);
  assert.equal(kabAfter.tps.verified, kabBefore.tps.verified + 1);
  assert.equal(kabAfter.tps.reported, kabBefore.tps.reported);
});

test("CSV export of the kecamatan", async () => {
  await page.goto(url + "/#/rekap/ppwp/630605");
  await page.waitForSelector("[data-test=csv]");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-test=csv]")]);
  const csv = readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.match(csv[0], /^kode,nama,tingkat,tps_total,tps_masuk/);
  assert.match(csv[1], /^630605,KANDANGAN,kecamatan,/);
  assert.ok(csv.length > 5, "one row per desa");
});

test("the tally updates without reloading as tablets sync", async () => {
  await page.goto(url + "/#/rekap/ppwp/6306");
  await page.waitForSelector("[data-test=tps-masuk]");
  // Three sheets that pass every rule, from a kecamatan not synced yet.
  const regency = join(root, "data/regencies/hss-6306.json");
  const more = readdirSync(join(work, "sheets")).filter((f) => f.startsWith("630601")).filter((f) => {
    try {
      run(rekapData, ["validate", "--regency", regency, join(work, "sheets", f)]);
      return true;
    } catch {
      return false;
    }
  }).slice(0, 3);
  assert.equal(more.length, 3);
  const reported = async () => Number((await page.textContent("[data-test=tps-masuk]")).split(" / ")[0]);
  const before = await reported();
  // A mark on this page: a reload or a navigation would lose it.
  await page.evaluate(() => { window.rekapLiveMark = "before the sync"; });
  const synced = tablets(more.map((f) => join(work, "sheets", f)));
  assert.equal((synced.match(/ 1 accepted/g) || []).length, 3, synced);
  await waitUntil((n) => document.querySelector("[data-test=tps-masuk]").textContent.startsWith(`${n} /`),
                  before + 3, { timeout: 15000 });
  assert.equal(await reported(), before + 3, "the count moved by exactly the three sheets");
  assert.equal(await page.evaluate(() => window.rekapLiveMark), "before the sync",
               "the page was reloaded instead of updated");
  await page.goto(url + "/#/status/630605");
  await page.waitForSelector(".tpsgrid");
  await shot("status");
  await page.goto(url + "/#/ditolak");
  await page.waitForSelector(".finding");
  await shot("rejected");
  await page.goto(url + "/#/cetak/ppwp/630605");
  await page.waitForSelector(".print table");
  await shot("print");
});

test("the administrator prints an enrolment slip whose QR code the tablet app reads to enrol", async () => {
  // The coordinator's menu has no enrolment; the administrator logs in with name and password.
  assert.equal(await page.isVisible("#nav-enrol"), false);
  await page.click("#logout");
  await page.waitForSelector("#account-form");
  await page.fill("#login-name", "Admin HSS");
  await page.fill("#login-password", "sandi-admin-hss");
  await page.click("#account-form button");
  await page.waitForSelector("[data-test=who]:has-text('Admin HSS · Administrator')");
  assert.equal(await page.isVisible("#nav-enrol"), true);
  await page.goto(url + "/#/daftar");
  await page.waitForSelector("#mint-form");
  assert.equal(await page.inputValue("#mint-server"), url);
  // An area that is no TPS of the regency is named, and nothing is minted.
  await page.fill("#mint-area", "6306012001999");
  await page.click("[data-test=mint]");
  await waitUntil(() => document.querySelector("#mint-error").textContent !== "");
  assert.match(await page.textContent("#mint-error"), /6306012001999/);
  assert.equal(await page.$("[data-test=slip]"), null);

  await page.fill("#mint-area", "6306012001002");
  await page.fill("#mint-label", "Operator TPS 002");
  await page.click("[data-test=mint]");
  await page.waitForSelector("[data-test=slip]");
  const code = (await page.textContent("[data-test=slip-code]")).trim();
  assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
  await shot("enrol-slip");

  // The slip's QR code as printed, read by the tablet app as its camera reads it.
  const png = join(work, "slip.png");
  await (await page.$("[data-test=slip-qr]")).screenshot({ path: png });
  const tablet = spawn(join(bin, "mobile/rekap-tablet"),
                       ["--store", join(work, "slip-tablet.db"), "--enrol-qr", png],
                       { env: { ...process.env, QT_QPA_PLATFORM: "offscreen" }, stdio: "ignore" });
  try {
    const deadline = Date.now() + 30000;
    let enrolled = [];
    while (Date.now() < deadline) {
      enrolled = JSON.parse(run(central, ["--db", join(work, "central.db"), "devices", "--json"]))
        .filter((d) => d.scope === "6306012001002" && d.role === "operator");
      if (enrolled.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(enrolled.length, 1, "the tablet enrolled with the slip's code");
  } finally {
    tablet.kill("SIGTERM");
  }
});
