/**
 * The console's reads on their fast paths (roll-ups, ids first, trigram
 * indexes) give the same answers as the direct queries they replaced: every
 * answer here is compared with a GROUP BY / scan computed in the test, after
 * every kind of write — ingest, delivery, retries, claim without record,
 * Retry now, Recover, skip, test sends, purge, webhook deletion — and across
 * the UTC day boundary (the `now` option).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TTestDb } from "./helpers/db";
import { closeDeliveryFixture, openDeliveryFixture, resetDeliveryFixture } from "./helpers/delivery-fixture";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { respond, type TReceiver } from "../helpers/receiver";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ingestEvent } from "@/lib/delivery/ingest";
import { claimDueMessages, runDeliveryPass } from "@/lib/delivery/engine";
import { purgeExpiredDeliveries } from "@/lib/delivery/retention";
import { getWebhookDailyStats, getWebhookMetrics, listAttempts, recoverFailedMessages, retryMessage, testWebhook } from "@/lib/domain/deliveries";
import { deleteWebhook, setWebhookEnabled } from "@/lib/domain/webhooks";
import { createPGlite, PrismaPGliteWithExtensions } from "@/lib/db/adapter";
import { createMigration, PRISMA_DIR } from "@/lib/db/migrate";

const DAY = 86_400_000;
const HOUR = 3_600_000;
// Day 0 is two weeks ago (UTC midnight): every clock below is in the past, so
// closed days are stored in the roll-up and read back from it.
const base = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 14 * DAY;
const at = (day: number, hours = 12) => new Date(base + day * DAY + hours * HOUR);

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;

beforeAll(async () => {
  ({ t, orgs, rx } = await openDeliveryFixture());
});
afterAll(() => closeDeliveryFixture({ t, rx }));
afterEach(() => resetDeliveryFixture({ t, rx }));

const admin = () => orgs.a.admin.actor;
const alert = (name: string, id?: string) => ({ type: "alert.active", resource: "alert-cpu", ...(id ? { id } : {}), data: { alert_name: name, workspace_name: "SRV-01" } });

/**
 * Ingests at the test's clock. Ingest stamps "createdAt" with the real time, so the
 * messages are then moved to `when` by an UPDATE — which the roll-up's UPDATE trigger
 * must follow too (a message changing day).
 */
async function ingestAt(when: Date, name: string, id?: string) {
  const res = await ingestEvent({ actor: admin(), input: alert(name, id), now: when });
  await t.db.message.updateMany({ where: { eventId: res.id }, data: { createdAt: when } });
  return res;
}

/** Delivery passes at a fixed clock until nothing more is due then. */
async function deliverAt(when: Date) {
  for (let i = 0; i < 20; i++) if ((await runDeliveryPass({ now: () => when, random: () => 0.5 })).claimed === 0) return;
}

// ---- the direct answers (what the functions computed before the roll-ups)

async function directMetrics(webhookId: string, now: Date) {
  const groups = await t.db.message.groupBy({ by: ["status"], where: { webhookId, createdAt: { gte: new Date(now.getTime() - 28 * DAY) } }, _count: { _all: true } });
  const n = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  return { successful: n("SUCCEEDED"), pending: n("PENDING"), inProgress: n("IN_PROGRESS"), failed: n("FAILED"), skipped: n("SKIPPED") };
}

async function directDaily(webhookId: string, now: Date) {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 27 * DAY);
  const rows = await t.db.$queryRawUnsafe<{ day: string; succeeded: number; failed: number; p50: number | null; p95: number | null }[]>(
    `SELECT to_char(date_trunc('day', "startedAt"), 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE "success")::int AS succeeded, count(*) FILTER (WHERE NOT "success")::int AS failed,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p95
       FROM "Attempt" WHERE "webhookId" = $1::uuid AND "startedAt" >= $2 AND "trigger" <> 'TEST' GROUP BY 1`,
    webhookId,
    from,
  );
  return Array.from({ length: 28 }, (_, i) => {
    const day = new Date(from.getTime() + i * DAY).toISOString().slice(0, 10);
    const r = rows.find((x) => x.day === day);
    return { day, succeeded: r?.succeeded ?? 0, failed: r?.failed ?? 0, p50Ms: r?.p50 == null ? null : Math.round(r.p50), p95Ms: r?.p95 == null ? null : Math.round(r.p95) };
  });
}

/** The attempt search as it was: relation filters on message and event, one query. */
async function directSearch(webhookId: string, text: string, now: Date): Promise<string[]> {
  const or: Prisma.AttemptWhereInput[] = [{ error: { contains: text, mode: "insensitive" } }, { requestBody: { contains: text } }];
  if (/^\d{3}$/.test(text)) or.push({ statusCode: Number(text) });
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) or.push({ messageId: text }, { message: { eventId: text } });
  or.push({ message: { event: { externalId: text } } });
  const rows = await t.db.attempt.findMany({
    where: { organizationId: admin().organizationId, webhookId, startedAt: { gte: new Date(now.getTime() - 28 * DAY) }, OR: or },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** The message roll-up equals a fresh GROUP BY of every message (all webhooks, all days). */
async function expectRollupExact() {
  const rollup = await t.db.$queryRawUnsafe<{ k: string }[]>(
    `SELECT "webhookId"::text || '|' || "day"::text || '|' || "status"::text || '|' || "count" AS k FROM "WebhookMessageDaily" WHERE "count" <> 0 ORDER BY 1`,
  );
  const direct = await t.db.$queryRawUnsafe<{ k: string }[]>(
    `SELECT "webhookId"::text || '|' || ("createdAt"::date)::text || '|' || "status"::text || '|' || count(*) AS k FROM "Message" GROUP BY "webhookId", "createdAt"::date, "status" ORDER BY 1`,
  );
  expect(rollup.map((r) => r.k)).toEqual(direct.map((r) => r.k));
  expect(await t.db.webhookMessageDaily.count({ where: { count: { lt: 0 } } })).toBe(0);
}

async function expectConsoleExact(webhookId: string, nows: Date[]) {
  await expectRollupExact();
  for (const now of nows) {
    const m = await getWebhookMetrics({ actor: admin(), id: webhookId, now });
    expect({ successful: m.successful, pending: m.pending, inProgress: m.inProgress, failed: m.failed, skipped: m.skipped }, `cards at ${now.toISOString()}`).toEqual(await directMetrics(webhookId, now));
    expect(await getWebhookDailyStats({ actor: admin(), id: webhookId, now }), `chart at ${now.toISOString()}`).toEqual(await directDaily(webhookId, now));
  }
}

const storedDays = async (webhookId: string) =>
  (await t.db.webhookDailyStat.findMany({ where: { webhookId }, orderBy: { day: "asc" } })).map((r) => r.day.toISOString().slice(0, 10));
const dayKey = (day: number) => new Date(base + day * DAY).toISOString().slice(0, 10);

describe("metric cards and chart: roll-ups equal the direct counts", () => {
  it("stay exact through ingest, delivery, retries, claims, Retry now, Recover, skips, test sends, purge and deletion", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    // Windows whose partial first day falls on a day with messages (day 1 at 10:00 and 20:00).
    const nows = () => [at(1, 11), at(3, 0), at(6, 23.99), at(13), at(29, 15), at(29, 5), at(30, 1)];

    // Day 0: delivered at once.
    for (let i = 0; i < 5; i++) await ingestAt(at(0, 10), `ok-${i}`);
    await deliverAt(at(0, 10));
    await expectConsoleExact(webhook.id, nows());

    // Day 1: two batches; the receiver fails (500: retried later, 410: failed for good).
    rx.setHandler((_r, res, i) => respond(i % 2 ? 500 : 410)(_r, res, i));
    for (let i = 0; i < 4; i++) await ingestAt(at(1, 10), `morning-${i}`);
    await deliverAt(at(1, 10));
    for (let i = 0; i < 4; i++) await ingestAt(at(1, 20), `evening-${i}`);
    await deliverAt(at(1, 20));
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "PENDING" } })).toBeGreaterThan(0);
    await expectConsoleExact(webhook.id, nows());

    // The retries come due on day 2 and succeed there (attempts on a later day than their messages).
    rx.setHandler(respond(200));
    await deliverAt(at(2, 12));
    await expectConsoleExact(webhook.id, nows());

    // Claimed but never recorded (a crashed worker): IN_PROGRESS until the lease expires.
    for (let i = 0; i < 3; i++) await ingestAt(at(3, 9), `crash-${i}`);
    expect(await claimDueMessages({ limit: 2, owner: "gone", leaseMs: 60_000, now: at(3, 9) })).toHaveLength(2);
    await expectConsoleExact(webhook.id, nows());
    expect((await getWebhookMetrics({ actor: admin(), id: webhook.id, now: at(13) })).inProgress).toBe(2);
    await deliverAt(at(3, 10));
    await expectConsoleExact(webhook.id, nows());

    // Retry now and Recover (manual attempts on day 4).
    const failed = await t.db.message.findMany({ where: { webhookId: webhook.id, status: "FAILED" }, orderBy: { createdAt: "asc" } });
    expect(failed.length).toBeGreaterThan(1);
    await retryMessage({ actor: admin(), id: failed[0]!.id, now: at(4, 8) });
    await expectConsoleExact(webhook.id, nows());
    await deliverAt(at(4, 8));
    expect((await recoverFailedMessages({ actor: admin(), id: webhook.id, since: at(0, 0), now: at(4, 9) })).recovered).toBe(failed.length - 1);
    await expectConsoleExact(webhook.id, nows());
    await deliverAt(at(4, 9));
    await expectConsoleExact(webhook.id, nows());

    // Skips: ingested while disabled (SKIPPED at once), and claimed after the webhook was disabled.
    for (let i = 0; i < 2; i++) await ingestAt(at(5, 7), `before-disable-${i}`);
    await setWebhookEnabled({ actor: admin(), id: webhook.id, enabled: false });
    await ingestAt(at(5, 8), "while-disabled");
    await deliverAt(at(5, 8));
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SKIPPED" } })).toBe(3);
    await expectConsoleExact(webhook.id, nows());
    await setWebhookEnabled({ actor: admin(), id: webhook.id, enabled: true });
    await recoverFailedMessages({ actor: admin(), id: webhook.id, since: at(5, 0), now: at(5, 9) });
    await deliverAt(at(5, 9));
    // Test sends count in neither.
    await testWebhook({ actor: admin(), id: webhook.id, mode: "sample", now: at(5, 10) });
    await expectConsoleExact(webhook.id, nows());

    // Messages written by a plain multi-row INSERT (Prisma createMany) are counted too.
    const event = await t.db.event.findFirstOrThrow({ where: { organizationId: admin().organizationId } });
    await t.db.message.createMany({
      data: [at(6, 1), at(6, 2), at(6, 3)].map((createdAt, i) => ({ organizationId: admin().organizationId, webhookId: webhook.id, eventId: event.id, body: "{}", status: i ? "FAILED" : "SUCCEEDED", createdAt })),
    });
    await expectConsoleExact(webhook.id, nows());

    // Retention: this webhook keeps 3 days; purge in small batches, as the drivers do.
    await t.db.webhook.update({ where: { id: webhook.id }, data: { logRetentionDays: 3 } });
    const before = await t.db.message.count({ where: { webhookId: webhook.id } });
    for (let i = 0; i < 50; i++) {
      const r = await purgeExpiredDeliveries({ now: at(7, 6), batchSize: 4 });
      await expectRollupExact();
      if (r.attempts + r.messages === 0) break;
    }
    expect(await t.db.message.count({ where: { webhookId: webhook.id } })).toBeLessThan(before);
    await expectConsoleExact(webhook.id, [...nows(), at(7, 6)]);

    // Deleting the webhook (cascade) takes its messages and both roll-ups with it.
    await deleteWebhook({ actor: admin(), id: webhook.id });
    await expectRollupExact();
    expect(await t.db.webhookMessageDaily.count({ where: { webhookId: webhook.id } })).toBe(0);
    expect(await t.db.webhookDailyStat.count({ where: { webhookId: webhook.id } })).toBe(0);
  });

  it("stores a day only once it is closed, and a late write or a purge makes it computed again", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    // Attempts on either side of midnight between day 7 and day 8, with spread durations.
    const rows = (day: number, hours: number, n: number, success: (i: number) => boolean) =>
      Array.from({ length: n }, (_, i) => ({
        organizationId: admin().organizationId, webhookId: webhook.id, messageId: null, trigger: "AUTO" as const, success: success(i),
        startedAt: new Date(at(day, hours).getTime() + i * 1000), durationMs: 7 + ((i * 37) % 500), requestUrl: rx.url, requestMethod: "POST" as const, requestHeaders: {},
      }));
    await t.db.attempt.createMany({ data: [...rows(6, 12, 40, (i) => i % 3 > 0), ...rows(7, 23.9, 25, (i) => i % 4 > 0), ...rows(8, 0.05, 30, (i) => i % 5 > 0)] });
    // A test send late on day 7: never in the chart.
    await t.db.attempt.createMany({ data: rows(7, 23.95, 3, () => true).map((r) => ({ ...r, trigger: "TEST" as const, durationMs: 100_000 })) });

    // Late on day 7: day 7 is today (live); day 6 is closed and stored.
    await expectConsoleExact(webhook.id, [at(7, 23.99)]);
    expect(await storedDays(webhook.id)).toContain(dayKey(6));
    expect(await storedDays(webhook.id)).not.toContain(dayKey(7));
    // Just after midnight: day 7 is over but could still receive attempts being recorded: live.
    await expectConsoleExact(webhook.id, [at(8, 0.5)]);
    expect(await storedDays(webhook.id)).not.toContain(dayKey(7));
    // Two hours later it is stored, and read back from the roll-up with the same figures.
    await expectConsoleExact(webhook.id, [at(8, 2)]);
    expect(await storedDays(webhook.id)).toContain(dayKey(7));
    const stored = await t.db.webhookDailyStat.findUniqueOrThrow({ where: { webhookId_day: { webhookId: webhook.id, day: new Date(dayKey(7)) } } });
    expect(stored).toMatchObject({ succeeded: 18, failed: 7, organizationId: admin().organizationId });
    await expectConsoleExact(webhook.id, [at(8, 2), at(9), at(13)]);

    // An attempt written into a stored day anyway (a send that began before midnight and was
    // recorded long after): the stored day is dropped, the next read computes it again.
    await t.db.attempt.createMany({ data: rows(7, 23.99, 1, () => false).map((r) => ({ ...r, durationMs: 9_999 })) });
    expect(await storedDays(webhook.id)).not.toContain(dayKey(7));
    await expectConsoleExact(webhook.id, [at(8, 2), at(13)]);
    expect((await getWebhookDailyStats({ actor: admin(), id: webhook.id, now: at(13) })).find((d) => d.day === dayKey(7))).toMatchObject({ succeeded: 18, failed: 8 });

    // A purge that reaches into stored days (part of day 7 included) drops them too.
    expect(await storedDays(webhook.id)).toEqual(expect.arrayContaining([dayKey(6), dayKey(7), dayKey(8)]));
    const purgeAt = new Date(at(7, 23.95).getTime() + 28 * DAY);
    for (let i = 0; i < 20; i++) if ((await purgeExpiredDeliveries({ now: purgeAt, batchSize: 10 })).attempts === 0) break;
    expect(await storedDays(webhook.id)).not.toContain(dayKey(6));
    expect(await storedDays(webhook.id)).not.toContain(dayKey(7));
    await expectConsoleExact(webhook.id, [at(8, 2), at(13)]);
    const day7 = (await getWebhookDailyStats({ actor: admin(), id: webhook.id, now: at(13) })).find((d) => d.day === dayKey(7))!;
    expect(day7.succeeded + day7.failed).toBeGreaterThan(0);
    expect(day7.succeeded + day7.failed).toBeLessThan(26);

    // Days after `now` are not in the window, and a `now` far ahead stores nothing new.
    await expectConsoleExact(webhook.id, [at(6, 1), new Date(Date.now() + 40 * DAY)]);
    // Another organization sees nothing (404).
    await expect(getWebhookDailyStats({ actor: orgs.b.admin.actor, id: webhook.id })).rejects.toMatchObject({ status: 404 });
    await expect(getWebhookMetrics({ actor: orgs.b.admin.actor, id: webhook.id })).rejects.toMatchObject({ status: 404 });
  });
});

describe("attempt search: ids first, trigram indexes", () => {
  it("finds by event id, message id, client event id, error word, body text and status code, as the joined query did", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const other = await makeWebhook(admin(), rx.url);
    rx.setHandler((_r, res, i) => respond(i % 3 === 0 ? 410 : 200)(_r, res, i));
    const events = [];
    for (let i = 0; i < 9; i++) events.push(await ingestAt(at(10, 1 + i / 10), `needle-${i}-body`, `ev-search-${i}`));
    await deliverAt(at(10, 2));
    // The same client id in organization B names another event.
    const bHook = await makeWebhook(orgs.b.admin.actor, rx.url);
    await ingestEvent({ actor: orgs.b.admin.actor, input: alert("org-b", "ev-search-3"), now: at(10, 1) });
    await runDeliveryPass({ now: () => at(10, 2) });
    // Errors with words in them (written as the engine writes them).
    const msg = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id, eventId: events[4]!.id } });
    await t.db.attempt.createMany({
      data: ["connect ECONNREFUSED 127.0.0.1:9", "Timeout: no response within 15000 ms", "100% of 50_ retries"].map((error, i) => ({
        organizationId: admin().organizationId, webhookId: webhook.id, messageId: msg.id, attemptNumber: 2 + i, trigger: "MANUAL" as const, success: false,
        startedAt: at(10, 3 + i), durationMs: 5, requestUrl: rx.url, requestMethod: "POST" as const, requestHeaders: {}, requestBody: msg.body, error,
      })),
    });
    const now = at(12);
    const message0 = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id, eventId: events[0]!.id } });
    // [q, n]: exactly n attempts found, or at least −n when n < 0 (random ids may contain the text).
    const cases: [string, number][] = [
      ["ev-search-3", 1], // the client's event id (not organization B's)
      [events[5]!.id, 1], // an event id
      [message0.id, 1], // a message id
      [msg.id, 4], // a message with four attempts
      ["econnrefused", 1], // an error word, any case
      ["NO RESPONSE", 1],
      ["needle-7-body", 1], // body text
      ["needle-", 12],
      ["410", -3], // a status code (and any body or error containing it: at least the three 410s)
      ["100%", -1], // LIKE's wildcards act as before ("_" also matches "500")
      ["50_", -2],
      ["no-such-text-anywhere", 0],
      [crypto.randomUUID(), 0],
      [bHook.webhook.id, 0],
      ["ne", -12], // shorter than a trigram
    ];
    for (const [q, n] of cases) {
      const got = (await listAttempts({ actor: admin(), id: webhook.id, now, query: { q, limit: "200" } })).attempts.map((a) => a.id);
      expect(got, `q=${q}`).toEqual(await directSearch(webhook.id, q, now));
      if (n >= 0) expect(got.length, `q=${q}`).toBe(n);
      else expect(got.length, `q=${q}`).toBeGreaterThanOrEqual(-n);
      // Keyset pages of the same search add up to the same list.
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listAttempts({ actor: admin(), id: webhook.id, now, query: { q, limit: "2", ...(cursor ? { cursor } : {}) } });
        paged.push(...page.attempts.map((a) => a.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged, `q=${q} paged`).toEqual(got);
    }
    // The other webhook's log does not show this webhook's message, even by its id.
    expect((await listAttempts({ actor: admin(), id: other.webhook.id, now, query: { q: message0.id } })).attempts).toEqual([]);
    // Search combines with the other filters as before.
    const failedOnly = await listAttempts({ actor: admin(), id: webhook.id, now, query: { q: "needle-", status: "failed" } });
    expect(failedOnly.attempts.length).toBeGreaterThan(0);
    expect(failedOnly.attempts.every((a) => !a.success)).toBe(true);
  });

  it("uses the trigram indexes (the extension is installed on this database)", async () => {
    const ext = await t.db.$queryRawUnsafe<{ extname: string }[]>(`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`);
    expect(ext).toHaveLength(1);
    const idx = await t.db.$queryRawUnsafe<{ indexname: string }[]>(`SELECT indexname FROM pg_indexes WHERE tablename = 'Attempt' AND indexdef LIKE '%gin_trgm_ops%' ORDER BY 1`);
    expect(idx.map((r) => r.indexname)).toEqual(["Attempt_error_trgm_idx", "Attempt_requestBody_trgm_idx"]);
  });
});

describe("schema and migrations", () => {
  it("have no drift: a new migration from the current schema would be empty", async () => {
    // The hand-written SQL of perf_console (extension, triggers, backfill) is invisible to
    // Prisma's diff; everything Prisma does see must match the schema exactly.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hy-drift-"));
    fs.cpSync(PRISMA_DIR, dir, { recursive: true });
    const scratch = createPGlite(null);
    try {
      expect(await createMigration({ prismaDir: dir, name: "drift", factory: new PrismaPGliteWithExtensions(scratch) })).toBeNull();
    } finally {
      await scratch.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
