// What the dashboard's browser tests share: where the build's programs are, screenshots (only
// when REKAP_SCREENSHOT_DIR is set, to look at them), and a login with a desk token.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveCentral } from "./central.mjs";

export const root = new URL("../..", import.meta.url).pathname;
export const bin = process.env.REKAP_BUILD_DIR || join(root, "build");
export const central = join(bin, "server-stub/rekap-central");
export const field = join(bin, "sync/rekap-field");
export const rekapData = join(bin, "shared/tools/rekap-data");
const shots = process.env.REKAP_SCREENSHOT_DIR;

/// The page as `dashboard-NAME.png` in $REKAP_SCREENSHOT_DIR; nothing without it.
export async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `dashboard-${name}.png`), fullPage: true });
}

/// A new page `width` px wide, logged in with the desk token, on the regency's tally.
export async function loginWithToken(browser, url, token, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(url + "/");
  await page.waitForSelector("#login-form");
  await page.fill("#token", token);
  await page.click("#login-form button");
  await page.waitForSelector("[data-test=tps-masuk]");
  return page;
}

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8" });

/// A receiver serving a fresh store of Hulu Sungai Selatan, a desk token for `who`, and the file
/// of one sheet that passes every rule (KPU's numbers of a TPS of kecamatan 630605), for a tablet
/// (rekap-field) to send. Everything lives in `work`, which the caller removes.
export async function servedWithOneSheet(prefix, who) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const db = join(work, "central.db");
  const regency = join(root, "data/regencies/hss-6306.json");
  run(central, ["--db", db, "init", "--regency", regency]);
  const token = run(central, ["--db", db, "desk-token", "--name", who]).trim();
  const { server, url } = await serveCentral(central, db);
  run(rekapData, ["sirekap", "--regency", regency,
                  "--csv", join(root, "data/source/hss-6306-sirekap-ppwp-snapshot.csv"),
                  "--write-sheets", join(work, "sheets")]);
  const file = readdirSync(join(work, "sheets")).filter((f) => f.startsWith("630605")).sort().find((f) => {
    try { run(rekapData, ["validate", "--regency", regency, join(work, "sheets", f)]); return true; } catch { return false; }
  });
  return { work, db, server, url, token, sheetFile: join(work, "sheets", file) };
}
