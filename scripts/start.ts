/**
 * `npm start`: build when the sources changed since the last build, apply
 * migrations, seed demo data (idempotent), then serve with `next start`.
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { closeDb } from "@/lib/db/client";
import { describeSeed, migrateDatabase, seedDatabase } from "@/lib/db/setup";
import { writeDemoCredentials } from "./lib/demo-credentials";

const ROOT = process.cwd();
const STAMP = path.join(ROOT, ".next", "hookyard-build-stamp");
const SOURCES = ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.mjs", "package-lock.json", "tsconfig.json", "postcss.config.mjs", "instrumentation.ts"];

function listFiles(p: string, out: string[]): void {
  const full = path.join(ROOT, p);
  if (!fs.existsSync(full)) return;
  const stat = fs.statSync(full);
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(full)) {
      if (entry === "node_modules" || entry === "generated") continue;
      listFiles(path.join(p, entry), out);
    }
  } else out.push(`${p}:${stat.size}:${stat.mtimeMs}`);
}

function sourceFingerprint(): string {
  const files: string[] = [];
  for (const s of SOURCES) listFiles(s, files);
  return crypto.createHash("sha256").update(files.sort().join("\n")).digest("hex");
}

function buildIfNeeded(): void {
  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === fingerprint;
  if (built) return;
  console.log("Building the app (first start or sources changed)…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(STAMP, fingerprint);
}

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
