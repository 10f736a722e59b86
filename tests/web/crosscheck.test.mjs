// "Selisih dengan KPU" in a real browser (Debian's chromium, playwright-core) against a real
// rekap-central with Hulu Sungai Selatan: simulated tablets sync KPU's numbers for 30 TPS of
// Kandangan, one tablet corrects its sheet with a photo of the plano, and the receiver's CLI
// imports KPU's snapshot. Screenshots in both languages go to $REKAP_SCREENSHOT_DIR when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";

const root = new URL("../..", import.meta.url).pathname;
const bin = process.env.REKAP_BUILD_DIR || join(root, "build");
const central = join(bin, "server-stub/rekap-central");
const field = join(bin, "sync/rekap-field");
const rekapData = join(bin, "shared/tools/rekap-data");
const snapshot = join(root, "data/source/hss-6306-sirekap-ppwp-snapshot.csv");
const shots = process.env.REKAP_SCREENSHOT_DIR;

let work, server, url, token, browser, page, corrected;

function run(cmd, args) {
  return execFileSync(cmd, args, { encoding: "utf8", env: { ...process.env, REKAP_BUILD_DIR: bin } });
}

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

// A stand-in for the plano photo: a JPEG drawn by the same browser.
async function planoPhoto(file, tps) {
  const p = await browser.newPage({ viewport: { width: 480, height: 640 } });
  await p.setContent(`<body style="margin:0;background:#f4efe1;font:22px serif">
    <div style="padding:24px"><h2>C.HASIL-PPWP (plano)</h2><p>TPS ${tps}</p>
    <p>01: ▢▢▢</p><p>02: ▢▢▢</p><p>03: ▢▢▢</p><p style="margin-top:120px">KPPS ✍</p></div></body>`);
  writeFileSync(file, await p.screenshot({ type: "jpeg", quality: 70 }));
  await p.close();
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-xweb-"));
  const db = join(work, "central.db");
  run(central, ["--db", db, "init", "--regency", join(root, "data/regencies/hss-6306.json")]);
  token = run(central, ["--db", db, "desk-token", "--name", "Desk HSS"]).trim();
  server = spawn(central, ["--db", db, "serve", "--port", "0", "--no-access-log"], { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((resolve, reject) => {
    server.stdout.on("data", (d) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    server.on("exit", () => reject(new Error("rekap-central exited")));
  });
  run(rekapData, ["sirekap", "--regency", join(root, "data/regencies/hss-6306.json"),
                  "--csv", snapshot, "--write-sheets", join(work, "sheets")]);
  const sheets = readdirSync(join(work, "sheets")).filter((f) => f.startsWith("630605")).sort().slice(0, 30);
  const synced = run(join(root, "scripts/simulate-tablets"),
                     [db, url, join(work, "tablets"), ...sheets.map((f) => join(work, "sheets", f))]);
  // The TPS to correct: accepted, and with KPU's administrative block published (more to compare).
  const withBlock = new Set(readFileSync(snapshot, "utf8").split("\n").map((l) => l.split(","))
    .filter((c) => c[4] && c[13]).map((c) => c[0]));
  corrected = synced.split("\n").filter((l) => l.includes(" 1 accepted")).map((l) => l.slice(0, 13))
    .find((tps) => withBlock.has(tps));

  browser = await launchChromium();
  // The operator corrects paslon 01 and 02 by one vote each, with the plano's photo.
  const sheet = JSON.parse(readFileSync(join(work, "sheets", corrected + "-ppwp.json"), "utf8"));
  sheet.votes.candidates[0].votes += 1;
  sheet.votes.candidates[1].votes -= 1;
  writeFileSync(join(work, "correction.json"), JSON.stringify(sheet));
  await planoPhoto(join(work, "plano.jpg"), corrected);
  const store = join(work, "tablets", `tablet-${corrected}.db`);
  run(field, ["--store", store, "correct", join(work, "correction.json"), "--operator", "KPPS",
              "--reason", "salah tulis, dicek dengan plano", "--photo", join(work, "plano.jpg")]);
  assert.match(run(field, ["--store", store, "sync"]), /1 accepted/);
  // KPU's snapshot, imported while the receiver serves.
  assert.match(run(central, ["--db", db, "kpu-import", "--contest", "ppwp", snapshot]), /imported .* as KPU import 1 of ppwp: 734 TPS/);

  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await page.goto(url + "/");
  await page.fill("#token", token);
  await page.click("#login-form button");
  await page.waitForSelector("[data-test=tps-masuk]");
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (work) rmSync(work, { recursive: true, force: true });
});

const count = async (k) => Number((await page.textContent(`[data-count=${k}]`)).replace(/\./g, ""));

test("the kabupaten's page counts each category and labels whose numbers are whose", async () => {
  await page.click("[data-nav=selisih]");
  await page.waitForSelector("[data-test=counts]");
  assert.match(await page.textContent("[data-test=kpu-notice]"), /milik KPU.*sementara/);
  assert.match(await page.textContent("[data-test=import]"), /Impor KPU #1: hss-6306-sirekap-ppwp-snapshot\.csv/);
  assert.equal(await count("different"), 1);
  assert.ok((await count("same")) >= 20, "most synced TPS are the same as KPU's");
  assert.ok((await count("kpu_only")) > 600, "KPU has the TPS the tablets did not send");
  assert.ok((await count("kpu_misread")) >= 20);
  // The kabupaten lists the TPS to check: the corrected one, with its differing lines.
  const row = await page.textContent(`[data-test=xtps] tr[data-tps="${corrected}"]`);
  assert.match(row, /berbeda/);
  assert.match(row, /IV 01: [\d.]+ → [\d.]+ \(−1\)/);
  await shot("crosscheck-id");
});

test("drill-down to the TPS: the desk's sheet and photo beside KPU's numbers, lines differing highlighted", async () => {
  await page.goto(`${url}/#/selisih/ppwp/630605`);
  await page.waitForSelector("[data-test=xchildren]");
  await page.click(`[data-test=xtps] tr[data-tps="${corrected}"] a`);
  await page.waitForSelector("[data-test=xform]");
  const highlighted = await page.$$eval("[data-test=xform] tr.diff", (rs) => rs.map((r) => r.dataset.field));
  assert.deepEqual(highlighted, ["votes.candidates.1", "votes.candidates.2"]);
  assert.match(await page.textContent('[data-field="ballots.used"]'), /tidak dipublikasikan/);
  await waitUntil(() => { const i = document.querySelector("[data-test=xphoto]"); return i && i.complete && i.naturalWidth > 0; });
  await shot("crosscheck-tps-id");
});

test("English on the same pages, and back", async () => {
  await page.click("[data-test=lang]");
  await page.waitForSelector("text=Photo of the C.Hasil plano (desk)");
  assert.match(await page.textContent("[data-test=kpu-notice]"), /KPU's own.*provisional/);
  await waitUntil(() => { const i = document.querySelector("[data-test=xphoto]"); return i && i.complete && i.naturalWidth > 0; });
  await shot("crosscheck-tps-en");
  await page.goto(`${url}/#/selisih/ppwp/6306`);
  await page.waitForSelector("[data-test=counts]");
  assert.match(await page.textContent("[data-nav=selisih]"), /Differences with KPU/);
  assert.match(await page.textContent(`[data-test=xtps] tr[data-tps="${corrected}"]`), /different/);
  await shot("crosscheck-en");
  await page.click("[data-test=lang]");
  await page.waitForSelector("text=Selisih dengan KPU — ");
});

test("CSV export: one row per TPS with its category and both sources' lines", async () => {
  await page.goto(`${url}/#/selisih/ppwp/630605`);
  await page.waitForSelector("[data-test=xcsv]");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-test=xcsv]")]);
  const csv = readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.match(csv[0], /^kode_tps,nama_tps,kategori,kpu_salah_baca,aturan_dilanggar_kpu,baris_berbeda,desk_/);
  const line = csv.find((l) => l.startsWith(corrected));
  assert.match(line, /,different,,,votes\.candidates\.1=\d+\/\d+ votes\.candidates\.2=\d+\/\d+,/);
});

test("without a desk login the cross-check is refused", async () => {
  const res = await fetch(`${url}/api/v1/crosscheck?contest=ppwp`);
  assert.equal(res.status, 401);
});
