// The desk's smaller points of issue 28, in a real browser (Debian's chromium, playwright-core)
// against a real rekap-central with Hulu Sungai Selatan, at 1366 and 390 px: sheets named by
// their place and lines by name (Konflik, Ditolak, the sheet's page); the reading queue's columns
// add up to what is counted; the printed recap counts conflicts, rejected and unverified TPS and
// names the regency and the time once; a correction's history shows what changed; at 390 px the
// menu collapses, no page is wider than the screen and every action can be reached.
// Screenshots go to $REKAP_SCREENSHOT_DIR when set.
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
const regencyFile = join(root, "data/regencies/hss-6306.json");
const snapshot = join(root, "data/source/hss-6306-sirekap-ppwp-snapshot.csv");
const shots = process.env.REKAP_SCREENSHOT_DIR;
const regency = JSON.parse(readFileSync(regencyFile, "utf8"));
const WIDTHS = [1366, 390];

let work, db, server, url, token, readerToken, browser;
let conflictTps, corrected, original, correction;

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", env: { ...process.env, REKAP_BUILD_DIR: bin } });
const tablets = (files, folder) =>
  run(join(root, "scripts/simulate-tablets"), [db, url, join(work, folder), ...files]);

async function shot(page, name, fullPage = true) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `desk-small-${name}.png`), fullPage });
}

// The coordinator by default; a reader (`readerToken`) lands on the reading queue.
async function login(width, tok = token) {
  const context = await browser.newContext({ viewport: { width, height: 844 } });
  const page = await context.newPage();
  await page.goto(url + "/");
  await page.waitForSelector("#login-form");
  await page.fill("#token", tok);
  await page.click("#login-form button");
  await page.waitForSelector(tok === token ? "[data-test=tps-masuk]" : "[data-test=reading-queue]");
  return page;
}

// Polls a predicate in the page: not page.waitForFunction, whose polling evaluates a string that
// the dashboard's Content-Security-Policy (no 'unsafe-eval') refuses.
async function waitUntil(page, fn, arg) {
  const deadline = Date.now() + 15000;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + fn);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const getJson = (page, path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);

// "TPS 003 · Desa X · Kec. Y — PPWP", from the master data.
function placeOf(tps) {
  const t = regency.tps.find((x) => x.code === tps);
  const desa = regency.desa.find((x) => x.code === tps.slice(0, 10));
  const kec = regency.kecamatan.find((x) => x.code === tps.slice(0, 6));
  return `${t.name} · Desa ${desa.name} · Kec. ${kec.name} — PPWP`;
}
const paslon = (n) => regency.contests.find((c) => c.code === "ppwp").candidates[n - 1].name;

async function fitsScreen(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide on a ${client} px screen`);
}

// A button can be reached: once scrolled to (its card's table scrolls too), it lies inside the
// screen.
async function reachable(page, handle, what) {
  await handle.scrollIntoViewIfNeeded();
  const box = await handle.boundingBox();
  const { w, h } = await page.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
  assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= w && box.y + box.height <= h,
            `${what} at ${JSON.stringify(box)} on a ${w}×${h} screen`);
}

// A plano photo drawn by the browser, for the corrected sheet (the reading page reads from it).
async function planoPhoto(file, tps) {
  const page = await browser.newPage();
  const dataUrl = await page.evaluate((t) => {
    const c = document.createElement("canvas");
    c.width = 480; c.height = 640;
    const g = c.getContext("2d");
    g.fillStyle = "#f4f1e8"; g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#222"; g.font = "bold 22px sans-serif";
    g.fillText("C.HASIL PLANO " + t, 20, 40);
    return c.toDataURL("image/jpeg", 0.8);
  }, tps);
  await page.close();
  writeFileSync(file, Buffer.from(dataUrl.split(",")[1], "base64"));
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-desk-small-"));
  db = join(work, "central.db");
  run(central, ["--db", db, "init", "--regency", regencyFile]);
  token = run(central, ["--db", db, "desk-token", "--name", "Desk HSS"]).trim();
  execFileSync(central, ["--db", db, "user", "add", "--name", "Rina", "--role", "reader"], { input: "sandi-pembaca-rina\n" });
  readerToken = run(central, ["--db", db, "desk-token", "--name", "Rina"]).trim();
  ({ server, url } = await serveCentral(central, db, ["--no-access-log"]));
  browser = await launchChromium();
  // KPU's numbers for kecamatan Kandangan: clean sheets accepted, misread ones rejected.
  run(rekapData, ["sirekap", "--regency", regencyFile, "--csv", snapshot, "--write-sheets", join(work, "sheets")]);
  const files = readdirSync(join(work, "sheets")).filter((f) => f.startsWith("630605")).sort().slice(0, 20);
  const synced = tablets(files.map((f) => join(work, "sheets", f)), "tablets");
  const accepted = synced.split("\n").filter((l) => l.includes(" 1 accepted")).map((l) => l.slice(0, 13));
  assert.ok(accepted.length >= 2 && /rejected/.test(synced), synced);
  [conflictTps, corrected] = accepted;

  // A second tablet at an accepted TPS, one vote apart: a conflict between tablets, no reading.
  const other = JSON.parse(readFileSync(join(work, "sheets", conflictTps + "-ppwp.json"), "utf8"));
  other.votes.candidates[0].votes -= 1;
  other.votes.candidates[1].votes += 1;
  mkdirSync(join(work, "second"));
  writeFileSync(join(work, "second", conflictTps + "-ppwp.json"), JSON.stringify(other));
  assert.match(tablets([join(work, "second", conflictTps + "-ppwp.json")], "second-tablets"), / 1 conflicts/);

  // The operator of another TPS corrects paslon 01 and 02 by one vote each, with the photo.
  original = JSON.parse(readFileSync(join(work, "sheets", corrected + "-ppwp.json"), "utf8"));
  correction = structuredClone(original);
  correction.votes.candidates[0].votes += 1;
  correction.votes.candidates[1].votes -= 1;
  writeFileSync(join(work, "correction.json"), JSON.stringify(correction));
  await planoPhoto(join(work, "plano.jpg"), corrected);
  const store = join(work, "tablets", `tablet-${corrected}.db`);
  run(field, ["--store", store, "correct", join(work, "correction.json"), "--operator", `KPPS ${corrected}`,
              "--reason", "salah tulis, dicek dengan plano", "--photo", join(work, "plano.jpg")]);
  assert.match(run(field, ["--store", store, "sync"]), /1 accepted/);
  assert.match(run(central, ["--db", db, "kpu-import", "--contest", "ppwp", snapshot]), /imported/);
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

test("sheets are named by their place and their lines by name: Konflik, Ditolak, the sheet's page", async () => {
  for (const width of WIDTHS) {
    const page = await login(width);
    await page.goto(url + "/#/konflik");
    await page.waitForSelector(".conflict");
    assert.equal(await page.textContent(".conflict h3 [data-test=sheet-place]"), placeOf(conflictTps));
    assert.equal(await page.textContent(".conflict h3 [data-test=sheet-code]"), `${conflictTps}/ppwp`);
    const rows = await page.$$eval(".conflict tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));
    for (const n of [1, 2, 3]) assert.ok(rows.includes(`IV Nomor urut ${n} — ${paslon(n)}`), rows.join(" | "));
    await shot(page, `konflik-${width}`);

    await page.goto(url + "/#/ditolak");
    await page.waitForSelector("section[data-sheet]");
    const rejected = await page.$$eval("section[data-sheet]", (ss) => ss.map((s) =>
      [s.dataset.sheet, s.querySelector("[data-test=sheet-place]").textContent]));
    assert.ok(rejected.length >= 1);
    for (const [sheet, place] of rejected) assert.equal(place, placeOf(sheet.slice(0, 13)));
    await shot(page, `ditolak-${width}`);

    await page.goto(url + `/#/lembar/${conflictTps}/ppwp`);
    await page.waitForSelector("[data-test=sheet-numbers]");
    assert.equal(await page.textContent("h2 [data-test=sheet-place]"), placeOf(conflictTps));
    assert.match(await page.textContent("[data-test=sheet-numbers]"), new RegExp(`IV Nomor urut 2 — ${paslon(2)}`));
    await shot(page, `lembar-${width}`);
    await page.context().close();
  }
});

test("the reading queue's columns add up to what is counted, per kecamatan and in all", async () => {
  for (const width of WIDTHS) {
    const page = await login(width);
    await page.goto(url + "/#/bacaan");
    await page.waitForSelector("[data-test=reading-queue] tr[data-kecamatan='630605']");
    const rows = await page.$$eval("[data-test=reading-queue] tbody tr, [data-test=queue-totals]", (trs) => trs.map((tr) => {
      const v = (c) => { const td = tr.querySelector(`[data-col=${c}]`); return td ? Number(td.textContent.replace(/\D/g, "")) : NaN; };
      return { row: tr.dataset.kecamatan || "totals", sheets: v("sheets"), verified: v("verified"), differ: v("differ"),
               conflict: v("conflict"), toRead: v("to_read"), noPhoto: v("no_photo"), claimed: v("claimed") };
    }));
    assert.equal(rows.length, 2, JSON.stringify(rows));
    for (const r of rows) {
      assert.equal(r.verified + r.differ + r.conflict + r.toRead + r.noPhoto, r.sheets, JSON.stringify(r));
      assert.ok(r.claimed <= r.toRead);
    }
    const kandangan = rows.find((r) => r.row === "630605");
    assert.equal(kandangan.conflict, 1, "the TPS in conflict between tablets has its column");
    assert.equal(kandangan.toRead, 1, "the corrected sheet, with its photo, is to read");
    const tally = await getJson(page, "/api/v1/tally?contest=ppwp&area=6306");
    assert.equal(rows.at(-1).sheets, tally.tps.reported, "counted: the TPS the tally counts");
    await shot(page, `bacaan-${width}`);
    await page.context().close();
  }
});

test("the printed recap counts conflicts, rejected and unverified TPS, names the regency and the time once", async () => {
  for (const width of WIDTHS) {
    const page = await login(width);
    for (const area of ["6306", "630605"]) {
      await page.goto(url + `/#/cetak/ppwp/${area}`);
      await page.waitForSelector("[data-test=print-counts]");
      const t = await getJson(page, `/api/v1/tally?contest=ppwp&area=${area}`);
      const counts = await page.$$eval("[data-test=print-counts] [data-count]", (ss) =>
        Object.fromEntries(ss.map((s) => [s.dataset.count, Number(s.textContent.replace(/\D/g, ""))])));
      assert.deepEqual(counts, { conflict: t.tps.conflict, rejected: t.tps.rejected, unverified: t.tps.reported - t.tps.verified });
      assert.equal(t.tps.conflict, 1);
      assert.ok(t.tps.rejected >= 1);
      // The area's own row of the table carries the same counts.
      const own = await page.$$eval(`[data-test=print-table] tr[data-area='${area}'] [data-count]`, (tds) =>
        Object.fromEntries(tds.map((td) => [td.dataset.count, Number(td.textContent.replace(/\D/g, ""))])));
      assert.deepEqual(own, counts);
      const where = await page.textContent("[data-test=print-where]");
      assert.equal(where.split("Hulu Sungai Selatan").length - 1, 1, where);
      if (area === "630605") assert.match(where, /Hulu Sungai Selatan › KANDANGAN/);
      const text = await page.$eval(".print", (a) => {
        const copy = a.cloneNode(true);
        copy.querySelectorAll("[data-test=seal]").forEach((s) => s.remove()); // the ledger head's own time
        return copy.textContent;
      });
      assert.equal(text.split(t.as_of.local).length - 1, 1, "the time is printed once: " + text);
      if (width === 390) await fitsScreen(page, `print ${area}`);
      await shot(page, `cetak-${area}-${width}`);
    }
    await page.context().close();
  }
});

test("the tally gives its time once: the date and the clock", async () => {
  const page = await login(1366);
  assert.match(await page.textContent("[data-test=as-of]"), /^Data per \d{4}-\d\d-\d\d pukul \d\d\.\d\d WITA$/);
  await page.context().close();
});

test("a correction's history shows what changed: old → new", async () => {
  for (const width of WIDTHS) {
    const page = await login(width);
    await page.goto(url + `/#/lembar/${corrected}/ppwp`);
    await page.waitForSelector("[data-test=history]");
    const changes = await page.$$("[data-test=changes]");
    assert.equal(changes.length, 1, "one revision has a parent: the correction");
    const rows = await page.$$eval("[data-test=changes] tr", (trs) => trs.map((tr) =>
      [tr.dataset.field, tr.cells[0].textContent, tr.cells[1].textContent.replace(/\s+/g, " ").trim()]));
    const c = (i) => [original.votes.candidates[i].votes, correction.votes.candidates[i].votes];
    assert.deepEqual(rows, [
      ["c1", `IV Nomor urut 1 — ${paslon(1)}`, `${c(0)[0]} → ${c(0)[1]}`],
      ["c2", `IV Nomor urut 2 — ${paslon(2)}`, `${c(1)[0]} → ${c(1)[1]}`],
    ]);
    if (width === 390) await fitsScreen(page, "sheet page");
    await shot(page, `koreksi-${width}`);
    await page.context().close();
  }
});

test("at 1366 px the menu is one line; at 390 px it collapses and every page and action fits", async () => {
  const wide = await login(1366);
  assert.equal(await wide.isVisible("#menu-toggle"), false);
  for (const a of await wide.$$("#nav [data-nav]:not([hidden]), #logout")) assert.ok(await a.isVisible());
  const wideTop = await wide.$eval(".top", (t) => t.getBoundingClientRect().height);
  assert.ok(wideTop < 60, `the top bar is ${wideTop} px high`);
  await wide.context().close();

  let page = await login(390);
  const top = await page.$eval(".top", (t) => t.getBoundingClientRect().height);
  assert.ok(top < 60, `the top bar is ${top} px high: the menu wraps`);
  assert.ok(await page.isVisible("#menu-toggle"));
  assert.equal(await page.isVisible("#nav [data-nav=konflik]"), false, "the list stays closed until asked");
  await shot(page, "menu-closed-390");
  // Every page of the menu: open it, each entry inside the screen, choose it, it closes again.
  const navs = await page.$$eval("#nav [data-nav]:not([hidden])", (as) => as.map((a) => a.dataset.nav));
  // The coordinator's menu (enrolling tablets is the administrator's: docs/desk-accounts.md).
  assert.deepEqual(navs, ["rekap", "status", "konflik", "ditolak", "perbaikan", "selisih", "bacaan"]);
  for (const nav of navs) {
    await page.click("#menu-toggle");
    assert.equal(await page.getAttribute("#menu-toggle", "aria-expanded"), "true");
    for (const a of await page.$$("#nav [data-nav]:not([hidden]), #logout")) await reachable(page, a, "a menu entry");
    if (nav === "konflik") await shot(page, "menu-open-390", false);
    await page.click(`#nav [data-nav=${nav}]`);
    await waitUntil(page, (n) => location.hash.startsWith("#/" + n), nav);
    // Closed by the click itself, not only when the page's hashchange comes round.
    assert.equal(await page.isVisible("#nav [data-nav=konflik]"), false, "choosing a page closes the menu");
    await page.waitForSelector("#main h2, #main .tabs");
    await fitsScreen(page, nav);
  }

  await page.goto(url + "/#/konflik");
  await page.waitForSelector(".conflict");
  // The actions come once /api/v1/me has said what this login may do: on a loaded machine
  // after the list itself.
  await page.waitForSelector("[data-resolve]");
  await fitsScreen(page, "Konflik");
  const choose = await page.$$("[data-resolve]");
  assert.equal(choose.length, 2);
  for (const b of choose) await reachable(page, b, "Pilih versi ini");
  await shot(page, "konflik-reach-390");

  await page.goto(url + "/#/selisih/ppwp/630605");
  await page.waitForSelector("[data-test=xchildren], [data-test=xtps]");
  await fitsScreen(page, "Selisih");
  await shot(page, "selisih-390");

  await page.context().close();
  // The reading is a reader's: the queue with its buttons, and the reading page.
  page = await login(390, readerToken);
  await page.goto(url + "/#/bacaan");
  await page.waitForSelector("[data-test=read-next]");
  await fitsScreen(page, "Bacaan kedua");
  for (const b of await page.$$("[data-test=read-next]")) await reachable(page, b, "Baca lembar berikutnya");

  // The reading page: claim the corrected sheet, type it from the photo, send, read the next.
  await page.click("[data-test=read-next]");
  await page.waitForSelector("[data-test=reading-form]");
  await fitsScreen(page, "the reading page");
  await shot(page, "baca-390");
  const valueOf = (id) => {
    const parts = id.split(".");
    if (parts[0] === "votes" && parts[1] === "candidates")
      return correction.votes.candidates.find((c) => c.number === Number(parts[2])).votes;
    return parts.reduce((o, k) => o[k], correction);
  };
  for (const input of await page.$$(".reading-form input.box:not(.computed)"))
    await input.fill(String(valueOf(await input.getAttribute("data-field"))));
  await reachable(page, await page.$("#reading-send"), "Kirim bacaan");
  await page.click("#reading-send");
  await page.waitForSelector("[data-test=reading-result][data-outcome=verified]");
  await fitsScreen(page, "the reading's result");
  await reachable(page, await page.$("[data-test=read-next-after]"), "Baca lembar berikutnya");
  await shot(page, "baca-result-390");
  await page.context().close();
});
