// "Selisih dengan KPU" in a real browser (Debian's chromium, playwright-core) against a real
// rekap-central with Hulu Sungai Selatan: simulated tablets sync KPU's numbers for 30 TPS of
// Kandangan, one tablet corrects its sheet with a photo of the plano, and the receiver's CLI
// imports KPU's snapshot. Screenshots in both languages go to $REKAP_SCREENSHOT_DIR when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { serveCentral, stopCentral } from "./central.mjs";

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
  ({ server, url } = await serveCentral(central, db, ["--no-access-log"]));
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

  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  await page.goto(url + "/");
  await page.fill("#token", token);
  await page.click("#login-form button");
  await page.waitForSelector("[data-test=tps-masuk]");
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

// The lines table as shown: each row's field, whether it is red, and its cells.
const linesShown = () => page.$$eval("[data-test=lines] tbody tr", (rs) => rs.map((r) => ({
  field: r.dataset.field, red: r.classList.contains("diff"), delta: r.querySelector("[data-test=delta]").textContent,
  differing: r.cells[4].textContent, kpuOnly: r.cells[6].textContent })));

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
  // Like with like: the kabupaten's lines differ by the one corrected TPS and nothing else,
  // though KPU has some 700 TPS the desk does not; those stand in their own column.
  assert.match(await page.textContent("[data-test=compared]"), new RegExp(`atas ${await count("same") + 1} TPS`));
  const lines = await linesShown();
  assert.deepEqual(lines.filter((l) => l.red).map((l) => l.field), ["votes.candidates.1", "votes.candidates.2"]);
  assert.deepEqual(lines.map((l) => l.delta), ["−1", "+1", "0", "0", "0", "0", "0", "0"]);
  assert.deepEqual(lines.slice(0, 2).map((l) => l.differing), ["1 dari " + (await count("same") + 1), "1 dari " + (await count("same") + 1)]);
  assert.ok(lines.every((l) => Number(l.kpuOnly.replace(/\./g, "")) > 0), "KPU's own TPS are summed apart");
  // By kecamatan: only Kandangan, where the corrected TPS lies, is red; its V.A does not differ,
  // and the others, with no TPS at both sources, compare nothing.
  const kids = await page.$$eval("[data-test=xchildren] tbody tr", (rs) => rs.map((r) => ({
    area: r.dataset.area, red: r.classList.contains("diff"), delta: r.querySelector("[data-test=delta]").textContent })));
  assert.equal(kids.length, 11);
  assert.deepEqual(kids.filter((k) => k.red).map((k) => k.area), ["630605"]);
  assert.ok(kids.every((k) => k.delta === (k.area === "630605" ? "0" : "–")), JSON.stringify(kids));
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

// On a phone: no sideways scrolling of the page; wide tables scroll inside their card.
test("at 390 px the page fits the screen and its tables scroll inside their cards", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  const fits = async (tables) => {
    const m = await page.evaluate((sel) => ({
      page: document.documentElement.scrollWidth,
      tables: sel.map((s) => {
        const t = document.querySelector(s);
        const box = t.closest(".scroll");
        const card = t.closest(".card").getBoundingClientRect();
        return { s, scrolls: box ? box.scrollWidth > box.clientWidth : false, within: box ? box.clientWidth : 0,
                 cardRight: card.right };
      }),
    }), tables);
    assert.ok(m.page <= 390, `the page is ${m.page} px wide`);
    for (const t of m.tables) {
      assert.ok(t.cardRight <= 390, `${t.s}'s card ends at ${t.cardRight} px`);
      assert.ok(t.within > 0 && t.within <= 390, `${t.s} scrolls within ${t.within} px`);
    }
    return m;
  };
  try {
    await page.goto(`${url}/#/selisih/ppwp/6306`);
    await page.waitForSelector("[data-test=xchildren]");
    const m = await fits(["[data-test=lines]", "[data-test=xchildren]", "[data-test=xtps]"]);
    assert.ok(m.tables[0].scrolls && m.tables[1].scrolls, "the wide tables scroll inside their card");
    assert.deepEqual((await linesShown()).filter((l) => l.red).map((l) => l.field), ["votes.candidates.1", "votes.candidates.2"]);
    await shot("crosscheck-390");
    await page.click(`[data-test=xtps] tr[data-tps="${corrected}"] a`);
    await page.waitForSelector("[data-test=xform]");
    await fits(["[data-test=xform]"]);
    await waitUntil(() => { const i = document.querySelector("[data-test=xphoto]"); return i && i.complete && i.naturalWidth > 0; });
    await shot("crosscheck-tps-390");
  } finally {
    await page.setViewportSize({ width: 1366, height: 900 });
  }
});

test("without a desk login the cross-check is refused", async () => {
  const res = await fetch(`${url}/api/v1/crosscheck?contest=ppwp`);
  assert.equal(res.status, 401);
});
