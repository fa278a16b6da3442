/**
 * Response bodies of the REST API as JSON (dates are ISO 8601 strings). The
 * domain returns TypeScript types, not zod schemas, so these are the one
 * place responses are described; the OpenAPI test parses every example
 * request's real response with them, so they cannot drift unnoticed.
 * Objects are not strict: a new field is not a breaking change.
 */
import { z } from "zod";
import { ZRole } from "@/lib/validation/member";
import { ZResourceKind } from "@/lib/validation/resource";
import { AUTH_TYPES, BATCH_MODES, HTTP_METHODS } from "@/lib/validation/webhook";
import { ZExportDocument } from "@/lib/validation/transfer";
import { CONDITION_OPERATORS } from "@/lib/catalog";

const dt = () => z.iso.datetime({ offset: true });
const uuid = () => z.string().uuid();
const nullable = <T extends z.ZodType>(s: T) => s.nullable();

export const ZErrorBody = z.object({
  error: z.object({
    code: z.enum(["unauthorized", "forbidden", "not_found", "invalid", "conflict", "rate_limited", "internal"]),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export const ZApiKeyView = z.object({ id: uuid(), name: z.string(), prefix: z.string(), role: ZRole, createdAt: dt(), lastUsedAt: nullable(dt()), revokedAt: nullable(dt()) });

export const ZMembersResponse = z.object({
  members: z.array(z.object({ membershipId: uuid(), userId: uuid(), email: z.string(), name: z.string(), role: ZRole, createdAt: dt() })),
  invitations: z.array(z.object({ id: uuid(), email: z.string(), role: ZRole, expiresAt: dt(), createdAt: dt() })),
});

export const ZResourceView = z.object({ id: uuid(), kind: ZResourceKind, externalId: z.string(), name: z.string(), updatedAt: dt() });

export const ZEventTypeJson = z.object({
  key: z.string(),
  label: z.string(),
  resourceKind: nullable(ZResourceKind),
  allResourcesLabel: nullable(z.string()),
  family: nullable(z.string()),
  variables: z.array(z.object({ name: z.string(), token: z.string(), caption: z.string(), type: z.enum(["string", "number", "datetime", "json"]), sample: z.unknown() })),
  defaultTemplate: z.string(),
  presets: z.array(z.object({ id: z.string(), label: z.string(), template: z.string() })),
});

export const ZIngestResult = z.object({ id: uuid(), duplicate: z.boolean(), messages: z.number().int() });

const ZSecretSummary = z.object({ id: uuid(), field: z.string(), masked: z.string(), createdAt: dt(), expiresAt: nullable(dt()) });

export const ZWebhookListItem = z.object({
  id: uuid(),
  name: z.string(),
  eventTypes: z.array(z.string()),
  targetUrl: z.string(),
  enabled: z.boolean(),
  disabledReason: nullable(z.string()),
  updatedAt: dt(),
  successRate: nullable(z.number().min(0).max(1)).meta({ description: "Succeeded ÷ (succeeded + failed) messages over 28 days; null without deliveries." }),
  lastDeliveryAt: nullable(dt()),
});

export const ZWebhookView = z.object({
  id: uuid(),
  name: z.string(),
  eventTypes: z.array(z.string()),
  targetUrl: z.string(),
  enabled: z.boolean(),
  disabledReason: nullable(z.string()),
  disabledAt: nullable(dt()),
  allResources: z.boolean(),
  resources: z.array(z.object({ externalId: z.string(), name: z.string(), kind: z.string() })),
  template: z.string(),
  conditions: z.array(z.object({ variable: z.string(), operator: z.enum(CONDITION_OPERATORS), value: z.unknown().optional() })),
  note: nullable(z.string()),
  method: z.enum(HTTP_METHODS),
  contentType: z.string(),
  customHeaders: z.array(z.object({ name: z.string(), value: z.string() })),
  signing: z.object({ standard: z.boolean(), hexHeader: nullable(z.string()), base64: z.boolean() }),
  auth: z
    .object({ type: z.enum(AUTH_TYPES), username: z.string().optional(), header: z.string().optional(), cert: z.string().optional(), ca: z.string().optional(), secret: nullable(z.string()).optional() })
    .meta({ description: "Endpoint authentication; `secret` is the masked stored secret (••••last4), never the secret itself." }),
  secrets: z.array(ZSecretSummary).meta({ description: "Signing secrets in force (masked); two during a rotation's grace period." }),
  autoDisableAfter: z.number().int(),
  consecutiveFailures: z.number().int(),
  notifyOnFailure: z.boolean(),
  logRetentionDays: z.number().int(),
  batching: z.object({ mode: z.enum(BATCH_MODES), intervalSeconds: nullable(z.number().int()), count: nullable(z.number().int()), limit: nullable(z.number().int()) }),
  loopThreshold: z.number().int(),
  createdAt: dt(),
  updatedAt: dt(),
  createdBy: nullable(z.string()),
  updatedBy: nullable(z.string()),
});

export const ZWebhookCreated = z.object({
  webhook: ZWebhookView,
  signingSecret: z.string().meta({ description: "The signing secret (whsec_…), shown in this response only." }),
});

export const ZAttemptDetail = z.object({
  id: uuid(),
  organizationId: uuid(),
  webhookId: uuid(),
  messageId: nullable(uuid()),
  attemptNumber: z.number().int(),
  trigger: z.enum(["AUTO", "MANUAL", "TEST"]),
  success: z.boolean(),
  startedAt: dt(),
  durationMs: z.number().int(),
  statusCode: nullable(z.number().int()),
  requestUrl: z.string(),
  requestMethod: z.enum(HTTP_METHODS),
  requestHeaders: z.record(z.string(), z.unknown()).meta({ description: "As sent, with authentication and signature values masked." }),
  requestBody: nullable(z.string()),
  responseHeaders: nullable(z.record(z.string(), z.unknown())),
  responseBody: nullable(z.string()),
  error: nullable(z.string()),
  errorCode: nullable(z.string()),
  nextAttemptAt: nullable(dt()),
});

const ZMessageStatus = z.enum(["PENDING", "IN_PROGRESS", "SUCCEEDED", "FAILED", "SKIPPED"]);

export const ZAttemptResponse = z.object({
  attempt: ZAttemptDetail.extend({
    message: nullable(z.object({ id: uuid(), status: ZMessageStatus, attemptCount: z.number().int(), nextAttemptAt: nullable(dt()), eventId: uuid() })),
  }),
});

export const ZMessageResponse = z.object({
  message: z.object({
    id: uuid(),
    organizationId: uuid(),
    webhookId: uuid(),
    eventId: uuid(),
    workspaceIndex: nullable(z.number().int()),
    status: ZMessageStatus,
    body: z.string(),
    attemptCount: z.number().int(),
    nextAttemptAt: nullable(dt()),
    leaseUntil: nullable(dt()),
    retryTrigger: z.enum(["AUTO", "MANUAL", "TEST"]),
    lastStatusCode: nullable(z.number().int()),
    lastError: nullable(z.string()),
    completedAt: nullable(dt()),
    createdAt: dt(),
    updatedAt: dt(),
    attempts: z.array(ZAttemptDetail),
    event: z.object({ id: uuid(), externalId: nullable(z.string()), type: z.string(), occurredAt: dt() }),
    webhook: z.object({ id: uuid(), name: z.string() }),
  }),
});

export const ZRetryResult = z.object({ id: uuid(), status: z.literal("PENDING") });

export const ZAttemptList = z.object({
  attempts: z.array(
    z.object({
      id: uuid(),
      messageId: nullable(uuid()),
      eventId: nullable(uuid()),
      attemptNumber: z.number().int(),
      trigger: z.enum(["AUTO", "MANUAL", "TEST"]),
      success: z.boolean(),
      statusCode: nullable(z.number().int()),
      durationMs: z.number().int(),
      startedAt: dt(),
      error: nullable(z.string()),
      messageStatus: nullable(ZMessageStatus),
    }),
  ),
  nextCursor: nullable(z.string()).meta({ description: "Pass as `cursor` for the next (older) page; null on the last page." }),
});

export const ZDailyStats = z.object({
  days: z.array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), succeeded: z.number().int(), failed: z.number().int(), p50Ms: nullable(z.number()), p95Ms: nullable(z.number()) })),
});

export const ZWebhookMetricsResponse = z.object({
  metrics: z.object({
    successful: z.number().int(),
    pending: z.number().int(),
    inProgress: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    total: z.number().int(),
    successRate: nullable(z.number()),
    from: dt(),
    to: dt(),
  }),
});

export const ZRecoverResult = z.object({ recovered: z.number().int() });
export const ZRevealResult = z.object({ signingSecret: z.string() });
export const ZRotateResult = z.object({ signingSecret: z.string(), previousExpiresAt: dt() });

export const ZTestResult = z.object({
  result: z.object({
    ok: z.boolean(),
    statusCode: nullable(z.number().int()),
    durationMs: z.number().int(),
    bodyExcerpt: nullable(z.string()),
    error: nullable(z.string()),
    attemptId: uuid(),
    requestBody: nullable(z.string()),
  }),
});

const ZAuditChange = z.discriminatedUnion("kind", [
  z.object({ field: z.string(), kind: z.literal("changed"), before: z.unknown(), after: z.unknown() }),
  z.object({ field: z.string(), kind: z.literal("value"), value: z.unknown() }),
]);

export const ZAuditList = z.object({
  entries: z.array(
    z.object({
      id: uuid(),
      createdAt: dt(),
      action: z.string(),
      actionLabel: z.string(),
      actor: z.object({ kind: z.enum(["user", "api_key", "system"]), label: z.string(), userId: nullable(uuid()), apiKeyId: nullable(uuid()) }),
      target: z.object({ type: z.string(), id: nullable(z.string()), label: nullable(z.string()), webhookId: nullable(uuid()) }),
      changes: z.array(ZAuditChange).meta({ description: "Changed fields (before → after) and recorded values; secrets are masked as ••••." }),
    }),
  ),
  nextCursor: nullable(z.string()),
});

export const ZNotificationList = z.object({
  items: z.array(z.object({ id: uuid(), kind: z.string(), title: z.string(), body: z.string(), link: nullable(z.string()), readAt: nullable(dt()), createdAt: dt() })),
  unread: z.number().int(),
});

export const ZAuditFacets = z.object({
  actors: z.array(z.object({ kind: z.enum(["user", "api_key", "system"]), id: nullable(uuid()), label: z.string() })),
  webhooks: z.array(z.object({ id: uuid(), label: z.string(), deleted: z.boolean() })),
  actions: z.array(z.object({ action: z.string(), label: z.string() })),
});

export const ZExportResponse = ZExportDocument;

export const ZImportPreview = z.object({
  version: z.number().int(),
  source: nullable(z.string()),
  canImport: z.boolean().meta({ description: "True when at least one webhook is included and none of the included has an error." }),
  summary: z.object({ total: z.number().int(), included: z.number().int(), ready: z.number().int(), withWarnings: z.number().int(), withErrors: z.number().int() }),
  webhooks: z.array(
    z.object({
      index: z.number().int(),
      included: z.boolean(),
      name: nullable(z.string()),
      eventTypes: z.array(z.string()),
      targetUrl: nullable(z.string()),
      status: z.enum(["ready", "warning", "error"]),
      errors: z.array(z.object({ path: z.string(), message: z.string() })),
      warnings: z.array(z.string()),
      resources: z.array(z.object({ externalId: z.string(), kind: nullable(z.string()), name: nullable(z.string()), found: z.boolean() })),
      auth: z.object({ type: z.string(), importedAs: z.string() }),
    }),
  ),
});

export const ZImportPreviewResponse = z.object({ preview: ZImportPreview });

export const ZImportResult = z.object({
  created: z.array(z.object({ index: z.number().int(), id: uuid(), name: z.string() })),
  failed: z.array(z.object({ index: z.number().int(), name: nullable(z.string()), message: z.string() })),
  preview: ZImportPreview,
});

export const ZGalleryResponse = z.object({
  templates: z.array(
    z.object({
      id: z.enum(["slack", "teams", "power_automate", "generic"]),
      label: z.string(),
      description: z.string(),
      targetUrlExample: z.string(),
      method: z.literal("POST"),
      contentType: z.literal("application/json"),
      templates: z.array(z.object({ eventType: z.string(), template: z.string() })),
    }),
  ),
});

export const ZOpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export const ZHealth = z.object({
  status: z.enum(["ok", "error"]),
  database: z.object({ status: z.enum(["ok", "error"]), kind: z.enum(["postgres", "pglite"]), latencyMs: z.number().optional(), error: z.string().optional() }),
  delivery: z
    .object({ lagSeconds: z.number(), due: z.number().int(), inProgress: z.number().int(), oldestDueAt: nullable(dt()) })
    .optional()
    .meta({ description: "Delivery lag: age of the oldest due PENDING message (0 when nothing is due)." }),
  loop: z
    .object({ mode: z.enum(["thread", "in-process", "off"]), running: z.boolean() })
    .meta({ description: "This server's own delivery: a worker thread (PostgreSQL), its event loop (embedded database), or off (DELIVERY_LOOP=0; npm start on PostgreSQL delivers from a worker process)." }),
});
