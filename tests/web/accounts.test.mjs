// Desk accounts in a real browser (Debian's chromium, playwright-core) against a real
// rekap-central with Hulu Sungai Selatan (docs/desk-accounts.md): the login page asks for name
// and password, in Bahasa Indonesia or English; the header names who is logged in and the role;
// each role's menu holds only what it may do, a page it may not use is not shown, and the
// receiver refuses it anyway. At 1366 and 390 px. Screenshots go to $REKAP_SCREENSHOT_DIR.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { serveCentral, stopCentral } from "./central.mjs";

const root = new URL("../..", import.meta.url).pathname;
const bin = process.env.REKAP_BUILD_DIR || join(root, "build");
const central = join(bin, "server-stub/rekap-central");
const shots = process.env.REKAP_SCREENSHOT_DIR;

let work, server, url, browser;
const run = (args, input) => execFileSync(central, args, { encoding: "utf8", input });

// Who each role is, and the menu entries (data-nav) it must see; every other entry is hidden.
const PEOPLE = {
  administrator: { name: "Admin HSS", label: "Administrator", nav: ["rekap", "status", "daftar", "akun"] },
  coordinator: { name: "Koordinator HSS", label: "Koordinator", nav: ["rekap", "status", "konflik", "ditolak", "perbaikan", "selisih", "bacaan"] },
  reader: { name: "Rina", label: "Pembaca", nav: ["bacaan"] },
  observer: { name: "Pemantau HSS", label: "Pemantau", nav: ["rekap", "status", "konflik", "ditolak", "perbaikan", "selisih", "bacaan"] },
};
const ALL_NAV = ["rekap", "status", "konflik", "ditolak", "perbaikan", "selisih", "bacaan", "daftar", "akun"];

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `accounts-${name}.png`), fullPage: true });
}

async function loginAs(width, role, lang = "id") {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(url + "/");
  await page.waitForSelector("#account-form");
  if (lang === "en") {
    await page.click("[data-test=lang]");
    await page.waitForSelector("#account-form button:text('Log in')");
  }
  await page.fill("#login-name", PEOPLE[role].name);
  await page.fill("#login-password", `sandi-${role}-hss`);
  await page.click("#account-form button");
  // In the header, or in the collapsed menu at 390 px.
  await page.waitForSelector("[data-test=who]:not(:empty)", { state: "attached" });
  return page;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "rekap-accounts-"));
  const db = join(work, "central.db");
  run(["--db", db, "init", "--regency", join(root, "data/regencies/hss-6306.json")]);
  for (const [role, p] of Object.entries(PEOPLE))
    run(["--db", db, "user", "add", "--name", p.name, "--role", role], `sandi-${role}-hss\n`);
  ({ server, url } = await serveCentral(central, db));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stopCentral(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the login page asks for name and password, and a wrong one is refused in words", async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(url + "/");
  await page.waitForSelector("#account-form");
  assert.match(await page.textContent(".login"), /Nama/);
  assert.match(await page.textContent(".login"), /Kata sandi/);
  assert.equal(await page.getAttribute("#login-password", "type"), "password");
  await page.fill("#login-name", "Rina");
  await page.fill("#login-password", "bukan-sandinya");
  await page.click("#account-form button");
  await page.waitForSelector("[data-test=login-error]:text('Nama atau kata sandi salah.')");
  await shot(page, "login-1366");
  await context.close();
});

for (const width of [1366, 390]) {
  for (const role of Object.keys(PEOPLE)) {
    test(`${width} px: the ${role} sees who is logged in and only the menu of the role`, async () => {
      const page = await loginAs(width, role);
      assert.equal((await page.textContent("[data-test=who]")).trim(), `${PEOPLE[role].name} · ${PEOPLE[role].label}`);
      const shown = await page.$$eval("[data-nav]", (as) => as.filter((a) => !a.hidden).map((a) => a.dataset.nav));
      assert.deepEqual(shown, ALL_NAV.filter((n) => PEOPLE[role].nav.includes(n)));
      // Its first page is one it may use: a reader lands on the reading queue.
      await page.waitForSelector(role === "reader" ? "[data-test=reading-queue]" : "[data-test=tps-masuk]");
      if (role === "reader") {
        // The tally is not shown, whether asked by its address or by hand.
        await page.goto(url + "/#/rekap/ppwp/630605");
        await page.waitForSelector("[data-test=reading-queue]");
        assert.equal(await page.$("[data-test=tps-masuk]"), null);
        assert.equal(await page.evaluate(() => fetch("/api/v1/tally?contest=ppwp").then((r) => r.status)), 403);
        assert.equal(await page.evaluate(() => fetch("/api/v1/tally.csv?contest=ppwp").then((r) => r.status)), 403);
      }
      if (role === "observer") {
        // Reads everything, decides nothing.
        assert.equal(await page.evaluate(() => fetch("/api/v1/conflicts/resolve", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }).then((r) => r.status)), 403);
      }
      if (width === 390) {
        await page.click("#menu-toggle");
        await page.waitForSelector("[data-test=who]", { state: "visible" });
        const { scroll, client } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        assert.ok(scroll <= client + 1, `the page is ${scroll} px wide on a ${client} px screen`);
      }
      await shot(page, `${role}-${width}`);
      await page.context().close();
    });
  }
}

test("in English: the login page, and the role named in the header", async () => {
  const page = await loginAs(1366, "reader", "en");
  assert.equal((await page.textContent("[data-test=who]")).trim(), "Rina · Reader");
  await shot(page, "reader-english");
  // Logging out returns to the login page, still in English.
  await page.click("#logout");
  await page.waitForSelector("#account-form button:text('Log in')");
  await shot(page, "login-english");
  await page.context().close();
});

test("the administrator lists the accounts and disables one: its session ends at once", async () => {
  const rina = await loginAs(1366, "reader");
  const admin = await loginAs(1366, "administrator");
  await admin.goto(url + "/#/akun");
  await admin.waitForSelector("[data-test=accounts]");
  const rows = await admin.$$eval("[data-test=accounts] tbody tr", (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, 4);
  assert.ok(rows.some((r) => /Rina/.test(r) && /Pembaca/.test(r) && /aktif/.test(r)), rows.join(" | "));
  // No button to disable oneself.
  assert.equal(await admin.$("[data-disable='Admin HSS']"), null);
  admin.once("dialog", (d) => d.accept());
  await admin.click("[data-disable='Rina']");
  await admin.waitForSelector("[data-account='Rina'] .badge.rejected");
  await shot(admin, "akun-1366");
  // Rina's page asks her to log in again at its next request.
  await rina.goto(url + "/#/bacaan");
  await rina.reload();
  await rina.waitForSelector("#account-form");
  await rina.context().close();
  await admin.context().close();
});
