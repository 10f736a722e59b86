// The photo stays in view while a desk clerk types a DPRD sheet (some 176 boxes) from it (issue
// 27): beside the boxes at a desk's 1366 px, a pinned zoomable strip on a 390 px phone. Each box
// is reached with Tab and typed like a clerk would; after the last box the photo is still within
// the viewport, no box was hidden under it, and "Kirim bacaan" and then "Baca lembar berikutnya"
// can be pressed. Real rekap-central, real chromium. Screenshots go to $REKAP_SCREENSHOT_DIR.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { serveCentral, stopCentral } from "./central.mjs";

const root = new URL("../..", import.meta.url).pathname;
const bin = process.env.REKAP_BUILD_DIR || join(root, "build");
const central = join(bin, "server-stub/rekap-central");
const field = join(bin, "sync/rekap-field");
const sim = join(bin, "tests/sim/rekap-sim");
const regency = join(root, "data/regencies/hss-6306.json");
const shots = process.env.REKAP_SCREENSHOT_DIR;

let work, server, url, browser, token;
const sheets = {}; // by contest

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8" });

// A tall plano photo of `sheet`, drawn by the browser, every number written on it.
async function photoOf(page, sheet) {
  const dataUrl = await page.evaluate((s) => {
    const rows = [`C.HASIL PLANO ${s.tps} ${s.contest.toUpperCase()}`];
    for (const p of s.votes.parties) {
      rows.push(`Partai ${p.party}: partai ${p.party_only}, jumlah ${p.total}`);
      for (const c of p.candidates) rows.push(`   ${p.party}.${c.number}: ${c.votes}`);
    }
    const c = document.createElement("canvas");
    c.width = 900; c.height = 60 + rows.length * 15;
    const g = c.getContext("2d");
    g.fillStyle = "#f4f1e8"; g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#222"; g.font = "13px monospace";
    rows.forEach((r, i) => g.fillText(r, 24, 40 + i * 15));
    return c.toDataURL("image/jpeg", 0.8);
  }, sheet);
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

// The value of a form box in a sheet file ("votes.parties.3.candidates.2", "ballots.used", ...).
function valueOf(sheet, id) {
  const parts = id.split(".");
  if (parts[0] === "votes" && parts[1] === "parties") {
    const p = sheet.votes.parties.find((x) => x.party === Number(parts[2]));
    return parts[3] === "candidates" ? p.candidates.find((c) => c.number === Number(parts[4])).votes : p[parts[3]];
  }
  return parts.reduce((o, k) => o[k], sheet);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-reading-photo-"));
  const db = join(work, "central.db");
  run(central, ["--db", db, "init", "--regency", regency]);
  // A reader's account: the blind second reading is its role (docs/desk-accounts.md).
  execFileSync(central, ["--db", db, "user", "add", "--name", "Rina", "--role", "reader"],
               { input: "sandi-pembaca-rina\n" });
  token = run(central, ["--db", db, "desk-token", "--name", "Rina"]).trim();
  ({ server, url } = await serveCentral(central, db));
  browser = await launchChromium();
  // One TPS's two DPRD sheets with their photos, from one tablet.
  const tps = run(sim, ["--regency", regency, "--emit-sheets", join(work, "sheets")]).trim();
  const store = join(work, "tablet.db");
  run(field, ["--store", store, "enrol", "--server", url,
              "--code", run(central, ["--db", db, "mint", "--area", tps]).trim()]);
  const painter = await browser.newPage();
  for (const contest of ["pdprdk", "pdprdp"]) {
    const file = join(work, "sheets", contest + ".json");
    sheets[contest] = JSON.parse(readFileSync(file, "utf8"));
    const photo = join(work, contest + ".jpg");
    writeFileSync(photo, await photoOf(painter, sheets[contest]));
    run(field, ["--store", store, "record", file, "--operator", "KPPS 1", "--photo", photo]);
  }
  await painter.close();
  assert.match(run(field, ["--store", store, "sync"]), /2 accepted/);
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

// Where an element is, and whether a tap at its middle lands on it (not on the photo over it).
const place = (page, selector) => page.$eval(selector, (el) => {
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
           width: r.width, tappable: hit === el || el.contains(hit), vh: innerHeight, vw: innerWidth };
});

function assertInViewport(p, what, minHeight) {
  assert.ok(p.top >= -1 && p.bottom <= p.vh + 1 && p.left >= -1 && p.right <= p.vw + 1,
            `${what} lies outside the viewport: ${JSON.stringify(p)}`);
  assert.ok(p.height >= minHeight, `${what} is ${p.height} px tall`);
}

for (const [name, width, height, minPhoto] of [["desk", 1366, 768, 500], ["phone", 390, 844, 200]]) {
  test(`${name} (${width} px): the photo stays in view while every box is typed from it`, async () => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.goto(url + "/");
    await page.fill("#token", token);
    await page.click("#login-form button");
    await page.waitForSelector("[data-test=reading-queue]"); // a reader's first page
    await page.goto(url + "/#/baca/630601");
    await page.waitForSelector("[data-test=reading-form]");
    // (waitForFunction would evaluate a string, which the page's CSP forbids.)
    for (let i = 0; !(await page.$eval("[data-test=reading-photo]", (img) => img.complete && img.naturalWidth > 0)); ++i) {
      assert.ok(i < 100, "the photo loads");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const key = (await page.textContent("[data-test=reading-place] .muted")).trim();
    const sheet = sheets[key.split("/")[1]];
    const boxes = await page.$$eval(".reading-form input.box:not(.computed)", (is) => is.map((i) => i.dataset.field));
    assert.ok(boxes.length >= 150, `${boxes.length} boxes`);
    const overflow = await page.evaluate(() => [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > innerWidth + 1).map((e) => e.tagName + "." + e.className).slice(0, 5));
    assert.deepEqual(overflow, [], "nothing runs past the right edge");

    // Typed as a clerk does: the first box has the focus, Tab to the next.
    for (const [i, id] of boxes.entries()) {
      if (i > 0) await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.dataset.field), id);
      await page.keyboard.type(String(valueOf(sheet, id)));
      const box = await place(page, `.reading-form input[data-field="${id}"]`);
      assert.ok(box.tappable && box.top >= -1 && box.bottom <= box.vh + 1, `box ${id} hidden: ${JSON.stringify(box)}`);
      if (i === Math.floor(boxes.length / 2)) await shot(page, `reading-photo-${name}-middle`);
    }
    assertInViewport(await place(page, "[data-test=reading-photo]"), "the photo after the last box", minPhoto);

    // Zoom: larger, then the whole photo again, still in view.
    const before = (await place(page, "[data-test=reading-photo]")).width;
    await page.click("[data-test=zoom-in]");
    await page.click("[data-test=zoom-in]");
    assert.ok((await place(page, "[data-test=reading-photo]")).width >= before * 1.9, "zoomed in");
    assertInViewport(await place(page, "[data-test=reading-photo-frame]"), "the zoomed photo's frame", minPhoto);
    await shot(page, `reading-photo-${name}-zoomed`);
    await page.click("[data-test=zoom-fit]");
    assert.equal((await place(page, "[data-test=reading-photo]")).width, before);

    // Every action can be pressed: send, then the next sheet.
    await page.locator("#reading-send").scrollIntoViewIfNeeded();
    assert.ok((await place(page, "#reading-send")).tappable, "Kirim bacaan is under the photo");
    await page.click("#reading-send");
    await page.waitForSelector("[data-test=reading-result][data-outcome=verified]");
    await page.locator("[data-test=read-next-after]").scrollIntoViewIfNeeded();
    const next = await place(page, "[data-test=read-next-after]");
    assert.ok(next.tappable && next.bottom <= next.vh + 1, "Baca lembar berikutnya is under the photo");
    assertInViewport(await place(page, "[data-test=reading-photo]"), "the photo beside the result", minPhoto);
    await shot(page, `reading-photo-${name}-result`);
    await page.click("[data-test=read-next-after]");
    await page.waitForSelector("[data-test=reading-form], [data-test=nothing-to-read]");
    await context.close();
  });
}

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `dashboard-${name}.png`) });
}
