/** The drivers' shared start-up: the in-process loop with the server, or a worker process. */
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import { startDeliveryLoop, type TDeliveryLoop, type TLoopOptions } from "./loop";

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

/** Called from instrumentation.ts when the Next.js server starts. */
export function startServerDeliveryLoop(): void {
  if (!getEnv().DELIVERY_LOOP) {
    logger.info("in-process delivery loop is off (DELIVERY_LOOP=0): use npm run worker or the cron route");
    return;
  }
  const loop = startConfiguredDeliveryLoop();
  const stop = () => void loop.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
