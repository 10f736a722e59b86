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
