/**
 * PROTOTYPE (benchmark only): a per-day roll-up of message counts by status,
 * kept by statement-level triggers with transition tables (one upsert per
 * webhook × day × status per statement, whatever the number of rows), to
 * measure what keeping it costs the delivery path (`--proto`: a third
 * delivery run with these triggers installed) and to check it stays exact.
 */
import type pg from "pg";

export const ROLLUP_SQL = [
  `CREATE TABLE "BenchMessageDaily" (
     "webhookId" uuid NOT NULL, "organizationId" uuid NOT NULL, "day" date NOT NULL, "status" "MessageStatus" NOT NULL, "count" int NOT NULL,
     PRIMARY KEY ("webhookId", "day", "status"))`,
  `CREATE FUNCTION bench_message_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO "BenchMessageDaily" AS d ("webhookId", "organizationId", "day", "status", "count")
       SELECT "webhookId", "organizationId", "createdAt"::date, "status", count(*)::int FROM new_rows GROUP BY 1, 2, 3, 4
       ON CONFLICT ("webhookId", "day", "status") DO UPDATE SET "count" = d."count" + EXCLUDED."count";
     ELSIF TG_OP = 'DELETE' THEN
       UPDATE "BenchMessageDaily" AS d SET "count" = d."count" - x.n
         FROM (SELECT "webhookId", "createdAt"::date AS day, "status", count(*)::int AS n FROM old_rows GROUP BY 1, 2, 3) x
        WHERE d."webhookId" = x."webhookId" AND d."day" = x.day AND d."status" = x."status";
     ELSE
       INSERT INTO "BenchMessageDaily" AS d ("webhookId", "organizationId", "day", "status", "count")
       SELECT "webhookId", "organizationId", day, "status", sum(delta)::int FROM (
         SELECT n."webhookId", n."organizationId", n."createdAt"::date AS day, n."status", 1 AS delta
           FROM new_rows n JOIN old_rows o ON o."id" = n."id" WHERE o."status" IS DISTINCT FROM n."status"
         UNION ALL
         SELECT o."webhookId", o."organizationId", o."createdAt"::date, o."status", -1
           FROM old_rows o JOIN new_rows n ON n."id" = o."id" WHERE o."status" IS DISTINCT FROM n."status"
       ) x GROUP BY 1, 2, 3, 4
       ON CONFLICT ("webhookId", "day", "status") DO UPDATE SET "count" = d."count" + EXCLUDED."count";
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER bench_message_daily_ins AFTER INSERT ON "Message" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bench_message_daily_apply()`,
  `CREATE TRIGGER bench_message_daily_upd AFTER UPDATE ON "Message" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bench_message_daily_apply()`,
  `CREATE TRIGGER bench_message_daily_del AFTER DELETE ON "Message" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bench_message_daily_apply()`,
];

/** Installs the roll-up and backfills it from the rows already there. */
export async function installRollup(sql: pg.Client): Promise<void> {
  for (const statement of ROLLUP_SQL) await sql.query(statement);
  await sql.query(`INSERT INTO "BenchMessageDaily" SELECT "webhookId", "organizationId", "createdAt"::date, "status", count(*)::int FROM "Message" GROUP BY 1, 2, 3, 4`);
}

/** True when the roll-up agrees with a fresh count of the messages. */
export async function rollupMatches(sql: pg.Client): Promise<boolean> {
  const r = await sql.query(`SELECT count(*)::int AS n FROM (
      SELECT "webhookId", "day", "status", "count" FROM "BenchMessageDaily" WHERE "count" <> 0
      EXCEPT
      SELECT "webhookId", "createdAt"::date, "status", count(*)::int FROM "Message" GROUP BY 1, 2, 3) x`);
  const r2 = await sql.query(`SELECT count(*)::int AS n FROM (
      SELECT "webhookId", "createdAt"::date, "status", count(*)::int FROM "Message" GROUP BY 1, 2, 3
      EXCEPT
      SELECT "webhookId", "day", "status", "count" FROM "BenchMessageDaily" WHERE "count" <> 0) x`);
  return (r.rows[0] as { n: number }).n === 0 && (r2.rows[0] as { n: number }).n === 0;
}
