/**
 * What `npm start` runs besides migrating and seeding. On the embedded
 * database the server alone: PGlite belongs to one process, and the server
 * holds it in a database thread that also runs the delivery loop. On
 * PostgreSQL the server with its loop turned off and one delivery worker
 * process beside it (`npm run worker`), a pair a supervisor restarts
 * together; `next start` alone would deliver from a thread of the server
 * instead (docs/deployment.md; both met the latency goal in
 * docs/performance.md). DELIVERY_LOOP=0 runs the server alone and delivers
 * nothing (workers or the cron route elsewhere).
 */
export type TServingPlan = {
  /** Environment overrides for `next start`. */
  serverEnv: Record<string, string>;
  /** Start `scripts/run-worker.mjs` beside the server. */
  worker: boolean;
  /** One line for the console. */
  delivery: string;
};

export function planServing(env: { DATABASE_URL?: string; DELIVERY_LOOP: boolean }): TServingPlan {
  if (!env.DELIVERY_LOOP) return { serverEnv: {}, worker: false, delivery: "Delivery: off in this process (DELIVERY_LOOP=0): run npm run worker or the cron route" };
  if (!env.DATABASE_URL) return { serverEnv: {}, worker: false, delivery: "Delivery: the server's database thread (embedded database)" };
  return { serverEnv: { DELIVERY_LOOP: "0" }, worker: true, delivery: "Delivery: one worker process beside the server (npm run worker)" };
}
