/**
 * Fixed-window rate limits kept in the database, so every app process counts
 * against the same budget. One statement per check: an upsert that returns
 * the window's count.
 */
import { getDb } from "@/lib/db/client";
import { RateLimited } from "@/lib/errors";

export async function consumeRateLimit(opts: { key: string; limit: number; windowMs: number; what: string; now?: Date }): Promise<void> {
  if (opts.limit <= 0) return;
  const now = opts.now ?? new Date();
  const windowStart = new Date(Math.floor(now.getTime() / opts.windowMs) * opts.windowMs);
  const [row] = await getDb().$queryRawUnsafe<{ count: number }[]>(
    `INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES ($1, $2, 1)
     ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
     RETURNING "count"`,
    opts.key,
    windowStart,
  );
  if ((row?.count ?? 0) > opts.limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + opts.windowMs - now.getTime()) / 1000));
    throw new RateLimited(`Too many ${opts.what}: at most ${opts.limit} per ${Math.round(opts.windowMs / 1000)} s. Try again in ${retryAfter} s.`, retryAfter);
  }
}

/** Old windows are removed by the drivers now and then. */
export async function purgeRateLimitBuckets(opts: { olderThan: Date }): Promise<number> {
  return getDb().$executeRawUnsafe(`DELETE FROM "RateLimitBucket" WHERE "windowStart" < $1`, opts.olderThan);
}
