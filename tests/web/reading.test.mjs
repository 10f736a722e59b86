// Second reading at the desk (issue 14, docs/second-reading.md) in a real browser (Debian's
// chromium, playwright-core) against a real rekap-central with Hulu Sungai Selatan: two tablets
// send sheets with their plano photos; two desk clerks each get a different sheet from the work
// queue, see the photo and empty boxes only, and type the numbers. Equal: verified. Different:
// "beda bacaan" with both values of each box that differs, and the conflict for the desk.
// Screenshots go to $REKAP_SCREENSHOT_DIR when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { serveCentral, stopCentral } from "./central.mjs";
import { central, field, rekapData, root, shot } from "./desk.mjs";

const regency = join(root, "data/regencies/hss-6306.json");

let work, db, server, url, browser, rina, tono, desk;
const tokens = {};
const sheets = []; // the two sheets sent, as the tablets recorded them

const run = (cmd, args, input) => execFileSync(cmd, args, { encoding: "utf8", input });


// A plano photo of `sheet` as a JPEG, drawn by the browser: its numbers written on it.
async function photoOf(page, sheet) {
  const dataUrl = await page.evaluate((s) => {
    const c = document.createElement("canvas");
    c.width = 640; c.height = 820;
    const g = c.getContext("2d");
    g.fillStyle = "#f4f1e8"; g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#222"; g.font = "bold 26px sans-serif";
    g.fillText("C.HASIL PLANO " + s.tps + " " + s.contest.toUpperCase(), 24, 44);
    g.font = "22px monospace";
    const rows = [];
    for (const [k, v] of Object.entries(s.voters)) rows.push(`I ${k}: ${v.l} ${v.p} ${v.total}`);
    for (const [k, v] of Object.entries(s.ballots)) rows.push(`II ${k}: ${v}`);
    rows.push(`III: ${s.disabled_voters.l} ${s.disabled_voters.p} ${s.disabled_voters.total}`);
    for (const c of s.votes.candidates) rows.push(`IV ${String(c.number).padStart(2, "0")}: ${c.votes}`);
    for (const [k, v] of Object.entries(s.summary)) rows.push(`V ${k}: ${v}`);
    rows.forEach((r, i) => g.fillText(r, 24, 100 + i * 36));
    return c.toDataURL("image/jpeg", 0.8);
  }, sheet);
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

// The value of a form box (a field id such as "voters.dpt.l" or "votes.candidates.2").
function valueOf(sheet, id) {
  const parts = id.split(".");
  if (parts[0] === "votes" && parts[1] === "candidates")
    return sheet.votes.candidates.find((c) => c.number === Number(parts[2])).votes;
  return parts.reduce((o, k) => o[k], sheet);
}

async function login(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  page.requests = [];
  page.on("request", (r) => page.requests.push(r.url()));
  await page.goto(url + "/");
  await page.waitForSelector("#login-form");
  await page.fill("#token", tokens[name]);
  await page.click("#login-form button");
  // A reader starts on the queue; the coordinator on the tally.
  await page.waitForSelector(name === "Koordinator" ? "[data-test=tps-masuk]" : "[data-test=reading-queue]");
  return page;
}

async function typeReading(page, sheet) {
  for (const input of await page.$$(".reading-form input.box:not(.computed)")) {
    const id = await input.getAttribute("data-field");
    await input.fill(String(valueOf(sheet, id)));
  }
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-reading-"));
  db = join(work, "central.db");
  run(central, ["--db", db, "init", "--regency", regency]);
  // Two readers' accounts (docs/desk-accounts.md) and a coordinator who reads the tally and
  // decides; each logs in with a token of their account.
  for (const name of ["Rina", "Tono"])
    run(central, ["--db", db, "user", "add", "--name", name, "--role", "reader"], `sandi-${name}-pembaca\n`);
  for (const name of ["Rina", "Tono", "Koordinator"])
    tokens[name] = run(central, ["--db", db, "desk-token", "--name", name]).trim();
  ({ server, url } = await serveCentral(central, db));
  browser = await launchChromium();
  // Two sheets of kecamatan Kandangan that pass every rule, each from its own tablet with the
  // plano photo.
  run(rekapData, ["sirekap", "--regency", regency,
                  "--csv", join(root, "data/source/hss-6306-sirekap-ppwp-snapshot.csv"),
                  "--write-sheets", join(work, "sheets")]);
  const valid = readdirSync(join(work, "sheets")).filter((f) => f.startsWith("630605")).sort().filter((f) => {
    try { run(rekapData, ["validate", "--regency", regency, join(work, "sheets", f)]); return true; } catch { return false; }
  }).slice(0, 2);
  assert.equal(valid.length, 2);
  const painter = await browser.newPage();
  for (const f of valid) {
    const file = join(work, "sheets", f);
    const sheet = JSON.parse(readFileSync(file, "utf8"));
    const photo = join(work, f + ".jpg");
    writeFileSync(photo, await photoOf(painter, sheet));
    const store = join(work, `tablet-${sheet.tps}.db`);
    const code = run(central, ["--db", db, "mint", "--area", sheet.tps]).trim();
    run(field, ["--store", store, "enrol", "--server", url, "--code", code]);
    run(field, ["--store", store, "record", file, "--operator", `KPPS ${sheet.tps}`, "--photo", photo]);
    assert.match(run(field, ["--store", store, "sync"]), /1 accepted/);
    sheets.push(sheet);
  }
  await painter.close();
  rina = await login("Rina");
  tono = await login("Tono");
  desk = await login("Koordinator");
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

const getJson = (page, path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);

test("the work queue shows, by kecamatan, what still needs a second reading", async () => {
  await rina.goto(url + "/#/bacaan");
  await rina.waitForSelector("[data-test=reading-queue] tr[data-kecamatan='630605']");
  assert.equal(await rina.textContent("tr[data-kecamatan='630605'] [data-test=to-read]"), "2");
  // A reader reads no tally: its numbers are the first entries'.
  assert.equal(await rina.evaluate(() => fetch("/api/v1/tally?contest=ppwp&area=630605").then((r) => r.status)), 403);
  assert.equal(await rina.isVisible("[data-nav=rekap]"), false);
  assert.match(await rina.textContent("[data-test=who]"), /Rina · Pembaca/);
  const tally = await getJson(desk, "/api/v1/tally?contest=ppwp&area=630605");
  assert.equal(tally.tps.verified, 0);
  assert.equal(tally.verification.provisional, true);
  await shot(rina, "reading-queue");
});

let rinasClaim, tonosClaim;

test("each clerk gets a different sheet and sees its photo and empty boxes only", async () => {
  await rina.click("tr[data-kecamatan='630605'] [data-test=read-next]");
  await rina.waitForSelector("[data-test=reading-form]");
  await tono.goto(url + "/#/baca/630605");
  await tono.waitForSelector("[data-test=reading-form]");
  rinasClaim = (await rina.textContent("[data-test=reading-place] .muted")).trim();
  tonosClaim = (await tono.textContent("[data-test=reading-place] .muted")).trim();
  assert.notEqual(rinasClaim, tonosClaim, "two clerks never get the same sheet at once");
  assert.deepEqual([rinasClaim, tonosClaim].sort(), sheets.map((s) => `${s.tps}/ppwp`).sort());
  for (const page of [rina, tono]) {
    // The photo is shown and loads; every box is empty; nothing of the first entry was asked for.
    const img = await page.$("[data-test=reading-photo]");
    for (let i = 0; !(await page.evaluate((el) => el.complete && el.naturalWidth > 0, img)); ++i) {
      assert.ok(i < 100, "the photo loads");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const values = await page.$$eval(".reading-form input", (is) => is.map((i) => i.value));
    assert.ok(values.length > 20);
    assert.ok(values.every((v) => v === ""), "no box is filled in");
    assert.ok(!page.requests.some((u) => u.includes("/api/v1/sheets/") || u.includes("/api/v1/conflicts?")),
              "the reading page never fetches a sheet's numbers");
  }
  // Nothing left for a third look: both sheets are held.
  const third = await rina.evaluate(() => fetch("/api/v1/reading/queue?area=630605").then((r) => r.json()));
  assert.equal(third.totals.claimed, 2);
  await shot(rina, "reading-blind");
});

const sheetOf = (key) => sheets.find((s) => `${s.tps}/ppwp` === key);

test("equal numbers: the sheet is verified by second reading", async () => {
  const sheet = sheetOf(rinasClaim);
  await typeReading(rina, sheet);
  await rina.click("#reading-send");
  await rina.waitForSelector("[data-test=reading-result][data-outcome=verified]");
  assert.match(await rina.textContent("[data-test=reading-result]"), /Terverifikasi/);
  await shot(rina, "reading-verified");
  const tps = await getJson(desk, `/api/v1/tally?contest=ppwp&area=${sheet.tps}`);
  assert.equal(tps.tps.verified, 1);
  assert.equal(tps.state, "accepted");
  const history = (await getJson(desk, `/api/v1/sheets/${sheet.tps}/ppwp`)).history;
  assert.equal(history.length, 2);
  assert.equal(history[1].operator, "Rina");
  assert.equal(history[1].device, "desk:Rina");
  assert.ok(history[1].reading);
});

test("different numbers: beda bacaan, both values shown, the first entry counts until the desk decides", async () => {
  const sheet = sheetOf(tonosClaim);
  const misread = structuredClone(sheet);
  misread.votes.candidates[0].votes -= 1;
  misread.votes.candidates[1].votes += 1;
  await typeReading(tono, misread);
  await tono.click("#reading-send");
  await tono.waitForSelector("[data-test=reading-result][data-outcome=differs]");
  const rows = await tono.$$eval("[data-test=differences] tbody tr", (trs) =>
    trs.map((tr) => [tr.dataset.field, ...[...tr.querySelectorAll("td.num")].map((td) => td.textContent)]));
  // The boxes and the reader's own values: never the first entry's (docs/desk-accounts.md).
  assert.deepEqual(rows, [
    ["votes.candidates.1", String(misread.votes.candidates[0].votes)],
    ["votes.candidates.2", String(misread.votes.candidates[1].votes)],
  ]);
  await shot(tono, "reading-differs");
  const tps = await getJson(desk, `/api/v1/tally?contest=ppwp&area=${sheet.tps}`);
  assert.equal(tps.state, "conflict");
  assert.equal(tps.tps.verified, 0);
  assert.deepEqual(tps.candidates.map((c) => c.votes), sheet.votes.candidates.map((c) => c.votes),
                   "the first entry still counts");
  // The reader is not sent to the conflicts (not its role); the coordinator sees the conflict
  // as "beda bacaan", with the photo and both versions.
  assert.equal(await tono.$("[data-test=reading-result] a[href='#/konflik']"), null);
  await desk.goto(url + "/#/konflik");
  await desk.waitForSelector(".conflict");
  assert.match(await desk.textContent(".conflict h3"), /beda bacaan/);
  assert.ok(await desk.$("[data-test=conflict-photo]"));
  assert.equal((await desk.$$(".conflict tr.diff")).length, 2);
  await shot(desk, "reading-conflict");
  // And decides as today: the decision verifies the sheet.
  await desk.click(".conflict [data-resolve='0:1']");
  await desk.waitForSelector("#resolve-dialog[open]");
  await desk.fill("#resolve-reason", "Dicek lagi dengan foto plano");
  await desk.click("#resolve-ok");
  await desk.waitForSelector("[data-test=no-conflicts]");
  const after = await getJson(desk, `/api/v1/tally?contest=ppwp&area=${sheet.tps}`);
  assert.equal(after.tps.verified, 1);
  assert.deepEqual(after.candidates.map((c) => c.votes), misread.votes.candidates.map((c) => c.votes));
});

test("the tally shows how much is verified, and the queue is empty", async () => {
  await desk.goto(url + "/#/rekap/ppwp/630605");
  await desk.waitForSelector("[data-test=verification]");
  assert.match(await desk.textContent("[data-test=verification]"), /2 \/ 2/);
  assert.match(await desk.textContent("[data-test=verification]"), /100,00%/);
  assert.match(await desk.textContent("[data-test=verification]"), /sementara/,
               "provisional until every TPS of the kecamatan is verified");
  await shot(desk, "reading-tally");
  // (Through the queue: the reader's page is still at the reading just sent.)
  await rina.goto(url + "/#/bacaan");
  await rina.waitForSelector("[data-test=reading-queue]");
  await rina.goto(url + "/#/baca/630605");
  await rina.waitForSelector("[data-test=nothing-to-read]");
  const q = await getJson(rina, "/api/v1/reading/queue?area=630605");
  assert.equal(q.totals.verified, 2);
  assert.equal(q.totals.to_read, 0);
});
