/**
 * Audit log: every kind of change produces its entry (through the domain
 * functions the UI and the API call), with the before/after of changed
 * fields, and no secret ever appears in what the audit log returns.
 * Filters by member, webhook, action and date; admins only; per organization.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import type { TTestDb } from "./helpers/db";
import { closeDeliveryFixture, openDeliveryFixture } from "./helpers/delivery-fixture";
import { createMember, createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { callRoute } from "./helpers/http";
import { respond, type TReceiver } from "../helpers/receiver";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { createWebhook, deleteWebhook, revealSigningSecret, rotateSigningSecret, setWebhookEnabled, updateWebhook } from "@/lib/domain/webhooks";
import { recoverFailedMessages, retryMessage, testWebhook } from "@/lib/domain/deliveries";
import { createApiKey, revokeApiKey } from "@/lib/domain/api-keys";
import { changeMemberRole, inviteMember, removeMember } from "@/lib/domain/members";
import { exportWebhooks, importWebhooks } from "@/lib/domain/transfer";
import { recordAudit } from "@/lib/domain/audit";
import { listAuditEntries, listAuditFacets, maskSecrets, type TAuditEntryView } from "@/lib/domain/audit-log";
import { getEventType } from "@/lib/catalog";
import * as auditRoute from "@/app/api/v1/audit/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;
/** Every secret handed to or returned by the domain in this file: none may appear in the audit log. */
const secrets: string[] = [];

beforeAll(async () => {
  ({ t, orgs, rx } = await openDeliveryFixture());
});
afterAll(() => closeDeliveryFixture({ t, rx }));

const admin = () => orgs.a.admin.actor;
const template = getEventType("alert.active").defaultTemplate;

async function entries(query: Record<string, string> = {}, actor = admin()): Promise<TAuditEntryView[]> {
  const all: TAuditEntryView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEntries({ actor, query: { ...query, limit: "7", ...(cursor ? { cursor } : {}) } });
    all.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

async function one(action: string, targetId?: string) {
  const found = (await entries({ action })).filter((e) => !targetId || e.target.id === targetId);
  expect(found, action).toHaveLength(1);
  return found[0]!;
}

const change = (e: TAuditEntryView, field: string) => e.changes.find((c) => c.field === field);

describe("audit entries of each kind", () => {
  let webhookId: string;

  it("webhook.created: name, event types, URL; the endpoint password is not recorded", async () => {
    const password = "pw-SECRET-created-8f1e";
    secrets.push(password);
    const { webhook, signingSecret } = await createWebhook({
      actor: admin(),
      input: { name: "Audit hook", eventTypes: ["alert.active"], targetUrl: rx.url, template, auth: { type: "BASIC", username: "hookyard", password } },
    });
    secrets.push(signingSecret);
    webhookId = webhook.id;
    const e = await one("webhook.created", webhookId);
    expect(e).toMatchObject({ actionLabel: "Created webhook", actor: { kind: "user", label: admin().label, userId: admin().userId }, target: { type: "Webhook", id: webhookId, label: "Audit hook", webhookId } });
    expect(change(e, "name")).toEqual({ field: "name", kind: "value", value: "Audit hook" });
    expect(change(e, "targetUrl")).toMatchObject({ value: rx.url });
  });

  it("webhook.updated: before → after of each changed field, the new token masked", async () => {
    const token = "tok-SECRET-updated-77aa";
    secrets.push(token);
    await updateWebhook({ actor: admin(), id: webhookId, input: { name: "Audit hook (renamed)", logRetentionDays: 7, auth: { type: "BEARER", token } } });
    const e = await one("webhook.updated", webhookId);
    expect(change(e, "name")).toEqual({ field: "name", kind: "changed", before: "Audit hook", after: "Audit hook (renamed)" });
    expect(change(e, "logRetentionDays")).toEqual({ field: "logRetentionDays", kind: "changed", before: 28, after: 7 });
    expect(change(e, "auth")).toMatchObject({ kind: "changed", before: { type: "BASIC" }, after: { type: "BEARER", token: "••••" } });
    expect(e.target.label).toBe("Audit hook (renamed)");
  });

  it("webhook.enabled / webhook.disabled", async () => {
    await setWebhookEnabled({ actor: admin(), id: webhookId, enabled: true });
    await setWebhookEnabled({ actor: admin(), id: webhookId, enabled: false });
    expect(change(await one("webhook.enabled", webhookId), "enabled")).toEqual({ field: "enabled", kind: "changed", before: false, after: true });
    expect(change(await one("webhook.disabled", webhookId), "enabled")).toEqual({ field: "enabled", kind: "changed", before: true, after: false });
  });

  it("webhook.tested", async () => {
    await testWebhook({ actor: admin(), id: webhookId, mode: "sample" });
    const e = await one("webhook.tested", webhookId);
    expect(change(e, "mode")).toMatchObject({ value: "sample" });
    expect(change(e, "statusCode")).toMatchObject({ value: 200 });
  });

  it("webhook.secret_rotated and webhook.secret_revealed never carry the secret", async () => {
    const rotated = await rotateSigningSecret({ actor: admin(), id: webhookId, graceMs: 60_000 });
    const revealed = await revealSigningSecret({ actor: admin(), id: webhookId });
    secrets.push(rotated.signingSecret, revealed.signingSecret);
    expect((await one("webhook.secret_rotated", webhookId)).actionLabel).toBe("Rotated signing secret");
    expect((await one("webhook.secret_revealed", webhookId)).actionLabel).toBe("Revealed signing secret");
  });

  it("message.retried (found by the webhook filter too), webhook.recovered, webhook.auto_disabled", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url, { name: "Flaky hook", autoDisableAfter: 1 });
    rx.setHandler(respond(500));
    await ingestEvent({ actor: admin(), input: { type: "alert.active", data: { alert_name: "Disk" } } });
    await runDeliveryPass(); // fails, retry scheduled
    const message = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    await retryMessage({ actor: orgs.a.support.actor, id: message.id });
    await runDeliveryPass(); // the manual retry fails for good → 1 failed message → auto-disabled
    rx.setHandler(respond(200));

    const retried = await one("message.retried", message.id);
    expect(retried).toMatchObject({ actor: { label: orgs.a.support.actor.label }, target: { type: "Message", webhookId: webhook.id } });
    expect(retried.target.label).toContain("Flaky hook");
    const auto = await one("webhook.auto_disabled", webhook.id);
    expect(auto).toMatchObject({ actor: { kind: "system", label: "Hookyard" }, actionLabel: "Webhook disabled automatically" });
    expect(change(auto, "enabled")).toMatchObject({ before: true, after: false });
    expect(change(auto, "reason")).toMatchObject({ kind: "value" });

    await setWebhookEnabled({ actor: admin(), id: webhook.id, enabled: true });
    await recoverFailedMessages({ actor: admin(), id: webhook.id, since: new Date(Date.now() - 3_600_000) });
    expect(change(await one("webhook.recovered", webhook.id), "recovered")).toMatchObject({ value: 1 });

    const forWebhook = await entries({ webhookId: webhook.id });
    expect(forWebhook.map((e) => e.action).sort()).toEqual(["message.retried", "webhook.auto_disabled", "webhook.created", "webhook.enabled", "webhook.recovered"].sort());
  });

  it("webhook.deleted keeps the webhook's name", async () => {
    await deleteWebhook({ actor: admin(), id: webhookId });
    const e = await one("webhook.deleted", webhookId);
    expect(e.target.label).toBe("Audit hook (renamed)");
    const facets = await listAuditFacets({ actor: admin() });
    expect(facets.webhooks).toContainEqual({ id: webhookId, label: "Audit hook (renamed)", deleted: true });
  });

  it("api_key.created / api_key.revoked without the key", async () => {
    const { key, apiKey } = await createApiKey({ actor: admin(), input: { name: "Monitoring", role: "SUPPORT" } });
    secrets.push(key);
    await revokeApiKey({ actor: admin(), id: apiKey.id });
    const created = await one("api_key.created", apiKey.id);
    expect(created.target.label).toBe(`Monitoring (${apiKey.prefix}…)`);
    expect(change(created, "prefix")).toMatchObject({ value: apiKey.prefix });
    expect(await one("api_key.revoked", apiKey.id)).toMatchObject({ actionLabel: "Revoked API key" });
  });

  it("member.invited / member.role_changed / member.removed", async () => {
    const { token, invitation } = await inviteMember({ actor: admin(), input: { email: "new.hire@example.test", role: "AUTHOR" } });
    secrets.push(token);
    expect((await one("member.invited", invitation.id)).target.label).toBe("new.hire@example.test");
    const extra = await createMember(orgs.a.org.id, "AUTHOR");
    await changeMemberRole({ actor: admin(), membershipId: extra.membership.id, role: "SUPPORT" });
    expect(change(await one("member.role_changed", extra.user.id), "role")).toEqual({ field: "role", kind: "changed", before: "AUTHOR", after: "SUPPORT" });
    await removeMember({ actor: admin(), membershipId: extra.membership.id });
    expect(await one("member.removed", extra.user.id)).toMatchObject({ actionLabel: "Removed member" });
  });

  it("webhooks.exported / webhooks.imported", async () => {
    await makeWebhook(admin(), rx.url, { name: "To export" });
    const doc = await exportWebhooks({ actor: admin() });
    await importWebhooks({ actor: orgs.b.admin.actor, input: { mode: "commit", document: doc } });
    expect(change(await one("webhooks.exported"), "count")).toMatchObject({ value: doc.webhooks.length });
    const imported = await entries({ action: "webhooks.imported" }, orgs.b.admin.actor);
    expect(imported).toHaveLength(1);
    expect(change(imported[0]!, "created")).toMatchObject({ value: doc.webhooks.length });
    // Each imported webhook also has its own webhook.created entry, by the importing admin.
    expect((await entries({ action: "webhook.created" }, orgs.b.admin.actor)).length).toBe(doc.webhooks.length);
  });

  it("never returns a secret, even from an entry written with one by mistake", async () => {
    await recordAudit({ actor: admin(), action: "webhook.updated", targetType: "Webhook", changes: { auth: { before: { type: "NONE" }, after: { type: "API_KEY", header: "X-Key", value: "val-SECRET-mistake" } }, token: "tok-SECRET-mistake", note: { before: null, after: "ok" } } });
    secrets.push("val-SECRET-mistake", "tok-SECRET-mistake");
    const all = JSON.stringify(await entries());
    for (const s of secrets) expect(all.includes(s), `secret ${s.slice(0, 8)}… in the audit log`).toBe(false);
    expect(all).toContain("X-Key");
    expect(maskSecrets({ auth: { key: "k", cert: "c" }, password: "", nested: [{ clientSecret: "s" }] })).toEqual({ auth: { key: "••••", cert: "c" }, password: "", nested: [{ clientSecret: "••••" }] });
  });
});

describe("audit log filters and access", () => {
  it("filters by member, action prefix and date; pages without gaps or repeats", async () => {
    const bySupport = await entries({ userId: orgs.a.support.actor.userId });
    expect(bySupport.map((e) => e.action)).toEqual(["message.retried"]);
    const webhookOnes = await entries({ action: "webhook." });
    expect(webhookOnes.length).toBeGreaterThan(8);
    expect(webhookOnes.every((e) => e.action.startsWith("webhook."))).toBe(true);
    expect(await entries({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect((await entries({ to: new Date(Date.now() - 86_400_000).toISOString() })).length).toBe(0);
    const all = await entries();
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    const sorted = [...all].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    expect(all.map((e) => e.createdAt.getTime())).toEqual(sorted.map((e) => e.createdAt.getTime()));
  });

  it("is for admins of the organization only", async () => {
    await expect(listAuditEntries({ actor: orgs.a.author.actor, query: {} })).rejects.toMatchObject({ status: 403 });
    await expect(listAuditEntries({ actor: orgs.a.support.actor, query: {} })).rejects.toMatchObject({ status: 403 });
    const b = await entries({}, orgs.b.admin.actor);
    expect(b.every((e) => !e.actor.userId || e.actor.userId === orgs.b.admin.actor.userId)).toBe(true);
    const supportKey = (await import("./helpers/fixtures")).createKey;
    const { key } = await supportKey(orgs.a.org.id, "SUPPORT");
    expect((await callRoute(auditRoute.GET, { url: "/api/v1/audit", key })).status).toBe(403);
    const ok = await callRoute(auditRoute.GET, { url: "/api/v1/audit?action=member.&limit=2", key: orgs.a.apiKey.key });
    expect(ok.status).toBe(200);
    expect(ok.body.entries).toHaveLength(2);
    expect(ok.body.nextCursor).toEqual(expect.any(String));
    expect((await callRoute(auditRoute.GET, { url: "/api/v1/audit?from=yesterday", key: orgs.a.apiKey.key })).body).toMatchObject({ error: { code: "invalid", issues: [{ path: "from" }] } });
  });
});
