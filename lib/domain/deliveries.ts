/**
 * What support staff and template authors do with deliveries: metrics over
 * 28 days (a message counts once however many attempts it took), the attempt
 * log with filters and keyset pages, message details, Retry now, Recover
 * failed since…, and Test (raw template or sample values).
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { requirePermission, type TActor } from "@/lib/auth/actor";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { sampleValues, type TEventTypeKey } from "@/lib/catalog";
import { renderTemplate } from "@/lib/templates";
import { sendWebhookRequest } from "@/lib/delivery/http";
import { buildDeliveryRequest, type TDeliverySettings } from "@/lib/delivery/request";
import { deliveryAllowPrivate, USER_AGENT } from "@/lib/delivery/config";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { notifyDeliveryLoops, wakeDeliveryLoops } from "@/lib/delivery/wake";
import { ZAttemptQuery, type TAttemptQuery } from "@/lib/validation/webhook";
import { z } from "zod";
import crypto from "node:crypto";
import { recordAudit } from "./audit";
import { consumeRateLimit } from "./rate-limit";
import { openWebhookSecrets } from "./webhook-secrets";

const DAY_MS = 86_400_000;
export const METRICS_WINDOW_DAYS = 28;
const ZUuid = z.string().uuid();

async function ownedWebhook(actor: TActor, id: string) {
  if (!ZUuid.safeParse(id).success) throw new NotFound("Webhook");
  const w = await getDb().webhook.findFirst({ where: { id, organizationId: actor.organizationId } });
  if (!w) throw new NotFound("Webhook");
  return w;
}

export type TWebhookMetrics = { successful: number; pending: number; inProgress: number; failed: number; skipped: number; total: number; successRate: number | null; from: Date; to: Date };

/** Midnight (UTC) of the day holding `t`. */
function utcDayStart(t: Date | number): Date {
  const d = new Date(t);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/**
 * Messages created since now − 28 days, by status (a message counts once,
 * however many attempts it took). Whole days come from WebhookMessageDaily —
 * kept exact by triggers on "Message" for every statement that inserts,
 * re-statuses or deletes messages — and only the partial first day of the
 * window is counted from "Message" itself (an index-only range scan). Same
 * answer as counting `"createdAt" >= from` directly, which has no upper bound
 * either: days after `now` count in both.
 */
export async function getWebhookMetrics(opts: { actor: TActor; id: string; now?: Date }): Promise<TWebhookMetrics> {
  requirePermission(opts.actor, "message:read");
  const w = await ownedWebhook(opts.actor, opts.id);
  const to = opts.now ?? new Date();
  const from = new Date(to.getTime() - METRICS_WINDOW_DAYS * DAY_MS);
  const firstDayEnd = new Date(utcDayStart(from).getTime() + DAY_MS);
  const scope = { organizationId: opts.actor.organizationId, webhookId: w.id };
  const wholeDays = await getDb().webhookMessageDaily.groupBy({ by: ["status"], where: { ...scope, day: { gte: firstDayEnd } }, _sum: { count: true } });
  const firstDay = await getDb().message.groupBy({ by: ["status"], where: { ...scope, createdAt: { gte: from, lt: firstDayEnd } }, _count: { _all: true } });
  const n = (s: string) => (wholeDays.find((g) => g.status === s)?._sum.count ?? 0) + (firstDay.find((g) => g.status === s)?._count._all ?? 0);
  const m = { successful: n("SUCCEEDED"), pending: n("PENDING"), inProgress: n("IN_PROGRESS"), failed: n("FAILED"), skipped: n("SKIPPED") };
  const total = m.successful + m.pending + m.inProgress + m.failed + m.skipped;
  return { ...m, total, successRate: m.successful + m.failed ? m.successful / (m.successful + m.failed) : null, from, to };
}

export type TDailyPoint = { day: string; succeeded: number; failed: number; p50Ms: number | null; p95Ms: number | null };

type TDayFigures = { day: string; succeeded: number; failed: number; p50: number | null; p95: number | null };

/**
 * How long after a day ends it may still receive attempts: an attempt's
 * "startedAt" is when its send began, written when the send ends (up to
 * DELIVERY_TIMEOUT_MS later, plus a pass's batching), and a worker may be
 * stalled. A day is stored only once this has passed on both clocks (the
 * `now` asked for and the real one); triggers on "Attempt" remove a stored
 * day that is written to later anyway, this only keeps that from racing.
 */
const CLOSED_DAY_GRACE_MS = 3_600_000;

/** The chart's figures per UTC day for attempts started in [from, to) — test sends excluded. */
async function computeDays(opts: { organizationId: string; webhookId: string; from: Date; to: Date }): Promise<TDayFigures[]> {
  return getDb().$queryRawUnsafe<TDayFigures[]>(
    `SELECT to_char(date_trunc('day', "startedAt"), 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE "success")::int AS succeeded,
            count(*) FILTER (WHERE NOT "success")::int AS failed,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p95
       FROM "Attempt"
      WHERE "organizationId" = $1::uuid AND "webhookId" = $2::uuid AND "startedAt" >= $3 AND "startedAt" < $4 AND "trigger" <> 'TEST'
      GROUP BY 1 ORDER BY 1`,
    opts.organizationId,
    opts.webhookId,
    opts.from,
    opts.to,
  );
}

/**
 * Per day over 28 days: attempts succeeded / failed and duration percentiles
 * (test sends excluded). Closed days are read from WebhookDailyStat, computed
 * once per missing day with the same SQL restricted to that day; today (and any
 * day that may still change, see below) is computed live.
 *
 * A day is stored only when it is over on both clocks by CLOSED_DAY_GRACE_MS,
 * and when no retention purge can reach it within that margin either (purges
 * delete "startedAt" < now − logRetentionDays: a webhook keeping fewer than 28
 * days has its oldest days computed live). Triggers on "Attempt" delete a
 * stored day whenever one of its attempts is inserted, updated or deleted, so
 * a stored day equals the live figure at all times.
 */
export async function getWebhookDailyStats(opts: { actor: TActor; id: string; now?: Date }): Promise<TDailyPoint[]> {
  requirePermission(opts.actor, "message:read");
  const w = await ownedWebhook(opts.actor, opts.id);
  const to = opts.now ?? new Date();
  const scope = { organizationId: opts.actor.organizationId, webhookId: w.id };
  const today = utcDayStart(to);
  const from = new Date(today.getTime() - (METRICS_WINDOW_DAYS - 1) * DAY_MS);
  const end = new Date(today.getTime() + DAY_MS);
  const realNow = Date.now();
  // Stored days: [storeFrom, storeTo), whole days only.
  const earliestSafe = Math.max(to.getTime(), realNow) - w.logRetentionDays * DAY_MS + CLOSED_DAY_GRACE_MS;
  const storeFrom = new Date(Math.max(from.getTime(), utcDayStart(earliestSafe + DAY_MS - 1).getTime()));
  const storeTo = new Date(Math.min(today.getTime(), utcDayStart(Math.min(to.getTime(), realNow) - CLOSED_DAY_GRACE_MS).getTime()));

  const byDay = new Map<string, TDayFigures>();
  const liveRanges: [Date, Date][] = [];
  if (storeFrom < storeTo) {
    const stored = await getDb().webhookDailyStat.findMany({ where: { ...scope, day: { gte: storeFrom, lt: storeTo } } });
    for (const r of stored) byDay.set(r.day.toISOString().slice(0, 10), { day: r.day.toISOString().slice(0, 10), succeeded: r.succeeded, failed: r.failed, p50: r.p50Ms, p95: r.p95Ms });
    const missing: Date[] = [];
    for (let t = storeFrom.getTime(); t < storeTo.getTime(); t += DAY_MS) if (!byDay.has(new Date(t).toISOString().slice(0, 10))) missing.push(new Date(t));
    if (missing.length) {
      const computed = await computeDays({ ...scope, from: missing[0]!, to: new Date(missing[missing.length - 1]!.getTime() + DAY_MS) });
      const rows = missing.map((day) => {
        const key = day.toISOString().slice(0, 10);
        const r = computed.find((x) => x.day === key) ?? { day: key, succeeded: 0, failed: 0, p50: null, p95: null };
        byDay.set(key, r);
        return { ...scope, day, succeeded: r.succeeded, failed: r.failed, p50Ms: r.p50, p95Ms: r.p95 };
      });
      // Storing is an optimisation: the answer is already computed (a concurrent
      // deletion of the webhook, say, must not fail the read).
      await getDb()
        .webhookDailyStat.createMany({ data: rows, skipDuplicates: true })
        .catch((error: unknown) => logger.warn({ err: error, webhookId: w.id }, "daily stats: could not store closed days"));
    }
    if (from < storeFrom) liveRanges.push([from, storeFrom]);
    liveRanges.push([storeTo, end]);
  } else {
    liveRanges.push([from, end]);
  }
  for (const [a, b] of liveRanges) for (const r of await computeDays({ ...scope, from: a, to: b })) byDay.set(r.day, r);

  const out: TDailyPoint[] = [];
  for (let i = 0; i < METRICS_WINDOW_DAYS; i++) {
    const day = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    const r = byDay.get(day);
    out.push({ day, succeeded: r?.succeeded ?? 0, failed: r?.failed ?? 0, p50Ms: r?.p50 == null ? null : Math.round(r.p50), p95Ms: r?.p95 == null ? null : Math.round(r.p95) });
  }
  return out;
}

export type TAttemptRow = {
  id: string;
  messageId: string | null;
  eventId: string | null;
  attemptNumber: number;
  trigger: string;
  success: boolean;
  statusCode: number | null;
  durationMs: number;
  startedAt: Date;
  error: string | null;
  messageStatus: string | null;
};

function encodeCursor(a: { startedAt: Date; id: string }): string {
  return Buffer.from(`${a.startedAt.toISOString()}|${a.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { startedAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const startedAt = new Date(iso ?? "");
  if (!id || Number.isNaN(startedAt.getTime()) || !ZUuid.safeParse(id).success) throw new Invalid("cursor is not valid: start again from the first page", [{ path: "cursor", message: "Invalid cursor" }]);
  return { startedAt, id };
}

/**
 * The webhook's messages a search text names: the event's client id (unique per
 * organization), or — when the text is a uuid — the message id or the event id.
 * Index lookups only; a handful of ids at most.
 */
async function matchingMessageIds(opts: { organizationId: string; webhookId: string; text: string }): Promise<string[]> {
  const isUuid = ZUuid.safeParse(opts.text).success;
  const event = await getDb().event.findUnique({ where: { organizationId_externalId: { organizationId: opts.organizationId, externalId: opts.text } }, select: { id: true } });
  const eventIds = [...(event ? [event.id] : []), ...(isUuid ? [opts.text] : [])];
  const or: Prisma.MessageWhereInput[] = [...(eventIds.length ? [{ eventId: { in: eventIds } }] : []), ...(isUuid ? [{ id: opts.text }] : [])];
  if (!or.length) return [];
  const rows = await getDb().message.findMany({ where: { organizationId: opts.organizationId, webhookId: opts.webhookId, OR: or }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** The attempt log of a webhook, newest first, in keyset pages. */
export async function listAttempts(opts: { actor: TActor; id: string; query: unknown; now?: Date }): Promise<{ attempts: TAttemptRow[]; nextCursor: string | null }> {
  requirePermission(opts.actor, "message:read");
  const w = await ownedWebhook(opts.actor, opts.id);
  const parsed = ZAttemptQuery.safeParse(opts.query ?? {});
  if (!parsed.success) throw new Invalid(`Query is invalid: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`, parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  const q: TAttemptQuery = parsed.data;
  const now = opts.now ?? new Date();
  const where: Prisma.AttemptWhereInput = {
    organizationId: opts.actor.organizationId,
    webhookId: w.id,
    startedAt: { gte: q.from ?? new Date(now.getTime() - METRICS_WINDOW_DAYS * DAY_MS), ...(q.to ? { lte: q.to } : {}) },
  };
  const and: Prisma.AttemptWhereInput[] = [];
  if (q.status === "successful") where.success = true;
  if (q.status === "failed") where.success = false;
  if (q.status === "pending") where.message = { status: "PENDING" };
  if (q.status === "in_progress") where.message = { status: "IN_PROGRESS" };
  if (q.q) {
    const text = q.q;
    // The ids are resolved first (unique indexes) so that the attempt query has no
    // Message/Event relation filter: those made Prisma join both tables and OR the
    // join with the text search, which scanned every attempt of the webhook.
    const messageIds = await matchingMessageIds({ organizationId: opts.actor.organizationId, webhookId: w.id, text });
    // The text conditions use the pg_trgm GIN indexes on "error" and "requestBody".
    const or: Prisma.AttemptWhereInput[] = [{ error: { contains: text, mode: "insensitive" } }, { requestBody: { contains: text } }];
    if (/^\d{3}$/.test(text)) or.push({ statusCode: Number(text) });
    if (messageIds.length) or.push({ messageId: { in: messageIds } });
    and.push({ OR: or });
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    and.push({ OR: [{ startedAt: { lt: c.startedAt } }, { startedAt: c.startedAt, id: { lt: c.id } }] });
  }
  if (and.length) where.AND = and;
  const rows = await getDb().attempt.findMany({
    where,
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: { id: true, messageId: true, attemptNumber: true, trigger: true, success: true, statusCode: true, durationMs: true, startedAt: true, error: true, message: { select: { status: true, eventId: true } } },
  });
  const page = rows.slice(0, q.limit);
  return {
    attempts: page.map(({ message, ...a }) => ({ ...a, eventId: message?.eventId ?? null, messageStatus: message?.status ?? null })),
    nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}

/** One message with its attempts (request and response details, secrets masked at write time). */
export async function getMessage(opts: { actor: TActor; id: string }) {
  requirePermission(opts.actor, "message:read");
  if (!ZUuid.safeParse(opts.id).success) throw new NotFound("Message");
  const m = await getDb().message.findFirst({
    where: { id: opts.id, organizationId: opts.actor.organizationId },
    include: { attempts: { orderBy: { attemptNumber: "asc" } }, event: { select: { id: true, externalId: true, type: true, occurredAt: true } }, webhook: { select: { id: true, name: true } } },
  });
  if (!m) throw new NotFound("Message");
  const { leaseOwner: _owner, ...rest } = m;
  return rest;
}

/** Retry now: the message is due at once; its next attempt counts as manual. */
export async function retryMessage(opts: { actor: TActor; id: string; now?: Date }): Promise<{ id: string; status: string }> {
  requirePermission(opts.actor, "message:retry");
  if (!ZUuid.safeParse(opts.id).success) throw new NotFound("Message");
  const now = opts.now ?? new Date();
  const result = await getDb().$transaction(async (tx) => {
    const m = await tx.message.findFirst({ where: { id: opts.id, organizationId: opts.actor.organizationId }, select: { id: true, status: true, webhookId: true } });
    if (!m) throw new NotFound("Message");
    if (m.status === "IN_PROGRESS") throw new Conflict("This message is being delivered right now.");
    if (m.status === "SUCCEEDED") throw new Conflict("This message was already delivered.");
    await tx.message.update({ where: { id: m.id }, data: { status: "PENDING", nextAttemptAt: now, retryTrigger: "MANUAL", completedAt: null } });
    await recordAudit({ tx, actor: opts.actor, action: "message.retried", targetType: "Message", targetId: m.id });
    await notifyDeliveryLoops({ tx });
    return { id: m.id, status: "PENDING" };
  });
  wakeDeliveryLoops();
  return result;
}

/** Recover: every failed or skipped message of the webhook since a time goes back to the queue. */
export async function recoverFailedMessages(opts: { actor: TActor; id: string; since: Date; now?: Date }): Promise<{ recovered: number }> {
  requirePermission(opts.actor, "message:retry");
  const w = await ownedWebhook(opts.actor, opts.id);
  const now = opts.now ?? new Date();
  const recovered = await getDb().$transaction(async (tx) => {
    const { count } = await tx.message.updateMany({
      where: { organizationId: opts.actor.organizationId, webhookId: w.id, status: { in: ["FAILED", "SKIPPED"] }, createdAt: { gte: opts.since } },
      data: { status: "PENDING", nextAttemptAt: now, retryTrigger: "MANUAL", completedAt: null },
    });
    await recordAudit({ tx, actor: opts.actor, action: "webhook.recovered", targetType: "Webhook", targetId: w.id, changes: { since: opts.since.toISOString(), recovered: count } });
    if (count) await notifyDeliveryLoops({ tx });
    return count;
  });
  if (recovered) wakeDeliveryLoops();
  return { recovered };
}

export type TTestResult = { ok: boolean; statusCode: number | null; durationMs: number; bodyExcerpt: string | null; error: string | null; attemptId: string; requestBody: string | null };

/**
 * Test: send the template now — raw (variables as written, 003) or rendered
 * with sample values — and record a test attempt that no metric counts.
 */
export async function testWebhook(opts: { actor: TActor; id: string; mode: "raw" | "sample"; now?: Date }): Promise<TTestResult> {
  requirePermission(opts.actor, "webhook:test");
  const w = await ownedWebhook(opts.actor, opts.id);
  await consumeRateLimit({
    key: `test:${opts.actor.userId ?? opts.actor.apiKeyId ?? "?"}:${w.id}`,
    limit: getEnv().RATE_LIMIT_TESTS_PER_MINUTE,
    windowMs: 60_000,
    what: "test sends for this webhook",
    now: opts.now,
  });
  const eventType = w.eventTypes[0] as TEventTypeKey;
  const body = opts.mode === "raw" ? renderTemplate(w.template, {}, { mode: "raw" }) : renderTemplate(w.template, { ...sampleValues(eventType), event_type: eventType }, { eventType });
  const now = opts.now ?? new Date();
  const settings: TDeliverySettings = {
    targetUrl: w.targetUrl,
    method: w.method,
    contentType: w.contentType,
    customHeaders: (w.customHeaders ?? []) as TDeliverySettings["customHeaders"],
    signStandard: w.signStandard,
    signHexHeader: w.signHexHeader,
    signBase64: w.signBase64,
    authType: w.authType,
    authConfig: (w.authConfig ?? {}) as TDeliverySettings["authConfig"],
  };
  const secrets = await openWebhookSecrets({ organizationId: w.organizationId, webhookId: w.id, now });
  const testId = `test_${crypto.randomUUID()}`;
  const request = buildDeliveryRequest({ settings, secrets, messageId: testId, body, now, userAgent: USER_AGENT, causationDepth: 0 });
  const response = await sendWebhookRequest({ url: request.url, method: request.method, headers: request.headers, body: request.body, tls: request.tls, timeoutMs: getEnv().DELIVERY_TIMEOUT_MS, allowPrivate: deliveryAllowPrivate() });
  const error = response.ok ? null : (response.error ?? (response.statusCode ? `HTTP ${response.statusCode}` : "delivery failed"));
  const attempt = await getDb().$transaction(async (tx) => {
    const a = await tx.attempt.create({
      data: {
        organizationId: w.organizationId, webhookId: w.id, messageId: null, attemptNumber: 1, trigger: "TEST", success: response.ok,
        startedAt: now, durationMs: response.durationMs, statusCode: response.statusCode ?? null, requestUrl: request.url,
        requestMethod: request.method, requestHeaders: request.loggedHeaders as Prisma.InputJsonValue, requestBody: request.body ?? null,
        responseHeaders: (response.responseHeaders ?? undefined) as Prisma.InputJsonValue | undefined, responseBody: response.bodyExcerpt ?? null,
        error: response.location ? `${error} (Location: ${response.location})` : error, errorCode: response.errorCode ?? null,
      },
    });
    await recordAudit({ tx, actor: opts.actor, action: "webhook.tested", targetType: "Webhook", targetId: w.id, changes: { mode: opts.mode, statusCode: response.statusCode ?? null } });
    return a;
  });
  return { ok: response.ok, statusCode: response.statusCode ?? null, durationMs: response.durationMs, bodyExcerpt: response.bodyExcerpt ?? null, error, attemptId: attempt.id, requestBody: request.body ?? null };
}

/** One attempt with request and response details. */
export async function getAttempt(opts: { actor: TActor; id: string }) {
  requirePermission(opts.actor, "message:read");
  if (!ZUuid.safeParse(opts.id).success) throw new NotFound("Attempt");
  const a = await getDb().attempt.findFirst({
    where: { id: opts.id, organizationId: opts.actor.organizationId },
    include: { message: { select: { id: true, status: true, attemptCount: true, nextAttemptAt: true, eventId: true } } },
  });
  if (!a) throw new NotFound("Attempt");
  return a;
}
