/**
 * PROTOTYPE (benchmark only): the recommended shapes of the console's reads,
 * run on the same seeded database right after the product's own functions,
 * each checked against the product's answer before it is timed.
 *
 * - cards: a per-day roll-up of message counts by status (kept up to date by
 *   ingest and recording in the real thing) + the raw rows of the partial
 *   first day of the window;
 * - chart: a per-day roll-up of closed days (counts and p50/p95, fixed once
 *   the day is over) + today's attempts computed live, with a covering index;
 * - search: ids resolved first through their unique indexes, then one scan
 *   of the webhook's attempts without the Message/Event joins, optionally
 *   with pg_trgm indexes for the text part.
 */
import type pg from "pg";
import { getWebhookDailyStats, getWebhookMetrics, listAttempts } from "@/lib/domain/deliveries";
import { round, timeRuns, log } from "../lib";
import type { TConsoleSeed } from "../scenarios";

const DAY_MS = 86_400_000;

async function timeSql(sql: pg.Client, text: string, params: unknown[], runs = 5) {
  return timeRuns(() => sql.query(text, params), runs);
}

async function ddl(sql: pg.Client, text: string): Promise<number> {
  const t = performance.now();
  await sql.query(text);
  return round(performance.now() - t, 0);
}

const relMb = async (sql: pg.Client, name: string) => Number(((await sql.query(`SELECT pg_total_relation_size($1::regclass) / 1048576.0 AS mb`, [name])).rows[0] as { mb: string }).mb);

export async function runConsolePrototypes(sql: pg.Client, seed: TConsoleSeed) {
  const { actor, webhookId, now } = seed;
  const org = actor.organizationId;
  const out: Record<string, unknown> = {};

  // ---- roll-ups (backfilled here; maintained incrementally in the real thing)
  const backfill = {
    messagesDailyMs: await ddl(sql, `CREATE TABLE bench_message_daily AS
      SELECT "organizationId", "webhookId", (date_trunc('day', "createdAt"))::date AS day, "status"::text AS status, count(*)::int AS n
        FROM "Message" GROUP BY 1, 2, 3, 4`),
    attemptsDailyMs: await ddl(sql, `CREATE TABLE bench_attempt_daily AS
      SELECT "organizationId", "webhookId", (date_trunc('day', "startedAt"))::date AS day,
             count(*) FILTER (WHERE "success")::int AS succeeded, count(*) FILTER (WHERE NOT "success")::int AS failed,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p95
        FROM "Attempt" WHERE "trigger" <> 'TEST' AND "startedAt" < date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') GROUP BY 1, 2, 3`.replace("$1::timestamptz", `'${now.toISOString()}'::timestamptz`)),
  };
  await sql.query(`CREATE UNIQUE INDEX ON bench_message_daily ("webhookId", day, status)`);
  await sql.query(`CREATE UNIQUE INDEX ON bench_attempt_daily ("webhookId", day)`);
  await sql.query(`ANALYZE bench_message_daily; ANALYZE bench_attempt_daily`);
  out.rollupBackfillMs = backfill;

  // ---- cards
  const from = new Date(now.getTime() - 28 * DAY_MS);
  const cardsSql = `SELECT status, sum(n)::int AS n FROM (
        SELECT status, n FROM bench_message_daily
         WHERE "webhookId" = $1 AND "organizationId" = $2 AND day > ($3::timestamptz AT TIME ZONE 'UTC')::date AND day <= ($4::timestamptz AT TIME ZONE 'UTC')::date
        UNION ALL
        SELECT "status"::text, count(*)::int FROM "Message"
         WHERE "webhookId" = $1 AND "organizationId" = $2 AND "createdAt" >= ($3::timestamptz AT TIME ZONE 'UTC')
           AND "createdAt" < date_trunc('day', $3::timestamptz AT TIME ZONE 'UTC') + interval '1 day'
         GROUP BY 1) x GROUP BY status`;
  const cardParams = [webhookId, org, from.toISOString(), now.toISOString()];
  const expected = await getWebhookMetrics({ actor, id: webhookId, now });
  const got = Object.fromEntries(((await sql.query(cardsSql, cardParams)).rows as { status: string; n: number }[]).map((r) => [r.status, r.n]));
  const cardsMatch = (got.SUCCEEDED ?? 0) === expected.successful && (got.FAILED ?? 0) === expected.failed && (got.PENDING ?? 0) === expected.pending;
  out.metricCards = { ...(await timeSql(sql, cardsSql, cardParams)), matchesProduct: cardsMatch };
  const coveringMsg = await ddl(sql, `CREATE INDEX bench_message_webhook_created_status ON "Message" ("webhookId", "createdAt") INCLUDE ("status", "organizationId")`);
  await sql.query(`VACUUM ANALYZE "Message"`);
  out.metricCardsWithCoveringIndex = { ...(await timeSql(sql, cardsSql, cardParams)), indexBuildMs: coveringMsg };

  // ---- chart
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const chartFrom = new Date(today.getTime() - 27 * DAY_MS);
  const liveSql = (sinceParam: string) => `SELECT to_char(date_trunc('day', "startedAt"), 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE "success")::int AS succeeded, count(*) FILTER (WHERE NOT "success")::int AS failed,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p95
       FROM "Attempt" WHERE "organizationId" = $2 AND "webhookId" = $1 AND "startedAt" >= (${sinceParam}::timestamptz AT TIME ZONE 'UTC') AND "trigger" <> 'TEST' GROUP BY 1`;
  const chartSql = `SELECT to_char(day, 'YYYY-MM-DD') AS day, succeeded, failed, p50, p95 FROM bench_attempt_daily
      WHERE "webhookId" = $1 AND "organizationId" = $2 AND day >= ($3::timestamptz AT TIME ZONE 'UTC')::date AND day < ($4::timestamptz AT TIME ZONE 'UTC')::date
     UNION ALL ${liveSql("$4")} ORDER BY 1`;
  const chartParams = [webhookId, org, chartFrom.toISOString(), today.toISOString()];
  const product = await getWebhookDailyStats({ actor, id: webhookId, now });
  const rows = (await sql.query(chartSql, chartParams)).rows as { day: string; succeeded: number; failed: number; p50: number | null; p95: number | null }[];
  const chartMatch = product.every((p) => {
    const r = rows.find((x) => x.day === p.day);
    return r ? r.succeeded === p.succeeded && r.failed === p.failed && Math.round(r.p50 ?? -1) === (p.p50Ms ?? -1) && Math.round(r.p95 ?? -1) === (p.p95Ms ?? -1) : p.succeeded + p.failed === 0;
  });
  out.dailyChart = { ...(await timeSql(sql, chartSql, chartParams)), matchesProduct: chartMatch };
  // Worst case for the live part: a whole day of attempts (late in the UTC day).
  const fullDayParams = [webhookId, org, new Date(now.getTime() - DAY_MS).toISOString()];
  out.dailyChartLiveFullDay = await timeSql(sql, liveSql("$3"), fullDayParams);
  const coveringAttempt = await ddl(sql, `CREATE INDEX bench_attempt_webhook_started_cover ON "Attempt" ("webhookId", "startedAt") INCLUDE ("success", "durationMs", "trigger", "organizationId")`);
  await sql.query(`VACUUM ANALYZE "Attempt"`);
  out.dailyChartWithCoveringIndex = { ...(await timeSql(sql, chartSql, chartParams)), indexBuildMs: coveringAttempt };
  out.dailyChartLiveFullDayWithCoveringIndex = await timeSql(sql, liveSql("$3"), fullDayParams);

  // ---- search: ids first (unique indexes), then one scan without joins
  const search = async (q: string) => {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(q);
    const ids = (
      await sql.query(
        `SELECT m."id" FROM "Message" m JOIN "Event" e ON e."id" = m."eventId"
          WHERE m."webhookId" = $1 AND e."organizationId" = $2 AND (e."externalId" = $3 ${isUuid ? `OR m."id" = $3::uuid OR m."eventId" = $3::uuid` : ""})`,
        [webhookId, org, q],
      )
    ).rows.map((r: { id: string }) => r.id);
    const status = /^\d{3}$/.test(q) ? Number(q) : null;
    return (
      await sql.query(
        `SELECT a."id", a."messageId", a."attemptNumber", a."trigger"::text, a."success", a."statusCode", a."durationMs", a."startedAt", a."error", m."status"::text AS "messageStatus", m."eventId"
           FROM "Attempt" a LEFT JOIN "Message" m ON m."id" = a."messageId"
          WHERE a."organizationId" = $1 AND a."webhookId" = $2 AND a."startedAt" >= ($3::timestamptz AT TIME ZONE 'UTC')
            AND (a."error" ILIKE '%' || $4 || '%' OR a."requestBody" LIKE '%' || $4 || '%' OR a."messageId" = ANY($5::uuid[]) ${status !== null ? `OR a."statusCode" = ${status}` : ""})
          ORDER BY a."startedAt" DESC, a."id" DESC LIMIT 51`,
        [org, webhookId, from.toISOString(), q, ids],
      )
    ).rows as { id: string }[];
  };
  const same = async (q: string) => {
    const p = await listAttempts({ actor, id: webhookId, now, query: { q } });
    const mine = (await search(q)).slice(0, 50).map((r) => r.id);
    return JSON.stringify(p.attempts.map((a) => a.id)) === JSON.stringify(mine);
  };
  const terms = { text: "refused", id: seed.searchId, none: "no-such-text-anywhere" };
  out.searchSplit = {
    text: { ...(await timeRuns(() => search(terms.text))), matchesProduct: await same(terms.text) },
    id: { ...(await timeRuns(() => search(terms.id))), matchesProduct: await same(terms.id) },
    noMatch: await timeRuns(() => search(terms.none), 3),
  };
  const product404 = await timeRuns(() => listAttempts({ actor, id: webhookId, now, query: { q: terms.none } }), 3);
  out.searchNoMatchProduct = product404;
  await sql.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
  const trgmError = await ddl(sql, `CREATE INDEX bench_attempt_error_trgm ON "Attempt" USING gin ("error" gin_trgm_ops)`);
  const trgmBody = await ddl(sql, `CREATE INDEX bench_attempt_body_trgm ON "Attempt" USING gin ("requestBody" gin_trgm_ops)`);
  await sql.query(`ANALYZE "Attempt"`);
  out.searchSplitWithTrigram = {
    indexBuildMs: { error: trgmError, requestBody: trgmBody },
    indexMb: { error: round(await relMb(sql, "bench_attempt_error_trgm"), 0), requestBody: round(await relMb(sql, "bench_attempt_body_trgm"), 0) },
    text: { ...(await timeRuns(() => search(terms.text))), matchesProduct: await same(terms.text) },
    id: { ...(await timeRuns(() => search(terms.id))), matchesProduct: await same(terms.id) },
    noMatch: await timeRuns(() => search(terms.none), 3),
  };
  // The product's own functions with every index above in place (no code change): do indexes alone suffice?
  out.productWithTheseIndexes = {
    metricCards: await timeRuns(() => getWebhookMetrics({ actor, id: webhookId, now }), 3),
    dailyChart: await timeRuns(() => getWebhookDailyStats({ actor, id: webhookId, now }), 3),
    textSearch: await timeRuns(() => listAttempts({ actor, id: webhookId, now, query: { q: terms.text } }), 3),
    idSearch: await timeRuns(() => listAttempts({ actor, id: webhookId, now, query: { q: terms.id } }), 3),
  };
  log(`console prototypes: cards ${(out.metricCards as { median: number }).median} ms, chart ${(out.dailyChart as { median: number }).median} ms, search ${(out.searchSplitWithTrigram as { text: { median: number } }).text.median} ms`);
  return out;
}
