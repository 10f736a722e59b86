// "Bisa mengubah pemenang" on the dashboard in a real browser (Debian's chromium), at 1366 and
// 390 px wide: the badge on an area's row and its page appears exactly when the tally report says
// the winner could change, with the numbers behind it, in Bahasa Indonesia and in English.
// Hulu Sungai Selatan with KPU's published sheets: one desa fully counted and decided by the desk
// (no badge), another of its kecamatan counted in part and not verified (badge), the rest missing. Screenshots go to
// $REKAP_SCREENSHOT_DIR when set.
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
const rekapData = join(bin, "shared/tools/rekap-data");
const shots = process.env.REKAP_SCREENSHOT_DIR;

let work, server, url, token, browser, page;
let decided, unverified, kecamatan; // area codes

function run(cmd, args) {
  return execFileSync(cmd, args, { encoding: "utf8", env: { ...process.env, REKAP_BUILD_DIR: bin } });
}
function tablets(files, folder) {
  return run(join(root, "scripts/simulate-tablets"), [join(work, "central.db"), url, join(work, folder), ...files]);
}
const getJson = (path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);
const tally = (area) => getJson(`/api/v1/tally?contest=ppwp&area=${area}`);

async function waitUntil(fn, arg, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + fn);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function shot(name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `winner-${name}.png`), fullPage: true });
  // The card and the first row with a badge, at full size.
  for (const [part, sel] of [["card", "[data-test=winner-card]"], ["row", "tr:has([data-test=winner-alert])"]])
    if (await page.locator(sel).count())
      await page.locator(sel).first().screenshot({ path: join(shots, `winner-${name}-${part}.png`) });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-winner-"));
  const db = join(work, "central.db");
  const regency = join(root, "data/regencies/hss-6306.json");
  run(central, ["--db", db, "init", "--regency", regency]);
  token = run(central, ["--db", db, "desk-token", "--name", "Desk HSS"]).trim();
  ({ server, url } = await serveCentral(central, db));
  const report = run(rekapData, ["sirekap", "--regency", regency,
                  "--csv", join(root, "data/source/hss-6306-sirekap-ppwp-snapshot.csv"),
                  "--write-sheets", join(work, "sheets")]);
  // KPU's sheets that pass the rules. The desa the desk settles: the first whose every TPS has
  // one; another desa of its kecamatan is counted in part and stays unverified.
  const flagged = new Set([...report.matchAll(/ (\d{13}): R\d+ error/g)].map((m) => m[1]));
  const clean = readdirSync(join(work, "sheets")).filter((f) => !flagged.has(f.slice(0, 13))).sort();
  const tpsOf = (d) => JSON.parse(readFileSync(regency, "utf8")).tps.map((t) => t.code).filter((c) => c.startsWith(d));
  const have = new Set(clean.map((f) => f.slice(0, 13)));
  const desa = [...new Set(clean.map((f) => f.slice(0, 10)))];
  decided = desa.find((d) => tpsOf(d).every((c) => have.has(c)));
  unverified = desa.find((d) => d !== decided && d.startsWith(decided.slice(0, 6)));
  kecamatan = decided.slice(0, 6);
  const all = clean.filter((f) => f.startsWith(decided) || f.startsWith(unverified));
  tablets(all.map((f) => join(work, "sheets", f)), "tablets");

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(url + "/");
  await page.waitForSelector("#login-form");
  await page.fill("#token", token);
  await page.click("#login-form button");
  await page.waitForSelector("[data-test=tps-masuk]");
  const d = (await tally(decided)).tps;
  assert.deepEqual([d.reported, d.rejected], [d.total, 0], "every TPS of the settled desa counts");
  assert.ok((await tally(unverified)).tps.reported > 0);
  // A second tablet at each of its TPS, one vote apart (conflicts), decided for the first.
  mkdirSync(join(work, "second"));
  const seconds = all.filter((f) => f.startsWith(decided)).map((f) => {
    const s = JSON.parse(readFileSync(join(work, "sheets", f), "utf8"));
    const c = s.votes.candidates;
    const from = c.findIndex((x) => x.votes > 0);
    c[from].votes -= 1;
    c[(from + 1) % c.length].votes += 1;
    const path = join(work, "second", f);
    writeFileSync(path, JSON.stringify(s));
    return path;
  });
  tablets(seconds, "second-tablets");
  const { conflicts } = await getJson("/api/v1/conflicts");
  assert.equal(conflicts.length, seconds.length);
  for (const c of conflicts) {
    const status = await page.evaluate((body) => fetch("/api/v1/conflicts/resolve", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    }).then((r) => r.status), { sheet: c.sheet, revision: c.heads[0].id, reason: "dicek dengan plano" });
    assert.equal(status, 200);
  }
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

// The rows of the children table with a badge, and the areas the report says could change.
async function rowsWithBadge() {
  return page.$$eval("[data-test=children] tbody tr", (rows) =>
    rows.filter((r) => r.querySelector("[data-test=winner-alert]")).map((r) => r.dataset.area));
}

async function showArea(area) {
  await page.goto(`${url}/#/rekap/ppwp/${area}`);
  await waitUntil((a) => document.querySelector("[data-test=winner-card]") &&
    location.hash.endsWith(a) && document.querySelector("h2")?.textContent.length > 0, area);
}

// The badge is on screen: inside the viewport's width, not cut off (at 390 px too).
async function assertVisible(selector, width) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box && box.width > 0, selector + " is drawn");
  assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `${selector} fits in ${width} px: ${JSON.stringify(box)}`);
}

for (const width of [1366, 390]) {
  test(`at ${width} px the badge is on exactly the rows and pages the report flags`, async () => {
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });

    // Kabupaten: the kecamatan with sheets could change (most of its TPS are missing); a
    // kecamatan with nothing counted has no leader to overturn.
    await showArea("6306");
    const kab = await tally("6306");
    assert.equal(kab.winner_alert.can_change, true);
    const flagged = kab.children.filter((c) => c.winner_alert.can_change).map((c) => c.area.code);
    assert.deepEqual(flagged, [kecamatan]);
    assert.deepEqual(await rowsWithBadge(), flagged);
    assert.equal(await page.locator("[data-test=winner-card] [data-test=winner-alert]").count(), 1);
    assert.equal(await page.textContent("[data-test=winner-card] [data-test=winner-alert]"), "Bisa mengubah pemenang");
    assert.equal(await page.textContent("[data-test=winner-possible]"), kab.winner_alert.possible.toLocaleString("id-ID"));
    await assertVisible("[data-test=winner-card] [data-test=winner-alert]", width);
    await shot(`kabupaten-${width}`);

    // The kecamatan: the decided desa has no badge, the unverified one has, with its numbers.
    await showArea(kecamatan);
    const kec = await tally(kecamatan);
    const byCode = Object.fromEntries(kec.children.map((c) => [c.area.code, c.winner_alert]));
    assert.equal(byCode[decided].can_change, false);
    assert.equal(byCode[unverified].can_change, true);
    assert.deepEqual(await rowsWithBadge(),
      kec.children.filter((c) => c.winner_alert.can_change).map((c) => c.area.code));
    const numbers = await page.textContent(`tr[data-area="${unverified}"] [data-test=winner-numbers]`);
    const a = byCode[unverified];
    assert.equal(numbers, `selisih ${a.margin.toLocaleString("id-ID")} · suara masih mungkin ${a.possible.toLocaleString("id-ID")} · suara dipersoalkan ${a.disputed.toLocaleString("id-ID")}`);
    await shot(`kecamatan-${width}`);

    // The printed recap says it too: above the table, and on the rows that could change.
    await page.goto(`${url}/#/cetak/ppwp/${kecamatan}`);
    await page.waitForSelector("[data-test=print-table]");
    assert.equal(await page.textContent("[data-test=print-winner]"),
      `Bisa mengubah pemenang: selisih ${kec.winner_alert.margin.toLocaleString("id-ID")} · suara masih mungkin ${kec.winner_alert.possible.toLocaleString("id-ID")} · suara dipersoalkan ${kec.winner_alert.disputed.toLocaleString("id-ID")}`);
    assert.deepEqual(await page.$$eval("[data-test=print-table] tbody tr", (rows) =>
      rows.filter((r) => r.querySelector("[data-test=winner-alert]")).map((r) => r.dataset.area)),
    kec.children.filter((c) => c.winner_alert.can_change).map((c) => c.area.code));
    if (shots) await page.screenshot({ path: join(shots, `winner-print-${width}.png`), fullPage: true });

    // The decided desa's page: every TPS counted and verified, nothing open, no badge.
    await showArea(decided);
    const d = (await tally(decided)).winner_alert;
    assert.deepEqual([d.can_change, d.possible, d.disputed], [false, 0, 0]);
    assert.equal(await page.locator("[data-test=winner-alert]").count(), 0);
    assert.match(await page.textContent("[data-test=winner-card]"), /tidak cukup untuk mengubah pemimpin/);
    await shot(`desa-decided-${width}`);

    // The unverified desa's page: the badge and the sum behind it.
    await showArea(unverified);
    const u = (await tally(unverified)).winner_alert;
    assert.equal(u.can_change, true);
    assert.equal(await page.textContent("[data-test=winner-card] [data-test=winner-alert]"), "Bisa mengubah pemenang");
    assert.equal(await page.textContent("[data-test=winner-margin]"), u.margin.toLocaleString("id-ID"));
    assert.equal(await page.textContent("[data-test=winner-disputed]"), u.disputed.toLocaleString("id-ID"));
    await assertVisible("[data-test=winner-card] [data-test=winner-alert]", width);
    await shot(`desa-unverified-${width}`);

    // English, chosen on the page, and back.
    await page.click("[data-test=lang]");
    await page.waitForSelector("[data-test=winner-card] >> text=Could change the winner");
    assert.match(await page.textContent("[data-test=winner-card]"), /votes still possible/);
    await shot(`desa-unverified-en-${width}`);
    await page.click("[data-test=lang]");
    await page.waitForSelector("[data-test=winner-card] >> text=Bisa mengubah pemenang");
  });
}
