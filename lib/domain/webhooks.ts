/**
 * Webhooks: create, read, list, change, enable/disable, delete, rotate and
 * reveal the signing secret. Every function takes the actor and scopes by its
 * organization; changes are audited and emit object.* events with entity type
 * "Webhook" (the platform's own objects changed through Hookyard).
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { requirePermission, type TActor } from "@/lib/auth/actor";
import { Invalid, NotFound, type TFieldIssue } from "@/lib/errors";
import { getEventType, type TEventTypeKey } from "@/lib/catalog";
import { checkTargetUrl } from "@/lib/delivery/url-policy";
import { deliveryAllowPrivate, SIGNING_ROTATION_GRACE_MS } from "@/lib/delivery/config";
import { generateSigningSecret } from "@/lib/delivery/signing";
import { storeEvent } from "@/lib/delivery/ingest";
import {
  ZWebhookCreate,
  ZWebhookPatch,
  checkWebhookCrossFields,
  TEMPLATE_FIELDS,
  type TAuthInput,
  type TWebhookCreate,
  type TWebhookPatch,
} from "@/lib/validation/webhook";
import { zodIssuesOf } from "@/lib/validation/issues";
import { z } from "zod";
import { recordAudit } from "./audit";
import { openWebhookSecrets, storeWebhookSecret, summarizeWebhookSecrets, type TSecretField, type TSecretSummary } from "./webhook-secrets";

type TTx = Prisma.TransactionClient;

export type TWebhookListItem = {
  id: string;
  name: string;
  eventTypes: string[];
  targetUrl: string;
  enabled: boolean;
  disabledReason: string | null;
  updatedAt: Date;
  successRate: number | null;
  lastDeliveryAt: Date | null;
};

export type TWebhookView = {
  id: string;
  name: string;
  eventTypes: string[];
  targetUrl: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  allResources: boolean;
  resources: { externalId: string; name: string; kind: string }[];
  template: string;
  conditions: unknown[];
  note: string | null;
  method: string;
  contentType: string;
  customHeaders: { name: string; value: string }[];
  signing: { standard: boolean; hexHeader: string | null; base64: boolean };
  auth: { type: string; username?: string; header?: string; cert?: string; ca?: string; secret?: string | null };
  secrets: TSecretSummary[];
  autoDisableAfter: number;
  consecutiveFailures: number;
  notifyOnFailure: boolean;
  logRetentionDays: number;
  batching: { mode: string; intervalSeconds: number | null; count: number | null; limit: number | null };
  loopThreshold: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string | null;
  updatedBy: string | null;
};

const WEBHOOK_ENTITY = "Webhook";
const AUTH_SECRET_FIELD: Record<TAuthInput["type"], Exclude<TSecretField, "signing"> | null> = {
  NONE: null,
  BASIC: "auth.password",
  BEARER: "auth.token",
  API_KEY: "auth.value",
  CERTIFICATE: "auth.key",
};

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = zodIssuesOf(result.error);
    throw new Invalid(`Webhook is invalid: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  return result.data;
}

function assertTargetAllowed(url: string): void {
  const check = checkTargetUrl(url, { allowPrivate: deliveryAllowPrivate() });
  if (!check.ok) throw new Invalid(`Target URL is not allowed: ${check.reason}`, [{ path: "targetUrl", message: check.reason }]);
}

function authSecretOf(auth: TAuthInput): string | undefined {
  switch (auth.type) {
    case "BASIC": return auth.password;
    case "BEARER": return auth.token;
    case "API_KEY": return auth.value;
    case "CERTIFICATE": return auth.key;
    default: return undefined;
  }
}

function authConfigOf(auth: TAuthInput): Prisma.InputJsonValue {
  switch (auth.type) {
    case "BASIC": return { username: auth.username };
    case "API_KEY": return { header: auth.header };
    case "CERTIFICATE": return { cert: auth.cert, ...(auth.ca ? { ca: auth.ca } : {}) };
    default: return {};
  }
}

/** Resolves external ids to resource rows of the event types' kind in this organization. */
async function resolveResources(tx: TTx, organizationId: string, eventTypes: TEventTypeKey[], externalIds: string[]): Promise<string[]> {
  if (externalIds.length === 0) return [];
  const kind = getEventType(eventTypes[0]!).resourceKind;
  if (!kind) throw new Invalid("This event type has no items to select", [{ path: "resources", message: "Not applicable to this event type" }]);
  const unique = [...new Set(externalIds)];
  const rows = await tx.resource.findMany({ where: { organizationId, kind, externalId: { in: unique } }, select: { id: true, externalId: true } });
  const missing = unique.filter((id) => !rows.some((r) => r.externalId === id));
  if (missing.length) {
    const message = `Unknown ${kind} ${missing.length === 1 ? "id" : "ids"}: ${missing.slice(0, 10).join(", ")}`;
    throw new Invalid(message, [{ path: "resources", message }]);
  }
  return rows.map((r) => r.id);
}

function storedFields(input: TWebhookCreate | TWebhookPatch): Prisma.WebhookUncheckedUpdateInput {
  const data: Prisma.WebhookUncheckedUpdateInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.eventTypes !== undefined) data.eventTypes = input.eventTypes;
  if (input.targetUrl !== undefined) data.targetUrl = input.targetUrl;
  if (input.allResources !== undefined) data.allResources = input.allResources;
  if (input.template !== undefined) data.template = input.template;
  if (input.conditions !== undefined) data.conditions = input.conditions as Prisma.InputJsonValue;
  if (input.note !== undefined) data.note = input.note;
  if (input.method !== undefined) data.method = input.method;
  if (input.contentType !== undefined) data.contentType = input.contentType;
  if (input.customHeaders !== undefined) data.customHeaders = input.customHeaders as Prisma.InputJsonValue;
  if (input.signing !== undefined) {
    data.signStandard = input.signing.standard;
    data.signHexHeader = input.signing.hexHeader;
    data.signBase64 = input.signing.base64;
  }
  if (input.auth !== undefined) {
    data.authType = input.auth.type;
    data.authConfig = authConfigOf(input.auth);
  }
  if (input.autoDisableAfter !== undefined) data.autoDisableAfter = input.autoDisableAfter;
  if (input.notifyOnFailure !== undefined) data.notifyOnFailure = input.notifyOnFailure;
  if (input.logRetentionDays !== undefined) data.logRetentionDays = input.logRetentionDays;
  if (input.batching !== undefined) {
    data.batchMode = input.batching.mode;
    data.batchIntervalSec = input.batching.intervalSeconds;
    data.batchCount = input.batching.count;
    data.batchLimit = input.batching.limit;
  }
  if (input.loopThreshold !== undefined) data.loopThreshold = input.loopThreshold;
  return data;
}

async function emitWebhookObjectEvent(opts: { tx: TTx; actor: TActor; action: "created" | "modified" | "deleted"; webhook: { id: string; name: string } }) {
  const user = opts.actor.userId ? await opts.tx.user.findUnique({ where: { id: opts.actor.userId }, select: { name: true, email: true } }) : null;
  await storeEvent({
    tx: opts.tx,
    organizationId: opts.actor.organizationId,
    actorUserId: opts.actor.userId,
    input: {
      type: `object.${opts.action}`,
      resource: WEBHOOK_ENTITY,
      data: {
        entity_type: WEBHOOK_ENTITY,
        entity_name: opts.webhook.name,
        entity_id: opts.webhook.id,
        action: { created: "Creation", modified: "Modification", deleted: "Deletion" }[opts.action],
        triggered_by_name: user?.name ?? opts.actor.label,
        triggered_by_email: user?.email ?? null,
        triggered_by_id: opts.actor.userId ?? opts.actor.apiKeyId ?? null,
      },
    },
  });
}

/** Creates a webhook (disabled unless `enabled`); returns it with its signing secret, shown once. */
export async function createWebhook(opts: { actor: TActor; input: unknown }): Promise<{ webhook: TWebhookView; signingSecret: string }> {
  requirePermission(opts.actor, "webhook:create");
  const input = parseInput(ZWebhookCreate, opts.input);
  assertTargetAllowed(input.targetUrl);
  const secretField = AUTH_SECRET_FIELD[input.auth.type];
  const authSecret = authSecretOf(input.auth);
  if (secretField && !authSecret) {
    throw new Invalid(`auth: the ${input.auth.type.toLowerCase()} authentication needs its secret`, [{ path: `auth.${secretField.split(".")[1]}`, message: "Required" }]);
  }
  const orgId = opts.actor.organizationId;
  const signingSecret = generateSigningSecret();
  const id = await getDb().$transaction(async (tx) => {
    const resourceIds = input.allResources ? [] : await resolveResources(tx, orgId, input.eventTypes, input.resources);
    const row = await tx.webhook.create({
      data: {
        ...(storedFields(input) as Prisma.WebhookUncheckedCreateInput),
        organizationId: orgId,
        enabled: input.enabled,
        createdById: opts.actor.userId ?? null,
        updatedById: opts.actor.userId ?? null,
        resources: { create: resourceIds.map((resourceId) => ({ resourceId })) },
      },
    });
    await storeWebhookSecret({ tx, organizationId: orgId, webhookId: row.id, field: "signing", plaintext: signingSecret, replace: true });
    if (secretField && authSecret) await storeWebhookSecret({ tx, organizationId: orgId, webhookId: row.id, field: secretField, plaintext: authSecret, replace: true });
    await recordAudit({ tx, actor: opts.actor, action: "webhook.created", targetType: WEBHOOK_ENTITY, targetId: row.id, changes: { name: input.name, eventTypes: input.eventTypes, targetUrl: input.targetUrl, enabled: input.enabled } });
    await emitWebhookObjectEvent({ tx, actor: opts.actor, action: "created", webhook: row });
    return row.id;
  });
  return { webhook: await getWebhook({ actor: opts.actor, id }), signingSecret };
}

async function findOwned(tx: TTx, actor: TActor, id: string) {
  if (!z.string().uuid().safeParse(id).success) throw new NotFound("Webhook");
  const row = await tx.webhook.findFirst({ where: { id, organizationId: actor.organizationId }, include: { resources: { include: { resource: true } } } });
  if (!row) throw new NotFound("Webhook");
  return row;
}

export async function getWebhook(opts: { actor: TActor; id: string }): Promise<TWebhookView> {
  requirePermission(opts.actor, "webhook:read");
  const w = await findOwned(getDb(), opts.actor, opts.id);
  const people = await getDb().user.findMany({ where: { id: { in: [w.createdById, w.updatedById].filter((x): x is string => !!x) } }, select: { id: true, name: true } });
  const nameOf = (uid: string | null) => people.find((p) => p.id === uid)?.name ?? null;
  const secrets = await summarizeWebhookSecrets({ organizationId: w.organizationId, webhookId: w.id });
  const authConfig = (w.authConfig ?? {}) as { username?: string; header?: string; cert?: string; ca?: string };
  const authField = AUTH_SECRET_FIELD[w.authType];
  return {
    id: w.id,
    name: w.name,
    eventTypes: w.eventTypes,
    targetUrl: w.targetUrl,
    enabled: w.enabled,
    disabledReason: w.disabledReason,
    disabledAt: w.disabledAt,
    allResources: w.allResources,
    resources: w.resources.map((r) => ({ externalId: r.resource.externalId, name: r.resource.name, kind: r.resource.kind })),
    template: w.template,
    conditions: (w.conditions ?? []) as unknown[],
    note: w.note,
    method: w.method,
    contentType: w.contentType,
    customHeaders: (w.customHeaders ?? []) as { name: string; value: string }[],
    signing: { standard: w.signStandard, hexHeader: w.signHexHeader, base64: w.signBase64 },
    auth: { type: w.authType, ...authConfig, secret: authField ? (secrets.find((s) => s.field === authField)?.masked ?? null) : undefined },
    secrets: secrets.filter((s) => s.field === "signing"),
    autoDisableAfter: w.autoDisableAfter,
    consecutiveFailures: w.consecutiveFailures,
    notifyOnFailure: w.notifyOnFailure,
    logRetentionDays: w.logRetentionDays,
    batching: { mode: w.batchMode, intervalSeconds: w.batchIntervalSec, count: w.batchCount, limit: w.batchLimit },
    loopThreshold: w.loopThreshold,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
    createdBy: nameOf(w.createdById),
    updatedBy: nameOf(w.updatedById),
  };
}

const DAY_MS = 86_400_000;

export async function listWebhooks(opts: { actor: TActor; q?: string; eventType?: string; status?: "enabled" | "disabled" | "auto_disabled" }): Promise<TWebhookListItem[]> {
  requirePermission(opts.actor, "webhook:read");
  const orgId = opts.actor.organizationId;
  const where: Prisma.WebhookWhereInput = { organizationId: orgId };
  if (opts.q) where.OR = [{ name: { contains: opts.q, mode: "insensitive" } }, { targetUrl: { contains: opts.q, mode: "insensitive" } }];
  if (opts.eventType) where.eventTypes = { has: opts.eventType };
  if (opts.status === "enabled") where.enabled = true;
  if (opts.status === "disabled") where.enabled = false;
  if (opts.status === "auto_disabled") Object.assign(where, { enabled: false, disabledReason: { not: null } });
  const rows = await getDb().webhook.findMany({
    where,
    select: { id: true, name: true, eventTypes: true, targetUrl: true, enabled: true, disabledReason: true, updatedAt: true },
    orderBy: { name: "asc" },
  });
  if (!rows.length) return [];
  const since = new Date(Date.now() - 28 * DAY_MS);
  const ids = rows.map((r) => r.id);
  const [counts, last] = await Promise.all([
    getDb().message.groupBy({ by: ["webhookId", "status"], where: { organizationId: orgId, webhookId: { in: ids }, createdAt: { gte: since } }, _count: { _all: true } }),
    getDb().attempt.groupBy({ by: ["webhookId"], where: { organizationId: orgId, webhookId: { in: ids }, trigger: { not: "TEST" } }, _max: { startedAt: true } }),
  ]);
  return rows.map((r) => {
    const ok = counts.find((c) => c.webhookId === r.id && c.status === "SUCCEEDED")?._count._all ?? 0;
    const bad = counts.find((c) => c.webhookId === r.id && c.status === "FAILED")?._count._all ?? 0;
    return { ...r, successRate: ok + bad ? ok / (ok + bad) : null, lastDeliveryAt: last.find((l) => l.webhookId === r.id)?._max.startedAt ?? null };
  });
}

function changedFields(before: Record<string, unknown>, patch: Record<string, unknown>): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const [key, after] of Object.entries(patch)) {
    if (key === "auth") {
      const a = after as TAuthInput;
      const masked = { ...a, ...(authSecretOf(a) ? { [AUTH_SECRET_FIELD[a.type]!.split(".")[1]!]: "••••" } : {}) };
      changes.auth = { before: { type: before.authType }, after: masked };
      continue;
    }
    if (JSON.stringify(before[key]) !== JSON.stringify(after)) changes[key] = { before: before[key], after };
  }
  return changes;
}

/** Changes some fields. AUTHORs may change the template only. */
export async function updateWebhook(opts: { actor: TActor; id: string; input: unknown }): Promise<TWebhookView> {
  const patch = parseInput(ZWebhookPatch, opts.input);
  const keys = Object.keys(patch) as (keyof TWebhookPatch)[];
  requirePermission(opts.actor, keys.every((k) => TEMPLATE_FIELDS.has(k)) ? "webhook:template" : "webhook:configure");
  const orgId = opts.actor.organizationId;
  await getDb().$transaction(async (tx) => {
    const current = await findOwned(tx, opts.actor, opts.id);
    const merged = {
      eventTypes: (patch.eventTypes ?? current.eventTypes) as TEventTypeKey[],
      template: patch.template ?? current.template,
      conditions: patch.conditions ?? ((current.conditions ?? []) as unknown[]),
      allResources: patch.allResources ?? current.allResources,
      resources: patch.resources ?? (patch.allResources === false ? current.resources.map((r) => r.resource.externalId) : undefined),
    };
    const issues: TFieldIssue[] = [];
    const ctx = { addIssue: (i: { path?: (string | number)[]; message?: string }) => issues.push({ path: (i.path ?? []).join("."), message: i.message ?? "invalid" }) } as unknown as z.RefinementCtx;
    checkWebhookCrossFields(merged, ctx);
    if (issues.length) throw new Invalid(`Webhook is invalid: ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    if (patch.targetUrl !== undefined) assertTargetAllowed(patch.targetUrl);

    const data = storedFields(patch);
    data.updatedById = opts.actor.userId ?? null;
    if (patch.auth) {
      const field = AUTH_SECRET_FIELD[patch.auth.type];
      const secret = authSecretOf(patch.auth);
      const had = field ? await tx.webhookSecret.count({ where: { webhookId: current.id, field } }) : 0;
      if (field && !secret && (current.authType !== patch.auth.type || had === 0)) {
        throw new Invalid(`auth: the ${patch.auth.type.toLowerCase()} authentication needs its secret`, [{ path: `auth.${field.split(".")[1]}`, message: "Required" }]);
      }
      // Other auth types' secrets are dropped; this one is replaced when given.
      await tx.webhookSecret.deleteMany({ where: { webhookId: current.id, field: { startsWith: "auth." }, ...(field && !secret ? { NOT: { field } } : {}) } });
      if (field && secret) await storeWebhookSecret({ tx, organizationId: orgId, webhookId: current.id, field, plaintext: secret, replace: true });
    }
    if (patch.resources !== undefined || patch.allResources !== undefined || patch.eventTypes !== undefined) {
      const resourceIds = merged.allResources ? [] : await resolveResources(tx, orgId, merged.eventTypes, merged.resources ?? []);
      await tx.webhookResource.deleteMany({ where: { webhookId: current.id } });
      if (resourceIds.length) await tx.webhookResource.createMany({ data: resourceIds.map((resourceId) => ({ webhookId: current.id, resourceId })) });
    }
    const updated = await tx.webhook.update({ where: { id: current.id }, data });
    const before = {
      ...current,
      signing: { standard: current.signStandard, hexHeader: current.signHexHeader, base64: current.signBase64 },
      batching: { mode: current.batchMode, intervalSeconds: current.batchIntervalSec, count: current.batchCount, limit: current.batchLimit },
      resources: current.resources.map((r) => r.resource.externalId),
    };
    await recordAudit({ tx, actor: opts.actor, action: "webhook.updated", targetType: WEBHOOK_ENTITY, targetId: current.id, changes: changedFields(before as unknown as Record<string, unknown>, patch as Record<string, unknown>) as Prisma.InputJsonValue });
    await emitWebhookObjectEvent({ tx, actor: opts.actor, action: "modified", webhook: updated });
  });
  return getWebhook({ actor: opts.actor, id: opts.id });
}

export async function setWebhookEnabled(opts: { actor: TActor; id: string; enabled: boolean }): Promise<TWebhookView> {
  requirePermission(opts.actor, "webhook:toggle");
  await getDb().$transaction(async (tx) => {
    const current = await findOwned(tx, opts.actor, opts.id);
    if (current.enabled === opts.enabled) return;
    await tx.webhook.update({
      where: { id: current.id },
      data: { enabled: opts.enabled, updatedById: opts.actor.userId ?? null, ...(opts.enabled ? { disabledReason: null, disabledAt: null, consecutiveFailures: 0 } : { disabledAt: new Date(), disabledReason: null }) },
    });
    await recordAudit({ tx, actor: opts.actor, action: opts.enabled ? "webhook.enabled" : "webhook.disabled", targetType: WEBHOOK_ENTITY, targetId: current.id, changes: { enabled: { before: current.enabled, after: opts.enabled } } });
  });
  return getWebhook({ actor: opts.actor, id: opts.id });
}

/** Permanent: the webhook, its messages and its attempt history. */
export async function deleteWebhook(opts: { actor: TActor; id: string }): Promise<void> {
  requirePermission(opts.actor, "webhook:delete");
  await getDb().$transaction(async (tx) => {
    const current = await findOwned(tx, opts.actor, opts.id);
    await tx.webhook.delete({ where: { id: current.id } });
    await recordAudit({ tx, actor: opts.actor, action: "webhook.deleted", targetType: WEBHOOK_ENTITY, targetId: current.id, changes: { name: current.name, targetUrl: current.targetUrl } });
    await emitWebhookObjectEvent({ tx, actor: opts.actor, action: "deleted", webhook: current });
  });
}

/** A new signing secret; the previous ones keep signing beside it for the grace period. */
export async function rotateSigningSecret(opts: { actor: TActor; id: string; graceMs?: number; now?: Date }): Promise<{ signingSecret: string; previousExpiresAt: Date }> {
  requirePermission(opts.actor, "webhook:configure");
  const now = opts.now ?? new Date();
  const previousExpiresAt = new Date(now.getTime() + (opts.graceMs ?? SIGNING_ROTATION_GRACE_MS));
  const signingSecret = generateSigningSecret();
  await getDb().$transaction(async (tx) => {
    const current = await findOwned(tx, opts.actor, opts.id);
    await tx.webhookSecret.updateMany({
      where: { webhookId: current.id, field: "signing", OR: [{ expiresAt: null }, { expiresAt: { gt: previousExpiresAt } }] },
      data: { expiresAt: previousExpiresAt },
    });
    await storeWebhookSecret({ tx, organizationId: current.organizationId, webhookId: current.id, field: "signing", plaintext: signingSecret, replace: false });
    await recordAudit({ tx, actor: opts.actor, action: "webhook.secret_rotated", targetType: WEBHOOK_ENTITY, targetId: current.id, changes: { previousExpiresAt: previousExpiresAt.toISOString() } });
  });
  return { signingSecret, previousExpiresAt };
}

/** The current signing secret in full, for an admin; audited. */
export async function revealSigningSecret(opts: { actor: TActor; id: string }): Promise<{ signingSecret: string }> {
  requirePermission(opts.actor, "secret:reveal");
  return getDb().$transaction(async (tx) => {
    const current = await findOwned(tx, opts.actor, opts.id);
    const secrets = await openWebhookSecrets({ organizationId: current.organizationId, webhookId: current.id, tx });
    if (!secrets.signing[0]) throw new NotFound("Signing secret");
    await recordAudit({ tx, actor: opts.actor, action: "webhook.secret_revealed", targetType: WEBHOOK_ENTITY, targetId: current.id });
    return { signingSecret: secrets.signing[0] };
  });
}

/** Other webhooks of the organization that would send the same event to the same URL (003: duplicate sends). */
export async function findOverlappingWebhooks(opts: { actor: TActor; eventTypes: string[]; targetUrl: string; allResources: boolean; resources: string[]; excludeId?: string }) {
  requirePermission(opts.actor, "webhook:read");
  const rows = await getDb().webhook.findMany({
    where: { organizationId: opts.actor.organizationId, targetUrl: opts.targetUrl, eventTypes: { hasSome: opts.eventTypes }, ...(opts.excludeId ? { NOT: { id: opts.excludeId } } : {}) },
    select: { id: true, name: true, allResources: true, resources: { select: { resource: { select: { externalId: true } } } } },
  });
  return rows
    .filter((r) => r.allResources || opts.allResources || r.resources.some((x) => opts.resources.includes(x.resource.externalId)))
    .map((r) => ({ id: r.id, name: r.name }));
}
