/**
 * The webhook entity's zod schemas, shared by the wizard (zodResolver), the
 * server actions and the REST API. Cross-field rules (template lint against
 * the selected event types, conditions' variables, resources) live here too,
 * so every entry point refuses the same input with the same messages.
 */
import { z } from "zod";
import {
  ZEventTypeSelection,
  conditionsSchemaFor,
  ZConditions,
  type TEventTypeKey,
} from "@/lib/catalog";
import { lintTemplate, MAX_TEMPLATE_BYTES } from "@/lib/templates";
import { checkTargetUrl, MAX_URL_LENGTH } from "@/lib/delivery/url-policy";
import { requiredString } from "./common";

export const HTTP_METHODS = ["POST", "PUT", "PATCH", "DELETE", "GET"] as const;
export const AUTH_TYPES = ["NONE", "BASIC", "BEARER", "API_KEY", "CERTIFICATE"] as const;
export const BATCH_MODES = ["NONE", "TIME", "COUNT"] as const;
export const MAX_CUSTOM_HEADERS = 50;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers a webhook may not set itself: hop-by-hop, framing, and what Hookyard signs or authenticates with. */
export const RESERVED_HEADERS = new Set([
  "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
  "proxy-authorization", "proxy-authenticate", "proxy-connection", "expect", "content-type", "user-agent",
  "authorization", "cookie", "webhook-id", "webhook-timestamp", "webhook-signature",
  "x-hookyard-signature", "x-webhook-signature", "x-hookyard-causation-depth",
]);

export const ZTargetUrl = z
  .string({ error: (iss) => (iss.input === undefined ? "targetUrl is required" : "targetUrl must be a string") })
  .trim()
  .min(1, "Enter the target URL")
  .max(MAX_URL_LENGTH, `targetUrl must be at most ${MAX_URL_LENGTH} characters`)
  .superRefine((url, ctx) => {
    // Syntax and scheme here (the browser can check it too); private-address
    // policy is enforced by the server with the installation's allow-list.
    const check = checkTargetUrl(url, { allowPrivate: true });
    if (!check.ok) ctx.addIssue({ code: "custom", message: check.reason });
  });

export const ZCustomHeader = z.strictObject({
  name: z.string().trim().regex(HEADER_NAME, "Header name may use letters, digits and !#$%&'*+.^_`|~- only").refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), {
    message: "This header is set by Hookyard (signature, authentication, framing) and cannot be overridden",
  }),
  value: z.string().max(4000, "Header value must be at most 4000 characters").refine((v) => !/[\r\n\0]/.test(v), {
    message: "Header value must not contain line breaks",
  }),
});

export const ZSigning = z.strictObject({
  /** Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature). */
  standard: z.boolean().default(true),
  /** Header of the hex form (sha256=<hex>), or null for none. */
  hexHeader: z
    .string()
    .trim()
    .regex(HEADER_NAME, "Signature header name may use letters, digits and - only")
    .nullable()
    .default(null),
  /** X-Webhook-Signature: <base64>. */
  base64: z.boolean().default(false),
});

const secretField = (label: string, max = 4000) =>
  z.string().min(1, `${label} must not be empty`).max(max, `${label} must be at most ${max} characters`);

/** Endpoint authentication. Secret fields may be omitted on update to keep the stored value. */
export const ZAuth = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("NONE") }),
    z.strictObject({ type: z.literal("BASIC"), username: requiredString("auth.username", { max: 200 }), password: secretField("auth.password", 500).optional() }),
    z.strictObject({ type: z.literal("BEARER"), token: secretField("auth.token").optional() }),
    z.strictObject({
      type: z.literal("API_KEY"),
      header: z.string().trim().regex(HEADER_NAME, "auth.header must be a valid header name").refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()) || n.toLowerCase() === "authorization", "auth.header is reserved"),
      value: secretField("auth.value").optional(),
    }),
    z.strictObject({
      type: z.literal("CERTIFICATE"),
      cert: z.string().max(20_000).regex(/-----BEGIN CERTIFICATE-----/, "auth.cert must be a PEM certificate"),
      key: secretField("auth.key", 20_000).regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "auth.key must be a PEM private key").optional(),
      ca: z.string().max(50_000).regex(/-----BEGIN CERTIFICATE-----/, "auth.ca must be a PEM certificate").optional(),
    }),
  ],
  { error: () => `auth.type must be one of: ${AUTH_TYPES.join(", ")}` },
);
export type TAuthInput = z.infer<typeof ZAuth>;

export const ZBatching = z
  .strictObject({
    mode: z.enum(BATCH_MODES, { error: () => `batching.mode must be one of: ${BATCH_MODES.join(", ")}` }).default("NONE"),
    intervalSeconds: z.number().int().min(1, "batching.intervalSeconds must be at least 1").max(3600).nullable().default(null),
    count: z.number().int().min(1, "batching.count must be at least 1").max(1000).nullable().default(null),
    limit: z.number().int().min(1).max(1000, "batching.limit must be at most 1000").nullable().default(null),
  })
  .superRefine((b, ctx) => {
    if (b.mode === "TIME" && !b.intervalSeconds) ctx.addIssue({ code: "custom", path: ["intervalSeconds"], message: "Time-based batching needs intervalSeconds ≥ 1" });
    if (b.mode === "COUNT" && !b.count) ctx.addIssue({ code: "custom", path: ["count"], message: "Count-based batching needs count ≥ 1" });
  });

const ZAutoDisableAfter = z.number().int().min(0, "autoDisableAfter must be 0 (never) to 1000").max(1000, "autoDisableAfter must be 0 (never) to 1000");
const ZLogRetentionDays = z.number().int().min(1, "logRetentionDays must be 1 to 365").max(365, "logRetentionDays must be 1 to 365");
const ZLoopThreshold = z.number().int().min(0, "loopThreshold must be 0 to 20").max(20, "loopThreshold must be 0 to 20");

const templateField = z
  .string({ error: (iss) => (iss.input === undefined ? "template is required" : "template must be a string") })
  .min(1, "template must not be empty")
  .refine((t) => new TextEncoder().encode(t).length <= MAX_TEMPLATE_BYTES, `template must be at most ${MAX_TEMPLATE_BYTES / 1024} KiB`);

const fields = {
  name: requiredString("name", { max: 120 }),
  eventTypes: ZEventTypeSelection,
  targetUrl: ZTargetUrl,
  allResources: z.boolean().default(true),
  /** External ids of the selected resources (of the event types' resource kind). */
  resources: z.array(z.string().min(1).max(200)).max(1000, "At most 1000 resources").default([]),
  template: templateField,
  conditions: ZConditions.default([]),
  note: z.string().max(4000, "note must be at most 4000 characters").nullable().default(null),
  enabled: z.boolean().default(false),
  method: z.enum(HTTP_METHODS, { error: () => `method must be one of: ${HTTP_METHODS.join(", ")}` }).default("POST"),
  contentType: z
    .string()
    .trim()
    .regex(/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w-]+=[\w.-]+)*$/, "contentType must look like type/subtype, e.g. application/json")
    .max(200)
    .default("application/json"),
  customHeaders: z.array(ZCustomHeader).max(MAX_CUSTOM_HEADERS, `At most ${MAX_CUSTOM_HEADERS} custom headers`).default([]),
  signing: ZSigning.default({ standard: true, hexHeader: null, base64: false }),
  auth: ZAuth.default({ type: "NONE" }),
  autoDisableAfter: ZAutoDisableAfter.default(0),
  notifyOnFailure: z.boolean().default(true),
  logRetentionDays: ZLogRetentionDays.default(28),
  batching: ZBatching.default({ mode: "NONE", intervalSeconds: null, count: null, limit: null }),
  loopThreshold: ZLoopThreshold.default(3),
};

type TCrossCheck = { eventTypes?: TEventTypeKey[]; template?: string; conditions?: unknown[]; allResources?: boolean; resources?: string[] };

/** Rules that involve several fields (also applied to a patch merged with the stored webhook). */
export function checkWebhookCrossFields(value: TCrossCheck, ctx: z.RefinementCtx): void {
  const types = value.eventTypes;
  if (!types || types.length === 0) return;
  if (value.template !== undefined) {
    const errors = lintTemplate(value.template, types).filter((d) => d.severity === "error");
    for (const d of errors.slice(0, 5)) ctx.addIssue({ code: "custom", path: ["template"], message: `Line ${d.line}, column ${d.column}: ${d.message}` });
  }
  if (value.conditions !== undefined) {
    const result = conditionsSchemaFor(types).safeParse(value.conditions);
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: "custom", path: ["conditions", ...issue.path.map(String)], message: issue.message });
  }
  if (value.allResources === false && value.resources !== undefined && value.resources.length === 0) {
    ctx.addIssue({ code: "custom", path: ["resources"], message: "Select at least one item, or send the webhook for all of them" });
  }
}

export const ZWebhookCreate = z.strictObject(fields).superRefine((v, ctx) => checkWebhookCrossFields(v, ctx));
export type TWebhookCreateInput = z.input<typeof ZWebhookCreate>;
export type TWebhookCreate = z.output<typeof ZWebhookCreate>;

/** A patch: any subset of the fields, no defaults applied. */
export const ZWebhookPatch = z.strictObject({
  name: fields.name.optional(),
  eventTypes: fields.eventTypes.optional(),
  targetUrl: fields.targetUrl.optional(),
  allResources: z.boolean().optional(),
  resources: z.array(z.string().min(1).max(200)).max(1000).optional(),
  template: templateField.optional(),
  conditions: ZConditions.optional(),
  note: z.string().max(4000, "note must be at most 4000 characters").nullable().optional(),
  method: z.enum(HTTP_METHODS).optional(),
  contentType: z.string().trim().regex(/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w-]+=[\w.-]+)*$/, "contentType must look like type/subtype").max(200).optional(),
  customHeaders: z.array(ZCustomHeader).max(MAX_CUSTOM_HEADERS, `At most ${MAX_CUSTOM_HEADERS} custom headers`).optional(),
  signing: ZSigning.optional(),
  auth: ZAuth.optional(),
  autoDisableAfter: ZAutoDisableAfter.optional(),
  notifyOnFailure: z.boolean().optional(),
  logRetentionDays: ZLogRetentionDays.optional(),
  batching: ZBatching.optional(),
  loopThreshold: ZLoopThreshold.optional(),
});
export type TWebhookPatch = z.output<typeof ZWebhookPatch>;

/** Fields an AUTHOR may change (the message itself); everything else needs webhook:configure. */
export const TEMPLATE_FIELDS = new Set<keyof TWebhookPatch>(["template"]);

export const ZWebhookListQuery = z.strictObject({
  q: z.string().max(200).optional(),
  eventType: z.string().max(100).optional(),
  status: z.enum(["enabled", "disabled", "auto_disabled"], { error: () => "status must be enabled, disabled or auto_disabled" }).optional(),
});

export const ZTestWebhook = z.strictObject({
  mode: z.enum(["raw", "sample"], { error: () => 'mode must be "raw" (template as written) or "sample" (rendered with sample values)' }).default("sample"),
});

export const ZRotateSecret = z.strictObject({
  graceHours: z.number().min(0, "graceHours must be 0 to 720").max(720, "graceHours must be 0 to 720").default(24),
});

export const ZRecover = z.strictObject({
  since: z.coerce.date({ error: () => "since must be an ISO 8601 date-time" }),
});

export const ZAttemptQuery = z.strictObject({
  status: z.enum(["all", "successful", "failed", "pending", "in_progress"], { error: () => "status must be all, successful, failed, pending or in_progress" }).default("all"),
  from: z.coerce.date({ error: () => "from must be an ISO 8601 date-time" }).optional(),
  to: z.coerce.date({ error: () => "to must be an ISO 8601 date-time" }).optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TAttemptQuery = z.output<typeof ZAttemptQuery>;
