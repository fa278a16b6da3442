/**
 * Ingest: one transaction stores the event and one Message per matching
 * enabled webhook (the transactional outbox). Idempotent on the client's
 * event id per organization.
 */
import crypto from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
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
  resources: { resource: { externalId: string; kind: string } }[];
};

function commonValues(org: { id: string; name: string }, type: string, occurredAt: Date) {
  return { event_type: type, organization_id: org.id, organization_name: org.name, timestamp: formatIsoUtc(occurredAt) };
}

function matches(webhook: TCandidate, values: Record<string, unknown>, resource: string | undefined, depth: number, eventId: string): boolean {
  if (webhook.loopThreshold > 0 && depth > webhook.loopThreshold) {
    logger.warn({ webhookId: webhook.id, eventId, causationDepth: depth, loopThreshold: webhook.loopThreshold }, "loop guard: event not fanned out to webhook");
    return false;
  }
  if (!webhook.allResources && !(resource && webhook.resources.some((r) => r.resource.externalId === resource))) return false;
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

function newMessage(webhook: TCandidate, m: { organizationId: string; eventId: string; body: string; now: Date }): Prisma.MessageCreateManyInput {
  const base = { id: crypto.randomUUID(), organizationId: m.organizationId, webhookId: webhook.id, eventId: m.eventId, body: m.body };
  if (!webhook.enabled) return { ...base, status: "SKIPPED", nextAttemptAt: null, lastError: "Webhook was disabled when the event arrived: recover it after enabling" };
  return { ...base, nextAttemptAt: firstAttemptAt(webhook, m.now) };
}

/** A count-based batch that reached its size is due now. */
async function releaseFullBatches(tx: TTx, webhooks: TCandidate[], queued: Prisma.MessageCreateManyInput[], now: Date): Promise<void> {
  for (const w of webhooks.filter((x) => x.batchMode === "COUNT" && queued.some((m) => m.webhookId === x.id))) {
    const waiting = await tx.message.count({ where: { webhookId: w.id, status: "PENDING", attemptCount: 0, nextAttemptAt: { gt: now } } });
    if (waiting >= (w.batchCount ?? 1)) {
      await tx.message.updateMany({ where: { webhookId: w.id, status: "PENDING", attemptCount: 0, nextAttemptAt: { gt: now } }, data: { nextAttemptAt: now } });
    }
  }
}

/**
 * Stores a validated event and its messages. Used by the API and by internal
 * emits (object.* events for webhooks changed through Hookyard), optionally
 * inside the caller's transaction.
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
  const now = opts.now ?? new Date();
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
  const depth = input.causationDepth ?? 0;

  const work = async (tx: TTx): Promise<TIngestResult> => {
    if (input.id) {
      const existing = await tx.event.findUnique({ where: { organizationId_externalId: { organizationId, externalId: input.id } } });
      if (existing) return { id: existing.id, duplicate: true, messages: existing.messageCount };
    }
    const org = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { id: true, name: true } });
    const wantTypes = [input.type, ...(input.type === "operation.executed" && input.workspaces?.length ? [WORKSPACE_TYPE] : [])];
    const webhooks: TCandidate[] = await tx.webhook.findMany({
      // Disabled webhooks that were once enabled keep a visible, recoverable record (SKIPPED).
      where: {
        organizationId,
        eventTypes: { hasSome: wantTypes },
        OR: [{ enabled: true }, { disabledAt: { not: null } }],
        ...(opts.excludeWebhookIds?.length ? { id: { notIn: opts.excludeWebhookIds } } : {}),
      },
      select: {
        id: true, enabled: true, batchMode: true, batchIntervalSec: true, batchCount: true, eventTypes: true, template: true, allResources: true, conditions: true, loopThreshold: true,
        resources: { select: { resource: { select: { externalId: true, kind: true } } } },
      },
    });

    const eventId = crypto.randomUUID();
    const messages: Prisma.MessageCreateManyInput[] = [];
    const base = { ...input.data, ...commonValues(org, input.type, occurredAt) };
    for (const webhook of webhooks) {
      if (webhook.eventTypes.includes(input.type) && matches(webhook, base, input.resource, depth, eventId)) {
        messages.push(newMessage(webhook, { organizationId, eventId, body: renderTemplate(webhook.template, base), now }));
      }
      if (input.type === "operation.executed" && webhook.eventTypes.includes(WORKSPACE_TYPE)) {
        (input.workspaces ?? []).forEach((workspace, index) => {
          const values = { ...buildWorkspaceEventValues(input.data, workspace), ...commonValues(org, WORKSPACE_TYPE, occurredAt) };
          if (!matches(webhook, values, input.resource, depth, eventId)) return;
          messages.push({ ...newMessage(webhook, { organizationId, eventId, body: renderTemplate(webhook.template, values), now }), workspaceIndex: index });
        });
      }
    }

    await tx.event.create({
      data: {
        id: eventId,
        organizationId,
        externalId: input.id ?? null,
        type: input.type,
        resourceExtId: input.resource ?? null,
        occurredAt,
        data: input.data as Prisma.InputJsonValue,
        workspaces: input.workspaces ? (input.workspaces as Prisma.InputJsonValue) : undefined,
        causationDepth: depth,
        actorUserId: opts.actorUserId ?? null,
        messageCount: messages.length,
      },
    });
    const queued = messages.filter((m) => m.status !== "SKIPPED");
    if (messages.length) {
      await tx.message.createMany({ data: messages });
      await releaseFullBatches(tx, webhooks, queued, now);
      if (queued.length && getEnv().DATABASE_URL) await tx.$executeRawUnsafe(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`);
    }
    const skipped = messages.length - queued.length;
    return { id: eventId, duplicate: false, messages: queued.length, ...(skipped ? { skipped } : {}) };
  };

  if (opts.tx) return work(opts.tx);
  let result: TIngestResult;
  try {
    result = await getDb().$transaction(work, { timeout: 30_000, maxWait: 10_000 });
  } catch (error) {
    // Two requests with the same id at once: the loser returns the winner's result.
    if (input.id && (error as { code?: string }).code === "P2002") {
      const existing = await getDb().event.findUnique({ where: { organizationId_externalId: { organizationId, externalId: input.id } } });
      if (existing) return { id: existing.id, duplicate: true, messages: existing.messageCount };
    }
    throw error;
  }
  if (result.messages > 0) wakeDeliveryLoops();
  // Batches due later are found by the loops' poll.
  return result;
}
