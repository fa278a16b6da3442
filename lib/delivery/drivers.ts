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
import { superviseThread, type TSupervisedThread } from "./thread";
import { useDatabaseThread } from "@/lib/db/client";
import { createThreadAdapter } from "@/lib/db/thread-adapter";
import { onDeliveryWake } from "./wake";

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

/** The server's embedded database thread: scripts/worker.ts in this role holds PGlite and serves its queries. */
export const EMBEDDED_DATABASE_ROLE = "embedded-database";

/**
 * Called from instrumentation.ts when the Next.js server starts. On
 * PostgreSQL the loop runs in a worker thread of the server process: it has
 * its own event loop, so request handling does not delay sends and
 * recordings (docs/performance.md section 15). On the embedded database a
 * worker thread opens PGlite — whose queries run as WASM on the thread that
 * opened it — and runs the loop beside it; the server's own queries reach it
 * through a thread adapter (section 18). Without the thread's entry (a
 * trimmed install) both run on the server's own thread.
 */
export function startServerDeliveryLoop(): void {
  const env = getEnv();
  const entry = path.join(process.cwd(), "scripts", "run-worker.mjs");
  const haveEntry = fs.existsSync(entry);
  if (!env.DATABASE_URL && haveEntry) return startDatabaseThread(entry, env.DELIVERY_LOOP);
  if (!env.DELIVERY_LOOP) {
    logger.info("in-process delivery loop is off (DELIVERY_LOOP=0): use npm run worker or the cron route");
    return;
  }
  if (env.DATABASE_URL && haveEntry) return startDeliveryThread(entry);
  if (!haveEntry) logger.warn({ entry }, "thread entry not found: delivering on the server's own event loop");
  const loop = startConfiguredDeliveryLoop();
  setServerDelivery({ mode: "in-process", running: true });
  stopOnSignals(() => loop.stop());
}

/**
 * Stops the server's delivery when the server is told to stop, before the
 * server's own handling of the signal runs: `next start` closes its HTTP
 * server and then calls process.exit, which would cut the sends in flight
 * (their messages would go again after their lease, a duplicate for the
 * receiver). The listeners already registered — Next.js registers its own
 * before instrumentation runs — are called once delivery has stopped.
 */
function stopOnSignals(stop: () => Promise<void>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const later = process.listeners(signal);
    process.removeAllListeners(signal);
    let stopping: Promise<void> | null = null;
    const onSignal = () => {
      stopping ??= stop()
        .catch((error: unknown) => logger.error({ err: error }, "stopping the delivery loop failed"))
        .finally(() => {
          for (const listener of later) listener(signal);
          // Nobody else handles it (NEXT_MANUAL_SIG_HANDLE without a handler): the signal's default, termination.
          if (!later.length && process.listenerCount(signal) === 1) {
            process.removeListener(signal, onSignal);
            process.kill(process.pid, signal);
          }
        });
    };
    process.on(signal, onSignal);
  }
}

/**
 * Runs `npm run worker`'s entry in a worker thread (restarted if it dies; it
 * LISTENs for wake-ups like a worker process: ingestion, manual retries and
 * recoveries NOTIFY on commit), and
 * stops it on SIGTERM/SIGINT before the server exits: it finishes and records
 * the sends in flight (they have their own deadline; the thread is
 * terminated after a grace period, and what it could not record comes back
 * after its lease).
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
  stopOnSignals(() => thread.stop());
  logger.info("delivery loop started in a worker thread of the server");
}

/**
 * The embedded database in a worker thread (scripts/worker.ts in the
 * EMBEDDED_DATABASE_ROLE): it opens PGlite, answers this process's queries
 * (createThreadAdapter) and, with DELIVERY_LOOP on, runs the delivery loop
 * on its own connection to it; wake-ups of this process are forwarded. A
 * thread that dies is restarted; the queries waiting for it fail. On
 * SIGTERM/SIGINT it finishes the sends in flight and closes the database
 * before the server exits.
 */
function startDatabaseThread(entry: string, loop: boolean): void {
  const listeners: ((message: unknown) => void)[] = [];
  let thread: TSupervisedThread | null = null;
  const remote = createThreadAdapter({
    post: (message) => {
      if (!thread?.post(message)) throw new Error("The embedded database's thread is not running.");
    },
    onMessage: (listener) => listeners.push(listener),
  });
  useDatabaseThread(remote);
  setServerDelivery({ mode: loop ? "thread" : "off", running: false });
  thread = superviseThread({
    entry,
    workerData: { role: EMBEDDED_DATABASE_ROLE, loop },
    onMessage: (message) => listeners.forEach((listener) => listener(message)),
    onState: (running) => {
      if (loop) setServerDelivery({ mode: "thread", running });
    },
    onError: (error) => logger.error({ err: error }, "embedded database thread failed"),
    onExit: ({ code, restartInMs }) => {
      remote.failPending("The embedded database's thread stopped.");
      if (restartInMs !== null) logger.error({ code, restartInMs }, "embedded database thread exited; restarting it");
    },
  });
  if (loop) onDeliveryWake(() => thread?.post("wake"));
  stopOnSignals(() => thread.stop());
  logger.info({ deliveryLoop: loop }, "embedded database opened in a worker thread of the server");
}
