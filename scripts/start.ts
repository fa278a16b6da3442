/**
 * `npm start`: build when the sources changed since the last build, apply
 * migrations, seed demo data (idempotent), then serve with `next start` — on
 * PostgreSQL with a delivery worker process beside it (scripts/lib/serving.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { closeDb } from "@/lib/db/client";
import { describeSeed, migrateDatabase, seedDatabase } from "@/lib/db/setup";
import { writeDemoCredentials } from "./lib/demo-credentials";
import { buildIfNeeded } from "./lib/build";
import { planServing } from "./lib/serving";

const ROOT = process.cwd();

async function main(): Promise<void> {
  const env = getEnv();
  buildIfNeeded();
  const applied = await migrateDatabase();
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  const seeded = await seedDatabase();
  writeDemoCredentials(env, seeded);
  await closeDb();
  console.log(`\nHookyard on ${env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite (${path.relative(ROOT, env.dataDir) || "."}/pglite)`}`);
  console.log(describeSeed(seeded, env.appUrl));
  if (!seeded.created.length && !env.DATABASE_URL) console.log(`(Demo credentials generated earlier are in ${path.join(env.dataDir, "demo-credentials.txt")})`);
  const plan = planServing(env);
  console.log(plan.delivery);
  const children = [spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(env.PORT)], { stdio: "inherit", env: { ...process.env, ...plan.serverEnv } })];
  if (plan.worker) children.push(spawn(process.execPath, [path.join(ROOT, "scripts", "run-worker.mjs")], { stdio: "inherit" }));
  superviseTogether(children);
}

/**
 * Signals go to every child. When one exits the others are stopped. npm start
 * exits 0 after SIGINT/SIGTERM; otherwise with the first child's exit code
 * (1 when a signal killed it): the worker dying takes the server down with
 * it, so a supervisor restarts the pair instead of serving without delivery.
 */
function superviseTogether(children: ChildProcess[]): void {
  let exitCode: number | null = null;
  let running = children.length;
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      children.forEach((c) => c.kill(signal));
    });
  }
  for (const child of children) {
    child.on("exit", (code) => {
      exitCode ??= stopping ? 0 : (code ?? 1);
      for (const other of children) if (other !== child && other.exitCode === null && other.signalCode === null) other.kill("SIGTERM");
      running -= 1;
      if (running === 0) process.exit(exitCode);
    });
  }
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDb().catch(() => {});
  process.exit(1);
});
