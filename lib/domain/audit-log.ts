/**
 * Reading the audit log (admins): who did what to which webhook, secret, API
 * key or member, with the before/after of changed fields. Entries are
 * written by recordAudit (./audit.ts) with secrets already masked; they are
 * masked again here by field name, so an entry written by mistake with a
 * secret never reaches the page.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { requirePermission, type TActor } from "@/lib/auth/actor";
import { Invalid } from "@/lib/errors";
import { zodIssuesOf } from "@/lib/validation/issues";
import { auditActionLabel, ZAuditQuery, type TAuditQuery } from "@/lib/validation/audit";
import { z } from "zod";

export const MASK = "••••";

export type TAuditChange =
  | { field: string; kind: "changed"; before: unknown; after: unknown }
  | { field: string; kind: "value"; value: unknown };

export type TAuditEntryView = {
  id: string;
  createdAt: Date;
  action: string;
  actionLabel: string;
  actor: { kind: "user" | "api_key" | "system"; label: string; userId: string | null; apiKeyId: string | null };
  target: { type: string; id: string | null; label: string | null; webhookId: string | null };
  changes: TAuditChange[];
};

export type TAuditFacets = {
  actors: { kind: "user" | "api_key" | "system"; id: string | null; label: string }[];
  webhooks: { id: string; label: string; deleted: boolean }[];
  actions: { action: string; label: string }[];
};

/** Names whose values are secrets wherever they appear; `key` and `value` only inside `auth`. */
const SECRET_NAME = /(password|passwd|secret|token|authorization|ciphertext|private_?key|credential)/i;
const AUTH_SECRET_NAME = /^(key|value)$/i;

/** Replaces secret values with •••• (by field name); recursive, pure. */
export function maskSecrets(value: unknown, path: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, path));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    const inAuth = path.includes("auth");
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const secret = SECRET_NAME.test(k) || (inAuth && AUTH_SECRET_NAME.test(k));
      out[k] = secret && v !== null && v !== undefined && v !== "" ? MASK : maskSecrets(v, [...path, k]);
    }
    return out;
  }
  return value;
}

/** `{ before, after }` (either may be missing: JSON drops an undefined `before`). */
function isBeforeAfter(v: unknown): v is { before?: unknown; after?: unknown } {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.length <= 2 && keys.every((k) => k === "before" || k === "after");
}

/** The stored `changes` JSON as rows: { field: { before, after } } pairs, other keys as values. */
export function normalizeChanges(changes: unknown): TAuditChange[] {
  if (!changes || typeof changes !== "object" || Array.isArray(changes)) return changes === null || changes === undefined ? [] : [{ field: "value", kind: "value", value: maskSecrets(changes) }];
  const masked = maskSecrets(changes) as Record<string, unknown>;
  return Object.entries(masked).map(([field, v]) => (isBeforeAfter(v) ? { field, kind: "changed" as const, before: v.before ?? null, after: v.after ?? null } : { field, kind: "value" as const, value: v }));
}

function encodeCursor(e: { createdAt: Date; id: string }): string {
  return Buffer.from(`${e.createdAt.toISOString()}|${e.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime()) || !z.string().uuid().safeParse(id).success) {
    throw new Invalid("cursor is not valid: start again from the first page", [{ path: "cursor", message: "Invalid cursor" }]);
  }
  return { createdAt, id };
}

/** Ids of messages of this webhook that have audit entries (message.retried). */
async function auditedMessageIds(organizationId: string, webhookId: string): Promise<string[]> {
  const rows = await getDb().$queryRawUnsafe<{ id: string }[]>(
    `SELECT DISTINCT a."targetId" AS id
       FROM "AuditEntry" a
       JOIN "Message" m ON m."id"::text = a."targetId" AND m."organizationId" = $1::uuid
      WHERE a."organizationId" = $1::uuid AND a."targetType" = 'Message' AND m."webhookId" = $2::uuid`,
    organizationId,
    webhookId,
  );
  return rows.map((r) => r.id);
}

type TEntryRow = {
  id: string;
  createdAt: Date;
  action: string;
  actorLabel: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  targetType: string;
  targetId: string | null;
  changes: Prisma.JsonValue;
};

const nameFrom = (changes: Prisma.JsonValue): string | null => {
  if (!changes || typeof changes !== "object" || Array.isArray(changes)) return null;
  const name = (changes as Record<string, unknown>).name;
  if (typeof name === "string") return name;
  if (isBeforeAfter(name) && typeof name.after === "string") return name.after;
  return null;
};

/** The latest name the log itself recorded for each target (deleted webhooks, revoked keys). */
async function recordedNames(organizationId: string, targetIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!targetIds.length) return names;
  const rows = await getDb().auditEntry.findMany({
    where: { organizationId, targetId: { in: targetIds }, action: { in: ["webhook.created", "webhook.updated", "webhook.deleted", "api_key.created"] } },
    select: { targetId: true, changes: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  for (const e of rows) {
    const n = nameFrom(e.changes);
    if (n && e.targetId) names.set(e.targetId, n);
  }
  return names;
}

/** Human labels of the entries' targets (current names; a deleted webhook's name from its own entries). */
async function targetLabels(organizationId: string, rows: TEntryRow[]) {
  const ids = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && r.targetId).map((r) => r.targetId!))].filter((id) => z.string().uuid().safeParse(id).success);
  const webhookIds = ids("Webhook");
  const messageIds = ids("Message");
  const [webhooks, apiKeys, users, messages, invitations, recorded] = await Promise.all([
    webhookIds.length ? getDb().webhook.findMany({ where: { organizationId, id: { in: webhookIds } }, select: { id: true, name: true } }) : [],
    ids("ApiKey").length ? getDb().apiKey.findMany({ where: { organizationId, id: { in: ids("ApiKey") } }, select: { id: true, name: true, prefix: true } }) : [],
    ids("User").length ? getDb().user.findMany({ where: { id: { in: ids("User") }, memberships: { some: { organizationId } } }, select: { id: true, email: true } }) : [],
    messageIds.length ? getDb().message.findMany({ where: { organizationId, id: { in: messageIds } }, select: { id: true, webhookId: true, webhook: { select: { name: true } } } }) : [],
    ids("Invitation").length ? getDb().invitation.findMany({ where: { organizationId, id: { in: ids("Invitation") } }, select: { id: true, email: true } }) : [],
    recordedNames(organizationId, [...webhookIds, ...ids("ApiKey")]),
  ]);
  return (row: TEntryRow): { label: string | null; webhookId: string | null } => {
    const id = row.targetId;
    if (!id) return { label: null, webhookId: null };
    switch (row.targetType) {
      case "Webhook": {
        const w = webhooks.find((x) => x.id === id);
        return { label: w?.name ?? recorded.get(id) ?? nameFrom(row.changes), webhookId: id };
      }
      case "ApiKey": {
        const k = apiKeys.find((x) => x.id === id);
        return { label: k ? `${k.name} (${k.prefix}…)` : (recorded.get(id) ?? null), webhookId: null };
      }
      case "User":
        return { label: users.find((u) => u.id === id)?.email ?? null, webhookId: null };
      case "Invitation": {
        const email = invitations.find((i) => i.id === id)?.email ?? (row.changes as { email?: string } | null)?.email ?? null;
        return { label: email, webhookId: null };
      }
      case "Message": {
        const m = messages.find((x) => x.id === id);
        return { label: m ? `Message ${id.slice(0, 8)} of ${m.webhook.name}` : `Message ${id.slice(0, 8)}`, webhookId: m?.webhookId ?? null };
      }
      default:
        return { label: null, webhookId: null };
    }
  };
}

/** The organization's audit log, newest first, in keyset pages; filters by member or key, webhook, action and date. */
export async function listAuditEntries(opts: { actor: TActor; query: unknown }): Promise<{ entries: TAuditEntryView[]; nextCursor: string | null }> {
  requirePermission(opts.actor, "audit:read");
  const parsed = ZAuditQuery.safeParse(opts.query ?? {});
  if (!parsed.success) {
    const issues = zodIssuesOf(parsed.error);
    throw new Invalid(`Query is invalid: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  const q: TAuditQuery = parsed.data;
  const organizationId = opts.actor.organizationId;
  const where: Prisma.AuditEntryWhereInput = { organizationId };
  const and: Prisma.AuditEntryWhereInput[] = [];
  if (q.userId) where.actorUserId = q.userId;
  if (q.apiKeyId) where.actorApiKeyId = q.apiKeyId;
  if (q.action) where.action = q.action.endsWith(".") ? { startsWith: q.action } : q.action;
  if (q.from || q.to) where.createdAt = { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) };
  if (q.webhookId) {
    const messageIds = await auditedMessageIds(organizationId, q.webhookId);
    and.push({ OR: [{ targetType: "Webhook", targetId: q.webhookId }, ...(messageIds.length ? [{ targetType: "Message", targetId: { in: messageIds } }] : [])] });
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    and.push({ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] });
  }
  if (and.length) where.AND = and;
  const rows: TEntryRow[] = await getDb().auditEntry.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: { id: true, createdAt: true, action: true, actorLabel: true, actorUserId: true, actorApiKeyId: true, targetType: true, targetId: true, changes: true },
  });
  const page = rows.slice(0, q.limit);
  const labelOf = await targetLabels(organizationId, page);
  return {
    entries: page.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      action: r.action,
      actionLabel: auditActionLabel(r.action),
      actor: { kind: r.actorUserId ? "user" : r.actorApiKeyId ? "api_key" : "system", label: r.actorLabel, userId: r.actorUserId, apiKeyId: r.actorApiKeyId },
      target: { type: r.targetType, id: r.targetId, ...labelOf(r) },
      changes: normalizeChanges(r.changes),
    })),
    nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}

/** What the audit page's filters offer: everyone who acted, every webhook the log mentions, the actions present. */
export async function listAuditFacets(opts: { actor: TActor }): Promise<TAuditFacets> {
  requirePermission(opts.actor, "audit:read");
  const organizationId = opts.actor.organizationId;
  const [actors, targets, actions] = await Promise.all([
    getDb().auditEntry.groupBy({ by: ["actorUserId", "actorApiKeyId", "actorLabel"], where: { organizationId }, orderBy: { actorLabel: "asc" } }),
    getDb().auditEntry.groupBy({ by: ["targetId"], where: { organizationId, targetType: "Webhook", targetId: { not: null } } }),
    getDb().auditEntry.groupBy({ by: ["action"], where: { organizationId }, orderBy: { action: "asc" } }),
  ]);
  const webhookIds = targets.map((t) => t.targetId!).filter((id) => z.string().uuid().safeParse(id).success);
  const [current, recorded] = await Promise.all([
    webhookIds.length ? getDb().webhook.findMany({ where: { organizationId, id: { in: webhookIds } }, select: { id: true, name: true } }) : [],
    recordedNames(organizationId, webhookIds),
  ]);
  const webhooks = webhookIds.map((id) => {
    const live = current.find((w) => w.id === id);
    return { id, label: live?.name ?? recorded.get(id) ?? `Webhook ${id.slice(0, 8)}`, deleted: !live };
  });
  webhooks.sort((a, b) => Number(a.deleted) - Number(b.deleted) || a.label.localeCompare(b.label));
  const seen = new Set<string>();
  const actorList: TAuditFacets["actors"] = [];
  for (const a of actors) {
    const kind = a.actorUserId ? "user" : a.actorApiKeyId ? "api_key" : "system";
    const id = a.actorUserId ?? a.actorApiKeyId ?? null;
    const key = `${kind}:${id ?? a.actorLabel}`;
    if (seen.has(key)) continue;
    seen.add(key);
    actorList.push({ kind, id, label: a.actorLabel });
  }
  return { actors: actorList, webhooks, actions: actions.map((a) => ({ action: a.action, label: auditActionLabel(a.action) })) };
}
