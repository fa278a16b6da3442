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
}): Promise<TClaimedMessage[]> {
  if (opts.limit <= 0) return [];
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  const exclude = opts.excludeWebhookIds ?? [];
  const due = `(("status" = 'PENDING' AND "nextAttemptAt" <= $3) OR ("status" = 'IN_PROGRESS' AND "leaseUntil" < $3))`;
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
};

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
  };
}

export type TAttemptOutcome = "succeeded" | "retrying" | "failed" | "skipped" | "lost";

/** Sends one claimed message and records the outcome. Never throws for delivery problems. */
export async function deliverMessage(message: TClaimedMessage, opts: Required<Omit<TEngineOptions, "random">> & { random?: () => number }): Promise<TAttemptOutcome> {
  const webhook = await loadWebhook(message.webhookId, message.organizationId);
  if (!webhook || !webhook.enabled) {
    await getDb().message.updateMany({
      where: { id: message.id, leaseOwner: opts.owner, status: "IN_PROGRESS" },
      data: { status: "SKIPPED", leaseUntil: null, leaseOwner: null, lastError: "Webhook is disabled: message not sent (recover it after enabling)" },
    });
    return "skipped";
  }
  const event = await getDb().event.findUnique({ where: { id: message.eventId }, select: { causationDepth: true } });
  const startedAt = opts.now();
  let secrets: TOpenSecrets;
  try {
    secrets = await openWebhookSecrets({ organizationId: webhook.organizationId, webhookId: webhook.id, now: startedAt });
  } catch (error) {
    if (!(error instanceof SecretDecryptError)) throw error;
    // A configuration fault (missing encryption key): a failed attempt on the normal schedule, never a stuck message.
    const request = { url: webhook.targetUrl, method: webhook.method, loggedHeaders: {}, body: undefined };
    const response: WebhookResponse = { ok: false, durationMs: 0, bodyTruncated: false, errorCode: "invalid", error: `Not sent: the webhook's secrets cannot be decrypted with this server's ENCRYPTION_KEYS (${error.message})` };
    logger.error({ webhookId: webhook.id, messageId: message.id }, "webhook secrets cannot be decrypted: check ENCRYPTION_KEYS");
    return recordAttempt({ message, webhook, request, response, startedAt, owner: opts.owner, finishedAt: opts.now(), random: opts.random });
  }
  const request = buildDeliveryRequest({
    settings: webhook,
    secrets,
    messageId: message.id,
    body: message.body,
    now: startedAt,
    userAgent: USER_AGENT,
    causationDepth: event?.causationDepth ?? 0,
  });
  const response = await sendWebhookRequest({
    url: request.url,
    method: request.method,
    headers: request.headers,
    body: request.body,
    tls: request.tls,
    timeoutMs: opts.sendTimeoutMs,
    allowPrivate: deliveryAllowPrivate(),
  });
  return recordAttempt({ message, webhook, request, response, startedAt, owner: opts.owner, finishedAt: opts.now(), random: opts.random });
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
  opts.onClaimed?.(claimed);
  const summary: TPassSummary = { claimed: claimed.length, succeeded: 0, retrying: 0, failed: 0, skipped: 0, lost: 0, errors: 0 };
  const queue = [...claimed];
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      try {
        summary[await deliverMessage(m, engine)] += 1;
      } catch (error) {
        // Database trouble while recording: the lease expires and the message is retried.
        summary.errors += 1;
        logger.error({ err: error, messageId: m.id }, "delivery failed unexpectedly; the message will be retried after its lease");
      } finally {
        opts.onSettled?.(m);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, claimed.length) }, worker));
  return summary;
}
