// A real rekap-central serving `db` on a free port for the browser tests: resolves with the
// process and the URL it says it listens on, or rejects when it exits first.
import { spawn } from "node:child_process";

export function serveCentral(central, db, extra = []) {
  const server = spawn(central, ["--db", db, "serve", "--port", "0", ...extra], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    server.stdout.on("data", (d) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m) resolve({ server, url: m[1] });
    });
    server.on("exit", () => reject(new Error("rekap-central exited")));
  });
}

// Stops a receiver and waits for it to exit: it writes a checkpoint of its tally on the way out,
// and its folder must not be removed under it.
export async function stopCentral(server) {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 20000);
  await exited;
  clearTimeout(timer);
}
