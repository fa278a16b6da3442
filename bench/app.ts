/**
 * The built app against the bench database: `scripts/start.ts` (builds when
 * the sources changed since the last build, migrates, seeds, `next start`),
 * or `next start` alone for a restart on the same build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { request } from "undici";
import { log, ROOT, sleep, spawnTsx, stopChild } from "./lib";

export type TApp = { child: ChildProcess; url: string; stop: () => Promise<void>; output: string[] };

/**
 * `build: true` goes through scripts/start.ts (build if needed, migrate, seed,
 * serve); otherwise `next start` on the existing build (a restart). Without a
 * `databaseUrl` the app runs on PGlite under `dataDir`, as `npm start` does.
 */
export async function startApp(opts: { databaseUrl: string | undefined; port: number; dataDir: string; encryptionKeys: string; env?: Record<string, string>; timeoutMs?: number; build: boolean }): Promise<TApp> {
  const env = {
    DATABASE_URL: opts.databaseUrl,
    PORT: String(opts.port),
    DATA_DIR: opts.dataDir,
    ENCRYPTION_KEYS: opts.encryptionKeys,
    DELIVERY_ALLOW_PRIVATE: "1",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    ...opts.env,
  };
  const child = opts.build
    ? spawnTsx("scripts/start.ts", { quiet: true, env })
    : spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(opts.port)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on("line", (line) => {
      output.push(line);
      if (output.length > 400) output.shift();
      if (/^Building|error|Error/.test(line) && !line.startsWith("{")) log(`  app: ${line.slice(0, 200)}`);
    });
  }
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 15 * 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${output.slice(-40).join("\n")}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the app did not answer /api/health in time:\n${output.slice(-40).join("\n")}`);
    }
    try {
      const r = await request(`${url}/api/health`, { headersTimeout: 2000, bodyTimeout: 2000 });
      await r.body.text();
      if (r.statusCode === 200) break;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  return { child, url, output, stop: () => stopChild(child) };
}
