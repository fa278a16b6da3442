/**
 * The delivery engine: claim due messages (FOR UPDATE SKIP LOCKED + lease),
 * send each through the one safe HTTP client, and record the attempt and the
 * message's next state. `runDeliveryPass()` is what every driver (in-process
 * loop, cron route, worker process) calls.
 *
 * The database work of a pass is batched (docs/performance.md,
 * recommendation 1): the claim returns each message's causation depth, the
 * webhooks and secrets of the whole pass are loaded with two queries, and
 * outcomes go through one per-process group-commit recorder — while one
 * recording transaction runs, finished sends queue up and the next
 * transaction writes them all.
 */
import crypto from "node:crypto";
import os from "node:os";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { preparedSql } from "@/lib/db/statements";
import { logger } from "@/lib/log";
import { openSecretsOfWebhooks, type TOpenSecrets } from "@/lib/domain/webhook-secrets";
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
  /** The event's causation depth (loop guard header), returned by the claim itself. */
  causationDepth: number;
  /** The webhook's configVersion when claimed (absent: load the webhook afresh). */
  configVersion?: number | null;
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
 * The claim, one named statement. Two index-ordered scans that stop at
 * `$4 * 4` rows — expired leases (a crashed worker's messages, oldest lease
 * first) by the in-progress lease index, then due pending messages by the
 * pending index in due order — are locked with SKIP LOCKED, ranked per
 * webhook (at most `$5` each), and the first `$4` leased to `$2`. Reading in
 * index order keeps a claim's cost independent of the backlog: one OR over
 * both states made PostgreSQL fetch and sort every due row for each claim
 * (37 ms at 20,000 due, docs/performance.md section 12).
 * `$6`: webhooks to leave out (at their in-flight limit); `$7`: only this
 * webhook (a batch top-up), or NULL. Exported for the plan test.
 */
export const CLAIM_SQL = preparedSql(
  "claim_messages",
  `WITH expired AS (
      SELECT "id", "webhookId", "leaseUntil" AS "dueAt", 0 AS "rank0" FROM "Message"
       WHERE "status" = 'IN_PROGRESS' AND "leaseUntil" < $3
         AND "webhookId" <> ALL($6::uuid[]) AND ($7::uuid IS NULL OR "webhookId" = $7::uuid)
       ORDER BY "leaseUntil" LIMIT $4 * 4
       FOR UPDATE SKIP LOCKED
   ), pending AS (
      SELECT "id", "webhookId", "nextAttemptAt" AS "dueAt", 1 AS "rank0" FROM "Message"
       WHERE "status" = 'PENDING' AND "nextAttemptAt" <= $3
         AND "webhookId" <> ALL($6::uuid[]) AND ($7::uuid IS NULL OR "webhookId" = $7::uuid)
       ORDER BY "nextAttemptAt" LIMIT $4 * 4
       FOR UPDATE SKIP LOCKED
   ), ranked AS (
      SELECT "id", "rank0", "dueAt", row_number() OVER (PARTITION BY "webhookId" ORDER BY "rank0", "dueAt") AS "rank"
        FROM (SELECT * FROM expired UNION ALL SELECT * FROM pending) AS locked
   )
   UPDATE "Message" AS m
      SET "status" = 'IN_PROGRESS', "leaseUntil" = $1, "leaseOwner" = $2, "updatedAt" = $3
    WHERE m."id" IN (SELECT "id" FROM ranked WHERE "rank" <= $5 ORDER BY "rank0", "dueAt" LIMIT $4)
    RETURNING m."id", m."organizationId", m."webhookId", m."eventId", m."body", m."attemptCount", m."retryTrigger",
              COALESCE((SELECT e."causationDepth" FROM "Event" e WHERE e."id" = m."eventId" AND e."organizationId" = m."organizationId"), 0)::int AS "causationDepth",
              (SELECT w."configVersion" FROM "Webhook" w WHERE w."id" = m."webhookId" AND w."organizationId" = m."organizationId") AS "configVersion"`,
);

/**
 * Takes up to `limit` due messages — in progress with an expired lease (a
 * crashed worker's) first, then pending and due — and leases them to `owner`.
 * The event's causation depth and the webhook's configVersion come back with
 * the claim (scalar subqueries per returned row, by primary key) instead of a
 * lookup per send.
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
  return getDb().$queryRawUnsafe<TClaimedMessage[]>(
    CLAIM_SQL,
    leaseUntil,
    opts.owner,
    opts.now,
    opts.limit,
    opts.perWebhookLimit ?? opts.limit,
    opts.excludeWebhookIds ?? [],
    opts.onlyWebhookId ?? null,
  );
}

type TWebhookForDelivery = TDeliverySettings & {
  id: string;
  organizationId: string;
  enabled: boolean;
  batchMode: "NONE" | "TIME" | "COUNT";
  batchLimit: number;
};

/** A pass's webhooks with their secrets in force (or why they cannot be opened), by webhook id. */
type TPassWebhook = { webhook: TWebhookForDelivery; secrets: TOpenSecrets | Error };
type TPassWebhooks = Map<string, TPassWebhook>;

export const DEFAULT_BATCH_LIMIT = 100;

/**
 * Webhooks loaded by earlier passes, with the configVersion they were loaded
 * at. Triggers raise a webhook's version with every change to it or to its
 * secrets, and every claim returns the version in force, so an entry is used
 * only while nothing changed; it is also dropped when one of its secrets
 * expires, and after a minute.
 */
const loadedWebhooks = new Map<string, { version: number; validUntil: number; loaded: TPassWebhook }>();
const LOADED_WEBHOOKS_MAX = 1_000;
const LOADED_WEBHOOK_MS = 60_000;
let webhookLoads = 0;

/** How many times passes loaded webhooks from the database (tests: what the cache saved). */
export function countWebhookLoads(): number {
  return webhookLoads;
}

/**
 * Loads the webhooks of claimed messages and their secrets: two queries for a
 * whole pass, none when every webhook is loaded at the version its messages
 * were claimed with. A webhook only counts for a message of its own organization.
 */
async function loadPassWebhooks(messages: TClaimedMessage[], now: Date): Promise<TPassWebhooks> {
  const pass: TPassWebhooks = new Map();
  const missing = new Map<string, string>();
  for (const m of messages) {
    if (pass.has(m.webhookId) || missing.has(m.webhookId)) continue;
    const cached = loadedWebhooks.get(m.webhookId);
    if (cached && m.configVersion !== undefined && cached.version === m.configVersion && cached.validUntil > now.getTime() && cached.loaded.webhook.organizationId === m.organizationId) pass.set(m.webhookId, cached.loaded);
    else missing.set(m.webhookId, m.organizationId);
  }
  if (!missing.size) return pass;
  webhookLoads += 1;
  const rows = await getDb().webhook.findMany({
    where: { id: { in: [...missing.keys()] }, organizationId: { in: [...new Set(missing.values())] } },
  });
  const webhooks = rows.map((w): TWebhookForDelivery & { configVersion: number } => ({
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
    configVersion: w.configVersion,
  }));
  // Disabled webhooks send nothing: their secrets stay closed.
  const secrets = await openSecretsOfWebhooks({ webhooks: webhooks.filter((w) => w.enabled), now });
  for (const webhook of webhooks) {
    const opened = secrets.get(webhook.id);
    const loaded = { webhook, secrets: opened?.secrets ?? { signing: [], auth: {} } };
    pass.set(webhook.id, loaded);
    loadedWebhooks.delete(webhook.id);
    loadedWebhooks.set(webhook.id, { version: webhook.configVersion, validUntil: Math.min(now.getTime() + LOADED_WEBHOOK_MS, opened?.expiresAt?.getTime() ?? Infinity), loaded });
  }
  // The oldest loads go first (a Map keeps insertion order).
  for (const id of loadedWebhooks.keys()) {
    if (loadedWebhooks.size <= LOADED_WEBHOOKS_MAX) break;
    loadedWebhooks.delete(id);
  }
  return pass;
}

export type TAttemptOutcome = "succeeded" | "retrying" | "failed" | "skipped" | "lost";
type TDeliverOptions = Required<Omit<TEngineOptions, "random">> & {
  random?: () => number;
  /** Called once nothing more will be sent for the group (answered, failed, or not sent), before its outcome is recorded. */
  onSent?: () => void;
};

/** Sends one claimed message and records the outcome. Never throws for delivery problems. */
export async function deliverMessage(message: TClaimedMessage, opts: TDeliverOptions): Promise<TAttemptOutcome> {
  const [outcome] = await deliverGroup([message], opts);
  return outcome!;
}

/**
 * Sends claimed messages of ONE webhook in one request — a single message as
 * its body, or (batching webhooks) a JSON array of the rendered messages —
 * and records one attempt per message: each keeps its own status and retries.
 * `pass` is the pass's loaded webhooks; without it the webhook is loaded here.
 */
export async function deliverGroup(messages: TClaimedMessage[], opts: TDeliverOptions, pass?: TPassWebhooks): Promise<TAttemptOutcome[]> {
  const first = messages[0]!;
  const loaded = (pass ?? (await loadPassWebhooks(messages, opts.now()))).get(first.webhookId);
  const webhook = loaded && loaded.webhook.organizationId === first.organizationId ? loaded.webhook : null;
  if (!loaded || !webhook || !webhook.enabled) {
    await getDb().message.updateMany({
      where: { id: { in: messages.map((m) => m.id) }, organizationId: first.organizationId, leaseOwner: opts.owner, status: "IN_PROGRESS" },
      data: { status: "SKIPPED", leaseUntil: null, leaseOwner: null, nextAttemptAt: null, lastError: "Webhook is disabled: message not sent (recover it after enabling)" },
    });
    return messages.map(() => "skipped");
  }
  const single = messages.length === 1 && webhook.batchMode === "NONE";
  const startedAt = opts.now();
  const record = (request: TRecordedRequest, response: WebhookResponse) =>
    Promise.all(recorder.record(messages.map((message) => planAttempt({ message, webhook, request, response, startedAt, owner: opts.owner, finishedAt: opts.now(), random: opts.random }))));

  const secrets = loaded.secrets;
  if (secrets instanceof Error) {
    // Anything but a key problem is unexpected: the group errors and comes back after its lease, as before.
    if (!(secrets instanceof SecretDecryptError)) throw secrets;
    // A configuration fault (missing encryption key): a failed attempt on the normal schedule, never a stuck message.
    logger.error({ webhookId: webhook.id }, "webhook secrets cannot be decrypted: check ENCRYPTION_KEYS");
    opts.onSent?.();
    return record(
      { url: webhook.targetUrl, method: webhook.method, loggedHeaders: {}, body: undefined },
      { ok: false, durationMs: 0, bodyTruncated: false, errorCode: "invalid", error: `Not sent: the webhook's secrets cannot be decrypted with this server's ENCRYPTION_KEYS (${secrets.message})` },
    );
  }
  const request = buildDeliveryRequest({
    settings: webhook,
    secrets,
    messageId: single ? first.id : `batch_${crypto.randomUUID()}`,
    body: single ? first.body : `[${messages.map((m) => m.body).join(",")}]`,
    now: startedAt,
    userAgent: USER_AGENT,
    causationDepth: Math.max(0, ...messages.map((m) => m.causationDepth ?? 0)),
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
  opts.onSent?.();
  return record(request, response);
}

function attemptError(response: WebhookResponse): string | null {
  if (response.ok) return null;
  if (response.error) return response.error;
  if (response.statusCode) return `HTTP ${response.statusCode}`;
  return "delivery failed";
}

type TRecordedRequest = { method: TDeliverySettings["method"]; loggedHeaders: Record<string, string>; body: string | undefined; url: string };

type TRecordOptions = {
  message: TClaimedMessage;
  webhook: { id: string; organizationId: string; targetUrl: string };
  request: TRecordedRequest;
  response: WebhookResponse;
  startedAt: Date;
  finishedAt: Date;
  owner: string;
  random?: () => number;
};

/** An outcome with everything decided (next time, status, error) before it is queued for writing. */
type TPlannedAttempt = {
  /** Fixed when planned, so writing the same attempt twice (a retried write) cannot add a second row. */
  attemptId: string;
  message: TClaimedMessage;
  webhook: { id: string; organizationId: string };
  owner: string;
  request: TRecordedRequest;
  response: WebhookResponse;
  startedAt: Date;
  finishedAt: Date;
  attemptNumber: number;
  trigger: "AUTO" | "MANUAL";
  next: Date | null;
  outcome: "succeeded" | "retrying" | "failed";
  lastError: string | null;
};

function planAttempt(opts: TRecordOptions): TPlannedAttempt {
  const { message, response } = opts;
  const attemptNumber = message.attemptCount + 1;
  const trigger = message.retryTrigger === "MANUAL" ? "MANUAL" : "AUTO";
  const retryAfter = response.responseHeaders?.["retry-after"];
  // A manual retry is one extra try: if it fails, the message stays failed.
  const next = response.ok || trigger === "MANUAL" || attemptNumber >= MAX_ATTEMPTS
    ? null
    : nextAttemptAt({ attemptNumber, now: opts.finishedAt, statusCode: response.statusCode, retryAfter, random: opts.random });
  const outcome = response.ok ? "succeeded" : next ? "retrying" : "failed";
  const error = attemptError(response);
  const lastError = response.location ? `${error} (Location: ${response.location})` : error;
  return {
    attemptId: crypto.randomUUID(),
    message,
    webhook: { id: opts.webhook.id, organizationId: opts.webhook.organizationId },
    owner: opts.owner,
    request: opts.request,
    response,
    startedAt: opts.startedAt,
    finishedAt: opts.finishedAt,
    attemptNumber,
    trigger,
    next,
    outcome,
    lastError,
  };
}

/**
 * Records one attempt: the Attempt row, the Message's next state (guarded by
 * its lease owner: a lost lease keeps the attempt and reports "lost"), the
 * webhook's failure streak. Goes through the process's group-commit recorder,
 * so it shares a transaction with whatever else finished meanwhile.
 */
export async function recordAttempt(opts: TRecordOptions): Promise<TAttemptOutcome> {
  const [outcome] = recorder.record([planAttempt(opts)]);
  return outcome!;
}

// ---------------------------------------------------------------------------
// Group-commit recorder

type TQueuedAttempt = TPlannedAttempt & { resolve: (outcome: TAttemptOutcome) => void; reject: (error: unknown) => void };

/** Bounds of one recording transaction: rows, and bytes of bodies carried in its JSON parameter. */
const RECORD_BATCH_ROWS = 500;
const RECORD_BATCH_BYTES = 8 * 1024 * 1024;

const ATTEMPT_COLUMNS = [
  "id", "organizationId", "webhookId", "messageId", "attemptNumber", "trigger", "success", "startedAt", "durationMs", "statusCode",
  "requestUrl", "requestMethod", "requestHeaders", "requestBody", "responseHeaders", "responseBody", "error", "errorCode", "nextAttemptAt",
].map((c) => `"${c}"`).join(", ");

/** Inserts a batch's attempts from the JSON parameter `attempts`. */
const insertAttemptsSql = (attempts: string) => `INSERT INTO "Attempt" (${ATTEMPT_COLUMNS}) SELECT ${ATTEMPT_COLUMNS} FROM json_populate_recordset(NULL::"Attempt", ${attempts}::json)`;

const RECORD_ATTEMPTS_SQL = preparedSql("record_attempts", insertAttemptsSql("$1"));

/**
 * Settles recorded messages still leased to their owner (updates from the
 * JSON parameter `updates`, `now` as updatedAt); an id not returned lost its lease.
 */
const settleMessagesSql = (updates: string, now: string) => `UPDATE "Message" AS m
    SET "status" = v."status"::"MessageStatus", "attemptCount" = v."attemptCount", "nextAttemptAt" = v."nextAttemptAt",
        "leaseUntil" = NULL, "leaseOwner" = NULL, "retryTrigger" = 'AUTO', "lastStatusCode" = v."lastStatusCode",
        "lastError" = v."lastError", "completedAt" = v."completedAt", "updatedAt" = ${now}
   FROM json_to_recordset(${updates}::json) AS v("id" uuid, "organizationId" uuid, "owner" text, "status" text, "attemptCount" int,
                                         "nextAttemptAt" timestamp(3), "lastStatusCode" int, "lastError" text, "completedAt" timestamp(3))
  WHERE m."id" = v."id" AND m."organizationId" = v."organizationId" AND m."leaseOwner" = v."owner" AND m."status" = 'IN_PROGRESS'
  RETURNING m."id", m."webhookId", m."organizationId", m."status"`;

const RECORD_MESSAGES_SQL = preparedSql("record_messages", settleMessagesSql("$1", "$2"));

/**
 * A batch without a final failure in ONE statement (no interactive
 * transaction: a quarter of the round trips): the attempts, the messages, and
 * the failure-streak reset of every webhook with a recorded success — what
 * the transaction does when no message failed for good.
 */
const RECORD_WITHOUT_FAILURES_SQL = preparedSql(
  "record_without_failures",
  `WITH attempts AS (
     ${insertAttemptsSql("$1")}
   ), settled AS (
     ${settleMessagesSql("$2", "$3")}
   ), streaks AS (
     UPDATE "Webhook" AS w SET "consecutiveFailures" = 0, "updatedAt" = $3
       FROM (SELECT DISTINCT "webhookId", "organizationId" FROM settled WHERE "status" = 'SUCCEEDED') AS s
      WHERE w."id" = s."webhookId" AND w."organizationId" = s."organizationId" AND w."consecutiveFailures" > 0
   )
   SELECT "id"::text AS "id" FROM settled`,
);

/** PostgreSQL text and jsonb refuse NUL characters; an endpoint's reply may carry them. */
function noNul<T extends string | null | undefined>(value: T): T {
  return (typeof value === "string" && value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value) as T;
}

function noNulValues(headers: Record<string, string> | undefined): Record<string, string> | null {
  if (!headers) return null;
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [noNul(k), noNul(v)]));
}

/**
 * One per process. Finished sends queue here; one transaction at a time
 * writes everything queued (no timer: an idle process records at once, a busy
 * one in batches). That keeps the database work per message to a share of
 * three statements and one commit, and never holds more than one pooled
 * connection — or PGlite's single session — for recording.
 */
class AttemptRecorder {
  private queue: TQueuedAttempt[] = [];
  private draining = false;

  /** Queues the attempts (in completion order) and returns each one's outcome once written. */
  record(rows: TPlannedAttempt[]): Promise<TAttemptOutcome>[] {
    const outcomes = rows.map((row) => new Promise<TAttemptOutcome>((resolve, reject) => this.queue.push({ ...row, resolve, reject })));
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
    return outcomes;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        // The answers of this turn join the batch before it is taken: on PGlite a write runs on this
        // thread and would otherwise start, and finish, with the first answer alone.
        await yieldToEventLoop();
        await this.writeOrSplit(this.take());
      }
    } finally {
      this.draining = false;
    }
  }

  /** The next batch: queue order, bounded, and one row per message (a second attempt of the same message waits for the next one, as it would have waited for the first's transaction). */
  private take(): TQueuedAttempt[] {
    const batch: TQueuedAttempt[] = [];
    const messages = new Set<string>();
    let bytes = 0;
    let i = 0;
    while (i < this.queue.length && batch.length < RECORD_BATCH_ROWS) {
      const row = this.queue[i]!;
      const size = (row.request.body?.length ?? 0) + (row.response.bodyExcerpt?.length ?? 0) + 1024;
      if (batch.length && bytes + size > RECORD_BATCH_BYTES) break;
      if (messages.has(row.message.id)) {
        i += 1;
        continue;
      }
      messages.add(row.message.id);
      bytes += size;
      batch.push(row);
      this.queue.splice(i, 1);
    }
    return batch;
  }

  private async writeOrSplit(batch: TQueuedAttempt[]): Promise<void> {
    try {
      const outcomes = await this.writeRetryingUnavailable(batch);
      batch.forEach((row, i) => row.resolve(outcomes[i]!));
    } catch (error) {
      if (batch.length === 1 || !refusedByDatabase(error)) {
        for (const row of batch) row.reject(error);
        return;
      }
      // One bad row (or a deadlock with another worker) must not fail the
      // others: write them one by one. The transaction rolled back, and the
      // attempt ids are fixed, so nothing is written twice.
      logger.warn({ err: error, attempts: batch.length }, "recording a batch of attempts failed; recording them one by one");
      for (const row of batch) {
        try {
          row.resolve((await writeAttempts([row]))[0]!);
        } catch (rowError) {
          row.reject(rowError);
        }
      }
    }
  }

  /**
   * These requests were sent: a database that is briefly unavailable (a
   * restart, a full pool) must not turn them into resends after the lease.
   * Retry the write for a few seconds — far inside the lease, which outlives
   * the send deadline by 45 s by default — before giving up on it.
   */
  private async writeRetryingUnavailable(batch: TPlannedAttempt[]): Promise<TAttemptOutcome[]> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await writeAttempts(batch);
      } catch (error) {
        if (!databaseUnavailable(error) || attempt >= RECORD_RETRY_DELAYS_MS.length) throw error;
        logger.warn({ err: error, attempts: batch.length }, "recording attempts failed: the database is unavailable; retrying");
        await new Promise((r) => setTimeout(r, RECORD_RETRY_DELAYS_MS[attempt]));
      }
    }
  }
}

/** Waits between tries of a recording the database could not take (≈ 7.75 s in all). */
const RECORD_RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000];

const recorder = new AttemptRecorder();

/** Driver adapter error kinds that mean "no usable database", not "this data was refused". */
const UNAVAILABLE_KINDS = new Set(["ConnectionClosed", "DatabaseNotReachable", "SocketTimeout", "TooManyConnections", "TlsConnectionError", "AuthenticationFailed", "DatabaseDoesNotExist", "DatabaseAccessDenied"]);

/**
 * Whether the database refused what the transaction did (a constraint, a
 * value, a deadlock with another worker) — then writing the rows one by one
 * saves the good ones. Not when it is unreachable, shutting down, out of
 * resources, or the transaction timed out: every row would fail again, one
 * by one; they are retried after their lease instead.
 */
function refusedByDatabase(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  // P1xxx: connection; P2024: pool timeout; P2028: transaction API (expired, closed).
  if (error.code.startsWith("P1") || error.code === "P2024" || error.code === "P2028") return false;
  const cause = (error.meta as { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } } | undefined)?.driverAdapterError?.cause;
  if (typeof cause?.kind === "string" && UNAVAILABLE_KINDS.has(cause.kind)) return false;
  // SQLSTATE classes 08 (connection), 53 (resources), 57 (operator intervention, e.g. shutdown), 58 (system).
  return !(typeof cause?.code === "string" && /^(08|53|57|58)/.test(cause.code));
}

/** The database could not take the transaction at all (the other side of refusedByDatabase among Prisma's errors). */
function databaseUnavailable(error: unknown): boolean {
  return (error instanceof Prisma.PrismaClientKnownRequestError && !refusedByDatabase(error)) || error instanceof Prisma.PrismaClientInitializationError;
}

/**
 * Writes a batch of attempts atomically: INSERT the attempts, UPDATE the
 * messages still leased to their sender (RETURNING which), reset the failure
 * streak of webhooks that only succeeded, and run onMessageSettled for the
 * others' final outcomes in completion order, exactly as one transaction per
 * message did. Without a final failure there is nothing to react to, and it
 * is one statement.
 */
async function writeAttempts(batch: TPlannedAttempt[]): Promise<TAttemptOutcome[]> {
  const attempts = batch.map((p) => ({
    id: p.attemptId,
    organizationId: p.webhook.organizationId,
    webhookId: p.webhook.id,
    messageId: p.message.id,
    attemptNumber: p.attemptNumber,
    trigger: p.trigger,
    success: p.response.ok,
    startedAt: p.startedAt.toISOString(),
    durationMs: Math.round(p.response.durationMs),
    statusCode: p.response.statusCode ?? null,
    requestUrl: p.request.url,
    requestMethod: p.request.method,
    requestHeaders: noNulValues(p.request.loggedHeaders) ?? {},
    requestBody: noNul(p.request.body) ?? null,
    responseHeaders: noNulValues(p.response.responseHeaders),
    responseBody: noNul(p.response.bodyExcerpt) ?? null,
    error: noNul(p.lastError),
    errorCode: p.response.errorCode ?? null,
    nextAttemptAt: p.next?.toISOString() ?? null,
  }));
  const updates = batch.map((p) => ({
    id: p.message.id,
    organizationId: p.webhook.organizationId,
    owner: p.owner,
    status: p.outcome === "succeeded" ? "SUCCEEDED" : p.outcome === "retrying" ? "PENDING" : "FAILED",
    attemptCount: p.attemptNumber,
    nextAttemptAt: p.next?.toISOString() ?? null,
    lastStatusCode: p.response.statusCode ?? null,
    lastError: noNul(p.lastError),
    completedAt: p.next ? null : p.finishedAt.toISOString(),
  }));
  // timestamp(3) columns hold UTC wall time: the ISO strings' "Z" is ignored on input, as intended.
  const kept = batch.some((p) => p.outcome === "failed")
    ? await writeWithReactions(batch, attempts, updates)
    : new Set((await getDb().$queryRawUnsafe<{ id: string }[]>(RECORD_WITHOUT_FAILURES_SQL, JSON.stringify(attempts), JSON.stringify(updates), new Date())).map((r) => r.id));
  return batch.map((p) => {
    if (kept.has(p.message.id)) return p.outcome;
    logger.warn({ messageId: p.message.id, owner: p.owner }, "lease lost before recording: attempt kept, message state left to its new owner");
    return "lost";
  });
}

/** A batch with final failures: one transaction, so their reactions (streak, notices, auto-disable) commit with them. */
async function writeWithReactions(batch: TPlannedAttempt[], attempts: unknown[], updates: unknown[]): Promise<Set<string>> {
  return getDb().$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(
        RECORD_ATTEMPTS_SQL,
        JSON.stringify(attempts),
      );
      const now = new Date();
      const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
        RECORD_MESSAGES_SQL,
        JSON.stringify(updates),
        now,
      );
      const keptIds = new Set(rows.map((r) => r.id));
      // Final outcomes per webhook, in completion order; webhooks in id order so concurrent workers lock them alike.
      const settled = new Map<string, TPlannedAttempt[]>();
      for (const p of batch) {
        if (!keptIds.has(p.message.id) || p.outcome === "retrying") continue;
        const list = settled.get(p.webhook.id);
        if (list) list.push(p);
        else settled.set(p.webhook.id, [p]);
      }
      const onlySucceeded: { id: string; organizationId: string }[] = [];
      for (const webhookId of [...settled.keys()].sort()) {
        const list = settled.get(webhookId)!;
        if (list.every((p) => p.outcome === "succeeded")) {
          onlySucceeded.push({ id: webhookId, organizationId: list[0]!.webhook.organizationId });
          continue;
        }
        for (const p of list) {
          await onMessageSettled({ tx, webhookId, organizationId: p.webhook.organizationId, messageId: p.message.id, succeeded: p.outcome === "succeeded", now: p.finishedAt });
        }
      }
      // A success resets the streak (what onMessageSettled does for one), one statement for all such webhooks.
      if (onlySucceeded.length) {
        await tx.$executeRawUnsafe(
          `UPDATE "Webhook" AS w SET "consecutiveFailures" = 0, "updatedAt" = $2
             FROM json_to_recordset($1::json) AS v("id" uuid, "organizationId" uuid)
            WHERE w."id" = v."id" AND w."organizationId" = v."organizationId" AND w."consecutiveFailures" > 0`,
          JSON.stringify(onlySucceeded),
          now,
        );
      }
      return keptIds;
    },
    // A batch can carry hundreds of rows and their reactions; PGlite also waits here for its one session.
    { maxWait: 10_000, timeout: 60_000 },
  );
}

/**
 * Messages of batching webhooks travel together: each such webhook's claimed
 * messages are topped up with its other due ones and split by its batch limit.
 * Everything else is one message per request.
 */
async function groupForBatching(claimed: TClaimedMessage[], engine: { owner: string; leaseMs: number; now: () => Date }, pass: TPassWebhooks): Promise<TClaimedMessage[][]> {
  const byWebhook = new Map<string, TClaimedMessage[]>();
  for (const m of claimed) byWebhook.set(m.webhookId, [...(byWebhook.get(m.webhookId) ?? []), m]);
  const groups: TClaimedMessage[][] = [];
  for (const [webhookId, list] of byWebhook) {
    const w = pass.get(webhookId)?.webhook;
    if (!w || w.organizationId !== list[0]!.organizationId || w.batchMode === "NONE") {
      for (const m of list) groups.push([m]);
      continue;
    }
    const limit = w.batchLimit;
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
 *
 * A driver keeping sends in flight (lib/delivery/loop.ts) follows each
 * message through three callbacks, each called once per message and in this
 * order: `onClaimed` once the pass knows what it will send (its claim with
 * any batch top-ups), `onSent` once its request is answered (its endpoint
 * slot is free while the outcome waits for the recorder), and `onSettled`
 * once the outcome is written, or the pass gave up on it (it comes back after
 * its lease).
 */
export async function runDeliveryPass(opts: TEngineOptions & {
  maxMessages?: number;
  concurrency?: number;
  excludeWebhookIds?: string[];
  perWebhookLimit?: number;
  onClaimed?: (messages: TClaimedMessage[]) => void;
  onSent?: (message: TClaimedMessage) => void;
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
  const pass = await loadPassWebhooks(claimed, engine.now());
  const groups = await groupForBatching(claimed, engine, pass);
  const all = groups.flat();
  opts.onClaimed?.(all);
  const summary: TPassSummary = { claimed: all.length, succeeded: 0, retrying: 0, failed: 0, skipped: 0, lost: 0, errors: 0 };
  const queue = [...groups];
  const worker = async () => {
    for (let g = queue.shift(); g; g = queue.shift()) {
      const group = g;
      let sent = false;
      const markSent = () => {
        if (sent) return;
        sent = true;
        for (const m of group) opts.onSent?.(m);
      };
      try {
        for (const outcome of await deliverGroup(group, { ...engine, onSent: markSent }, pass)) summary[outcome] += 1;
      } catch (error) {
        // Database trouble while recording: the lease expires and the messages are retried.
        summary.errors += group.length;
        logger.error({ err: error, messageIds: group.map((m) => m.id) }, "delivery failed unexpectedly; the message will be retried after its lease");
      } finally {
        markSent();
        for (const m of group) opts.onSettled?.(m);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, groups.length) }, worker));
  return summary;
}
