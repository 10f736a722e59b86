// What the dashboard's browser tests share: where the build's programs are, screenshots (only
// when REKAP_SCREENSHOT_DIR is set, to look at them), and a login with a desk token.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

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
