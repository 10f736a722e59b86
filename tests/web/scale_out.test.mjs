// The dashboard through nginx over two receivers on one PostgreSQL database (issue 15), in a real
// browser (Debian's chromium, driven by playwright-core). nginx's round-robin sends each of the
// page's requests to either receiver, so the desk's session, the tally and the dashboard's
// change polling must not depend on which one answers: the login made at one holds at the other,
// every reload shows the same figures, a sheet accepted by one receiver reaches the open page,
// and with nothing new the page stays still (the receivers agree on the version it polls).
// Needs scripts/test's throwaway cluster (REKAP_TEST_POSTGRES); without it the test fails, unless
// REKAP_TEST_SKIP_POSTGRES=1: then one line says it is
// skipped (ctest reports the test as skipped). Screenshots go to $REKAP_SCREENSHOT_DIR when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { stopCentral } from "./central.mjs";
import { createServer } from "node:net";

const root = new URL("../..", import.meta.url).pathname;
const bin = process.env.REKAP_BUILD_DIR || join(root, "build");
const central = join(bin, "server-stub/rekap-central");
const rekapData = join(bin, "shared/tools/rekap-data");
const regency = join(root, "data/regencies/hss-6306.json");
const shots = process.env.REKAP_SCREENSHOT_DIR;
const admin = process.env.REKAP_TEST_POSTGRES;
// Without a cluster the test fails, unless the run was told to leave PostgreSQL out.
const skipAsked = process.env.REKAP_TEST_SKIP_POSTGRES === "1";
if (!admin && !skipAsked)
  throw new Error("no PostgreSQL test cluster (REKAP_TEST_POSTGRES is set by scripts/test when it can start one; REKAP_TEST_SKIP_POSTGRES=1 skips this)");
const skip = admin ? false : "no PostgreSQL test cluster (REKAP_TEST_SKIP_POSTGRES=1)";
if (skip) console.log(`scale-out in a browser: skipped: ${skip}`);

const database = `rekap_web_${process.pid}`;
let work, db, token, front, browser, page, sheets;
const receivers = []; // { process, port }

// Every rekap-central command and receiver shares the signing key and the photo folder.
const env = () => ({ ...process.env, REKAP_BUILD_DIR: bin, REKAP_SIGNING_KEY: join(work, "signing.key"),
                     REKAP_PHOTOS: join(work, "photos") });
const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", env: env() });
const psql = (sql) => run("psql", ["-q", admin, "-c", sql]);

// A free port below the kernel's ephemeral range, as the other nginx tests choose them.
async function freePort() {
  for (let i = 0; i < 50; ++i) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const free = await new Promise((resolve) => {
      const s = createServer().once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port");
}

function startReceiver() {
  const child = spawn(central, ["--db", db, "serve", "--port", "0", "--trust-proxy", "127.0.0.1"],
                      { stdio: ["ignore", "pipe", "inherit"], env: env() });
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(String(d));
      if (m) resolve({ process: child, port: Number(m[1]) });
    });
    child.on("exit", () => reject(new Error("rekap-central exited")));
  });
}

// Simulated tablets enrol and sync `files` (sheet files) at `server`.
const tablets = (server, files, folder) =>
  run(join(root, "scripts/simulate-tablets"), [db, server, join(work, folder), ...files]);

// Which receiver answered each request nginx passed on, by path: { "/api/v1/tally": {port: n} }.
function answeredBy() {
  const out = {};
  for (const line of readFileSync(join(work, "nginx/access.log"), "utf8").split("\n")) {
    const m = /^(\d+) "\w+ ([^ ?"]+)[^"]*" (.*)$/.exec(line);
    if (!m) continue;
    const port = m[3].split(", ").pop().split(":").pop();
    out[m[2]] ??= {};
    out[m[2]][port] = (out[m[2]][port] || 0) + 1;
  }
  return out;
}

async function shot(name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `scale-out-${name}.png`), fullPage: true });
}

// Polls a predicate in the page (not page.waitForFunction: the dashboard's CSP refuses eval).
async function waitUntil(fn, arg, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + fn);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const masuk = () => page.textContent("[data-test=tps-masuk]");
// What a fresh process counts from the database alone: "reported / total" as the page shows it.
function recount() {
  const t = JSON.parse(run(central, ["--db", db, "tally", "--contest", "ppwp", "--area", "6306", "--json"]));
  return `${t.tps.reported} / ${t.tps.total}`;
}

before(async () => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), "rekap-web-scale-"));
  chmodSync(work, 0o711); // nginx (nobody, as root) enters it
  mkdirSync(join(work, "photos"));
  psql(`CREATE DATABASE ${database}`);
  db = `${admin.slice(0, admin.lastIndexOf("/"))}/${database}`;
  run(central, ["--db", db, "init", "--regency", regency]);
  token = run(central, ["--db", db, "desk-token", "--name", "Desk HSS"]).trim();
  receivers.push(await startReceiver(), await startReceiver());
  front = await freePort();
  run(join(root, "scripts/nginx-front"), ["start", join(work, "nginx"), String(front),
                                          ...receivers.map((r) => String(r.port))]);
  // KPU's numbers for kecamatan Kandangan (630605), synced by tablets through nginx.
  run(rekapData, ["sirekap", "--regency", regency,
                  "--csv", join(root, "data/source/hss-6306-sirekap-ppwp-snapshot.csv"),
                  "--write-sheets", join(work, "sheets")]);
  sheets = readdirSync(join(work, "sheets")).filter((f) => f.startsWith("630605") && f.endsWith("-ppwp.json"))
    .sort().map((f) => join(work, "sheets", f));
  const synced = tablets(`http://127.0.0.1:${front}`, sheets.slice(0, 20), "tablets");
  assert.equal(synced.trim().split("\n").length, 20, synced);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  if (skip) return;
  await browser?.close();
  await Promise.all(receivers.map((r) => stopCentral(r.process)));
  if (work) execFileSync(join(root, "scripts/nginx-front"), ["stop", join(work, "nginx")]);
  try { psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`); } catch { /* the cluster is gone */ }
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the desk logs in through nginx and every receiver answers its session with the same figures", { skip }, async () => {
  const url = `http://127.0.0.1:${front}`;
  await page.goto(url + "/");
  await page.waitForSelector("#login-form");
  await page.fill("#token", token);
  await page.click("#login-form button");
  await page.waitForSelector("[data-test=tps-masuk]");
  const expected = recount();
  assert.match(expected, /^\d+ \/ 781$/);
  assert.notEqual(expected.split(" / ")[0], "0");
  assert.equal(await masuk(), expected);
  await shot("kabupaten");
  // Each reload asks nginx again for the page and its data; round-robin spreads them.
  for (let i = 0; i < 4; ++i) {
    await page.reload();
    await page.waitForSelector("[data-test=tps-masuk]");
    assert.equal(await masuk(), expected, `reload ${i + 1}`);
    assert.ok(await page.$("#login-form") === null, `reload ${i + 1}: still logged in`);
    assert.equal(await page.isHidden("#integrity"), true, "no integrity alarm");
  }
  // Round-robin takes turns over every request, so which receiver a route's request meets
  // depends on how many others the page made before it (a page that fetches one more thing
  // sent every /api/v1/tally to the same receiver): each route is asked again, with the same
  // session, until both receivers have answered it.
  for (const path of ["/api/v1/me", "/api/v1/tally?contest=ppwp&area=6306"]) {
    for (let i = 0; i < 8 && Object.keys(answeredBy()[path.split("?")[0]] || {}).length < receivers.length; ++i)
      assert.equal(await page.evaluate((p) => fetch(p).then((r) => r.status), path), 200, path);
  }
  const by = answeredBy();
  for (const path of ["/api/v1/me", "/api/v1/tally"]) {
    const ports = Object.keys(by[path] || {});
    assert.deepEqual(ports.sort(), receivers.map((r) => String(r.port)).sort(),
                     `${path} answered by both receivers: ${JSON.stringify(by[path])}`);
  }
});

test("a sheet accepted by one receiver reaches the page open through nginx; idle, the page stays still", { skip }, async () => {
  const before = await masuk();
  const tallies = () => Object.values(answeredBy()["/api/v1/tally"] || {}).reduce((a, b) => a + b, 0);
  // Nothing new: the page polls the version (every 3 s, at either receiver) and draws nothing.
  const drawn = tallies();
  await new Promise((resolve) => setTimeout(resolve, 10000));
  const versions = Object.values(answeredBy()["/api/v1/version"] || {}).reduce((a, b) => a + b, 0);
  assert.ok(versions >= 3, `the page polled the version (${versions} times)`);
  assert.equal(tallies(), drawn, "no redraw while nothing changed");

  // Five more TPS sync straight to the second receiver, past nginx; the page's next poll, at
  // either receiver, sees the change and draws the new count.
  const second = receivers[1].port;
  tablets(`http://127.0.0.1:${second}`, sheets.slice(20, 25), "tablets-direct");
  const expected = recount();
  assert.notEqual(expected, before);
  await waitUntil((text) => document.querySelector("[data-test=tps-masuk]")?.textContent === text,
                  expected, 10000);
  assert.equal(await page.isHidden("#integrity"), true, "no integrity alarm");
  await shot("after-direct-sync");
});
