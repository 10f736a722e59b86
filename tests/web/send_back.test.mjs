// "Perlu perbaikan" (issue 28): the desk sends a sheet back to its operator from the sheet's
// page, with a reason; the tablet (rekap-field) takes the mark on its next sync; the list of
// marked sheets says "menunggu koreksi" until the operator's correction, with a new plano photo,
// arrives, then "sudah dikoreksi", and the sheet keeps both photos in its history. At 1366 and
// 390 px, in Indonesian and English. Real rekap-central, real chromium; screenshots go to
// $REKAP_SCREENSHOT_DIR.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { stopCentral } from "./central.mjs";
import { central, field, loginWithToken, servedWithOneSheet, shot } from "./desk.mjs";

const reason = "Suara paslon 2 tidak terbaca di foto, mohon foto ulang";

let work, server, url, token, browser, store, sheet, sheetFile;

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8" });


const login = (width) => loginWithToken(browser, url, token, width);

async function fitsTheScreen(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client + 1, `${what}: the page is ${scroll} px wide on a ${client} px screen`);
}

async function listRow(page) {
  await page.goto(url + "/#/perbaikan");
  await page.waitForSelector("[data-test=sendback-counts]");
  return page.$(`[data-test=sendback-list] li[data-sheet='${sheet.tps}/ppwp']`);
}

before(async () => {
  let db;
  ({ work, db, server, url, token, sheetFile } = await servedWithOneSheet("rekap-send-back-", "Koordinator Rina"));
  browser = await launchChromium();
  sheet = JSON.parse(readFileSync(sheetFile, "utf8"));
  store = join(work, "tablet.db");
  const code = run(central, ["--db", db, "mint", "--area", sheet.tps]).trim();
  run(field, ["--store", store, "enrol", "--server", url, "--code", code]);
  run(field, ["--store", store, "record", sheetFile, "--operator", `KPPS ${sheet.tps}`]);
  assert.match(run(field, ["--store", store, "sync"]), /1 accepted/);
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the desk sends a sheet back with a reason; the list shows it waiting, then corrected", async () => {
  const page = await login(1366);
  assert.equal(await listRow(page), null, "nothing marked yet");
  assert.match(await page.textContent("[data-test=sendback-none]"), /Belum ada lembar/);
  await page.goto(url + `/#/lembar/${sheet.tps}/ppwp`);
  await page.click("[data-test=sendback-open]");
  assert.ok(await page.$eval("#sendback-dialog", (d) => d.open));
  assert.match(await page.textContent("#sendback-what"), new RegExp(`${sheet.tps}/ppwp`));
  // The reason is required: an empty one is not sent.
  await page.click("#sendback-ok");
  assert.ok(await page.$eval("#sendback-dialog", (d) => d.open), "the dialog waits for a reason");
  await page.fill("#sendback-reason", reason);
  await page.click("#sendback-ok");
  await page.waitForSelector("[data-test=sendback-waiting]");
  assert.equal(await page.textContent("[data-test=sendback-reason]"), reason);
  assert.match(await page.textContent("[data-test=sendback-mark]"), /menunggu koreksi/);
  assert.match(await page.textContent("[data-test=sendback-mark]"), /Koordinator Rina/);
  assert.equal(await page.$("[data-test=sendback-open]"), null, "no second mark while one waits");
  await shot(page, "sheet-send-back");
  let row = await listRow(page);
  assert.ok(row, "the marked sheet is listed");
  assert.equal(await row.getAttribute("data-state"), "waiting");
  assert.match(await row.textContent(), /menunggu koreksi/);
  assert.match(await row.textContent(), new RegExp(reason));
  assert.match(await page.textContent("[data-test=sendback-counts]"), /1 menunggu koreksi · 0 sudah dikoreksi/);
  await page.waitForFunction(() => document.querySelector("#sendback-count").textContent === "1");

  // The tablet takes it on its next sync, the receiver's signature checked.
  run(field, ["--store", store, "sync"]);
  const onTablet = JSON.parse(run(field, ["--store", store, "--json", "send-backs"]));
  assert.equal(onTablet.length, 1);
  assert.equal(onTablet[0].reason, reason);
  assert.equal(onTablet[0].state, "waiting");

  // The operator's correction, with a new photo of the plano, answers it.
  const jpeg = Buffer.from((await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 480; c.height = 640;
    const g = c.getContext("2d");
    g.fillStyle = "#f4f1e8"; g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#222"; g.font = "bold 24px sans-serif";
    g.fillText("C.HASIL PLANO (foto ulang)", 20, 40);
    return c.toDataURL("image/jpeg", 0.8);
  })).split(",")[1], "base64");
  const photo = join(work, "plano-ulang.jpg");
  writeFileSync(photo, jpeg);
  run(field, ["--store", store, "correct", sheetFile, "--operator", `KPPS ${sheet.tps}`,
              "--reason", "foto ulang", "--photo", photo]);
  assert.match(run(field, ["--store", store, "sync"]), /1 accepted/);
  assert.equal(JSON.parse(run(field, ["--store", store, "--json", "send-backs"]))[0].state, "answered");

  // The list on screen follows: the dashboard refreshes when the receiver's version moves.
  await page.waitForSelector(`[data-test=sendback-list] li[data-sheet='${sheet.tps}/ppwp'][data-state=answered]`);
  row = await page.$(`[data-test=sendback-list] li[data-sheet='${sheet.tps}/ppwp']`);
  assert.match(await row.textContent(), /sudah dikoreksi/);
  assert.match(await page.textContent("[data-test=sendback-counts]"), /0 menunggu koreksi · 1 sudah dikoreksi/);
  await page.waitForFunction(() => document.querySelector("#sendback-count").textContent === "");
  await shot(page, "send-backs");
  await page.goto(url + `/#/lembar/${sheet.tps}/ppwp`);
  await page.waitForSelector("[data-test=sendback-open]"); // answered: it can be sent back again
  assert.match(await page.textContent("[data-test=sendback-mark]"), /sudah dikoreksi/);
  // The sheet keeps its photo history: the correction's new photo, the one in use.
  await page.waitForSelector("[data-test=photo-history] img");
  const history = await page.$$eval("[data-test=history] > li", (l) => l.map((x) => x.textContent));
  assert.equal(history.length, 2);
  assert.match(history[1], /foto ulang/);
  await page.context().close();
});

test("at 390 px the action, its dialog and the list fit the screen; in English too", async () => {
  const page = await login(390);
  await page.goto(url + `/#/lembar/${sheet.tps}/ppwp`);
  await page.waitForSelector("[data-test=sendback-open]");
  await fitsTheScreen(page, "sheet");
  await page.click("[data-test=sendback-open]");
  const dialog = await page.$eval("#sendback-dialog", (d) => d.getBoundingClientRect().right);
  assert.ok(dialog <= 390, `the dialog ends at ${dialog} px`);
  const ok = await page.$eval("#sendback-ok", (b) => b.getBoundingClientRect().right);
  assert.ok(ok <= 390, `"Kirim ke operator" ends at ${ok} px`);
  await shot(page, "sheet-send-back-dialog-390");
  await page.click("#sendback-cancel");
  await page.goto(url + "/#/perbaikan");
  await page.waitForSelector("[data-test=sendback-list]");
  await fitsTheScreen(page, "list");
  await shot(page, "send-backs-390");
  await page.click("[data-test=lang]");
  await page.waitForSelector("h2:has-text('Needs correction')");
  await page.waitForSelector("[data-test=sendback-counts]:has-text('corrected')");
  assert.match(await page.textContent("[data-test=sendback-list]"), /corrected/);
  assert.match(await page.textContent("h2"), /Needs correction/);
  await fitsTheScreen(page, "list, English");
  await shot(page, "send-backs-390-en");
  await page.click("[data-test=lang]"); // back to Bahasa Indonesia for the other tests
  await page.context().close();
});
