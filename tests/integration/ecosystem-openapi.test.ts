/**
 * The OpenAPI document covers the whole REST API v1, and its examples are
 * real: every route file's exported method is in the document (and nothing
 * else is), every example request parses with the registry's schemas, and
 * every example sent to the route handler itself (with the example ids
 * replaced by real ones) is accepted — no 400 — and answers a body that
 * matches the documented response schema.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
const session = vi.hoisted(() => ({ actor: null as null | Record<string, unknown> }));
// Routes a member's session serves (auth "session") are called as a signed-in member.
vi.mock("@/lib/auth/session", async () => ({ ...(await import("./helpers/session")), getSessionContext: async () => (session.actor ? { actor: session.actor } : null) }));

import fs from "node:fs";
import path from "node:path";
import { createTestDb, type TTestDb } from "./helpers/db";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { callRoute } from "./helpers/http";
import { respond, startReceiver, type TReceiver } from "../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { closeHttpAgents } from "@/lib/delivery/http";
import { upsertResource } from "@/lib/domain/resources";
import { buildOpenApiDocument, EXAMPLE_IDS, ROUTES, type THttpMethod, type TRouteSpec } from "@/lib/openapi";

const METHODS: THttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const ROOT = path.resolve(import.meta.dirname, "../..");

/** app/api/v1/**\/route.ts files as { file, path: "/api/v1/webhooks/{id}" }. */
function routeFiles(): { file: string; apiPath: string }[] {
  const dir = path.join(ROOT, "app/api/v1");
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => path.basename(f) === "route.ts")
    .map((f) => {
      const segments = path.dirname(f).split(path.sep).filter((s) => s && s !== ".");
      const apiPath = "/api/v1/" + segments.map((s) => s.replace(/^\[(?:\.\.\.)?(.+)\]$/, "{$1}")).join("/");
      return { file: path.join(dir, f), apiPath: apiPath.replace(/\/$/, "") };
    })
    .sort((a, b) => a.apiPath.localeCompare(b.apiPath));
}

type TModule = Partial<Record<THttpMethod, (req: never, ctx: never) => Promise<Response>>>;
const modules = new Map<string, TModule>();
async function loadRoutes() {
  const found: { method: THttpMethod; path: string; handler: NonNullable<TModule[THttpMethod]> }[] = [];
  for (const { file, apiPath } of routeFiles()) {
    const mod = (await import(file)) as TModule;
    modules.set(apiPath, mod);
    for (const method of METHODS) if (typeof mod[method] === "function") found.push({ method, path: apiPath, handler: mod[method]! });
  }
  return found;
}

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;
let onDisk: Awaited<ReturnType<typeof loadRoutes>>;
const doc = buildOpenApiDocument();

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver();
  onDisk = await loadRoutes();
});
afterAll(async () => {
  await rx.close();
  await closeHttpAgents();
  await t.close();
  setDeliveryAllowPrivate(undefined);
});

describe("OpenAPI coverage", () => {
  it("finds the v1 route files", () => {
    expect(onDisk.length).toBeGreaterThan(25);
    expect(onDisk.map((r) => `${r.method} ${r.path}`)).toContain("PATCH /api/v1/webhooks/{id}");
  });

  it("documents every exported method of every app/api/v1 route file", () => {
    const missing = onDisk.filter((r) => !doc.paths[r.path]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.path}`);
    expect(missing, "routes on disk without an entry in lib/openapi/routes.ts").toEqual([]);
  });

  it("documents nothing under /api/v1 that no route file serves", () => {
    const served = new Set(onDisk.map((r) => `${r.method} ${r.path}`));
    const stale = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith("/api/v1/"))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .filter((k) => !served.has(k));
    expect(stale).toEqual([]);
  });

  it("is an OpenAPI 3.1 document whose $refs all resolve", () => {
    expect(doc.openapi).toBe("3.1.0");
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(50);
    for (const [, kind, name] of refs) expect(doc.components[kind as "schemas" | "responses"][name!], `${kind}/${name}`).toBeDefined();
    const ids = ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("GET /api/v1/openapi.json serves the document without authentication", async () => {
    const mod = modules.get("/api/v1/openapi.json")!;
    const res = await callRoute(mod.GET as never, {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

describe("OpenAPI examples", () => {
  it("every example request parses with the documented schemas", () => {
    for (const route of ROUTES) {
      const label = `${route.method} ${route.path}`;
      if (route.params) expect(route.params.safeParse(route.example.params ?? {}).error, `${label} params`).toBeUndefined();
      if (route.query) expect(route.query.safeParse(route.example.query ?? {}).error, `${label} query`).toBeUndefined();
      if (route.body) expect(route.body.safeParse(route.example.body).error, `${label} body`).toBeUndefined();
      if (!route.body) expect(route.example.body, `${label} has no body`).toBeUndefined();
    }
  });

  it("every example request passes the route's own validation and answers the documented response", async () => {
    // Real ids for the example ids: a webhook delivering to the local receiver, one message, one attempt.
    const admin = orgs.a.admin.actor;
    await upsertResource({ actor: admin, kind: "alert", externalId: "alert-cpu", name: "CPU above 90%" });
    const { webhook } = await makeWebhook(admin, rx.url);
    rx.setHandler(respond(503)); // the message stays PENDING (retrying), so "Retry now" applies
    await ingestEvent({ actor: admin, input: { type: "alert.active", resource: "alert-cpu", data: { alert_name: "CPU" } } });
    await runDeliveryPass();
    const message = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    const attempt = await t.db.attempt.findFirstOrThrow({ where: { messageId: message.id } });
    const real: Record<string, string> = { [EXAMPLE_IDS.webhook]: webhook.id, [EXAMPLE_IDS.message]: message.id, [EXAMPLE_IDS.attempt]: attempt.id };
    const swap = <T,>(v: T): T => JSON.parse(JSON.stringify(v ?? null), (_k, x) => (typeof x === "string" && real[x] ? real[x] : x)) ?? undefined;

    // Deletions last, so the other examples still find their ids; the metrics route has its own test.
    const order = [...ROUTES].filter((r) => r.path !== "/api/metrics").sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
    const results: string[] = [];
    for (const route of order) {
      const label = `${route.method} ${route.path}`;
      const handler = route.path === "/api/health" ? ((await import("@/app/api/health/route")).GET as never) : modules.get(route.path)?.[route.method];
      expect(handler, `${label} handler`).toBeDefined();
      const params = swap(route.example.params) as Record<string, string> | undefined;
      const query = swap(route.example.query) as Record<string, string | string[]> | undefined;
      let url = route.path;
      for (const [k, v] of Object.entries(params ?? {})) url = url.replace(`{${k}}`, encodeURIComponent(v));
      const sp = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) for (const one of Array.isArray(v) ? v : [v]) sp.append(k, one);
      session.actor = route.auth === "session" ? admin : null;
      const res = await callRoute(handler as never, {
        method: route.method,
        url: `${url}${sp.size ? `?${sp}` : ""}`,
        params,
        key: route.auth === "api" ? orgs.a.apiKey.key : undefined,
        body: route.body ? swap(route.example.body) : undefined,
      });
      const documented = route.responses.find((r) => r.status === res.status);
      results.push(`${label} → ${res.status}`);
      expect(documented, `${label} answered ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`).toBeDefined();
      if (documented?.schema && !documented.contentType) {
        const parsed = documented.schema.safeParse(res.body);
        expect(parsed.error?.issues.slice(0, 3), `${label} response matches its schema`).toBeUndefined();
      }
    }
    expect(results.length).toBe(order.length);
  });
});

describe("registry hygiene", () => {
  it("gives every route a tag, a summary and error responses for its inputs", () => {
    for (const route of ROUTES as TRouteSpec[]) {
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      expect(op.summary.length).toBeGreaterThan(3);
      if (route.body || route.query || route.params) expect(op.responses["400"], `${route.method} ${route.path}`).toBeDefined();
      if (route.auth === "api") expect(op.security).toEqual([{ apiKey: [] }, { session: [] }]);
    }
  });
});
