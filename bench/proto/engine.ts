/**
 * PROTOTYPE (benchmark only, not used by the product): the delivery pass of
 * lib/delivery/engine.ts with its database work batched, to measure what the
 * recommended changes buy. It covers the one-message-per-request path
 * (batchMode NONE, what the benchmark's webhooks use) and refuses batching
 * webhooks. Same claim SQL, same request building, same HTTP
 * client, same outcomes and lease rules; the differences are:
 *
 * 1. the claim also returns each message's event causationDepth (a scalar
 *    subquery in RETURNING) — no per-message Event lookup;
 * 2. the webhooks and secrets of a claimed batch are loaded once per pass
 *    (two queries), not once per message (two queries each);
 * 3. outcomes are recorded by a group-commit recorder: while one recording
 *    transaction runs, finished sends queue up and the next transaction
 *    writes them all — INSERT … SELECT FROM json_populate_recordset for the
 *    attempts, one UPDATE … FROM json_to_recordset for the messages (lease
 *    checked per row, RETURNING tells which leases were lost), one
 *    consecutiveFailures reset per webhook; final failures still go through
 *    onMessageSettled (notices, auto-disable) one by one, in order.
 */
import crypto from "node:crypto";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { getKeyring } from "@/lib/crypto/keyring";
import { decryptSecret, SecretDecryptError } from "@/lib/crypto/secrets";
import type { TOpenSecrets, TSecretField } from "@/lib/domain/webhook-secrets";
import { sendWebhookRequest, type WebhookResponse } from "@/lib/delivery/http";
import { nextAttemptAt, MAX_ATTEMPTS } from "@/lib/delivery/schedule";
import { buildDeliveryRequest, type TDeliverySettings } from "@/lib/delivery/request";
import { deliveryAllowPrivate, USER_AGENT } from "@/lib/delivery/config";
import { onMessageSettled } from "@/lib/delivery/reactions";
import { DEFAULT_LEASE_MS, DEFAULT_SEND_TIMEOUT_MS, processOwner, type TAttemptOutcome, type TClaimedMessage, type TPassSummary } from "@/lib/delivery/engine";

type TClaimed = TClaimedMessage & { causationDepth: number | null };

async function claim(opts: { limit: number; owner: string; leaseMs: number; now: Date; excludeWebhookIds: string[]; perWebhookLimit: number }): Promise<TClaimed[]> {
  if (opts.limit <= 0) return [];
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  const exclude = opts.excludeWebhookIds;
  const due = `(("status" = 'PENDING' AND "nextAttemptAt" <= $3) OR ("status" = 'IN_PROGRESS' AND "leaseUntil" < $3))`;
  return getDb().$queryRawUnsafe<TClaimed[]>(
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
      RETURNING m."id", m."organizationId", m."webhookId", m."eventId", m."body", m."attemptCount", m."retryTrigger",
                (SELECT e."causationDepth" FROM "Event" e WHERE e."id" = m."eventId") AS "causationDepth"`,
    leaseUntil,
    opts.owner,
    opts.now,
    opts.limit,
    opts.perWebhookLimit,
    ...(exclude.length ? [exclude] : []),
  );
}

type TWebhook = TDeliverySettings & { id: string; organizationId: string; enabled: boolean };

/** The batch's webhooks and their secrets in force, two queries for the whole batch. */
async function loadWebhooks(ids: string[], now: Date): Promise<{ webhooks: Map<string, TWebhook>; secrets: Map<string, TOpenSecrets | SecretDecryptError> }> {
  const rows = await getDb().webhook.findMany({ where: { id: { in: ids } } });
  const webhooks = new Map<string, TWebhook>();
  for (const w of rows) {
    // The prototype measures the one-message-per-request path; batching webhooks (batchMode TIME/COUNT) are out of its scope.
    if (w.batchMode !== "NONE") throw new Error(`prototype engine: webhook ${w.id} batches (${w.batchMode}); not supported`);
    webhooks.set(w.id, {
      id: w.id, organizationId: w.organizationId, enabled: w.enabled, targetUrl: w.targetUrl, method: w.method, contentType: w.contentType,
      customHeaders: (w.customHeaders ?? []) as TDeliverySettings["customHeaders"], signStandard: w.signStandard, signHexHeader: w.signHexHeader,
      signBase64: w.signBase64, authType: w.authType, authConfig: (w.authConfig ?? {}) as TDeliverySettings["authConfig"],
    });
  }
  const secretRows = await getDb().webhookSecret.findMany({
    where: { webhookId: { in: ids }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { createdAt: "desc" },
  });
  const keyring = getKeyring();
  const secrets = new Map<string, TOpenSecrets | SecretDecryptError>();
  for (const w of rows) secrets.set(w.id, { signing: [], auth: {} });
  for (const row of secretRows) {
    const current = secrets.get(row.webhookId);
    const w = webhooks.get(row.webhookId);
    if (!current || current instanceof SecretDecryptError || !w || row.organizationId !== w.organizationId) continue;
    try {
      const plain = decryptSecret(keyring, row.ciphertext, { organizationId: row.organizationId, ownerId: row.webhookId, field: row.field });
      if (row.field === "signing") current.signing.push(plain);
      else current.auth[row.field as Exclude<TSecretField, "signing">] ??= plain;
    } catch (error) {
      if (!(error instanceof SecretDecryptError)) throw error;
      secrets.set(row.webhookId, error);
    }
  }
  return { webhooks, secrets };
}

// ---------------------------------------------------------------------------
// Group-commit recorder

type TOutcomeRow = {
  message: TClaimed;
  webhook: { id: string; organizationId: string };
  request: { method: TDeliverySettings["method"]; loggedHeaders: Record<string, string>; body: string | undefined; url: string };
  response: WebhookResponse;
  startedAt: Date;
  finishedAt: Date;
  resolve: (o: TAttemptOutcome) => void;
  reject: (e: unknown) => void;
};

function attemptError(response: WebhookResponse): string | null {
  if (response.ok) return null;
  if (response.error) return response.error;
  if (response.statusCode) return `HTTP ${response.statusCode}`;
  return "delivery failed";
}

export class Recorder {
  private queue: TOutcomeRow[] = [];
  private flushing: Promise<void> | null = null;
  flushes = 0;
  rows = 0;
  constructor(private owner: string, private random?: () => number) {}

  record(row: Omit<TOutcomeRow, "resolve" | "reject">): Promise<TAttemptOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...row, resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, 500);
      try {
        const outcomes = await this.write(batch);
        batch.forEach((row, i) => row.resolve(outcomes[i]!));
      } catch (error) {
        for (const row of batch) row.reject(error);
      }
    }
    this.flushing = null;
  }

  private async write(batch: TOutcomeRow[]): Promise<TAttemptOutcome[]> {
    this.flushes += 1;
    this.rows += batch.length;
    const planned = batch.map((row) => {
      const { message, response } = row;
      const attemptNumber = message.attemptCount + 1;
      const trigger = message.retryTrigger === "MANUAL" ? "MANUAL" : "AUTO";
      const retryAfter = response.responseHeaders?.["retry-after"];
      const next = response.ok || trigger === "MANUAL" || attemptNumber >= MAX_ATTEMPTS
        ? null
        : nextAttemptAt({ attemptNumber, now: row.finishedAt, statusCode: response.statusCode, retryAfter, random: this.random });
      const outcome: TAttemptOutcome = response.ok ? "succeeded" : next ? "retrying" : "failed";
      const error = attemptError(response);
      const lastError = response.location ? `${error} (Location: ${response.location})` : error;
      return { row, attemptNumber, trigger, next, outcome, lastError };
    });
    const attempts = planned.map((p) => ({
      id: crypto.randomUUID(),
      organizationId: p.row.webhook.organizationId,
      webhookId: p.row.webhook.id,
      messageId: p.row.message.id,
      attemptNumber: p.attemptNumber,
      trigger: p.trigger,
      success: p.row.response.ok,
      startedAt: p.row.startedAt.toISOString(),
      durationMs: p.row.response.durationMs,
      statusCode: p.row.response.statusCode ?? null,
      requestUrl: p.row.request.url,
      requestMethod: p.row.request.method,
      requestHeaders: p.row.request.loggedHeaders,
      requestBody: p.row.request.body ?? null,
      responseHeaders: p.row.response.responseHeaders ?? null,
      responseBody: p.row.response.bodyExcerpt ?? null,
      error: p.lastError,
      errorCode: p.row.response.errorCode ?? null,
      nextAttemptAt: p.next?.toISOString() ?? null,
    }));
    const updates = planned.map((p) => ({
      id: p.row.message.id,
      status: p.row.response.ok ? "SUCCEEDED" : p.next ? "PENDING" : "FAILED",
      attemptCount: p.attemptNumber,
      nextAttemptAt: p.next?.toISOString() ?? null,
      lastStatusCode: p.row.response.statusCode ?? null,
      lastError: p.lastError,
      completedAt: p.next ? null : p.row.finishedAt.toISOString(),
    }));
    const now = new Date();
    const kept = await getDb().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`INSERT INTO "Attempt" SELECT * FROM json_populate_recordset(NULL::"Attempt", $1::json)`, JSON.stringify(attempts));
      const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
        `UPDATE "Message" AS m
            SET "status" = v."status"::"MessageStatus", "attemptCount" = v."attemptCount", "nextAttemptAt" = v."nextAttemptAt",
                "leaseUntil" = NULL, "leaseOwner" = NULL, "retryTrigger" = 'AUTO', "lastStatusCode" = v."lastStatusCode",
                "lastError" = v."lastError", "completedAt" = v."completedAt", "updatedAt" = $3
           FROM json_to_recordset($1::json) AS v("id" uuid, "status" text, "attemptCount" int, "nextAttemptAt" timestamp(3), "lastStatusCode" int, "lastError" text, "completedAt" timestamp(3))
          WHERE m."id" = v."id" AND m."leaseOwner" = $2 AND m."status" = 'IN_PROGRESS'
          RETURNING m."id"`,
        JSON.stringify(updates),
        this.owner,
        now,
      );
      const keptIds = new Set(rows.map((r) => r.id));
      // The failure streak, in completion order per webhook: a success resets it, a final failure goes through onMessageSettled.
      const byWebhook = new Map<string, typeof planned>();
      for (const p of planned) {
        if (!keptIds.has(p.row.message.id) || p.outcome === "retrying") continue;
        byWebhook.set(p.row.webhook.id, [...(byWebhook.get(p.row.webhook.id) ?? []), p]);
      }
      const onlySucceeded: string[] = [];
      for (const [webhookId, list] of byWebhook) {
        if (list.every((p) => p.outcome === "succeeded")) {
          onlySucceeded.push(webhookId);
          continue;
        }
        for (const p of list) {
          await onMessageSettled({ tx, webhookId, organizationId: p.row.webhook.organizationId, messageId: p.row.message.id, succeeded: p.outcome === "succeeded", now: p.row.finishedAt });
        }
      }
      if (onlySucceeded.length) {
        await tx.$executeRawUnsafe(`UPDATE "Webhook" SET "consecutiveFailures" = 0, "updatedAt" = $2 WHERE "id" = ANY($1::uuid[]) AND "consecutiveFailures" > 0`, onlySucceeded, now);
      }
      return keptIds;
    });
    return planned.map((p) => {
      if (kept.has(p.row.message.id)) return p.outcome;
      logger.warn({ messageId: p.row.message.id, owner: this.owner }, "lease lost before recording: attempt kept, message state left to its new owner");
      return "lost";
    });
  }
}

const recorders = new Map<string, Recorder>();
export function recorderFor(owner: string, random?: () => number): Recorder {
  let r = recorders.get(owner);
  if (!r) recorders.set(owner, (r = new Recorder(owner, random)));
  return r;
}

// ---------------------------------------------------------------------------
// The pass

export async function runBatchedPass(opts: {
  owner?: string;
  leaseMs?: number;
  sendTimeoutMs?: number;
  now?: () => Date;
  random?: () => number;
  maxMessages?: number;
  concurrency?: number;
  excludeWebhookIds?: string[];
  perWebhookLimit?: number;
  onClaimed?: (messages: TClaimedMessage[]) => void;
  onSettled?: (message: TClaimedMessage) => void;
} = {}): Promise<TPassSummary> {
  const owner = opts.owner ?? processOwner;
  const now = opts.now ?? (() => new Date());
  const sendTimeoutMs = opts.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const claimed = await claim({
    limit: opts.maxMessages ?? 100,
    owner,
    leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
    now: now(),
    excludeWebhookIds: opts.excludeWebhookIds ?? [],
    perWebhookLimit: opts.perWebhookLimit ?? opts.maxMessages ?? 100,
  });
  opts.onClaimed?.(claimed);
  const summary: TPassSummary = { claimed: claimed.length, succeeded: 0, retrying: 0, failed: 0, skipped: 0, lost: 0, errors: 0 };
  if (!claimed.length) return summary;
  const recorder = recorderFor(owner, opts.random);
  let loaded: Awaited<ReturnType<typeof loadWebhooks>>;
  try {
    loaded = await loadWebhooks([...new Set(claimed.map((m) => m.webhookId))], now());
  } catch (error) {
    summary.errors = claimed.length;
    logger.error({ err: error }, "delivery failed unexpectedly; the messages will be retried after their lease");
    for (const m of claimed) opts.onSettled?.(m);
    return summary;
  }

  const deliver = async (message: TClaimed): Promise<TAttemptOutcome> => {
    const webhook = loaded.webhooks.get(message.webhookId);
    if (!webhook || !webhook.enabled || webhook.organizationId !== message.organizationId) {
      await getDb().message.updateMany({
        where: { id: message.id, leaseOwner: owner, status: "IN_PROGRESS" },
        data: { status: "SKIPPED", leaseUntil: null, leaseOwner: null, nextAttemptAt: null, lastError: "Webhook is disabled: message not sent (recover it after enabling)" },
      });
      return "skipped";
    }
    const startedAt = now();
    const secrets = loaded.secrets.get(webhook.id)!;
    if (secrets instanceof SecretDecryptError) {
      const request = { url: webhook.targetUrl, method: webhook.method, loggedHeaders: {}, body: undefined };
      const response: WebhookResponse = { ok: false, durationMs: 0, bodyTruncated: false, errorCode: "invalid", error: `Not sent: the webhook's secrets cannot be decrypted with this server's ENCRYPTION_KEYS (${secrets.message})` };
      return recorder.record({ message, webhook, request, response, startedAt, finishedAt: now() });
    }
    const request = buildDeliveryRequest({ settings: webhook, secrets, messageId: message.id, body: message.body, now: startedAt, userAgent: USER_AGENT, causationDepth: message.causationDepth ?? 0 });
    const response = await sendWebhookRequest({ url: request.url, method: request.method, headers: request.headers, body: request.body, tls: request.tls, timeoutMs: sendTimeoutMs, allowPrivate: deliveryAllowPrivate() });
    return recorder.record({ message, webhook, request, response, startedAt, finishedAt: now() });
  };

  const queue = [...claimed];
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      try {
        summary[await deliver(m)] += 1;
      } catch (error) {
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
