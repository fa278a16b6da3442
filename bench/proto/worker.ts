/**
 * PROTOTYPE (benchmark only): scripts/worker.ts with the batched engine
 * (bench/proto/engine.ts through bench/proto/loop.ts), and a start-up that
 * loads Prisma's WebAssembly schema engine only when a migration is pending:
 * `_prisma_migrations` is compared with prisma/migrations first (the schema
 * engine stays resident once loaded, ~70 MB of the worker's RSS).
 */
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { closeDb, getDb } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { startDeliveryLoop } from "./loop";

async function pendingMigrations(): Promise<boolean> {
  const dir = path.resolve("prisma", "migrations");
  const wanted = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "migration.sql")));
  try {
    const rows = await getDb().$queryRawUnsafe<{ migration_name: string }[]>(`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`);
    const done = new Set(rows.map((r) => r.migration_name));
    return wanted.some((m) => !done.has(m));
  } catch {
    return true; // no table yet
  }
}

async function main(): Promise<void> {
  const env = getEnv();
  const pending = await pendingMigrations();
  if (pending) await (await import("@/lib/db/setup")).migrateDatabase();
  const loop = startDeliveryLoop({
    listenUrl: env.DATABASE_URL,
    concurrency: env.DELIVERY_CONCURRENCY,
    perWebhookConcurrency: env.DELIVERY_PER_ENDPOINT,
    sendTimeoutMs: env.DELIVERY_TIMEOUT_MS,
    leaseMs: env.DELIVERY_LEASE_MS,
  });
  logger.info({ database: "postgres", prototype: true, migrationsChecked: pending ? "applied with the schema engine" : "none pending: schema engine not loaded" }, "delivery loop started");
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "worker stopping");
    await loop.stop();
    await closeDb();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  logger.error({ err: error }, "worker failed to start");
  process.exit(1);
});
