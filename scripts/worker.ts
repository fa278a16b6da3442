/**
 * `npm run worker`: a separate delivery process. Several may run against one
 * PostgreSQL database (SKIP LOCKED leases keep them apart). On the embedded
 * database the app's own loop delivers; PGlite belongs to one process.
 * SIGTERM/SIGINT: stop claiming, finish the sends in flight, exit.
 *
 * The same entry is the server's delivery thread on PostgreSQL
 * (lib/delivery/drivers.ts): there the server's "stop" message stands in for
 * the signals. Wake-ups reach it as they reach a worker process: NOTIFY.
 */
import { isMainThread, parentPort } from "node:worker_threads";
import { getEnv } from "@/lib/env";
import { closeDb } from "@/lib/db/client";
import { schemaEngineLoaded } from "@/lib/db/migrate";
import { migrateDatabase } from "@/lib/db/setup";
import { startConfiguredDeliveryLoop } from "@/lib/delivery/drivers";
import { logger } from "@/lib/log";

async function main(): Promise<void> {
  const env = getEnv();
  if (!env.DATABASE_URL) logger.warn("worker on the embedded database: do not run it beside the app on the same DATA_DIR");
  // Usually the app (npm start) or another worker migrated already: then migrateDatabase's plain
  // query says so and the wasm schema engine is never loaded.
  const applied = await migrateDatabase();
  if (applied.length) logger.info({ applied }, "migrations applied");
  logger.info({ pendingMigrations: applied.length, schemaEngineLoaded: schemaEngineLoaded(), thread: !isMainThread }, "worker started");
  const loop = startConfiguredDeliveryLoop();
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "worker stopping");
    await loop.stop();
    await closeDb();
    process.exit(0);
  };
  if (isMainThread) {
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.once("SIGINT", () => void shutdown("SIGINT"));
  } else {
    parentPort?.on("message", (message: unknown) => {
      if (message === "stop") void shutdown("server stopping");
    });
  }
}

main().catch((error: unknown) => {
  logger.error({ err: error }, "worker failed to start");
  process.exit(1);
});
