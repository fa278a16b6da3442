/**
 * Retention: attempts and finished messages older than their webhook's
 * retention (default 28 days) are deleted in small batches, so a purge never
 * holds long locks. Drivers call it now and then.
 */
import { getDb } from "@/lib/db/client";
import { purgeRateLimitBuckets } from "@/lib/domain/rate-limit";

export async function purgeExpiredDeliveries(opts: { now?: Date; batchSize?: number } = {}): Promise<{ attempts: number; messages: number }> {
  const now = opts.now ?? new Date();
  const batch = opts.batchSize ?? 500;
  const attempts = await getDb().$executeRawUnsafe(
    `DELETE FROM "Attempt" WHERE "id" IN (
       SELECT a."id" FROM "Attempt" a JOIN "Webhook" w ON w."id" = a."webhookId"
        WHERE a."startedAt" < $1::timestamp - make_interval(days => w."logRetentionDays")
        LIMIT $2)`,
    now,
    batch,
  );
  const messages = await getDb().$executeRawUnsafe(
    `DELETE FROM "Message" WHERE "id" IN (
       SELECT m."id" FROM "Message" m JOIN "Webhook" w ON w."id" = m."webhookId"
        WHERE m."status" IN ('SUCCEEDED', 'FAILED', 'SKIPPED')
          AND m."createdAt" < $1::timestamp - make_interval(days => w."logRetentionDays")
        LIMIT $2)`,
    now,
    batch,
  );
  await purgeRateLimitBuckets({ olderThan: new Date(now.getTime() - 3_600_000) });
  return { attempts, messages };
}
