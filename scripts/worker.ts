/**
 * `npm run worker`: a separate delivery process. Several may run against one
 * PostgreSQL database (SKIP LOCKED leases keep them apart). On the embedded
 * database the app's own database thread delivers; PGlite belongs to one
 * thread of one process.
 * SIGTERM/SIGINT: stop claiming, finish the sends in flight, exit.
 *
 * The same entry runs as two threads of the server (lib/delivery/drivers.ts),
 * where the server's "stop" message stands in for the signals:
 * - on PostgreSQL, its delivery thread; wake-ups reach it as they reach a
 *   worker process, by NOTIFY;
 * - on the embedded database (workerData.role EMBEDDED_DATABASE_ROLE), the
 *   thread that holds PGlite: it answers the server's queries
 *   (serveThreadAdapter) and runs the loop when workerData.loop says so;
 *   the server forwards its wake-ups as "wake" messages.
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { getEnv } from "@/lib/env";
import { closeDb, getDbHandle } from "@/lib/db/client";
import { schemaEngineLoaded } from "@/lib/db/migrate";
import { migrateDatabase } from "@/lib/db/setup";
import { serveThreadAdapter } from "@/lib/db/thread-adapter";
import { EMBEDDED_DATABASE_ROLE, startConfiguredDeliveryLoop } from "@/lib/delivery/drivers";
import { wakeDeliveryLoops } from "@/lib/delivery/wake";
import { logger } from "@/lib/log";

const thread = (isMainThread ? null : workerData) as { role?: string; loop?: boolean } | null;
const role = thread?.role;
const embeddedDatabase = role === EMBEDDED_DATABASE_ROLE;

async function main(): Promise<void> {
  const env = getEnv();
  if (!env.DATABASE_URL && !embeddedDatabase) logger.warn("worker on the embedded database: do not run it beside the app on the same DATA_DIR");
  // Usually the app (npm start) or another worker migrated already: then migrateDatabase's plain
  // query says so and the wasm schema engine is never loaded.
  const applied = await migrateDatabase();
  if (applied.length) logger.info({ applied }, "migrations applied");
  if (embeddedDatabase) {
    const handle = getDbHandle();
    serveThreadAdapter({
      channel: { post: (message) => parentPort!.postMessage(message), onMessage: (listener) => parentPort!.on("message", listener) },
      adapter: await handle.factory.connect(),
      sql: handle.embeddedSql!,
    });
  }
  const runLoop = embeddedDatabase ? thread?.loop === true : true;
  logger.info({ pendingMigrations: applied.length, schemaEngineLoaded: schemaEngineLoaded(), thread: !isMainThread, role: role ?? "delivery", loop: runLoop }, "worker started");
  const loop = runLoop ? startConfiguredDeliveryLoop() : null;
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "worker stopping");
    await loop?.stop();
    await closeDb();
    process.exit(0);
  };
  if (isMainThread) {
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.once("SIGINT", () => void shutdown("SIGINT"));
  } else {
    parentPort?.on("message", (message: unknown) => {
      if (message === "stop") void shutdown("server stopping");
      else if (message === "wake") wakeDeliveryLoops();
    });
  }
}

main().catch((error: unknown) => {
  logger.error({ err: error }, "worker failed to start");
  process.exit(1);
});
