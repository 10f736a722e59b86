// A sheet sent without its plano photo, and the photo that follows it (issue 27, "foto
// menyusul"): the desk's reading queue counts the sheet as waiting for its photo; the tablet
// (rekap-field) attaches the photo to the sent revision and syncs; the queue then offers the
// sheet for reading, and the sheet's page shows its photo history: what the revision carried
// (nothing) and the photo attached later, named as such. At 1366 and 390 px. Real
// rekap-central, real chromium; screenshots go to $REKAP_SCREENSHOT_DIR.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { stopCentral } from "./central.mjs";
import { central, field, loginWithToken, servedWithOneSheet, shot } from "./desk.mjs";


let work, server, url, token, browser, store, sheet, sheetFile, revision;

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8" });


const login = (width) => loginWithToken(browser, url, token, width);

async function queueRow(page) {
  await page.goto(url + "/#/bacaan");
  const row = "[data-test=reading-queue] tr[data-kecamatan='630605']";
  await page.waitForSelector(row);
  return page.$$eval(`${row} td.num`, (tds) => tds.map((td) => td.textContent.trim()));
}

before(async () => {
  let db;
  ({ work, db, server, url, token, sheetFile } = await servedWithOneSheet("rekap-photo-later-", "Rina"));
  browser = await launchChromium();
  sheet = JSON.parse(readFileSync(sheetFile, "utf8"));
  store = join(work, "tablet.db");
  const code = run(central, ["--db", db, "mint", "--area", sheet.tps]).trim();
  run(field, ["--store", store, "enrol", "--server", url, "--code", code]);
  // Sent without its photo: the operator chose "kirim tanpa foto, foto menyusul".
  revision = JSON.parse(run(field, ["--store", store, "--json", "record", sheetFile,
                                    "--operator", `KPPS ${sheet.tps}`])).saved;
  assert.match(run(field, ["--store", store, "sync"]), /1 accepted/);
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

test("a sheet sent without its photo waits for it, and is offered for reading once it follows", async () => {
  const page = await login(1366);
  // Columns: counted, verified, beda bacaan, to read, being read, waiting for the photo.
  let cells = await queueRow(page);
  assert.equal(await page.textContent("tr[data-kecamatan='630605'] [data-test=to-read]"), "0");
  assert.equal(cells[cells.length - 1], "1", "the sheet waits for its photo: " + cells.join(" "));
  await page.goto(url + `/#/lembar/${sheet.tps}/ppwp`);
  await page.waitForSelector("[data-test=history]");
  assert.equal(await page.$$eval("[data-test=photo-history] img", (i) => i.length), 0);
  assert.match(await page.textContent("[data-test=history]"), /Tanpa foto plano/);

  // The photo follows: drawn here, attached on the tablet to the sent revision, synced.
  const jpeg = Buffer.from((await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 480; c.height = 640;
    const g = c.getContext("2d");
    g.fillStyle = "#f4f1e8"; g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#222"; g.font = "bold 24px sans-serif";
    g.fillText("C.HASIL PLANO (foto menyusul)", 20, 40);
    return c.toDataURL("image/jpeg", 0.8);
  })).split(",")[1], "base64");
  const photo = join(work, "plano.jpg");
  writeFileSync(photo, jpeg);
  assert.match(run(field, ["--store", store, "attach-photo", revision, "--photo", photo]), /queued/);
  const synced = run(field, ["--store", store, "sync"]);
  assert.match(synced, /1 photos attached/, synced);
  assert.match(synced, /0 accepted/, "no revision sent again: the numbers are untouched");

  cells = await queueRow(page);
  assert.equal(await page.textContent("tr[data-kecamatan='630605'] [data-test=to-read]"), "1");
  assert.equal(cells[cells.length - 1], "0", cells.join(" "));
  await page.goto(url + `/#/lembar/${sheet.tps}/ppwp`);
  await page.waitForSelector("[data-test=photo-history] img");
  const figures = await page.$$eval("[data-test=photo-history] figure", (fs) => fs.map((f) => f.textContent));
  assert.equal(figures.length, 1);
  assert.match(figures[0], /Foto menyusul/);
  assert.match(figures[0], /dipakai/);
  await page.waitForFunction(() => document.querySelector("[data-test=photo-history] img").naturalWidth > 0);
  await shot(page, "sheet-photo-later");
  await page.context().close();
});

test("at 390 px the sheet's photo history fits the screen", async () => {
  const page = await login(390);
  await page.goto(url + `/#/lembar/${sheet.tps}/ppwp`);
  await page.waitForSelector("[data-test=photo-history] img");
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client + 1, `the page is ${scroll} px wide on a ${client} px screen`);
  const box = await page.$eval("[data-test=photo-history] img", (i) => i.getBoundingClientRect().right);
  assert.ok(box <= 390, `the photo ends at ${box} px`);
  await shot(page, "sheet-photo-later-390");
  await page.context().close();
});
