/**
 * Ingest: one atomic statement stores the event and one Message per matching
 * enabled webhook (the transactional outbox). Idempotent on the client's
 * event id per organization.
 */
import crypto from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { preparedSql } from "@/lib/db/statements";
import { getEnv } from "@/lib/env";
import { requirePermission, type TActor } from "@/lib/auth/actor";
import { Invalid } from "@/lib/errors";
import { logger } from "@/lib/log";
import {
  buildWorkspaceEventValues,
  formatIsoUtc,
  matchesConditions,
  OPERATIONAL_EVENT_TYPE_KEYS,
  valuesSchemaFor,
  ConditionError,
  type TCondition,
  type TEventTypeKey,
} from "@/lib/catalog";
import { renderTemplate } from "@/lib/templates";
import { ZEventIngest, type TEventIngest } from "@/lib/validation/event";
import { zodIssuesOf } from "@/lib/validation/issues";
import { consumeRateLimit } from "@/lib/domain/rate-limit";
import { countIngestedEvent } from "@/lib/metrics/process";
import { NOTIFY_CHANNEL, wakeDeliveryLoops } from "./wake";

type TTx = Prisma.TransactionClient;

export type TIngestResult = { id: string; duplicate: boolean; messages: number; skipped?: number };

const WORKSPACE_TYPE: TEventTypeKey = "operation.workspace_executed";

/** Validates an API event body; variable values are checked against the event type. */
export function parseEventInput(raw: unknown): TEventIngest {
  const base = ZEventIngest.safeParse(raw);
  if (!base.success) throw new Invalid(`Event is invalid: ${describe(zodIssuesOf(base.error))}`, zodIssuesOf(base.error));
  const input = base.data;
  if (OPERATIONAL_EVENT_TYPE_KEYS.includes(input.type)) {
    throw new Invalid(`type: ${input.type} is emitted by Hookyard itself and cannot be sent`, [{ path: "type", message: "Emitted by Hookyard itself" }]);
  }
  const data = valuesSchemaFor(input.type).safeParse(input.data);
  if (!data.success) {
    const issues = zodIssuesOf(data.error, "data");
    throw new Invalid(`Event is invalid: ${describe(issues)}`, issues);
  }
  if (input.workspaces) {
    if (input.type !== "operation.executed") throw new Invalid("workspaces are only accepted with type operation.executed", [{ path: "workspaces", message: "Only for operation.executed" }]);
    const ws = valuesSchemaFor(WORKSPACE_TYPE);
    input.workspaces.forEach((w, i) => {
      const r = ws.safeParse(w);
      if (!r.success) {
        const issues = zodIssuesOf(r.error, `workspaces.${i}`);
        throw new Invalid(`Event is invalid: ${describe(issues)}`, issues);
      }
    });
  }
  return input;
}

function describe(issues: { path: string; message: string }[]): string {
  const first = issues[0];
  return first ? `${first.path}: ${first.message}` : "invalid";
}

/** POST /api/v1/events: the organization's platform reports something that happened. */
export async function ingestEvent(opts: { actor: TActor; input: unknown; now?: Date }): Promise<TIngestResult> {
  requirePermission(opts.actor, "event:ingest");
  if (opts.actor.apiKeyId) {
    await consumeRateLimit({ key: `ingest:${opts.actor.apiKeyId}`, limit: getEnv().RATE_LIMIT_INGEST_PER_MINUTE, windowMs: 60_000, what: "events for this API key", now: opts.now });
  }
  const input = parseEventInput(opts.input);
  const result = await storeEvent({ organizationId: opts.actor.organizationId, input, now: opts.now });
  if (!result.duplicate) countIngestedEvent({ messages: result.messages });
  return result;
}

type TCandidate = {
  id: string;
  enabled: boolean;
  batchMode: "NONE" | "TIME" | "COUNT";
  batchIntervalSec: number | null;
  batchCount: number | null;
  eventTypes: string[];
  template: string;
  allResources: boolean;
  conditions: unknown;
  loopThreshold: number;
  /** External ids of the webhook's resources (not read for allResources webhooks: they match any). */
  resources: string[];
};

function commonValues(org: { id: string; name: string }, type: string, occurredAt: Date) {
  return { event_type: type, organization_id: org.id, organization_name: org.name, timestamp: formatIsoUtc(occurredAt) };
}

function matches(webhook: TCandidate, values: Record<string, unknown>, resource: string | undefined, depth: number, eventId: string): boolean {
  if (webhook.loopThreshold > 0 && depth > webhook.loopThreshold) {
    logger.warn({ webhookId: webhook.id, eventId, causationDepth: depth, loopThreshold: webhook.loopThreshold }, "loop guard: event not fanned out to webhook");
    return false;
  }
  if (!webhook.allResources && !(resource && webhook.resources.includes(resource))) return false;
  const conditions = (webhook.conditions ?? []) as TCondition[];
  if (conditions.length === 0) return true;
  try {
    return matchesConditions(conditions, values);
  } catch (error) {
    if (error instanceof ConditionError) {
      logger.warn({ webhookId: webhook.id, eventId, reason: error.message }, "condition could not be evaluated: webhook skipped");
      return false;
    }
    throw error;
  }
}

/** Default longest wait of a count-based batch that never fills. */
export const DEFAULT_BATCH_MAX_WAIT_SEC = 60;

/**
 * When a new message is due: at once; for a disabled webhook never (SKIPPED);
 * time-based batches at the next window boundary, so one window's messages
 * come due together; count-based batches after the longest wait, unless the
 * batch fills first (releaseFullBatches).
 */
export function firstAttemptAt(webhook: Pick<TCandidate, "batchMode" | "batchIntervalSec">, now: Date): Date {
  if (webhook.batchMode === "TIME") {
    const window = Math.max(1, webhook.batchIntervalSec ?? 1) * 1000;
    return new Date(Math.ceil((now.getTime() + 1) / window) * window);
  }
  if (webhook.batchMode === "COUNT") return new Date(now.getTime() + (webhook.batchIntervalSec ?? DEFAULT_BATCH_MAX_WAIT_SEC) * 1000);
  return now;
}

/** One message row as the insert's json_to_recordset reads it (timestamps as ISO strings, UTC). */
type TMessageRow = {
  id: string;
  webhookId: string;
  workspaceIndex: number | null;
  status: "PENDING" | "SKIPPED";
  body: string;
  nextAttemptAt: string | null;
  lastError: string | null;
};

const SKIPPED_REASON = "Webhook was disabled when the event arrived: recover it after enabling";

function newMessage(webhook: TCandidate, m: { body: string; now: Date; workspaceIndex?: number }): TMessageRow {
  const base = { id: crypto.randomUUID(), webhookId: webhook.id, workspaceIndex: m.workspaceIndex ?? null, body: m.body };
  if (!webhook.enabled) return { ...base, status: "SKIPPED", nextAttemptAt: null, lastError: SKIPPED_REASON };
  return { ...base, status: "PENDING", nextAttemptAt: firstAttemptAt(webhook, m.now).toISOString(), lastError: null };
}

type TDbLike = TTx | ReturnType<typeof getDb>;

/**
 * The organization's name and its candidate webhooks (event type, enabled or
 * once enabled, not excluded) with their resources' external ids, in ONE
 * query: Prisma's findMany with a nested select costs a second round trip for
 * the resources, and the organization was a third. The LEFT JOIN keeps the
 * organization's row when no webhook matches.
 */
async function readCandidates(db: TDbLike, opts: { organizationId: string; types: string[]; excludeWebhookIds: string[] }): Promise<{ organization: { id: string; name: string }; webhooks: TCandidate[] }> {
  type TRow = Omit<TCandidate, "resources" | "id"> & { id: string | null; organizationName: string; resources: string[] | null };
  const rows = await db.$queryRawUnsafe<TRow[]>(
    READ_CANDIDATES_SQL,
    opts.organizationId,
    JSON.stringify(opts.types),
    JSON.stringify(opts.excludeWebhookIds),
  );
  const first = rows[0];
  if (!first) throw new Error(`Organization ${opts.organizationId} not found`);
  const webhooks = rows
    .filter((r): r is TRow & { id: string } => r.id !== null)
    .map(({ organizationName: _name, resources, ...w }) => ({ ...w, resources: resources ?? [] }));
  return { organization: { id: opts.organizationId, name: first.organizationName }, webhooks };
}

const READ_CANDIDATES_SQL = preparedSql(
  "ingest_read",
  `SELECT o."name" AS "organizationName",
            w."id"::text AS "id", w."enabled", w."batchMode"::text AS "batchMode", w."batchIntervalSec", w."batchCount", w."eventTypes",
            w."template", w."allResources", w."conditions", w."loopThreshold",
            CASE WHEN w."allResources" THEN NULL ELSE (
              SELECT json_agg(r."externalId") FROM "WebhookResource" wr JOIN "Resource" r ON r."id" = wr."resourceId"
               WHERE wr."webhookId" = w."id" AND r."organizationId" = o."id") END AS "resources"
       FROM "Organization" o
       LEFT JOIN "Webhook" w
         ON w."organizationId" = o."id"
        AND w."eventTypes" && ARRAY(SELECT json_array_elements_text($2::json))
        -- Disabled webhooks that were once enabled keep a visible, recoverable record (SKIPPED).
        AND (w."enabled" OR w."disabledAt" IS NOT NULL)
        AND w."id"::text <> ALL(ARRAY(SELECT json_array_elements_text($3::json)))
      WHERE o."id" = $1::uuid`,
);

/**
 * Writes the event and its messages as ONE statement (a data-modifying CTE is
 * atomic on its own, so no interactive transaction and its extra round trips):
 *
 * - `ev`: the event; ON CONFLICT on (organizationId, externalId) returns no
 *   row for a duplicate (it waits for a racing insert of the same id to
 *   commit or roll back), and then nothing else is written.
 * - `full_batch` / `released`: a count-based batch that reaches its size
 *   with this event's messages is due now (releaseFullBatches, as one
 *   statement). The CTEs share one snapshot, so the waiting count adds the
 *   new rows to the committed ones, and the new rows get the due time as they
 *   are inserted (the UPDATE cannot see them).
 * - `inserted`: the messages from one json_to_recordset parameter — 5.6×
 *   faster than createMany for 1,000 rows (docs/performance.md). Columns are
 *   listed: any other column takes its default.
 * - pg_notify (PostgreSQL, when a message is queued) is sent on commit.
 * - `existing`: a duplicate's stored event when it was committed before this
 *   statement began (its snapshot cannot see a racing winner's row).
 */
function writeEventSql(opts: { notify: boolean }): string {
  return preparedSql(
    opts.notify ? "ingest_write_notify" : "ingest_write",
    `WITH ev AS (
      INSERT INTO "Event" ("id", "organizationId", "externalId", "type", "resourceExtId", "occurredAt", "data", "workspaces", "causationDepth", "actorUserId", "messageCount", "createdAt")
      VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::timestamp(3), $7::jsonb, $8::jsonb, $9::int, $10::uuid, $11::int, $12::timestamp(3))
      ON CONFLICT ("organizationId", "externalId") DO NOTHING
      RETURNING "id"
    ), v AS (
      SELECT * FROM json_to_recordset($13::json) AS v("id" uuid, "webhookId" uuid, "workspaceIndex" int, "status" "MessageStatus", "body" text, "nextAttemptAt" timestamp(3), "lastError" text)
    ), full_batch AS (
      SELECT b."webhookId" FROM json_to_recordset($14::json) AS b("webhookId" uuid, "batchCount" int)
       WHERE EXISTS (SELECT 1 FROM ev)
         AND (SELECT count(*) FROM "Message" m
               WHERE m."organizationId" = $2::uuid AND m."webhookId" = b."webhookId" AND m."status" = 'PENDING' AND m."attemptCount" = 0 AND m."nextAttemptAt" > $15::timestamp(3))
           + (SELECT count(*) FROM v WHERE v."webhookId" = b."webhookId" AND v."status" = 'PENDING' AND v."nextAttemptAt" > $15::timestamp(3))
           >= b."batchCount"
    ), released AS (
      UPDATE "Message" m SET "nextAttemptAt" = $15::timestamp(3), "updatedAt" = $12::timestamp(3)
       WHERE m."organizationId" = $2::uuid AND m."webhookId" IN (SELECT "webhookId" FROM full_batch)
         AND m."status" = 'PENDING' AND m."attemptCount" = 0 AND m."nextAttemptAt" > $15::timestamp(3)
      RETURNING 1
    ), inserted AS (
      INSERT INTO "Message" ("id", "organizationId", "webhookId", "eventId", "workspaceIndex", "status", "body", "nextAttemptAt", "lastError", "createdAt", "updatedAt")
      SELECT v."id", $2::uuid, v."webhookId", ev."id", v."workspaceIndex", v."status", v."body",
             CASE WHEN v."status" = 'PENDING' AND v."nextAttemptAt" > $15::timestamp(3) AND v."webhookId" IN (SELECT "webhookId" FROM full_batch)
                  THEN $15::timestamp(3) ELSE v."nextAttemptAt" END,
             v."lastError", $12::timestamp(3), $12::timestamp(3)
        FROM v CROSS JOIN ev
      RETURNING 1
    )
    SELECT (SELECT "id"::text FROM ev) AS "id", (SELECT count(*)::int FROM inserted) AS "inserted", (SELECT count(*)::int FROM released) AS "released",
           -- A duplicate committed before this statement began (the snapshot sees it; a racing winner is read afterwards).
           (SELECT json_build_object('id', e."id", 'messageCount', e."messageCount") FROM "Event" e
             WHERE e."organizationId" = $2::uuid AND e."externalId" = $3::text) AS "existing"${
      opts.notify ? `, (SELECT pg_notify('${NOTIFY_CHANNEL}', '')::text FROM ev) AS "notified"` : ""
    }`,
  );
}

const WRITE_EVENT_SQL = { notify: writeEventSql({ notify: true }), quiet: writeEventSql({ notify: false }) };

/**
 * Stores a validated event and its messages. Used by the API and by internal
 * emits (object.* events for webhooks changed through Hookyard), optionally
 * inside the caller's transaction. Two round trips: read the candidates, write
 * everything (a third only when a racing request with the same id won).
 */
export async function storeEvent(opts: {
  organizationId: string;
  input: TEventIngest;
  actorUserId?: string;
  now?: Date;
  tx?: TTx;
  /** Webhooks that must not receive this event (an operational event about themselves). */
  excludeWebhookIds?: string[];
}): Promise<TIngestResult> {
  const { input, organizationId } = opts;
  const db: TDbLike = opts.tx ?? getDb();
  const now = opts.now ?? new Date();
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
  const depth = input.causationDepth ?? 0;

  const wantTypes = [input.type, ...(input.type === "operation.executed" && input.workspaces?.length ? [WORKSPACE_TYPE] : [])];
  const { organization: org, webhooks } = await readCandidates(db, { organizationId, types: wantTypes, excludeWebhookIds: opts.excludeWebhookIds ?? [] });

  const eventId = crypto.randomUUID();
  const messages: TMessageRow[] = [];
  const base = { ...input.data, ...commonValues(org, input.type, occurredAt) };
  for (const webhook of webhooks) {
    if (webhook.eventTypes.includes(input.type) && matches(webhook, base, input.resource, depth, eventId)) {
      messages.push(newMessage(webhook, { body: renderTemplate(webhook.template, base), now }));
    }
    if (input.type === "operation.executed" && webhook.eventTypes.includes(WORKSPACE_TYPE)) {
      (input.workspaces ?? []).forEach((workspace, index) => {
        const values = { ...buildWorkspaceEventValues(input.data, workspace), ...commonValues(org, WORKSPACE_TYPE, occurredAt) };
        if (!matches(webhook, values, input.resource, depth, eventId)) return;
        messages.push(newMessage(webhook, { body: renderTemplate(webhook.template, values), now, workspaceIndex: index }));
      });
    }
  }
  const queued = messages.filter((m) => m.status !== "SKIPPED");
  // Count-based batches this event adds to: released in the write when full.
  const batches = webhooks
    .filter((w) => w.batchMode === "COUNT" && queued.some((m) => m.webhookId === w.id))
    .map((w) => ({ webhookId: w.id, batchCount: w.batchCount ?? 1 }));

  const [row] = await db.$queryRawUnsafe<{ id: string | null; inserted: number; existing: { id: string; messageCount: number } | null }[]>(
    queued.length > 0 && getEnv().DATABASE_URL ? WRITE_EVENT_SQL.notify : WRITE_EVENT_SQL.quiet,
    eventId,
    organizationId,
    input.id ?? null,
    input.type,
    input.resource ?? null,
    occurredAt,
    JSON.stringify(input.data),
    input.workspaces ? JSON.stringify(input.workspaces) : null,
    depth,
    opts.actorUserId ?? null,
    messages.length,
    new Date(),
    JSON.stringify(messages),
    JSON.stringify(batches),
    now,
  );
  if (!row?.id) {
    // A duplicate (ON CONFLICT did nothing): the stored event answers, also when a racing request won.
    const existing = row?.existing ?? (await db.event.findUnique({ where: { organizationId_externalId: { organizationId, externalId: input.id ?? "" } }, select: { id: true, messageCount: true } }));
    if (!existing) throw new Error(`Event ${input.id ?? "(no id)"} conflicted but could not be read`);
    return { id: existing.id, duplicate: true, messages: existing.messageCount };
  }
  const skipped = messages.length - queued.length;
  const result: TIngestResult = { id: eventId, duplicate: false, messages: queued.length, ...(skipped ? { skipped } : {}) };
  // The caller's transaction has not committed yet: its loops find the messages on their poll.
  if (!opts.tx && result.messages > 0) wakeDeliveryLoops();
  // Batches due later are found by the loops' poll.
  return result;
}
