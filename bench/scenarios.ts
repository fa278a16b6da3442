/**
 * Scenarios shared by the PostgreSQL and PGlite runs: seeding messages for a
 * delivery run, the 1,000-webhook fan-out, and the console queries over a
 * large attempt log. Everything goes through the process-wide Prisma client
 * (getDb()), so the same code runs on both databases.
 */
import crypto from "node:crypto";
import { getDb } from "@/lib/db/client";
import { getEventType } from "@/lib/catalog";
import { renderTemplate } from "@/lib/templates";
import { ingestEvent } from "@/lib/delivery/ingest";
import { getWebhookDailyStats, getWebhookMetrics, listAttempts } from "@/lib/domain/deliveries";
import type { TActor } from "@/lib/auth/actor";
import { alertData, createBenchWebhook, createOrgActor } from "./db";
import { log, round, timeRuns } from "./lib";

const DAY_MS = 86_400_000;

/** The body a webhook with the default alert template sends (rendered by the product's renderer). */
export function sampleBody(n = 0): string {
  return renderTemplate(getEventType("alert.active").defaultTemplate, { ...alertData(n), event_type: "alert.active", organization_id: crypto.randomUUID(), organization_name: "Bench Org", timestamp: "2026-11-01T09:20:00Z" });
}

/**
 * `webhooks` webhooks (through createWebhook: signing secret at rest) pointing
 * at the receiver, and `n` messages spread over them, not yet due (due in
 * year 2100) so a worker can be started first and the run timed from the
 * moment they become due.
 */
export async function seedDeliveryRun(opts: { actor: TActor; receiverUrl: string; webhooks: number; n: number }) {
  const hooks: { id: string }[] = [];
  for (let i = 0; i < opts.webhooks; i++) hooks.push(await createBenchWebhook(opts.actor, `${opts.receiverUrl}/hook/${i}`, `Bench endpoint ${i}`));
  const later = new Date(Date.UTC(2100, 0, 1));
  const eventIds: string[] = [];
  const EVENTS = Math.max(1, Math.ceil(opts.n / 100));
  for (let i = 0; i < EVENTS; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, EVENTS - i) }, (_, k) => {
      const id = crypto.randomUUID();
      eventIds.push(id);
      return { id, organizationId: opts.actor.organizationId, type: "alert.active", occurredAt: new Date(), data: alertData(i + k), messageCount: 0 };
    });
    await getDb().event.createMany({ data: rows });
  }
  const body = sampleBody();
  for (let i = 0; i < opts.n; i += 2000) {
    const rows = Array.from({ length: Math.min(2000, opts.n - i) }, (_, k) => {
      const n = i + k;
      return { id: crypto.randomUUID(), organizationId: opts.actor.organizationId, webhookId: hooks[n % hooks.length]!.id, eventId: eventIds[Math.floor(n / 100)]!, body, nextAttemptAt: later };
    });
    await getDb().message.createMany({ data: rows });
  }
  return { webhookIds: hooks.map((h) => h.id), body };
}

/** Makes every seeded message due now; returns the time it was committed. */
export async function releaseMessages(webhookIds: string[]): Promise<number> {
  await getDb().$executeRawUnsafe(`UPDATE "Message" SET "nextAttemptAt" = now() AT TIME ZONE 'UTC' WHERE "webhookId" = ANY($1::uuid[]) AND "status" = 'PENDING'`, webhookIds);
  return Date.now();
}

// ---------------------------------------------------------------------------
// Fan-out

/** One event type matched by `webhooks` enabled webhooks: time the ingest of one event (ms to commit). */
export async function runFanout(opts: { webhooks: number; receiverUrl: string; runs?: number }) {
  const actor = await createOrgActor("Fanout Org");
  const template = getEventType("alert.active").defaultTemplate;
  for (let i = 0; i < opts.webhooks; i += 500) {
    await getDb().webhook.createMany({
      data: Array.from({ length: Math.min(500, opts.webhooks - i) }, (_, k) => ({
        organizationId: actor.organizationId,
        name: `Fan-out ${i + k}`,
        eventTypes: ["alert.active"],
        targetUrl: `${opts.receiverUrl}/fanout/${i + k}`,
        template,
        enabled: true,
      })),
    });
  }
  let n = 0;
  let messages = 0;
  const timing = await timeRuns(async () => {
    const r = await ingestEvent({ actor, input: { id: `fanout-${n}`, type: "alert.active", data: alertData(n++) } });
    messages = r.messages;
  }, opts.runs ?? 5);
  if (messages !== opts.webhooks) throw new Error(`fan-out made ${messages} messages, expected ${opts.webhooks}`);
  // Leave nothing due behind for later scenarios on this database.
  await getDb().message.updateMany({ where: { organizationId: actor.organizationId }, data: { status: "SKIPPED", nextAttemptAt: null } });
  const sample = await getDb().webhook.findFirstOrThrow({ where: { organizationId: actor.organizationId }, select: { id: true } });
  return { webhooks: opts.webhooks, messagesPerEvent: messages, ...timing, organizationId: actor.organizationId, sampleWebhookId: sample.id };
}

// ---------------------------------------------------------------------------
// Console queries over a large attempt log

export type TConsoleSeed = { actor: TActor; webhookId: string; now: Date; attempts: number; messages: number; seedMs: number; searchId: string };

/**
 * One webhook with `messages` messages over 28 days (one event each) and
 * `messages + extra` attempts: every 36th message took 5 attempts (4 failed:
 * HTTP 500 / timeout), every 360th failed for good (connection refused).
 * Sizes per row are realistic: rendered body, logged request headers.
 */
export async function seedConsoleData(opts: { attempts: number; receiverUrl: string }): Promise<TConsoleSeed> {
  const t0 = performance.now();
  const actor = await createOrgActor("Console Org");
  const webhook = await createBenchWebhook(actor, `${opts.receiverUrl}/console`, "Console endpoint");
  // attempts = singles + 5 × multis, multis = messages / 36 → messages = attempts × 36 / 40.
  const messages = Math.round((opts.attempts * 36) / 40);
  const now = new Date();
  const nowIso = now.toISOString();
  const body = sampleBody(0);
  const headers = JSON.stringify({
    "content-type": "application/json",
    "user-agent": "Hookyard/0.1",
    "webhook-id": "00000000-0000-0000-0000-000000000000",
    "webhook-timestamp": "1764000000",
    "webhook-signature": "v1,********",
    "x-hookyard-causation-depth": "0",
  });
  const db = getDb();
  const span = `(28 * 86400.0 / $4::float8)`;
  const at = `(($3::timestamptz AT TIME ZONE 'UTC') - interval '28 days' + (g * ${span} + 30)::float8 * interval '1 second')`;
  const CHUNK = 100_000;
  for (let from = 0; from < messages; from += CHUNK) {
    const to = Math.min(messages, from + CHUNK) - 1;
    await db.$executeRawUnsafe(
      `INSERT INTO "Event" ("id", "organizationId", "externalId", "type", "occurredAt", "data", "messageCount", "createdAt")
       SELECT md5('e' || g)::uuid, $1::uuid, 'evt_' || lpad(g::text, 8, '0'), 'alert.active', ${at}, $5::jsonb, 1, ${at}
         FROM generate_series($6::int, $7::int) g
        WHERE $2::uuid IS NOT NULL`,
      actor.organizationId, webhook.id, nowIso, messages, JSON.stringify(alertData(0)), from, to,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Message" ("id", "organizationId", "webhookId", "eventId", "status", "body", "attemptCount", "nextAttemptAt", "lastStatusCode", "lastError", "completedAt", "createdAt", "updatedAt")
       SELECT md5('m' || g)::uuid, $1::uuid, $2::uuid, md5('e' || g)::uuid,
              (CASE WHEN g % 360 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"MessageStatus",
              replace($5, 'srv-0', 'srv-' || (g % 500)),
              CASE WHEN g % 36 = 0 THEN 5 ELSE 1 END, NULL,
              CASE WHEN g % 360 = 0 THEN NULL ELSE 200 END,
              CASE WHEN g % 360 = 0 THEN 'connection refused' ELSE NULL END,
              ${at} + interval '1 second', ${at}, ${at}
         FROM generate_series($6::int, $7::int) g`,
      actor.organizationId, webhook.id, nowIso, messages, body, from, to,
    );
    // Attempt k of message g starts after the schedule's delays (0 s, 5 s, 5 min, 30 min, 2 h).
    await db.$executeRawUnsafe(
      `INSERT INTO "Attempt" ("id", "organizationId", "webhookId", "messageId", "attemptNumber", "trigger", "success", "startedAt", "durationMs", "statusCode",
                              "requestUrl", "requestMethod", "requestHeaders", "requestBody", "responseHeaders", "responseBody", "error", "errorCode", "nextAttemptAt")
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, md5('m' || g)::uuid, k, 'AUTO', ok,
              LEAST(${at} + (ARRAY[0, 5, 305, 2105, 9305])[k] * interval '1 second' + interval '50 milliseconds', $3::timestamptz AT TIME ZONE 'UTC'),
              CASE WHEN NOT ok AND k % 2 = 0 THEN 15000 ELSE 20 + (hashint4(g * 7 + k) & 511) END,
              CASE WHEN ok THEN 200 WHEN k % 2 = 1 AND k < 5 THEN 500 ELSE NULL END,
              $8, 'POST', $9::jsonb, replace($5, 'srv-0', 'srv-' || (g % 500)),
              CASE WHEN k % 2 = 0 AND NOT ok THEN NULL ELSE '{"content-type":"text/plain","content-length":"2"}'::jsonb END,
              CASE WHEN ok THEN 'ok' WHEN k % 2 = 1 AND k < 5 THEN 'Internal Server Error' ELSE NULL END,
              CASE WHEN ok THEN NULL WHEN k = 5 THEN 'connection refused' WHEN k % 2 = 1 THEN 'HTTP 500 Internal Server Error' ELSE 'timed out after 15000 ms' END,
              CASE WHEN ok THEN NULL WHEN k = 5 THEN 'connect' WHEN k % 2 = 1 THEN 'http' ELSE 'timeout' END,
              NULL
         FROM generate_series($6::int, $7::int) g
         CROSS JOIN LATERAL generate_series(1, CASE WHEN g % 36 = 0 THEN 5 ELSE 1 END) k
         CROSS JOIN LATERAL (SELECT (k = 5 AND g % 360 <> 0) OR (g % 36 <> 0) AS ok) o`,
      actor.organizationId, webhook.id, nowIso, messages, body, from, to, `${opts.receiverUrl}/console`, headers,
    );
    log(`  console data: ${to + 1} / ${messages} messages`);
  }
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Event"`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Message"`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Attempt"`);
  const attempts = await db.attempt.count({ where: { webhookId: webhook.id } });
  return { actor, webhookId: webhook.id, now, attempts, messages, seedMs: round(performance.now() - t0, 0), searchId: `evt_${String(Math.floor(messages / 3)).padStart(8, "0")}` };
}

/** The console's four reads, timed server side (the domain functions the API and pages call). */
export async function runConsoleQueries(seed: TConsoleSeed, runs = 5) {
  const { actor, webhookId: id, now } = seed;
  const metrics = await getWebhookMetrics({ actor, id, now });
  const failedPage = await listAttempts({ actor, id, now, query: { status: "failed" } });
  const chart = await getWebhookDailyStats({ actor, id, now });
  const text = await listAttempts({ actor, id, now, query: { q: "refused" } });
  const byId = await listAttempts({ actor, id, now, query: { q: seed.searchId } });
  // Sanity: the data is what we think it is.
  if (metrics.total !== seed.messages) throw new Error(`metrics counted ${metrics.total} messages, expected ${seed.messages}`);
  if (failedPage.attempts.length !== 50) throw new Error(`failed page has ${failedPage.attempts.length} rows`);
  if (chart.reduce((s, d) => s + d.succeeded + d.failed, 0) < seed.attempts * 0.9) throw new Error("chart is missing attempts");
  if (byId.attempts.length < 1) throw new Error(`search by event id found nothing`);
  return {
    metricCards: await timeRuns(() => getWebhookMetrics({ actor, id, now }), runs),
    attemptPageFailed: await timeRuns(() => listAttempts({ actor, id, now, query: { status: "failed" } }), runs),
    dailyChart: await timeRuns(() => getWebhookDailyStats({ actor, id, now }), runs),
    textSearch: { ...(await timeRuns(() => listAttempts({ actor, id, now, query: { q: "refused" } }), runs)), query: "refused", rows: text.attempts.length },
    idSearch: { ...(await timeRuns(() => listAttempts({ actor, id, now, query: { q: seed.searchId } }), runs)), query: seed.searchId, rows: byId.attempts.length },
  };
}

export const CONSOLE_DAY_MS = DAY_MS;
