/**
 * The REST API's route registry: one entry per method and path, with the
 * SAME zod schemas the route handlers and domain functions parse with
 * (lib/validation/*), the response schemas of ./responses and one example
 * request. The OpenAPI document is generated from it; the coverage test
 * (tests/integration/ecosystem-openapi.test.ts) checks every
 * app/api/v1/**\/route.ts export is here and that every example passes the
 * route's own validation.
 *
 * Pure data: importing it loads the schemas only, never a route module.
 */
import { z } from "zod";
import type { TPermission } from "@/lib/auth/permissions";
import { ZCreateApiKey } from "@/lib/validation/api-key";
import { ZEventIngest } from "@/lib/validation/event";
import { ZResourceExternalId, ZResourceKind, ZResourceQuery, ZUpsertResourceBody } from "@/lib/validation/resource";
import { ZAttemptQuery, ZRecover, ZRotateSecret, ZTestWebhook, ZWebhookCreate, ZWebhookListQuery, ZWebhookPatch } from "@/lib/validation/webhook";
import { ZAuditQuery } from "@/lib/validation/audit";
import { ZExportQuery, ZImportRequest } from "@/lib/validation/transfer";
import { ZGalleryQuery } from "@/lib/gallery";
import * as R from "./responses";

export type THttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export const TAGS = [
  { name: "Webhooks", description: "Create, read, change, enable/disable and delete webhooks; signing secrets." },
  { name: "Deliveries", description: "Messages and attempts: the delivery log, metrics, Retry now, Recover, Test." },
  { name: "Events", description: "Your platform reports events; Hookyard fans them out to matching webhooks." },
  { name: "Resources", description: "The alerts, microservices, entity types, operations and boards a webhook can be limited to." },
  { name: "Catalog", description: "Event types, their variables and templates to start from." },
  { name: "Transfer", description: "Export webhooks as JSON and import them into another organization." },
  { name: "Organization", description: "Members, API keys and the audit log." },
  { name: "Operations", description: "Health, Prometheus metrics and this document." },
] as const;

export type TTag = (typeof TAGS)[number]["name"];

export type TRouteResponse = {
  status: number;
  description: string;
  /** JSON body; omitted for 204. */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
};

export type TRouteSpec = {
  method: THttpMethod;
  /** OpenAPI form: /api/v1/webhooks/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: TTag;
  /** api: API key or session; session: a signed-in member only; none: public; metrics: METRICS_TOKEN. */
  auth: "api" | "session" | "none" | "metrics";
  permission?: TPermission;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Component names of the request body and each response schema (shared schemas are named once). */
  bodyName?: string;
  responses: (TRouteResponse & { name?: string })[];
  /** Error statuses besides the ones implied (400 with params/query/body, 401 for auth, 403 for a permission, 404 for path params). */
  errors?: number[];
  example: { params?: Record<string, string>; query?: Record<string, string | string[]>; body?: unknown };
};

const ZWebhookIdParams = z.object({ id: z.string().uuid().meta({ description: "Webhook id." }) });
const ZMessageIdParams = z.object({ id: z.string().uuid().meta({ description: "Message id." }) });
const ZAttemptIdParams = z.object({ id: z.string().uuid().meta({ description: "Attempt id." }) });
/** As app/api/v1/resources/[kind]/[externalId]/route.ts parses its path. */
const ZResourceParams = z.object({ kind: ZResourceKind, externalId: ZResourceExternalId });

const ZWebhookResponse = z.object({ webhook: R.ZWebhookView });
const ZResourceResponse = z.object({ resource: R.ZResourceView });

const WEBHOOK_ID = "5b0f6a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
const MESSAGE_ID = "6c1a7b9f-2d3e-4f5a-9b0c-1d2e3f4a5b6c";
const ATTEMPT_ID = "7d2b8c0a-3e4f-4a6b-8c1d-2e3f4a5b6c7d";

const ALERT_TEMPLATE = JSON.stringify({ text: "#alert_name on #workspace_name", since: "#alert_start" }, null, 2);

export const EXAMPLE_IDS = { webhook: WEBHOOK_ID, message: MESSAGE_ID, attempt: ATTEMPT_ID } as const;

const ok = (description: string, schema: z.ZodType, name?: string, status = 200): TRouteSpec["responses"][number] => ({ status, description, schema, name });
const noContent = (description: string): TRouteSpec["responses"][number] => ({ status: 204, description });

export const ROUTES: TRouteSpec[] = [
  // Webhooks
  {
    method: "GET", path: "/api/v1/webhooks", operationId: "listWebhooks", tag: "Webhooks", auth: "api", permission: "webhook:read",
    summary: "List webhooks",
    description: "The organization's webhooks by name, with the 28-day success rate and the last delivery.",
    query: ZWebhookListQuery,
    responses: [ok("The webhooks.", z.object({ webhooks: z.array(R.ZWebhookListItem) }), "WebhookList")],
    example: { query: { status: "enabled", q: "slack" } },
  },
  {
    method: "POST", path: "/api/v1/webhooks", operationId: "createWebhook", tag: "Webhooks", auth: "api", permission: "webhook:create",
    summary: "Create a webhook",
    description: "Created disabled unless `enabled` is true. The template is checked against the event types; the target URL against this installation's address policy. The signing secret is in this response only.",
    body: ZWebhookCreate, bodyName: "WebhookCreate",
    responses: [ok("The webhook and its signing secret.", R.ZWebhookCreated, "WebhookCreated", 201)],
    example: {
      body: { name: "CPU alerts to the NOC", eventTypes: ["alert.active"], targetUrl: "https://hooks.example.com/noc", template: ALERT_TEMPLATE, allResources: true },
    },
  },
  {
    method: "GET", path: "/api/v1/webhooks/{id}", operationId: "getWebhook", tag: "Webhooks", auth: "api", permission: "webhook:read",
    summary: "Get a webhook", params: ZWebhookIdParams,
    responses: [ok("The webhook (secrets masked).", ZWebhookResponse, "WebhookResponse")],
    example: { params: { id: WEBHOOK_ID } },
  },
  {
    method: "PATCH", path: "/api/v1/webhooks/{id}", operationId: "updateWebhook", tag: "Webhooks", auth: "api", permission: "webhook:configure",
    summary: "Change a webhook",
    description: "Any subset of the fields. Template authors may change `template` only (permission webhook:template); everything else needs webhook:configure. Secret fields of `auth` may be omitted to keep the stored value.",
    params: ZWebhookIdParams, body: ZWebhookPatch, bodyName: "WebhookPatch",
    responses: [ok("The changed webhook.", ZWebhookResponse, "WebhookResponse")],
    example: { params: { id: WEBHOOK_ID }, body: { name: "CPU alerts (NOC)", customHeaders: [{ name: "X-Team", value: "noc" }] } },
  },
  {
    method: "DELETE", path: "/api/v1/webhooks/{id}", operationId: "deleteWebhook", tag: "Webhooks", auth: "api", permission: "webhook:delete",
    summary: "Delete a webhook", description: "Permanent: the webhook, its messages and its attempt history.",
    params: ZWebhookIdParams, responses: [noContent("Deleted.")], example: { params: { id: WEBHOOK_ID } },
  },
  {
    method: "POST", path: "/api/v1/webhooks/{id}/enable", operationId: "enableWebhook", tag: "Webhooks", auth: "api", permission: "webhook:toggle",
    summary: "Enable a webhook", description: "Also resets the failure streak of an auto-disabled webhook.",
    params: ZWebhookIdParams, responses: [ok("The webhook.", ZWebhookResponse, "WebhookResponse")], example: { params: { id: WEBHOOK_ID } },
  },
  {
    method: "POST", path: "/api/v1/webhooks/{id}/disable", operationId: "disableWebhook", tag: "Webhooks", auth: "api", permission: "webhook:toggle",
    summary: "Disable a webhook", description: "Messages of a disabled webhook are skipped, not sent; recover them after enabling it again.",
    params: ZWebhookIdParams, responses: [ok("The webhook.", ZWebhookResponse, "WebhookResponse")], example: { params: { id: WEBHOOK_ID } },
  },
  {
    method: "POST", path: "/api/v1/webhooks/{id}/rotate-secret", operationId: "rotateSigningSecret", tag: "Webhooks", auth: "api", permission: "webhook:configure",
    summary: "Rotate the signing secret", description: "A new secret signs from now on; the previous ones keep signing beside it for `graceHours` (default 24).",
    params: ZWebhookIdParams, body: ZRotateSecret, bodyName: "RotateSecret",
    responses: [ok("The new secret (shown once) and when the previous one stops signing.", R.ZRotateResult, "RotateSecretResult")],
    example: { params: { id: WEBHOOK_ID }, body: { graceHours: 48 } },
  },
  {
    method: "POST", path: "/api/v1/webhooks/{id}/reveal-secret", operationId: "revealSigningSecret", tag: "Webhooks", auth: "api", permission: "secret:reveal",
    summary: "Reveal the signing secret", description: "The current signing secret in full. Audited.",
    params: ZWebhookIdParams, responses: [ok("The secret.", R.ZRevealResult, "RevealSecretResult")], example: { params: { id: WEBHOOK_ID } },
  },
  {
    method: "GET", path: "/api/v1/webhooks/export", operationId: "exportWebhooks", tag: "Transfer", auth: "api", permission: "webhook:read",
    summary: "Export webhooks",
    description: "`{ \"version\": 1, \"webhooks\": [...] }`: the webhooks' settings without secrets, resources by external id. Repeat `id` to export some; none for all.",
    query: ZExportQuery,
    responses: [ok("The export document.", R.ZExportResponse, "ExportDocument")],
    example: { query: { id: [WEBHOOK_ID] } },
  },
  {
    method: "POST", path: "/api/v1/webhooks/import", operationId: "importWebhooks", tag: "Transfer", auth: "api", permission: "webhook:create",
    summary: "Preview or import webhooks",
    description:
      "`mode: \"preview\"` (default) is a dry run: per webhook, what will be created, errors (invalid fields or template, unknown resource ids in this organization, a refused target URL) and warnings (authentication without its secret is imported as NONE, name taken, duplicate sends). `mode: \"commit\"` creates the included webhooks, disabled, each with a new signing secret — only when none of them has an error.",
    body: ZImportRequest, bodyName: "ImportRequest",
    responses: [
      ok("Preview (mode preview).", R.ZImportPreviewResponse, "ImportPreviewResponse"),
      ok("Created (mode commit).", R.ZImportResult, "ImportResult", 201),
    ],
    example: {
      body: {
        mode: "preview",
        document: {
          version: 1,
          webhooks: [{ name: "CPU alerts to the NOC", eventTypes: ["alert.active"], targetUrl: "https://hooks.example.com/noc", template: ALERT_TEMPLATE, allResources: true, auth: { type: "NONE" } }],
        },
      },
    },
  },

  // Deliveries
  {
    method: "GET", path: "/api/v1/webhooks/{id}/attempts", operationId: "listAttempts", tag: "Deliveries", auth: "api", permission: "message:read",
    summary: "List delivery attempts", description: "Newest first, in keyset pages (`cursor`), by default over 28 days.",
    params: ZWebhookIdParams, query: ZAttemptQuery,
    responses: [ok("A page of attempts.", R.ZAttemptList, "AttemptList")],
    example: { params: { id: WEBHOOK_ID }, query: { status: "failed", limit: "20" } },
  },
  {
    method: "GET", path: "/api/v1/webhooks/{id}/metrics", operationId: "getWebhookMetrics", tag: "Deliveries", auth: "api", permission: "message:read",
    summary: "Delivery metrics (28 days)", description: "Messages by state; a message counts once however many attempts it took.",
    params: ZWebhookIdParams, responses: [ok("The metrics.", R.ZWebhookMetricsResponse, "WebhookMetrics")], example: { params: { id: WEBHOOK_ID } },
  },
  {
    method: "GET", path: "/api/v1/webhooks/{id}/daily", operationId: "getWebhookDailyStats", tag: "Deliveries", auth: "api", permission: "message:read",
    summary: "Daily attempt statistics", description: "Per day over 28 days: attempts succeeded and failed, p50 and p95 duration (test sends excluded).",
    params: ZWebhookIdParams, responses: [ok("28 days.", R.ZDailyStats, "DailyStats")], example: { params: { id: WEBHOOK_ID } },
  },
  {
    method: "POST", path: "/api/v1/webhooks/{id}/test", operationId: "testWebhook", tag: "Deliveries", auth: "api", permission: "webhook:test",
    summary: "Send a test", description: "Sends the template now — `raw` (variables as written) or `sample` (rendered with sample values) — and records a test attempt no metric counts.",
    params: ZWebhookIdParams, body: ZTestWebhook, bodyName: "TestWebhook",
    responses: [ok("What the receiver answered.", R.ZTestResult, "TestResult")],
    example: { params: { id: WEBHOOK_ID }, body: { mode: "sample" } },
  },
  {
    method: "POST", path: "/api/v1/webhooks/{id}/recover", operationId: "recoverFailedMessages", tag: "Deliveries", auth: "api", permission: "message:retry",
    summary: "Recover failed messages", description: "Every failed or skipped message of the webhook since a time goes back to the queue.",
    params: ZWebhookIdParams, body: ZRecover, bodyName: "Recover",
    responses: [ok("How many messages were queued again.", R.ZRecoverResult, "RecoverResult")],
    example: { params: { id: WEBHOOK_ID }, body: { since: "2026-01-01T00:00:00Z" } },
  },
  {
    method: "GET", path: "/api/v1/messages/{id}", operationId: "getMessage", tag: "Deliveries", auth: "api", permission: "message:read",
    summary: "Get a message", description: "The rendered body, its state and every attempt with request and response details (secrets masked).",
    params: ZMessageIdParams, responses: [ok("The message.", R.ZMessageResponse, "MessageResponse")], example: { params: { id: MESSAGE_ID } },
  },
  {
    method: "POST", path: "/api/v1/messages/{id}/retry", operationId: "retryMessage", tag: "Deliveries", auth: "api", permission: "message:retry",
    summary: "Retry now", description: "The message is due at once; its next attempt counts as manual.",
    params: ZMessageIdParams, errors: [409],
    responses: [ok("Queued.", R.ZRetryResult, "RetryResult", 202)], example: { params: { id: MESSAGE_ID } },
  },
  {
    method: "GET", path: "/api/v1/attempts/{id}", operationId: "getAttempt", tag: "Deliveries", auth: "api", permission: "message:read",
    summary: "Get an attempt", params: ZAttemptIdParams,
    responses: [ok("The attempt with request and response details.", R.ZAttemptResponse, "AttemptResponse")], example: { params: { id: ATTEMPT_ID } },
  },

  // Events
  {
    method: "POST", path: "/api/v1/events", operationId: "ingestEvent", tag: "Events", auth: "api", permission: "event:ingest",
    summary: "Report an event",
    description: "Stores the event and one message per matching enabled webhook in one transaction. Idempotent on `id` per organization. `data` holds the event type's variables (see GET /api/v1/event-types). The `X-Hookyard-Causation-Depth` header sets `causationDepth` for loop protection. Body at most 256 KiB.",
    body: ZEventIngest, bodyName: "EventIngest",
    responses: [ok("Accepted: the event id, whether it was a duplicate and how many messages it produced.", R.ZIngestResult, "IngestResult", 202)],
    example: { body: { id: "evt-2026-000123", type: "alert.active", resource: "alert-cpu", data: { alert_name: "CPU above 90%", workspace_name: "SRV-01" } } },
  },

  // Resources
  {
    method: "GET", path: "/api/v1/resources", operationId: "listResources", tag: "Resources", auth: "api", permission: "resource:read",
    summary: "List resources", query: ZResourceQuery,
    responses: [ok("The resources.", z.object({ resources: z.array(R.ZResourceView) }), "ResourceList")],
    example: { query: { kind: "alert", q: "cpu" } },
  },
  {
    method: "GET", path: "/api/v1/resources/{kind}/{externalId}", operationId: "getResource", tag: "Resources", auth: "api", permission: "resource:read",
    summary: "Get a resource", params: ZResourceParams,
    responses: [ok("The resource.", ZResourceResponse, "ResourceResponse")],
    example: { params: { kind: "alert", externalId: "alert-cpu" } },
  },
  {
    method: "PUT", path: "/api/v1/resources/{kind}/{externalId}", operationId: "upsertResource", tag: "Resources", auth: "api", permission: "resource:write",
    summary: "Create or rename a resource", params: ZResourceParams, body: ZUpsertResourceBody, bodyName: "UpsertResource",
    responses: [ok("Renamed.", ZResourceResponse, "ResourceResponse"), ok("Created.", ZResourceResponse, "ResourceResponse", 201)],
    example: { params: { kind: "alert", externalId: "alert-cpu" }, body: { name: "CPU above 90%" } },
  },
  {
    method: "DELETE", path: "/api/v1/resources/{kind}/{externalId}", operationId: "deleteResource", tag: "Resources", auth: "api", permission: "resource:write",
    summary: "Delete a resource", params: ZResourceParams,
    responses: [noContent("Deleted.")], example: { params: { kind: "alert", externalId: "alert-cpu" } },
  },

  // Catalog
  {
    method: "GET", path: "/api/v1/event-types", operationId: "listEventTypes", tag: "Catalog", auth: "api",
    summary: "List event types", description: "Every event type with its variables (name, caption, type, sample), default template and presets.",
    responses: [ok("The catalog.", z.object({ eventTypes: z.array(R.ZEventTypeJson) }), "EventTypeList")], example: {},
  },
  {
    method: "GET", path: "/api/v1/templates/gallery", operationId: "getTemplateGallery", tag: "Catalog", auth: "api",
    summary: "Template gallery", description: "Templates to start a webhook from — Slack, Microsoft Teams, Power Automate (Adaptive Card) and generic JSON — per event type.",
    query: ZGalleryQuery,
    responses: [ok("The gallery.", R.ZGalleryResponse, "TemplateGallery")], example: { query: { eventType: "alert.active" } },
  },

  // Organization
  {
    method: "GET", path: "/api/v1/members", operationId: "listMembers", tag: "Organization", auth: "api", permission: "member:read",
    summary: "List members", description: "Members, and pending invitations for admins.",
    responses: [ok("Members and invitations.", R.ZMembersResponse, "MembersResponse")], example: {},
  },
  {
    method: "GET", path: "/api/v1/api-keys", operationId: "listApiKeys", tag: "Organization", auth: "api", permission: "apikey:manage",
    summary: "List API keys", description: "Keys show their visible prefix only; a key itself is shown once, when created in Settings → API keys.",
    responses: [ok("The keys.", z.object({ apiKeys: z.array(R.ZApiKeyView) }), "ApiKeyList")], example: {},
  },
  {
    method: "GET", path: "/api/v1/notifications", operationId: "listNotifications", tag: "Organization", auth: "session",
    summary: "My notifications", description: "The signed-in member's latest in-app notifications (the bell) and the unread count. Members only: an API key gets 403.",
    errors: [403],
    responses: [ok("Notifications.", R.ZNotificationList, "NotificationList")], example: {},
  },
  {
    method: "GET", path: "/api/v1/audit", operationId: "listAuditEntries", tag: "Organization", auth: "api", permission: "audit:read",
    summary: "Audit log", description: "Who created, changed, enabled, disabled, tested or deleted which webhook, rotated or revealed which secret, created or revoked which API key — newest first, in keyset pages, with before/after of changed fields (secrets masked).",
    query: ZAuditQuery,
    responses: [ok("A page of entries.", R.ZAuditList, "AuditList")], example: { query: { action: "webhook.", limit: "20" } },
  },
  {
    method: "GET", path: "/api/v1/audit/facets", operationId: "listAuditFacets", tag: "Organization", auth: "api", permission: "audit:read",
    summary: "Audit log filters", description: "Who acted, which webhooks the log mentions (deleted ones too) and which actions it holds.",
    responses: [ok("The filter options.", R.ZAuditFacets, "AuditFacets")], example: {},
  },

  // Operations
  {
    method: "GET", path: "/api/v1/openapi.json", operationId: "getOpenApiDocument", tag: "Operations", auth: "none",
    summary: "This OpenAPI document", description: "OpenAPI 3.1, generated from the zod schemas the routes validate with.",
    responses: [ok("The document.", R.ZOpenApiDocument, "OpenApiDocument")], example: {},
  },
  {
    method: "GET", path: "/api/health", operationId: "getHealth", tag: "Operations", auth: "none",
    summary: "Health", description: "200 with the database status, the delivery lag and this server's own delivery loop; 503 when the database is unreachable.",
    errors: [503],
    responses: [ok("Healthy.", R.ZHealth, "Health")], example: {},
  },
  {
    method: "GET", path: "/api/metrics", operationId: "getMetrics", tag: "Operations", auth: "metrics",
    summary: "Prometheus metrics",
    description: "Prometheus text format 0.0.4: delivery attempts by outcome and their duration histogram (last 5 minutes), queue depth, oldest due message age, events ingested. `Authorization: Bearer $METRICS_TOKEN`; 404 when METRICS_TOKEN is unset.",
    responses: [{ status: 200, description: "The metrics.", contentType: "text/plain; version=0.0.4", schema: z.string() }],
    example: {},
  },
];

/** The registry entry of a method and path (OpenAPI path form). */
export function findRoute(method: THttpMethod, path: string): TRouteSpec | undefined {
  return ROUTES.find((r) => r.method === method && r.path === path);
}
