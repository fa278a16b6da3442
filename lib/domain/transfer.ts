/**
 * Export and import of webhooks between organizations.
 *
 * Export: `{ "version": 1, "webhooks": [...] }` — the create fields of each
 * webhook, no secrets, resources by external id (plus the referenced
 * resources' names, for the reader).
 *
 * Import: a preview (dry run) lists per webhook what will be created, its
 * errors (invalid fields or template for the event types, unknown resource
 * ids in this organization, a target URL this installation refuses) and
 * warnings (endpoint authentication without its secret is imported as NONE,
 * name taken, same events to the same URL). Commit creates the included
 * webhooks through createWebhook — disabled, with a fresh signing secret —
 * and only when none of them has an error. Each webhook is created in its
 * own transaction: the result lists what was created and what failed.
 */
import { getDb } from "@/lib/db/client";
import { requirePermission, type TActor } from "@/lib/auth/actor";
import { Invalid, NotFound, type TFieldIssue } from "@/lib/errors";
import { getEventType, type TEventTypeKey } from "@/lib/catalog";
import { checkTargetUrl } from "@/lib/delivery/url-policy";
import { deliveryAllowPrivate } from "@/lib/delivery/config";
import { zodIssuesOf } from "@/lib/validation/issues";
import type { TAuthInput } from "@/lib/validation/webhook";
import {
  TRANSFER_VERSION,
  ZExportedWebhook,
  ZExportQuery,
  ZImportRequest,
  type TExportDocument,
  type TExportedWebhookInput,
} from "@/lib/validation/transfer";
import { createWebhook, findOverlappingWebhooks } from "./webhooks";
import { recordAudit } from "./audit";

type TExportedWebhook = TExportDocument["webhooks"][number];

const AUTH_SECRET_KEY: Record<TAuthInput["type"], "password" | "token" | "value" | "key" | null> = {
  NONE: null,
  BASIC: "password",
  BEARER: "token",
  API_KEY: "value",
  CERTIFICATE: "key",
};

/** Exports some (`ids`) or all webhooks of the actor's organization. */
export async function exportWebhooks(opts: { actor: TActor; query?: unknown; now?: Date }): Promise<TExportDocument> {
  requirePermission(opts.actor, "webhook:read");
  const parsed = ZExportQuery.safeParse(opts.query ?? {});
  if (!parsed.success) {
    const issues = zodIssuesOf(parsed.error);
    throw new Invalid(`Query is invalid: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  const ids = parsed.data.id;
  const organizationId = opts.actor.organizationId;
  const [org, rows] = await Promise.all([
    getDb().organization.findUniqueOrThrow({ where: { id: organizationId }, select: { name: true } }),
    getDb().webhook.findMany({
      where: { organizationId, ...(ids ? { id: { in: ids } } : {}) },
      include: { resources: { include: { resource: { select: { kind: true, externalId: true, name: true } } } } },
      orderBy: { name: "asc" },
    }),
  ]);
  if (ids) {
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw new NotFound(missing.length === 1 ? "Webhook" : "Webhooks");
  }
  const resources = new Map<string, { kind: string; externalId: string; name: string }>();
  const webhooks: TExportedWebhook[] = rows.map((w) => {
    for (const r of w.resources) resources.set(`${r.resource.kind}:${r.resource.externalId}`, r.resource);
    const authConfig = (w.authConfig ?? {}) as { username?: string; header?: string; cert?: string; ca?: string };
    const auth = ((): TExportedWebhook["auth"] => {
      switch (w.authType) {
        case "BASIC": return { type: "BASIC", username: authConfig.username ?? "" };
        case "BEARER": return { type: "BEARER" };
        case "API_KEY": return { type: "API_KEY", header: authConfig.header ?? "" };
        case "CERTIFICATE": return { type: "CERTIFICATE", cert: authConfig.cert ?? "", ...(authConfig.ca ? { ca: authConfig.ca } : {}) };
        default: return { type: "NONE" };
      }
    })();
    return {
      name: w.name,
      eventTypes: w.eventTypes as TEventTypeKey[],
      targetUrl: w.targetUrl,
      allResources: w.allResources,
      resources: w.resources.map((r) => r.resource.externalId).sort(),
      template: w.template,
      conditions: (w.conditions ?? []) as TExportedWebhook["conditions"],
      note: w.note,
      method: w.method,
      contentType: w.contentType,
      customHeaders: (w.customHeaders ?? []) as { name: string; value: string }[],
      signing: { standard: w.signStandard, hexHeader: w.signHexHeader, base64: w.signBase64 },
      auth,
      autoDisableAfter: w.autoDisableAfter,
      notifyOnFailure: w.notifyOnFailure,
      logRetentionDays: w.logRetentionDays,
      batching: { mode: w.batchMode, intervalSeconds: w.batchIntervalSec, count: w.batchCount, limit: w.batchLimit },
      loopThreshold: w.loopThreshold,
    };
  });
  await recordAudit({
    actor: opts.actor,
    action: "webhooks.exported",
    targetType: rows.length === 1 ? "Webhook" : "Organization",
    targetId: rows.length === 1 ? rows[0]!.id : organizationId,
    changes: { count: rows.length, names: rows.slice(0, 50).map((r) => r.name) },
  });
  return {
    version: TRANSFER_VERSION,
    exportedAt: (opts.now ?? new Date()).toISOString(),
    source: { organization: org.name },
    resources: [...resources.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.externalId.localeCompare(b.externalId)) as TExportDocument["resources"],
    webhooks,
  };
}

export type TImportItemPreview = {
  index: number;
  included: boolean;
  name: string | null;
  eventTypes: string[];
  targetUrl: string | null;
  status: "ready" | "warning" | "error";
  errors: TFieldIssue[];
  warnings: string[];
  resources: { externalId: string; kind: string | null; name: string | null; found: boolean }[];
  auth: { type: string; importedAs: string };
};

export type TImportPreview = {
  version: number;
  source: string | null;
  canImport: boolean;
  summary: { total: number; included: number; ready: number; withWarnings: number; withErrors: number };
  webhooks: TImportItemPreview[];
};

export type TImportResult = {
  created: { index: number; id: string; name: string }[];
  failed: { index: number; name: string | null; message: string }[];
  preview: TImportPreview;
};

function parseRequest(input: unknown) {
  const parsed = ZImportRequest.safeParse(input);
  if (!parsed.success) {
    const issues = zodIssuesOf(parsed.error);
    throw new Invalid(`Import is invalid: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  const include = parsed.data.include;
  const count = parsed.data.document.webhooks.length;
  const outOfRange = include?.filter((i) => i >= count) ?? [];
  if (outOfRange.length) throw new Invalid(`include: the document has ${count} webhook(s); no index ${outOfRange.join(", ")}`, [{ path: "include", message: "Index out of range" }]);
  return parsed.data;
}

/** The webhook as createWebhook will receive it: disabled, auth without a missing secret set to NONE. */
function toCreateInput(item: TExportedWebhookInput): { input: Record<string, unknown>; authWarning: string | null } {
  const auth = (item.auth ?? { type: "NONE" }) as TAuthInput;
  const secretKey = AUTH_SECRET_KEY[auth.type];
  const hasSecret = secretKey ? typeof (auth as Record<string, unknown>)[secretKey] === "string" : true;
  if (secretKey && !hasSecret) {
    const label = { BASIC: "Basic", BEARER: "Bearer token", API_KEY: "API key", CERTIFICATE: "client certificate" }[auth.type as Exclude<TAuthInput["type"], "NONE">];
    return {
      input: { ...item, auth: { type: "NONE" }, enabled: false },
      authWarning: `${label} authentication has no ${secretKey} in the document (exports carry no secrets): imported without endpoint authentication — set it in the webhook's settings, or add auth.${secretKey} to the document.`,
    };
  }
  return { input: { ...item, enabled: false }, authWarning: null };
}

async function buildPreview(actor: TActor, request: ReturnType<typeof parseRequest>): Promise<{ preview: TImportPreview; inputs: (Record<string, unknown> | null)[] }> {
  const organizationId = actor.organizationId;
  const doc = request.document;
  const included = new Set(request.include ?? doc.webhooks.map((_, i) => i));
  const names = new Map(doc.resources.map((r) => [`${r.kind}:${r.externalId}`, r.name]));
  const existingNames = new Set((await getDb().webhook.findMany({ where: { organizationId }, select: { name: true } })).map((w) => w.name.toLowerCase()));
  const allowPrivate = deliveryAllowPrivate();
  const seenNames = new Map<string, number>();
  const inputs: (Record<string, unknown> | null)[] = [];
  const items: TImportItemPreview[] = [];

  for (const [index, raw] of doc.webhooks.entries()) {
    const obj = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
    const item: TImportItemPreview = {
      index,
      included: included.has(index),
      name: typeof obj?.name === "string" ? obj.name : null,
      eventTypes: Array.isArray(obj?.eventTypes) ? (obj.eventTypes as unknown[]).map(String) : [],
      targetUrl: typeof obj?.targetUrl === "string" ? obj.targetUrl : null,
      status: "ready",
      errors: [],
      warnings: [],
      resources: [],
      auth: { type: typeof (obj?.auth as { type?: unknown } | undefined)?.type === "string" ? String((obj!.auth as { type: string }).type) : "NONE", importedAs: "NONE" },
    };
    items.push(item);
    inputs.push(null);
    if (!obj) {
      item.errors.push({ path: "(webhook)", message: "Each webhook must be a JSON object" });
      continue;
    }
    const parsed = ZExportedWebhook.safeParse(obj);
    if (!parsed.success) {
      item.errors.push(...zodIssuesOf(parsed.error));
      continue;
    }
    const webhook = parsed.data;
    const policy = checkTargetUrl(webhook.targetUrl, { allowPrivate });
    if (!policy.ok) item.errors.push({ path: "targetUrl", message: `Target URL is refused by this installation: ${policy.reason}` });

    const kind = getEventType(webhook.eventTypes[0]!).resourceKind;
    if (!webhook.allResources && webhook.resources.length) {
      if (!kind) {
        item.errors.push({ path: "resources", message: "This event type has no items to select" });
      } else {
        const unique = [...new Set(webhook.resources)];
        const found = await getDb().resource.findMany({ where: { organizationId, kind, externalId: { in: unique } }, select: { externalId: true, name: true } });
        item.resources = unique.map((externalId) => {
          const row = found.find((f) => f.externalId === externalId);
          return { externalId, kind, name: row?.name ?? names.get(`${kind}:${externalId}`) ?? null, found: !!row };
        });
        const missing = item.resources.filter((r) => !r.found);
        if (missing.length) {
          const list = missing.slice(0, 10).map((r) => (r.name ? `${r.externalId} (${r.name})` : r.externalId)).join(", ");
          item.errors.push({
            path: "resources",
            message: `Unknown ${kind} ${missing.length === 1 ? "id" : "ids"} in this organization: ${list}${missing.length > 10 ? ` and ${missing.length - 10} more` : ""}. Create ${missing.length === 1 ? "it" : "them"} first (PUT /api/v1/resources/${kind}/{externalId}) or send the webhook for all of them.`,
          });
        }
      }
    }

    const { input, authWarning } = toCreateInput(webhook);
    item.auth.importedAs = (input.auth as { type: string }).type;
    if (authWarning) item.warnings.push(authWarning);
    const lower = webhook.name.toLowerCase();
    if (existingNames.has(lower)) item.warnings.push(`A webhook named "${webhook.name}" already exists in this organization: a second one will be created.`);
    if (seenNames.has(lower) && included.has(index) && included.has(seenNames.get(lower)!)) item.warnings.push(`The document has another webhook named "${webhook.name}" (#${seenNames.get(lower)! + 1}).`);
    seenNames.set(lower, seenNames.get(lower) ?? index);
    if (!item.errors.length) {
      const overlaps = await findOverlappingWebhooks({ actor, eventTypes: webhook.eventTypes, targetUrl: webhook.targetUrl, allResources: webhook.allResources, resources: webhook.resources });
      if (overlaps.length) item.warnings.push(`Sends the same events to the same URL as ${overlaps.slice(0, 3).map((o) => `"${o.name}"`).join(", ")}: receivers would get duplicates once enabled.`);
      inputs[index] = input;
    }
  }
  for (const item of items) item.status = item.errors.length ? "error" : item.warnings.length ? "warning" : "ready";
  const chosen = items.filter((i) => i.included);
  const summary = {
    total: items.length,
    included: chosen.length,
    ready: chosen.filter((i) => i.status !== "error").length,
    withWarnings: chosen.filter((i) => i.status === "warning").length,
    withErrors: chosen.filter((i) => i.status === "error").length,
  };
  return {
    preview: { version: doc.version, source: doc.source?.organization ?? null, canImport: chosen.length > 0 && summary.withErrors === 0, summary, webhooks: items },
    inputs,
  };
}

/** Dry run: what an import of `document` would create in the actor's organization. Creates nothing. */
export async function previewWebhookImport(opts: { actor: TActor; input: unknown }): Promise<TImportPreview> {
  requirePermission(opts.actor, "webhook:create");
  const request = parseRequest(opts.input);
  return (await buildPreview(opts.actor, request)).preview;
}

/** Creates the included webhooks (disabled) when none of them has an error; refuses the whole import otherwise. */
export async function importWebhooks(opts: { actor: TActor; input: unknown }): Promise<TImportResult> {
  requirePermission(opts.actor, "webhook:create");
  const request = parseRequest(opts.input);
  const { preview, inputs } = await buildPreview(opts.actor, request);
  const chosen = preview.webhooks.filter((w) => w.included);
  if (!chosen.length) throw new Invalid("Nothing to import: include at least one webhook.", [{ path: "include", message: "No webhook included" }]);
  if (!preview.canImport) {
    const issues = chosen.flatMap((w) => w.errors.map((e) => ({ path: `document.webhooks.${w.index}.${e.path}`, message: e.message })));
    throw new Invalid(`${preview.summary.withErrors} of the ${chosen.length} webhook(s) cannot be imported: nothing was created. First: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  const created: TImportResult["created"] = [];
  const failed: TImportResult["failed"] = [];
  for (const item of chosen) {
    try {
      const { webhook } = await createWebhook({ actor: opts.actor, input: inputs[item.index] });
      created.push({ index: item.index, id: webhook.id, name: webhook.name });
    } catch (error) {
      // A resource deleted or a URL policy changed since the preview: report it, keep the others.
      failed.push({ index: item.index, name: item.name, message: error instanceof Error ? error.message : "Could not be created" });
    }
  }
  await recordAudit({
    actor: opts.actor,
    action: "webhooks.imported",
    targetType: "Organization",
    targetId: opts.actor.organizationId,
    changes: { source: preview.source, created: created.length, failed: failed.length, names: created.slice(0, 50).map((c) => c.name) },
  });
  return { created, failed, preview };
}
