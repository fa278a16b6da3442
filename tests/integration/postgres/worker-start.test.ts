/**
 * `npm run worker` start-up (scripts/run-worker.mjs: the worker compiled to
 * JavaScript, built on first use): it migrates a database that needs it, and
 * when nothing is pending it never loads the wasm schema engine (observed from
 * outside the code: a module resolve hook records every schema-engine module
 * the process resolves).
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "@/lib/db/client";
import { pendingMigrations } from "@/lib/db/migrate";
import { createEmptyTarget, TEST_ENCRYPTION_KEYS } from "../helpers/db";

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const c of cleanups.reverse()) await c();
});

type TStart = { logs: Record<string, unknown>[]; engineModules: string[]; typescriptModules: string[] };

/**
 * Runs a worker until its delivery loop started, then kills it: only the
 * start-up is under test (and SIGTERM this early can meet the LISTEN client
 * still connecting, which lib/delivery/loop.ts does not end).
 */
async function startAndStopWorker(url: string, dir: string): Promise<TStart> {
  const record = path.join(dir, `imports-${children.length}.txt`);
  fs.writeFileSync(record, "");
  const child = spawn(process.execPath, ["--import", "./tests/helpers/record-imports.mjs", "scripts/run-worker.mjs"], {
    env: {
      ...process.env, DATABASE_URL: url, LOG_LEVEL: "info", DATA_DIR: path.join(dir, "data"), ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      RECORD_IMPORTS_FILE: record, RECORD_IMPORTS_PATTERN: "/schema-engine-wasm/,.ts",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const logs: Record<string, unknown>[] = [];
  let buffered = "";
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === "delivery loop started") resolve();
        } catch {
          // not a log line
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before starting: ${JSON.stringify(logs)}`)));
  });
  await started;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGKILL");
  await exited;
  const resolved = fs.readFileSync(record, "utf8").split("\n").filter(Boolean);
  return { logs, engineModules: resolved.filter((u) => u.includes("/schema-engine-wasm/")), typescriptModules: resolved.filter((u) => /\.tsx?$/.test(u)) };
}

describe("worker start-up", () => {
  it("migrates an empty database with the schema engine, then starts without loading it", async () => {
    const { target, drop } = await createEmptyTarget();
    if (target.kind !== "postgres") throw new Error("postgres only");
    cleanups.push(drop);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hy-worker-start-"));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));

    const first = await startAndStopWorker(target.url, dir);
    expect(first.logs.find((l) => l.msg === "migrations applied")).toBeTruthy();
    expect(first.logs.find((l) => l.msg === "worker started")).toMatchObject({ schemaEngineLoaded: true });
    expect(first.engineModules.some((u) => u.includes("schema_engine_bg"))).toBe(true); // the hook does see the engine when it loads

    const { db, handle } = createDb(target);
    cleanups.push(handle.close, () => db.$disconnect());
    expect(await pendingMigrations({ db })).toEqual([]);

    const second = await startAndStopWorker(target.url, dir);
    expect(second.logs.find((l) => l.msg === "migrations applied")).toBeUndefined();
    expect(second.logs.find((l) => l.msg === "worker started")).toMatchObject({ pendingMigrations: 0, schemaEngineLoaded: false });
    expect(second.engineModules).toEqual([]);
    // Both ran from the compiled bundle: no TypeScript source was loaded (through tsx, every lib/*.ts is).
    expect(first.typescriptModules).toEqual([]);
    expect(second.typescriptModules).toEqual([]);
  }, 120_000);
});
