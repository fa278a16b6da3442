/**
 * Builds the OpenAPI 3.1 document from the route registry (./routes): every
 * request and response schema goes through zod 4's z.toJSONSchema in one
 * pass over a registry, so shared schemas (Auth, Signing, Webhook, …) become
 * components and are referenced, never copied. Built once per process.
 */
import { z } from "zod";
import { PERMISSIONS, ROLE_LABELS, type TPermission } from "@/lib/auth/permissions";
import { ZAuth, ZBatching, ZCustomHeader, ZSigning } from "@/lib/validation/webhook";
import { ZCondition } from "@/lib/catalog";
import { ZExportedResource, ZExportedWebhook, ZImportWebhookItem } from "@/lib/validation/transfer";
import * as R from "./responses";
import { ROUTES, TAGS, type TRouteSpec } from "./routes";

export const OPENAPI_VERSION = "3.1.0";
export const API_VERSION = "1.0.0";

export type TJsonSchema = Record<string, unknown>;
export type TParameter = { name: string; in: "path" | "query"; required: boolean; description?: string; schema: TJsonSchema; example?: unknown; style?: string; explode?: boolean };
export type TOperation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: TParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: TJsonSchema; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: TJsonSchema }> } | { $ref: string }>;
  "x-hookyard-permission"?: string;
  "x-hookyard-roles"?: string[];
};
export type TOpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, TOperation>>;
  components: {
    schemas: Record<string, TJsonSchema>;
    responses: Record<string, { description: string; content: Record<string, { schema: TJsonSchema }> }>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
};

const REF = (name: string) => `#/components/schemas/${name}`;

/** Shared schemas with a component name of their own. */
const NAMED: [z.ZodType, string][] = [
  [ZAuth, "Auth"],
  [ZSigning, "Signing"],
  [ZBatching, "Batching"],
  [ZCustomHeader, "CustomHeader"],
  [ZCondition, "Condition"],
  [ZExportedWebhook, "ExportedWebhook"],
  [ZExportedResource, "ExportedResource"],
  [R.ZErrorBody, "Error"],
  [R.ZWebhookView, "Webhook"],
  [R.ZWebhookListItem, "WebhookListItem"],
  [R.ZResourceView, "Resource"],
  [R.ZAttemptDetail, "Attempt"],
  [R.ZEventTypeJson, "EventType"],
  [R.ZApiKeyView, "ApiKey"],
  [R.ZImportPreview, "ImportPreview"],
];

const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: "Invalid", description: "The request is invalid: `error.issues` lists `{ path, message }` per field." },
  401: { name: "Unauthorized", description: "No valid API key or session (the key is missing, malformed, unknown or revoked)." },
  403: { name: "Forbidden", description: "The key's or member's role does not allow this." },
  404: { name: "NotFound", description: "Not found in this organization (another organization's ids are not found either)." },
  409: { name: "Conflict", description: "The current state does not allow this (e.g. a message being delivered)." },
  503: { name: "Unavailable", description: "The database is unreachable." },
};

function rolesOf(permission: TPermission): string[] {
  return (PERMISSIONS[permission] as readonly (keyof typeof ROLE_LABELS)[]).map((r) => ROLE_LABELS[r]);
}

function securityOf(route: TRouteSpec): Record<string, string[]>[] {
  if (route.auth === "none") return [];
  if (route.auth === "metrics") return [{ metricsToken: [] }];
  if (route.auth === "session") return [{ session: [] }];
  return [{ apiKey: [] }, { session: [] }];
}

/** zod → JSON Schema adjustments: dates as date-time strings, import items as ExportedWebhook, no noisy patterns on formats. */
function override(ctx: { zodSchema: unknown; jsonSchema: TJsonSchema }): void {
  const def = (ctx.zodSchema as { _zod?: { def?: { type?: string } } })._zod?.def;
  if (def?.type === "date") {
    ctx.jsonSchema.type = "string";
    ctx.jsonSchema.format = "date-time";
  }
  if (ctx.zodSchema === ZImportWebhookItem) ctx.jsonSchema.$ref = REF("ExportedWebhook");
  if (typeof ctx.jsonSchema.format === "string" && ["date-time", "uuid", "email"].includes(ctx.jsonSchema.format)) delete ctx.jsonSchema.pattern;
}

/** Query examples are written as the URL carries them (strings); shown typed like their schema. */
function exampleValue(value: unknown, schema: TJsonSchema): unknown {
  if (typeof value === "string" && (schema.type === "integer" || schema.type === "number") && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return value;
}

function clean(schema: TJsonSchema): TJsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

export function buildOpenApiDocument(routes: readonly TRouteSpec[] = ROUTES): TOpenApiDocument {
  const registry = z.registry<{ id: string }>();
  const idOf = new Map<z.ZodType, string>();
  const taken = new Set<string>();
  const name = (schema: z.ZodType, wanted: string): string => {
    const known = idOf.get(schema);
    if (known) return known;
    if (taken.has(wanted)) throw new Error(`OpenAPI component name "${wanted}" is used by two different schemas`);
    taken.add(wanted);
    idOf.set(schema, wanted);
    registry.add(schema, { id: wanted });
    return wanted;
  };
  for (const [schema, id] of NAMED) name(schema, id);
  const inlineOnly = new Set<string>();
  const refs = routes.map((route) => {
    const cap = route.operationId[0]!.toUpperCase() + route.operationId.slice(1);
    const params = route.params ? name(route.params, `${cap}Params`) : null;
    const query = route.query ? name(route.query, `${cap}Query`) : null;
    for (const n of [params, query]) if (n) inlineOnly.add(n);
    return {
      route,
      params,
      query,
      body: route.body ? name(route.body, route.bodyName ?? `${cap}Request`) : null,
      responses: route.responses.map((r) => (r.schema && !r.contentType ? name(r.schema, r.name ?? `${cap}Response${r.status}`) : null)),
    };
  });

  const converted = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
    uri: (id) => REF(id),
    override: override as never,
  }) as { schemas: Record<string, TJsonSchema> };
  const schemas: Record<string, TJsonSchema> = {};
  for (const [id, schema] of Object.entries(converted.schemas)) schemas[id] = clean(schema);

  const parametersOf = (componentId: string | null, where: "path" | "query", example: Record<string, unknown> | undefined): TParameter[] => {
    if (!componentId) return [];
    const schema = schemas[componentId]!;
    const properties = (schema.properties ?? {}) as Record<string, TJsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    return Object.entries(properties).map(([pname, pschema]) => {
      const { description, ...rest } = pschema as TJsonSchema & { description?: string };
      const isArray = rest.type === "array";
      return {
        name: pname,
        in: where,
        required: where === "path" || required.has(pname),
        ...(description ? { description } : {}),
        schema: rest,
        ...(example?.[pname] !== undefined ? { example: exampleValue(example[pname], rest) } : {}),
        ...(isArray ? { style: "form", explode: true } : {}),
      };
    });
  };

  const paths: TOpenApiDocument["paths"] = {};
  for (const { route, params, query, body, responses } of refs) {
    const responseMap: TOperation["responses"] = {};
    route.responses.forEach((r, i) => {
      const content = r.contentType
        ? { [r.contentType]: { schema: { type: "string" } } }
        : r.schema
          ? { "application/json": { schema: { $ref: REF(responses[i]!) } } }
          : undefined;
      responseMap[String(r.status)] = { description: r.description, ...(content ? { content } : {}) };
    });
    const errors = new Set<number>(route.errors ?? []);
    if (params || query || body) errors.add(400);
    if (route.auth !== "none") errors.add(401);
    if (route.permission) errors.add(403);
    if (params || route.auth === "metrics") errors.add(404);
    for (const status of [...errors].sort()) responseMap[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]!.name}` };

    const roles = route.permission ? rolesOf(route.permission) : null;
    const operation: TOperation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description || roles ? { description: [route.description, roles ? `Roles: ${roles.join(", ")} (permission \`${route.permission}\`).` : null].filter(Boolean).join("\n\n") } : {}),
      tags: [route.tag],
      security: securityOf(route),
      ...(params || query ? { parameters: [...parametersOf(params, "path", route.example.params), ...parametersOf(query, "query", route.example.query)] } : {}),
      ...(body ? { requestBody: { required: true, content: { "application/json": { schema: { $ref: REF(body) }, ...(route.example.body !== undefined ? { example: route.example.body } : {}) } } } } : {}),
      responses: responseMap,
      ...(route.permission ? { "x-hookyard-permission": route.permission, "x-hookyard-roles": roles! } : {}),
    };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  for (const id of inlineOnly) delete schemas[id];

  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: "Hookyard REST API",
      version: API_VERSION,
      description:
        "Outbound webhooks for your platform's organizations. Authenticate with `Authorization: Bearer <API key>` (Settings → API keys) or a signed-in session. " +
        "Every id is scoped to the key's organization: another organization's ids are not found. Errors are `{ \"error\": { \"code\", \"message\", \"issues\"? } }`.",
    },
    servers: [{ url: "/", description: "This Hookyard installation" }],
    tags: TAGS.map((t) => ({ ...t })),
    security: [{ apiKey: [] }, { session: [] }],
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        Object.values(ERROR_RESPONSES).map((e) => [e.name, { description: e.description, content: { "application/json": { schema: { $ref: REF("Error") } } } }]),
      ),
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "hy_…", description: "An organization API key (Settings → API keys). Its role limits what it may do." },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The browser session of a signed-in member (the app's own pages use it)." },
        metricsToken: { type: "http", scheme: "bearer", description: "The METRICS_TOKEN of the installation." },
      },
    },
  };
}

let cached: TOpenApiDocument | undefined;

/** The document of this process (built on first use). */
export function getOpenApiDocument(): TOpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
