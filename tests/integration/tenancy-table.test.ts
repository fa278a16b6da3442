/**
 * For every route handler and server action that takes an id: organization
 * B's admin gets 404 for organization A's objects, and each role gets exactly
 * its permissions (403 otherwise).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import { signInAs } from "./helpers/session";
import { createTestDb, type TTestDb } from "./helpers/db";
import { createKey, createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { callRoute } from "./helpers/http";
import { respond, startReceiver, type TReceiver } from "../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { closeHttpAgents } from "@/lib/delivery/http";
import { PERMISSIONS, type TPermission, type TRole } from "@/lib/auth/permissions";
import * as actions from "@/app/actions/webhooks";
import { revokeApiKeyAction } from "@/app/actions/api-keys";
import { changeMemberRoleAction, removeMemberAction } from "@/app/actions/members";
import * as webhook from "@/app/api/v1/webhooks/[id]/route";
import * as enable from "@/app/api/v1/webhooks/[id]/enable/route";
import * as disable from "@/app/api/v1/webhooks/[id]/disable/route";
import * as test from "@/app/api/v1/webhooks/[id]/test/route";
import * as metrics from "@/app/api/v1/webhooks/[id]/metrics/route";
import * as daily from "@/app/api/v1/webhooks/[id]/daily/route";
import * as attempts from "@/app/api/v1/webhooks/[id]/attempts/route";
import * as recover from "@/app/api/v1/webhooks/[id]/recover/route";
import * as rotate from "@/app/api/v1/webhooks/[id]/rotate-secret/route";
import * as reveal from "@/app/api/v1/webhooks/[id]/reveal-secret/route";
import * as message from "@/app/api/v1/messages/[id]/route";
import * as retry from "@/app/api/v1/messages/[id]/retry/route";
import * as attempt from "@/app/api/v1/attempts/[id]/route";
import * as resource from "@/app/api/v1/resources/[kind]/[externalId]/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;
let ids: { webhook: string; message: string; attempt: string };
const keys = {} as Record<TRole, string>;

type THandler = (req: never, ctx: never) => Promise<Response>;
type TCase = { name: string; handler: THandler; method: string; params: () => Record<string, string>; body?: unknown; permission: TPermission };

const CASES: TCase[] = [
  { name: "GET webhook", handler: webhook.GET as THandler, method: "GET", params: () => ({ id: ids.webhook }), permission: "webhook:read" },
  { name: "PATCH webhook template", handler: webhook.PATCH as THandler, method: "PATCH", params: () => ({ id: ids.webhook }), body: { template: '{"a": "#alert_name"}' }, permission: "webhook:template" },
  { name: "PATCH webhook URL", handler: webhook.PATCH as THandler, method: "PATCH", params: () => ({ id: ids.webhook }), body: { note: "x" }, permission: "webhook:configure" },
  { name: "enable", handler: enable.POST as THandler, method: "POST", params: () => ({ id: ids.webhook }), permission: "webhook:toggle" },
  { name: "disable", handler: disable.POST as THandler, method: "POST", params: () => ({ id: ids.webhook }), permission: "webhook:toggle" },
  { name: "test", handler: test.POST as THandler, method: "POST", params: () => ({ id: ids.webhook }), body: { mode: "raw" }, permission: "webhook:test" },
  { name: "metrics", handler: metrics.GET as THandler, method: "GET", params: () => ({ id: ids.webhook }), permission: "message:read" },
  { name: "daily", handler: daily.GET as THandler, method: "GET", params: () => ({ id: ids.webhook }), permission: "message:read" },
  { name: "attempts", handler: attempts.GET as THandler, method: "GET", params: () => ({ id: ids.webhook }), permission: "message:read" },
  { name: "recover", handler: recover.POST as THandler, method: "POST", params: () => ({ id: ids.webhook }), body: { since: "2020-01-01T00:00:00Z" }, permission: "message:retry" },
  { name: "rotate secret", handler: rotate.POST as THandler, method: "POST", params: () => ({ id: ids.webhook }), body: {}, permission: "webhook:configure" },
  { name: "reveal secret", handler: reveal.POST as THandler, method: "POST", params: () => ({ id: ids.webhook }), permission: "secret:reveal" },
  { name: "GET message", handler: message.GET as THandler, method: "GET", params: () => ({ id: ids.message }), permission: "message:read" },
  { name: "retry message", handler: retry.POST as THandler, method: "POST", params: () => ({ id: ids.message }), permission: "message:retry" },
  { name: "GET attempt", handler: attempt.GET as THandler, method: "GET", params: () => ({ id: ids.attempt }), permission: "message:read" },
  { name: "GET resource", handler: resource.GET as THandler, method: "GET", params: () => ({ kind: "alert", externalId: "only-a" }), permission: "resource:read" },
  { name: "DELETE resource", handler: resource.DELETE as THandler, method: "DELETE", params: () => ({ kind: "alert", externalId: "only-a" }), permission: "resource:write" },
  { name: "DELETE webhook", handler: webhook.DELETE as THandler, method: "DELETE", params: () => ({ id: ids.webhook }), permission: "webhook:delete" },
];

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver(respond(410));
  const { webhook: w } = await makeWebhook(orgs.a.admin.actor, rx.url);
  await ingestEvent({ actor: orgs.a.admin.actor, input: { type: "alert.active", data: {} } });
  await runDeliveryPass();
  const m = await t.db.message.findFirstOrThrow({ where: { webhookId: w.id } });
  const a = await t.db.attempt.findFirstOrThrow({ where: { messageId: m.id } });
  ids = { webhook: w.id, message: m.id, attempt: a.id };
  await t.db.resource.create({ data: { organizationId: orgs.a.org.id, kind: "alert", externalId: "only-a", name: "A only" } });
  for (const role of ["ADMIN", "AUTHOR", "SUPPORT"] as TRole[]) keys[role] = (await createKey(orgs.a.org.id, role)).key;
});
afterAll(async () => {
  await rx.close();
  await closeHttpAgents();
  await t.close();
});

describe("routes: another organization's ids are not found", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const res = await callRoute(c.handler as never, { method: c.method, key: orgs.b.apiKey.key, params: c.params(), body: c.body });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    });
  }
  it("and nothing of A changed", async () => {
    expect(await t.db.webhook.findUnique({ where: { id: ids.webhook } })).not.toBeNull();
    expect(await t.db.resource.count({ where: { externalId: "only-a" } })).toBe(1);
  });
});

describe("routes: each role gets exactly its permissions", () => {
  for (const role of ["SUPPORT", "AUTHOR", "ADMIN"] as TRole[]) {
    for (const c of CASES) {
      const allowed = (PERMISSIONS[c.permission] as readonly TRole[]).includes(role);
      it(`${role} ${c.name} → ${allowed ? "allowed" : "403"}`, async () => {
        const res = await callRoute(c.handler as never, { method: c.method, key: keys[role], params: c.params(), body: c.body });
        if (allowed) expect(res.status, JSON.stringify(res.body)).toBeLessThan(400);
        else expect(res.status).toBe(403);
        if (c.name === "DELETE resource" && allowed) await t.db.resource.create({ data: { organizationId: orgs.a.org.id, kind: "alert", externalId: "only-a", name: "A only" } });
        if (c.name === "DELETE webhook" && allowed) {
          const { webhook: w } = await makeWebhook(orgs.a.admin.actor, rx.url);
          await ingestEvent({ actor: orgs.a.admin.actor, input: { type: "alert.active", data: {} } });
          await runDeliveryPass();
          const m = await t.db.message.findFirstOrThrow({ where: { webhookId: w.id } });
          ids = { webhook: w.id, message: m.id, attempt: (await t.db.attempt.findFirstOrThrow({ where: { messageId: m.id } })).id };
        }
      });
    }
  }
});

describe("server actions: another organization's ids are not found; roles are enforced", () => {
  const actionCases: { name: string; run: () => Promise<{ ok: boolean; error?: { code: string } }>; permission: TPermission }[] = [
    { name: "update", run: () => actions.updateWebhookAction(ids.webhook, { note: "changed" }), permission: "webhook:configure" },
    { name: "enable", run: () => actions.setWebhookEnabledAction({ id: ids.webhook, enabled: true }), permission: "webhook:toggle" },
    { name: "test", run: () => actions.testWebhookAction({ id: ids.webhook, mode: "raw" }), permission: "webhook:test" },
    { name: "retry", run: () => actions.retryMessageAction({ messageId: ids.message }), permission: "message:retry" },
    { name: "recover", run: () => actions.recoverFailedAction({ id: ids.webhook, since: "2020-01-01T00:00:00Z" }), permission: "message:retry" },
    { name: "rotate", run: () => actions.rotateSigningSecretAction({ id: ids.webhook }), permission: "webhook:configure" },
    { name: "reveal", run: () => actions.revealSigningSecretAction({ id: ids.webhook }), permission: "secret:reveal" },
    { name: "delete", run: () => actions.deleteWebhookAction({ id: ids.webhook }), permission: "webhook:delete" },
  ];
  for (const c of actionCases) {
    it(`${c.name}: B's admin → not_found`, async () => {
      signInAs(orgs.b.admin.actor);
      expect(await c.run()).toMatchObject({ ok: false, error: { code: "not_found" } });
    });
    for (const role of ["SUPPORT", "AUTHOR"] as const) {
      const allowed = (PERMISSIONS[c.permission] as readonly TRole[]).includes(role);
      it(`${c.name}: ${role} → ${allowed ? "allowed" : "forbidden"}`, async () => {
        signInAs(orgs.a[role === "SUPPORT" ? "support" : "author"].actor);
        const result = await c.run();
        if (allowed) expect(result.error?.code).not.toBe("forbidden");
        else expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
      });
    }
  }
  it("API keys and members: B's admin → not_found", async () => {
    signInAs(orgs.b.admin.actor);
    expect(await revokeApiKeyAction({ id: orgs.a.apiKey.row.id })).toMatchObject({ error: { code: "not_found" } });
    expect(await changeMemberRoleAction({ membershipId: orgs.a.author.membership.id, role: "ADMIN" })).toMatchObject({ error: { code: "not_found" } });
    expect(await removeMemberAction({ membershipId: orgs.a.author.membership.id })).toMatchObject({ error: { code: "not_found" } });
  });
});
