/**
 * The continuous delivery driver used by the server (instrumentation.ts) and
 * by `npm run worker`. It keeps up to `concurrency` sends in flight: whenever
 * slots are free it runs another `runDeliveryPass()` for that many messages,
 * leaving out webhooks already at their per-endpoint limit, so one hanging
 * endpoint never holds back the others. A slot is free again as soon as its
 * request is answered; the outcome is written by the recorder meanwhile, and
 * at most `maxUnrecorded` answered sends may wait for it (then the loop waits
 * too). It sleeps until woken by ingestion (same process), a Postgres NOTIFY
 * (other processes), a finished send or recording, or the poll interval
 * (retries that came due).
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import pg from "pg";
import { logger } from "@/lib/log";
import { runDeliveryPass, processOwner, type TClaimedMessage } from "./engine";
import { purgeExpiredDeliveries, vacuumEmbeddedDatabase } from "./retention";
import { sendPendingNotificationEmails } from "@/lib/notify/email";
import { NOTIFY_CHANNEL, onDeliveryWake } from "./wake";

export type TLoopOptions = {
  concurrency?: number;
  perWebhookConcurrency?: number;
  batchSize?: number;
  /** Answered sends whose outcome is not written yet, at most (default 4 × concurrency). */
  maxUnrecorded?: number;
  pollMs?: number;
  /** PostgreSQL URL to LISTEN on for wake-ups from other processes. */
  listenUrl?: string;
  owner?: string;
  purgeEveryMs?: number;
  /** How often the embedded database's tables are checked for a vacuum (it has no autovacuum; default a minute). */
  vacuumEveryMs?: number;
  sendTimeoutMs?: number;
  leaseMs?: number;
};

export type TDeliveryLoop = { stop: () => Promise<void>; stats: () => { inflight: number; unrecorded: number; passes: number; delivered: number } };

export function startDeliveryLoop(opts: TLoopOptions = {}): TDeliveryLoop {
  const concurrency = opts.concurrency ?? 32;
  const perWebhook = opts.perWebhookConcurrency ?? 8;
  const batchSize = opts.batchSize ?? 100;
  const maxUnrecorded = opts.maxUnrecorded ?? concurrency * 4;
  const pollMs = opts.pollMs ?? 1000;
  const owner = opts.owner ?? processOwner;
  const inflightByWebhook = new Map<string, number>();
  const running = new Set<Promise<unknown>>();
  let inflight = 0;
  let unrecorded = 0;
  let passes = 0;
  let delivered = 0;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  // Chores run between claims, without waiting for them.
  const chores = [
    chore("retention purge", opts.purgeEveryMs ?? 60_000, () => purgeExpiredDeliveries()),
    chore("vacuum of the embedded database", opts.vacuumEveryMs ?? 60_000, vacuumEmbeddedDatabase, { firstAfterOneInterval: true }),
    chore("notification e-mail pass", 5_000, sendPendingNotificationEmails),
  ];

  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const unsubscribe = onDeliveryWake(wake);
  const listener = opts.listenUrl ? listenForNotifications(opts.listenUrl, wake) : null;

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const timer = setTimeout(resolve, pollMs);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeUp = null;
      woken = false;
    });

  const sent = (m: TClaimedMessage) => {
    inflight -= 1;
    unrecorded += 1;
    const n = (inflightByWebhook.get(m.webhookId) ?? 1) - 1;
    if (n <= 0) inflightByWebhook.delete(m.webhookId);
    else inflightByWebhook.set(m.webhookId, n);
    wake();
  };
  const settle = () => {
    unrecorded -= 1;
    delivered += 1;
    if (unrecorded === maxUnrecorded - 1) wake();
  };

  const main = (async () => {
    while (!stopped) {
      // Let the rest of this turn's answers free their slots first: woken by the first one, the loop
      // would claim for that one slot alone. On PGlite, whose queries run on this thread, it then never
      // caught up — one claim per message, and answers waited behind claims (docs/performance.md section 17).
      await yieldToEventLoop();
      const free = unrecorded < maxUnrecorded ? concurrency - inflight : 0;
      let claimed = 0;
      if (free > 0) {
        const want = Math.min(free, batchSize);
        try {
          let markClaimed!: () => void;
          const claimedOnce = new Promise<void>((r) => (markClaimed = r));
          const pass = runDeliveryPass({
            owner,
            maxMessages: want,
            concurrency: want,
            perWebhookLimit: perWebhook,
            excludeWebhookIds: [...inflightByWebhook].filter(([, n]) => n >= perWebhook).map(([id]) => id),
            sendTimeoutMs: opts.sendTimeoutMs,
            leaseMs: opts.leaseMs,
            onClaimed: (messages) => {
              claimed = messages.length;
              inflight += messages.length;
              for (const m of messages) inflightByWebhook.set(m.webhookId, (inflightByWebhook.get(m.webhookId) ?? 0) + 1);
              markClaimed();
            },
            onSent: sent,
            onSettled: settle,
          });
          passes += 1;
          const tracked = pass.catch((error: unknown) => logger.error({ err: error }, "delivery pass failed")).finally(() => running.delete(tracked));
          running.add(tracked);
          await Promise.race([claimedOnce, tracked]);
        } catch (error) {
          logger.error({ err: error }, "delivery claim failed; retrying after the poll interval");
        }
      }
      for (const runIfDue of chores) runIfDue();
      // More may be due right away when the claim came back full.
      if (claimed > 0 && claimed >= Math.min(free, batchSize) && inflight < concurrency && unrecorded < maxUnrecorded) continue;
      await sleep();
    }
  })();

  return {
    stats: () => ({ inflight, unrecorded, passes, delivered }),
    async stop() {
      stopped = true;
      wake();
      unsubscribe();
      await main;
      await Promise.allSettled([...running]);
      await listener?.close();
    },
  };
}

/**
 * A chore of the loop: the returned function starts `run` (not awaited; a
 * failure is logged as "<what> failed") when more than `everyMs` passed since
 * it last started it — at once the first time, or after one interval.
 */
function chore(what: string, everyMs: number, run: () => Promise<unknown>, opts: { firstAfterOneInterval?: boolean } = {}): () => void {
  let last = opts.firstAfterOneInterval ? Date.now() : 0;
  return () => {
    if (Date.now() - last <= everyMs) return;
    last = Date.now();
    run().catch((error: unknown) => logger.warn({ err: error }, `${what} failed`));
  };
}

/** LISTEN on the wake-up channel, reconnecting with backoff. */
function listenForNotifications(url: string, onNotify: () => void): { close: () => Promise<void> } {
  let closed = false;
  // close() can come at any moment, mid-connect included (a SIGTERM right after start). pg never settles
  // connect() for a client ended while connecting, so every wait here also races this signal.
  let signalClosed = () => {};
  const closing = new Promise<void>((resolve) => (signalClosed = resolve));
  let client: pg.Client | null = null;
  let delay = 500;
  const connect = async () => {
    while (!closed) {
      const c = new pg.Client({ connectionString: url });
      client = c;
      try {
        c.on("notification", onNotify);
        c.on("error", () => {});
        await Promise.race([c.connect(), closing]);
        if (!closed) await Promise.race([c.query(`LISTEN ${NOTIFY_CHANNEL}`), closing]);
        delay = 500;
        if (!closed) await Promise.race([new Promise<void>((resolve) => c.once("end", () => resolve())), closing]);
      } catch {
        /* server unavailable: retry */
      }
      client = null;
      if (closed) return;
      await c.end().catch(() => {});
      onNotify(); // catch up on anything missed while disconnected
      await Promise.race([new Promise((r) => setTimeout(r, delay).unref()), closing]);
      delay = Math.min(delay * 2, 10_000);
    }
  };
  const done = connect();
  return {
    async close() {
      closed = true;
      signalClosed();
      await client?.end().catch(() => {});
      await done;
    },
  };
}
