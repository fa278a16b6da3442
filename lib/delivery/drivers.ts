/**
 * The drivers' shared start-up: the loop with the server (a delivery thread
 * on PostgreSQL, in process on the embedded database), or a worker process.
 */
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import { startDeliveryLoop, type TDeliveryLoop, type TLoopOptions } from "./loop";
import { setServerDelivery } from "./server-delivery";
import { superviseThread } from "./thread";

export function startConfiguredDeliveryLoop(extra: TLoopOptions = {}): TDeliveryLoop {
  const env = getEnv();
  const loop = processSingleton("loop", () =>
    startDeliveryLoop({
      listenUrl: env.DATABASE_URL,
      concurrency: env.DELIVERY_CONCURRENCY,
      perWebhookConcurrency: env.DELIVERY_PER_ENDPOINT,
      sendTimeoutMs: env.DELIVERY_TIMEOUT_MS,
      leaseMs: env.DELIVERY_LEASE_MS,
      ...extra,
    }),
  );
  logger.info({ database: env.DATABASE_URL ? "postgres" : "pglite" }, "delivery loop started");
  return loop;
}

/**
 * Called from instrumentation.ts when the Next.js server starts. On
 * PostgreSQL the loop runs in a worker thread of the server process: it has
 * its own event loop, so request handling does not delay sends and
 * recordings (docs/performance.md section 15). PGlite belongs to the thread
 * that opened it: on the embedded database the loop runs in process.
 */
export function startServerDeliveryLoop(): void {
  const env = getEnv();
  if (!env.DELIVERY_LOOP) {
    logger.info("in-process delivery loop is off (DELIVERY_LOOP=0): use npm run worker or the cron route");
    return;
  }
  if (env.DATABASE_URL) {
    const entry = path.join(process.cwd(), "scripts", "run-worker.mjs");
    if (fs.existsSync(entry)) return startDeliveryThread(entry);
    logger.warn({ entry }, "delivery thread entry not found: delivering on the server's own event loop");
  }
  const loop = startConfiguredDeliveryLoop();
  setServerDelivery({ mode: "in-process", running: true });
  stopOnSignals(() => void loop.stop());
}

/** Stops the server's delivery when the server is told to stop. */
function stopOnSignals(stop: () => void): void {
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/**
 * Runs `npm run worker`'s entry in a worker thread (restarted if it dies; it
 * LISTENs for wake-ups like a worker process: ingestion, manual retries and
 * recoveries NOTIFY on commit), and
 * stops it on SIGTERM/SIGINT: its sends have their own deadline, and what it
 * could not record comes back after its lease.
 */
function startDeliveryThread(entry: string): void {
  setServerDelivery({ mode: "thread", running: false });
  const thread = superviseThread({
    entry,
    onState: (running) => setServerDelivery({ mode: "thread", running }),
    onError: (error) => logger.error({ err: error }, "delivery thread failed"),
    onExit: ({ code, restartInMs }) => {
      if (restartInMs !== null) logger.error({ code, restartInMs }, "delivery thread exited; restarting it");
    },
  });
  stopOnSignals(() => void thread.stop());
  logger.info("delivery loop started in a worker thread of the server");
}
