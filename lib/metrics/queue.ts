/**
 * The delivery queue as the database sees it (every process reports the same):
 * messages due now, scheduled for later (retries, batching windows), being
 * sent, and the age of the oldest due one — the delivery lag.
 */
import { getDb } from "@/lib/db/client";

export type TQueueStats = {
  due: number;
  scheduled: number;
  inProgress: number;
  /** When the oldest due PENDING message became due; null when nothing is due. */
  oldestDueAt: Date | null;
  /** now − oldestDueAt in seconds (0 when nothing is due). */
  lagSeconds: number;
};

/**
 * Spelled as an OR, not IN (…): each arm matches one of the partial indexes of the claim
 * ("status" = 'PENDING' / 'IN_PROGRESS', migration perf_console), so this reads only
 * queued messages (a BitmapOr); with IN the planner walked a whole index of "Message".
 */
export async function getQueueStats(opts: { now?: Date } = {}): Promise<TQueueStats> {
  const now = opts.now ?? new Date();
  const [row] = await getDb().$queryRawUnsafe<{ due: number; scheduled: number; in_progress: number; oldest_due: number | null }[]>(
    `SELECT count(*) FILTER (WHERE "status" = 'PENDING' AND "nextAttemptAt" <= $1)::int AS due,
            count(*) FILTER (WHERE "status" = 'PENDING' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" > $1))::int AS scheduled,
            count(*) FILTER (WHERE "status" = 'IN_PROGRESS')::int AS in_progress,
            EXTRACT(EPOCH FROM min("nextAttemptAt") FILTER (WHERE "status" = 'PENDING' AND "nextAttemptAt" <= $1))::float8 AS oldest_due
       FROM "Message"
      WHERE "status" = 'PENDING' OR "status" = 'IN_PROGRESS'`,
    now,
  );
  const oldest = row?.oldest_due == null ? null : new Date(Math.round(Number(row.oldest_due) * 1000));
  return {
    due: Number(row?.due ?? 0),
    scheduled: Number(row?.scheduled ?? 0),
    inProgress: Number(row?.in_progress ?? 0),
    oldestDueAt: oldest,
    lagSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
  };
}
