/**
 * Fixed-window rate limits shared by every app process through the database
 * (RateLimitBucket: one counter per key and window). Each process reserves
 * leases from the counter and spends them in memory (rate-limit-leases.ts),
 * so a busy key costs one statement every few seconds, not one per request.
 */
import { getDb } from "@/lib/db/client";
import { preparedSql } from "@/lib/db/statements";
import { RateLimited } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { createLeasedRateLimiter, type TReserve } from "./rate-limit-leases";

/** Adds `want` to the window's counter (one upsert); the part that fits under the limit is granted. */
export const reserveRateLimit: TReserve = async ({ key, windowStart, want, limit }) => {
  const [row] = await getDb().$queryRawUnsafe<{ count: number }[]>(
    preparedSql(
      "rate_limit_reserve",
      `INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES ($1, $2, $3)
       ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + $3
       RETURNING "count"`,
    ),
    key,
    windowStart,
    want,
  );
  const before = (row?.count ?? want) - want;
  return Math.max(0, Math.min(want, limit - before));
};

// One per process, whichever bundle asks.
const limiter = processSingleton("rateLimiter", () => createLeasedRateLimiter({ reserve: reserveRateLimit }));

export async function consumeRateLimit(opts: { key: string; limit: number; windowMs: number; what: string; now?: Date }): Promise<void> {
  if (opts.limit <= 0) return;
  const decision = await limiter.consume({ key: opts.key, limit: opts.limit, windowMs: opts.windowMs, now: opts.now ?? new Date() });
  if (!decision.ok) {
    throw new RateLimited(
      `Too many ${opts.what}: at most ${opts.limit} per ${Math.round(opts.windowMs / 1000)} s. Try again in ${decision.retryAfterSeconds} s.`,
      decision.retryAfterSeconds,
    );
  }
}

/** Old windows are removed by the drivers now and then. */
export async function purgeRateLimitBuckets(opts: { olderThan: Date }): Promise<number> {
  return getDb().$executeRawUnsafe(`DELETE FROM "RateLimitBucket" WHERE "windowStart" < $1`, opts.olderThan);
}
