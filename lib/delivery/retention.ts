/**
 * Retention: attempts and finished messages older than their webhook's
 * retention (default 28 days) are deleted in small batches, so a purge never
 * holds long locks. Drivers call it now and then. On the embedded database,
 * which has no autovacuum, the loop also vacuums now and then.
 */
import { getDb, getDbHandle } from "@/lib/db/client";
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

/**
 * PGlite runs no autovacuum: without this, every row version a delivery
 * leaves behind (a message is written three times: queued, claimed,
 * recorded) and every purged row would stay on disk for good, and the
 * planner's statistics would never follow the tables' growth. The delivery
 * loop calls this every minute on the embedded database. Like autovacuum
 * with PostgreSQL's default settings, it vacuums a table once more than
 * 50 rows + 20 % of it are dead, and analyzes it once more than 50 rows +
 * 10 % changed since its last statistics, from the counters in
 * pg_stat_user_tables (the one PGlite backend runs nothing else meanwhile:
 * tens of ms for a vacuum, a few hundred for the analysis of a 100,000-row
 * table). PostgreSQL servers vacuum themselves: nothing is done there, and
 * it returns null.
 */
export async function vacuumEmbeddedDatabase(): Promise<{ vacuumed: string[]; analyzed: string[] } | null> {
  const handle = getDbHandle();
  if (handle.target.kind !== "pglite" || !handle.embeddedSql) return null;
  const pglite = handle.embeddedSql;
  const { rows } = await pglite.query<{ table: string; vacuum: boolean; analyze: boolean }>(
    `SELECT relname AS "table",
            n_dead_tup > 50 + 0.2 * n_live_tup AS "vacuum",
            n_mod_since_analyze > 50 + 0.1 * n_live_tup AS "analyze"
       FROM pg_stat_user_tables WHERE schemaname = 'public'`,
  );
  const quoted = (table: string) => `"${table.replaceAll('"', '""')}"`;
  const vacuumed = rows.filter((r) => r.vacuum).map((r) => r.table);
  const analyzed = rows.filter((r) => r.analyze).map((r) => r.table);
  // VACUUM cannot run inside a transaction: straight to PGlite, not through Prisma.
  for (const table of vacuumed) await pglite.exec(`VACUUM ${quoted(table)}`);
  for (const table of analyzed) await pglite.exec(`ANALYZE ${quoted(table)}`);
  return { vacuumed, analyzed };
}
