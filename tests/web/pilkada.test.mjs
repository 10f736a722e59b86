// The Pilkada on the dashboard, in a real browser (Debian's chromium): a receiver with Hulu
// Sungai Selatan's Pilkada file of 27 November 2024, tablets (rekap-field) sending both sheets of
// their TPS (GENERATED numbers, rekap-data pilkada-sample), and the desk's dashboard naming the
// election, with one tab per contest (gubernur, bupati), each against the Pilkada's DPT; the
// printed recap names the election; "Selisih dengan KPU" on the generated KPU sample. At 1366 and
// 390 px wide. Screenshots go to $REKAP_SCREENSHOT_DIR when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { serveCentral, stopCentral } from "./central.mjs";

const root = new URL("../..", import.meta.url).pathname;
const bin = process.env.REKAP_BUILD_DIR || join(root, "build");
const central = join(bin, "server-stub/rekap-central");
const rekapData = join(bin, "shared/tools/rekap-data");
const shots = process.env.REKAP_SCREENSHOT_DIR;
const regency = join(root, "data/regencies/hss-6306-pilkada-2024.json");

let work, db, server, url, token, browser, page;

function run(cmd, args) {
  return execFileSync(cmd, args, { encoding: "utf8", env: { ...process.env, REKAP_BUILD_DIR: bin } });
}
// page.waitForFunction evaluates a string, which the dashboard's CSP forbids: poll instead.
async function waitUntil(fn, arg, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + fn);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
// Drawn whole: inside the window and not cut by its box (an ellipsis or a clipping parent).
async function wholeOnScreen(locator) {
  const box = await locator.boundingBox();
  const vw = page.viewportSize().width;
  assert.ok(box && box.x >= 0 && box.x + box.width <= vw, "inside the window: " + JSON.stringify(box));
  const cut = await locator.evaluate((el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const r = el.getBoundingClientRect(), p = e.getBoundingClientRect();
      if (e !== el && getComputedStyle(e).overflow !== "visible" && (r.right > p.right + 1 || r.left < p.left - 1)) return true;
    }
    return el.scrollWidth > el.clientWidth + 1;
  });
  assert.equal(cut, false, "cut off");
}
const getJson = (path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);
async function shot(name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `pilkada-${name}.png`), fullPage: true });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-pilkada-"));
  db = join(work, "pilkada.db");
  run(central, ["--db", db, "init", "--regency", regency]);
  token = run(central, ["--db", db, "desk-token", "--name", "Desk Pilkada HSS"]).trim();
  ({ server, url } = await serveCentral(central, db));
  run(rekapData, ["pilkada-sample", "--regency", regency, "--tps", "12", "-o", join(work, "sample")]);
  const sheets = readdirSync(join(work, "sample/sheets")).map((f) => join(work, "sample/sheets", f));
  assert.equal(sheets.length, 24, "two sheets for each of 12 TPS");
  const log = run(join(root, "scripts/simulate-tablets"), [db, url, join(work, "tablets"), ...sheets]);
  assert.equal(log.trim().split("\n").length, 12, "one tablet per TPS: " + log);
  run(central, ["--db", db, "kpu-import", "--contest", "pilbup", join(work, "sample/kpu-sirekap-pilbup-GENERATED.csv")]);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(url + "/");
  await page.waitForSelector("#login-form");
  await page.fill("#token", token);
  await page.click("#login-form button");
  await page.waitForSelector("[data-test=tps-masuk]");
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the dashboard names the election and has a tab per Pilkada contest", async () => {
  const election = page.locator("[data-test=election]");
  assert.ok(await election.isVisible());
  assert.equal(await election.textContent(), "Pilkada Serentak 2024 · 27-11-2024");
  await wholeOnScreen(election);
  assert.match(await page.locator("#regency").textContent(), /Hulu Sungai Selatan/);
  const tabs = page.locator(".tabs .tab");
  assert.deepEqual(await tabs.allTextContents(),
    ["Gubernur dan Wakil Gubernur Kalimantan Selatan", "Bupati dan Wakil Bupati Hulu Sungai Selatan"]);
  await shot("gubernur");
  for (const [contest, names] of [
    ["pilgub", ["H. Muhidin - Hasnuryadi Sulaiman", "Hj. Raudatul Jannah - Akhmad Rozanie Himawan Nugraha"]],
    ["pilbup", ["Hermansyah - Yopie", "Ja'far - Faizal", "Syafrudin Noor - Suriani"]]]) {
    await page.click(`.tabs .tab[href^="#/rekap/${contest}/"]`);
    await waitUntil((c) => location.hash.startsWith(`#/rekap/${c}/`) &&
      document.querySelector(".tabs .tab.active")?.getAttribute("href").includes(c), contest);
    await page.waitForSelector("[data-test=tps-masuk]");
    const t = await getJson(`/api/v1/tally?contest=${contest}&area=6306`);
    assert.equal(t.dpt, 174224, "the Pilkada's DPT");
    assert.equal(t.tps.reported, 12);
    const rows = await page.locator(".card:has(h3:text('Rincian')) tbody tr").allTextContents();
    assert.equal(rows.length, names.length);
    names.forEach((n, i) => assert.ok(rows[i].includes(n), rows[i]));
    // "Data masuk" as the page shows it is votes cast over the Pilkada's DPT.
    const pct = t.data_masuk.votes_over_dpt.toLocaleString("id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    assert.ok((await page.locator("main").textContent()).includes(pct), "data masuk " + pct);
    // A TPS not in yet counts at DPT + the Pilkada's 2.5 % reserve, and the card says so.
    assert.equal(t.winner_alert.ballots_rule, "dpt_plus_25_permille_rounded_up");
    assert.ok((await page.locator("[data-test=winner-card]").textContent()).includes("DPT + 2,5% cadangan"));
  }
  await shot("bupati");
  // In English the tabs say the contests' English names (the Pilkada file gives them), and back.
  await page.click("[data-test=lang]");
  await waitUntil(() => document.querySelector(".tabs .tab")?.textContent.startsWith("Governor"));
  assert.deepEqual(await tabs.allTextContents(),
    ["Governor and Vice-Governor of Kalimantan Selatan", "Regent and Vice-Regent of Hulu Sungai Selatan"]);
  await page.click("[data-test=lang]");
  await waitUntil(() => document.querySelector(".tabs .tab")?.textContent.startsWith("Gubernur"));
});

test("a TPS's sheet is titled with KPU's form for the Pilkada, C.Hasil-KWK", async () => {
  await page.goto(url + "/#/lembar/6306012001001/pilbup");
  const title = page.locator("[data-test=sheet-title]");
  await title.waitFor();
  assert.match(await title.textContent(), /^Lembar C\.Hasil-KWK TPS 001 · Desa HAMALAU/);
  const numbers = await page.locator("[data-test=sheet-numbers]").textContent();
  assert.ok(numbers.includes("Syafrudin Noor - Suriani") || numbers.includes("03"), numbers);
});

test("the printed recap names the election", async () => {
  await page.goto(url + "/#/cetak/pilbup/6306");
  const line = page.locator("[data-test=print-election]");
  await line.waitFor();
  assert.equal(await line.textContent(), "Pilkada Serentak 2024 · pemungutan suara 27-11-2024");
  await shot("print");
});

test("Selisih dengan KPU on the generated Pilkada sample", async () => {
  const r = await getJson("/api/v1/crosscheck?contest=pilbup&area=6306");
  assert.equal(r.counts.different, 1, "the misread at the fourth TPS");
  assert.equal(r.counts.kpu_misread, 1);
  assert.equal(r.counts.desk_only, 1);
  assert.equal(r.counts.kpu_only, 3);
  await page.goto(url + "/#/selisih/pilbup/6306");
  await page.waitForSelector("text=Selisih");
  await waitUntil(() => document.querySelector("#main").textContent.includes("GENERATED"));
  await shot("selisih");
});

test("at 390 px the header still names the election and nothing scrolls sideways", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url + "/#/rekap/pilbup/6306");
  await page.waitForSelector("[data-test=tps-masuk]");
  assert.ok(await page.locator("[data-test=election]").isVisible());
  await wholeOnScreen(page.locator("[data-test=election]"));
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(wide, false, "the page scrolls sideways");
  await shot("390");
  await page.setViewportSize({ width: 1366, height: 900 });
});
