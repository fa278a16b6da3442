/**
 * Real worker processes for the benchmark, started as `npm run worker` starts
 * them: scripts/run-worker.mjs, i.e. scripts/worker.ts compiled to plain
 * JavaScript (the production driver: startConfiguredDeliveryLoop with the
 * environment's settings).
 */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { ROOT } from "./lib";

export type TWorker = { child: ChildProcess; pid: number; ready: Promise<void>; errors: string[] };

export function startWorker(opts: { databaseUrl: string; encryptionKeys: string; dataDir: string; env?: Record<string, string>; execArgv?: string[] }): TWorker {
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), "scripts/run-worker.mjs"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      ENCRYPTION_KEYS: opts.encryptionKeys,
      DELIVERY_ALLOW_PRIVATE: "1",
      DATA_DIR: opts.dataDir,
      LOG_LEVEL: "info",
      NODE_ENV: "production",
      ...opts.env,
    },
  });
  const errors: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      let entry: { level?: number; msg?: string } = {};
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        /* not a log line */
      }
      if (entry.msg === "delivery loop started") resolve();
      if ((entry.level ?? 0) >= 40 && errors.length < 20) errors.push(line.slice(0, 500));
    });
    child.stderr!.on("data", (d: Buffer) => {
      if (errors.length < 20) errors.push(d.toString().slice(0, 500));
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before starting: ${errors.join("\n")}`)));
  });
  ready.catch(() => {});
  return { child, pid: child.pid!, ready, errors };
}
