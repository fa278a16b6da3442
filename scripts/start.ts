/**
 * `npm start`: build when the sources changed since the last build, apply
 * migrations, seed demo data (idempotent), then serve with `next start`.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { closeDb } from "@/lib/db/client";
import { describeSeed, migrateDatabase, seedDatabase } from "@/lib/db/setup";
import { writeDemoCredentials } from "./lib/demo-credentials";
import { buildIfNeeded } from "./lib/build";

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
  const server = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(env.PORT)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDb().catch(() => {});
  process.exit(1);
});
