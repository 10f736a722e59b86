// Debian's chromium for the browser tests, driven by playwright-core (an npm package installed
// beside the dashboard's assets in server-stub/web). Headless, no sandbox (CI runs as root), no
// GPU, and nothing that reaches out to the network by itself. REKAP_CHROMIUM overrides the path.
import { createRequire } from "node:module";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const require = createRequire(join(root, "server-stub/web/package.json"));
const { chromium } = require("playwright-core");

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.REKAP_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
