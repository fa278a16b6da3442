/**
 * Process-level database setup used by scripts and the server: apply pending
 * migrations on the process-wide client's adapter, optionally seed.
 */
import { getEnv } from "@/lib/env";
import { getDb, getDbHandle } from "./client";
import { applyMigrations, pendingMigrations } from "./migrate";
import { seedDemoData, type TSeedResult } from "./seed";

/**
 * Applies the pending migrations; returns the names applied. A plain query
 * looks first: when nothing is pending (the usual start) the wasm schema
 * engine is never loaded — once loaded it stays resident for the process's
 * life (docs/performance.md, Memory).
 */
export async function migrateDatabase(): Promise<string[]> {
  if (!(await pendingMigrations({ db: getDb() })).length) return [];
  return applyMigrations({ factory: getDbHandle().factory });
}

export async function seedDatabase(): Promise<TSeedResult> {
  return seedDemoData({ db: getDb(), env: getEnv() });
}

export function describeSeed(result: TSeedResult, appUrl: string): string {
  const lines: string[] = [];
  if (result.created.length) {
    lines.push("Demo users created (passwords are shown only now; set SEED_*_PASSWORD to choose them):");
    for (const c of result.created) lines.push(`  ${c.role.padEnd(8)} ${c.email}  password: ${c.password}`);
  }
  if (result.apiKey) lines.push(`Demo API key (shown only now): ${result.apiKey}`);
  lines.push(`Sign in at ${appUrl}/sign-in`);
  return lines.join("\n");
}
