/**
 * The delivery engine: claim due messages (FOR UPDATE SKIP LOCKED + lease),
 * send each through the one safe HTTP client, and record the attempt and the
 * message's next state in one transaction. `runDeliveryPass()` is what every
 * driver (in-process loop, cron route, worker process) calls.
 */
import crypto from "node:crypto";
import os from "node:os";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { openWebhookSecrets, type TOpenSecrets } from "@/lib/domain/webhook-secrets";
import { SecretDecryptError } from "@/lib/crypto/secrets";
import { sendWebhookRequest, type WebhookResponse } from "./http";
import { nextAttemptAt, MAX_ATTEMPTS } from "./schedule";
import { buildDeliveryRequest, type TDeliverySettings } from "./request";
import { deliveryAllowPrivate, USER_AGENT } from "./config";
import { onMessageSettled } from "./reactions";
import { z } from "zod";

export const DEFAULT_SEND_TIMEOUT_MS = 15_000;
/** A lease outlives the send deadline, so a live worker never loses its message. */
export const DEFAULT_LEASE_MS = 60_000;

export type TClaimedMessage = {
  id: string;
  organizationId: string;
  webhookId: string;
  eventId: string;
  body: string;
  attemptCount: number;
  retryTrigger: "AUTO" | "MANUAL" | "TEST";
};

export type TEngineOptions = {
  /** Identifies this worker in leases (host:pid:random). */
  owner?: string;
  leaseMs?: number;
  sendTimeoutMs?: number;
  now?: () => Date;
  random?: () => number;
};

export const processOwner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;

/**
 * Takes up to `limit` due messages — pending and due, or in progress with an
 * expired lease (a crashed worker's) — and leases them to `owner`.
 */
export async function claimDueMessages(opts: {
  limit: number;
  owner: string;
  leaseMs: number;
  now: Date;
  excludeWebhookIds?: string[];
  /** At most this many messages of one webhook per claim, so one slow endpoint cannot fill every slot. */
  perWebhookLimit?: number;
  /** Only this webhook's messages (topping up a batch). */
  onlyWebhookId?: string;
}): Promise<TClaimedMessage[]> {
  if (opts.limit <= 0) return [];
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  const exclude = opts.excludeWebhookIds ?? [];
  const only = opts.onlyWebhookId ? `AND "webhookId" = '${z.string().uuid().parse(opts.onlyWebhookId)}'::uuid` : "";
  const due = `(("status" = 'PENDING' AND "nextAttemptAt" <= $3) OR ("status" = 'IN_PROGRESS' AND "leaseUntil" < $3)) ${only}`;
  const rows = await getDb().$queryRawUnsafe<TClaimedMessage[]>(
    `WITH locked AS (
        SELECT "id", "webhookId", "nextAttemptAt" FROM "Message"
         WHERE ${due} ${exclude.length ? `AND "webhookId" <> ALL($6::uuid[])` : ""}
         ORDER BY "nextAttemptAt" ASC NULLS FIRST
         LIMIT $4 * 4
         FOR UPDATE SKIP LOCKED
     ), ranked AS (
        SELECT "id", "nextAttemptAt", row_number() OVER (PARTITION BY "webhookId" ORDER BY "nextAttemptAt" ASC NULLS FIRST) AS rank
          FROM locked
     )
     UPDATE "Message" AS m
        SET "status" = 'IN_PROGRESS', "leaseUntil" = $1, "leaseOwner" = $2, "updatedAt" = $3
      WHERE m."id" IN (SELECT "id" FROM ranked WHERE rank <= $5 ORDER BY "nextAttemptAt" ASC NULLS FIRST LIMIT $4)
      RETURNING m."id", m."organizationId", m."webhookId", m."eventId", m."body", m."attemptCount", m."retryTrigger"`,
    leaseUntil,
    opts.owner,
    opts.now,
    opts.limit,
    opts.perWebhookLimit ?? opts.limit,
    ...(exclude.length ? [exclude] : []),
  );
  return rows;
}

type TWebhookForDelivery = TDeliverySettings & {
  id: string;
  organizationId: string;
  enabled: boolean;
  batchMode: "NONE" | "TIME" | "COUNT";
  batchLimit: number;
};

export const DEFAULT_BATCH_LIMIT = 100;

async function loadWebhook(id: string, organizationId: string): Promise<TWebhookForDelivery | null> {
  const w = await getDb().webhook.findFirst({ where: { id, organizationId } });
  if (!w) return null;
  return {
    id: w.id,
    organizationId: w.organizationId,
    enabled: w.enabled,
    targetUrl: w.targetUrl,
    method: w.method,
    contentType: w.contentType,
    customHeaders: (w.customHeaders ?? []) as TDeliverySettings["customHeaders"],
    signStandard: w.signStandard,
    signHexHeader: w.signHexHeader,
    signBase64: w.signBase64,
    authType: w.authType,
    authConfig: (w.authConfig ?? {}) as TDeliverySettings["authConfig"],
    batchMode: w.batchMode,
    batchLimit: w.batchLimit ?? DEFAULT_BATCH_LIMIT,
  };
}

export type TAttemptOutcome = "succeeded" | "retrying" | "failed" | "skipped" | "lost";
type TDeliverOptions = Required<Omit<TEngineOptions, "random">> & { random?: () => number };

/** Sends one claimed message and records the outcome. Never throws for delivery problems. */
export async function deliverMessage(message: TClaimedMessage, opts: TDeliverOptions): Promise<TAttemptOutcome> {
  const [outcome] = await deliverGroup([message], opts);
  return outcome!;
}

/**
 * Sends claimed messages of ONE webhook in one request — a single message as
 * its body, or (batching webhooks) a JSON array of the rendered messages —
 * and records one attempt per message: each keeps its own status and retries.
 */
export async function deliverGroup(messages: TClaimedMessage[], opts: TDeliverOptions): Promise<TAttemptOutcome[]> {
  const first = messages[0]!;
  const webhook = await loadWebhook(first.webhookId, first.organizationId);
  if (!webhook || !webhook.enabled) {
    await getDb().message.updateMany({
      where: { id: { in: messages.map((m) => m.id) }, leaseOwner: opts.owner, status: "IN_PROGRESS" },
      data: { status: "SKIPPED", leaseUntil: null, leaseOwner: null, nextAttemptAt: null, lastError: "Webhook is disabled: message not sent (recover it after enabling)" },
    });
    return messages.map(() => "skipped");
  }
  const single = messages.length === 1 && webhook.batchMode === "NONE";
  const depths = await getDb().event.findMany({ where: { id: { in: [...new Set(messages.map((m) => m.eventId))] } }, select: { causationDepth: true } });
  const startedAt = opts.now();
  const record = (request: Parameters<typeof recordAttempt>[0]["request"], response: WebhookResponse) =>
    Promise.all(messages.map((message) => recordAttempt({ message, webhook, request, response, startedAt, owner: opts.owner, finishedAt: opts.now(), random: opts.random })));

  let secrets: TOpenSecrets;
  try {
    secrets = await openWebhookSecrets({ organizationId: webhook.organizationId, webhookId: webhook.id, now: startedAt });
  } catch (error) {
    if (!(error instanceof SecretDecryptError)) throw error;
    // A configuration fault (missing encryption key): a failed attempt on the normal schedule, never a stuck message.
    logger.error({ webhookId: webhook.id }, "webhook secrets cannot be decrypted: check ENCRYPTION_KEYS");
    return record(
      { url: webhook.targetUrl, method: webhook.method, loggedHeaders: {}, body: undefined },
      { ok: false, durationMs: 0, bodyTruncated: false, errorCode: "invalid", error: `Not sent: the webhook's secrets cannot be decrypted with this server's ENCRYPTION_KEYS (${error.message})` },
    );
  }
  const request = buildDeliveryRequest({
    settings: webhook,
    secrets,
    messageId: single ? first.id : `batch_${crypto.randomUUID()}`,
    body: single ? first.body : `[${messages.map((m) => m.body).join(",")}]`,
    now: startedAt,
    userAgent: USER_AGENT,
    causationDepth: Math.max(0, ...depths.map((d) => d.causationDepth)),
  });
  if (!single) {
    request.headers["X-Hookyard-Message-Ids"] = messages.map((m) => m.id).join(",");
    request.loggedHeaders["X-Hookyard-Message-Ids"] = request.headers["X-Hookyard-Message-Ids"];
  }
  const response = await sendWebhookRequest({
    url: request.url,
    method: request.method,
    headers: request.headers,
    body: request.body,
    tls: request.tls,
    timeoutMs: opts.sendTimeoutMs,
    allowPrivate: deliveryAllowPrivate(),
  });
  return record(request, response);
}

function attemptError(response: WebhookResponse): string | null {
  if (response.ok) return null;
  if (response.error) return response.error;
  if (response.statusCode) return `HTTP ${response.statusCode}`;
  return "delivery failed";
}

/** One transaction: the Attempt row, the Message's next state, the webhook's failure streak. */
export async function recordAttempt(opts: {
  message: TClaimedMessage;
  webhook: { id: string; organizationId: string; targetUrl: string };
  request: { method: TDeliverySettings["method"]; loggedHeaders: Record<string, string>; body: string | undefined; url: string };
  response: WebhookResponse;
  startedAt: Date;
  finishedAt: Date;
  owner: string;
  random?: () => number;
}): Promise<TAttemptOutcome> {
  const { message, response } = opts;
  const attemptNumber = message.attemptCount + 1;
  const trigger = message.retryTrigger === "MANUAL" ? "MANUAL" : "AUTO";
  const retryAfter = response.responseHeaders?.["retry-after"];
  // A manual retry is one extra try: if it fails, the message stays failed.
  const next = response.ok || trigger === "MANUAL" || attemptNumber >= MAX_ATTEMPTS
    ? null
    : nextAttemptAt({ attemptNumber, now: opts.finishedAt, statusCode: response.statusCode, retryAfter, random: opts.random });
  const outcome: TAttemptOutcome = response.ok ? "succeeded" : next ? "retrying" : "failed";
  const error = attemptError(response);
  const lastError = response.location ? `${error} (Location: ${response.location})` : error;

  const lost = await getDb().$transaction(async (tx) => {
    await tx.attempt.create({
      data: {
        organizationId: opts.webhook.organizationId,
        webhookId: opts.webhook.id,
        messageId: message.id,
        attemptNumber,
        trigger,
        success: response.ok,
        startedAt: opts.startedAt,
        durationMs: response.durationMs,
        statusCode: response.statusCode ?? null,
        requestUrl: opts.request.url,
        requestMethod: opts.request.method,
        requestHeaders: opts.request.loggedHeaders as Prisma.InputJsonValue,
        requestBody: opts.request.body ?? null,
        responseHeaders: (response.responseHeaders ?? undefined) as Prisma.InputJsonValue | undefined,
        responseBody: response.bodyExcerpt ?? null,
        error: lastError,
        errorCode: response.errorCode ?? null,
        nextAttemptAt: next,
      },
    });
    const updated = await tx.message.updateMany({
      where: { id: message.id, leaseOwner: opts.owner, status: "IN_PROGRESS" },
      data: {
        status: response.ok ? "SUCCEEDED" : next ? "PENDING" : "FAILED",
        attemptCount: attemptNumber,
        nextAttemptAt: next,
        leaseUntil: null,
        leaseOwner: null,
        retryTrigger: "AUTO",
        lastStatusCode: response.statusCode ?? null,
        lastError,
        completedAt: next ? null : opts.finishedAt,
      },
    });
    if (updated.count === 0) return true;
    if (outcome !== "retrying") await onMessageSettled({ tx, webhookId: opts.webhook.id, organizationId: opts.webhook.organizationId, messageId: message.id, succeeded: outcome === "succeeded", now: opts.finishedAt });
    return false;
  });
  if (lost) {
    logger.warn({ messageId: message.id, owner: opts.owner }, "lease lost before recording: attempt kept, message state left to its new owner");
    return "lost";
  }
  return outcome;
}

/**
 * Messages of batching webhooks travel together: each such webhook's claimed
 * messages are topped up with its other due ones and split by its batch limit.
 * Everything else is one message per request.
 */
async function groupForBatching(claimed: TClaimedMessage[], engine: { owner: string; leaseMs: number; now: () => Date }): Promise<TClaimedMessage[][]> {
  const byWebhook = new Map<string, TClaimedMessage[]>();
  for (const m of claimed) byWebhook.set(m.webhookId, [...(byWebhook.get(m.webhookId) ?? []), m]);
  const batching = byWebhook.size
    ? await getDb().webhook.findMany({ where: { id: { in: [...byWebhook.keys()] }, batchMode: { not: "NONE" } }, select: { id: true, batchLimit: true } })
    : [];
  const groups: TClaimedMessage[][] = [];
  for (const [webhookId, list] of byWebhook) {
    const b = batching.find((w) => w.id === webhookId);
    if (!b) {
      for (const m of list) groups.push([m]);
      continue;
    }
    const limit = b.batchLimit ?? DEFAULT_BATCH_LIMIT;
    const more = await claimDueMessages({ limit: Math.max(0, limit * Math.ceil(list.length / limit) - list.length), owner: engine.owner, leaseMs: engine.leaseMs, now: engine.now(), onlyWebhookId: webhookId });
    const all = [...list, ...more];
    for (let i = 0; i < all.length; i += limit) groups.push(all.slice(i, i + limit));
  }
  return groups;
}

export type TPassSummary = { claimed: number; succeeded: number; retrying: number; failed: number; skipped: number; lost: number; errors: number };

/**
 * One bounded delivery pass: claim up to `maxMessages` due messages and send
 * them with up to `concurrency` in flight. Safe to run in many processes at
 * once. Returns what happened.
 */
export async function runDeliveryPass(opts: TEngineOptions & {
  maxMessages?: number;
  concurrency?: number;
  excludeWebhookIds?: string[];
  perWebhookLimit?: number;
  onClaimed?: (messages: TClaimedMessage[]) => void;
  onSettled?: (message: TClaimedMessage) => void;
} = {}): Promise<TPassSummary> {
  const engine = {
    owner: opts.owner ?? processOwner,
    leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
    sendTimeoutMs: opts.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    now: opts.now ?? (() => new Date()),
    random: opts.random,
  };
  const claimed = await claimDueMessages({
    limit: opts.maxMessages ?? 100,
    owner: engine.owner,
    leaseMs: engine.leaseMs,
    now: engine.now(),
    excludeWebhookIds: opts.excludeWebhookIds,
    perWebhookLimit: opts.perWebhookLimit,
  });
  const groups = await groupForBatching(claimed, engine);
  const all = groups.flat();
  opts.onClaimed?.(all);
  const summary: TPassSummary = { claimed: all.length, succeeded: 0, retrying: 0, failed: 0, skipped: 0, lost: 0, errors: 0 };
  const queue = [...groups];
  const worker = async () => {
    for (let g = queue.shift(); g; g = queue.shift()) {
      try {
        for (const outcome of await deliverGroup(g, engine)) summary[outcome] += 1;
      } catch (error) {
        // Database trouble while recording: the lease expires and the messages are retried.
        summary.errors += g.length;
        logger.error({ err: error, messageIds: g.map((m) => m.id) }, "delivery failed unexpectedly; the message will be retried after its lease");
      } finally {
        for (const m of g) opts.onSettled?.(m);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, groups.length) }, worker));
  return summary;
}
