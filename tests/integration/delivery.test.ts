import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import type { TTestDb } from "./helpers/db";
import { closeDeliveryFixture, openDeliveryFixture, resetDeliveryFixture } from "./helpers/delivery-fixture";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { respond, type TReceiver } from "../helpers/receiver";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass, claimDueMessages, recordAttempt, countWebhookLoads, CLAIM_SQL } from "@/lib/delivery/engine";
import { startDeliveryLoop } from "@/lib/delivery/loop";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { getWebhookMetrics, listAttempts, recoverFailedMessages, retryMessage, testWebhook } from "@/lib/domain/deliveries";
import { rotateSigningSecret, setWebhookEnabled, updateWebhook } from "@/lib/domain/webhooks";
import { renderTemplate } from "@/lib/templates";
import { getEventType } from "@/lib/catalog";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;

beforeAll(async () => {
  ({ t, orgs, rx } = await openDeliveryFixture());
});
afterAll(() => closeDeliveryFixture({ t, rx }));
afterEach(() => resetDeliveryFixture({ t, rx }));

const admin = () => orgs.a.admin.actor;
const alert = (extra: Record<string, unknown> = {}) => ({
  type: "alert.active",
  resource: "alert-cpu",
  data: { alert_name: "CPU above 90%", workspace_name: "SRV-01", ...extra },
});

/** Runs passes on a fake clock until nothing is due at `clock`. */
async function drain(clock: { now: Date }) {
  for (let i = 0; i < 20; i++) {
    const s = await runDeliveryPass({ now: () => clock.now, random: () => 0.5 });
    if (s.claimed === 0) return;
  }
}

describe("ingest → outbox → delivery", () => {
  it("delivers the rendered template, signed, with a stable webhook-id", async () => {
    const { webhook, signingSecret } = await makeWebhook(admin(), rx.url);
    const res = await ingestEvent({ actor: orgs.a.apiKey.row ? { ...admin(), role: "ADMIN" } : admin(), input: alert() });
    expect(res).toMatchObject({ duplicate: false, messages: 1 });
    const summary = await runDeliveryPass();
    expect(summary).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(rx.received).toHaveLength(1);
    const got = rx.received[0]!;
    const message = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    const event = await t.db.event.findUniqueOrThrow({ where: { id: res.id } });
    const org = await t.db.organization.findUniqueOrThrow({ where: { id: orgs.a.org.id } });
    const expected = renderTemplate(getEventType("alert.active").defaultTemplate, {
      ...alert().data, event_type: "alert.active", organization_id: org.id, organization_name: org.name, timestamp: event.occurredAt,
    });
    expect(got.body).toBe(expected);
    expect(JSON.parse(got.body)).toBeTruthy();
    expect(got.headers["webhook-id"]).toBe(message.id);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["user-agent"]).toMatch(/^Hookyard\//);
    expect(() => new StandardWebhook(signingSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    expect(message).toMatchObject({ status: "SUCCEEDED", attemptCount: 1, lastStatusCode: 200 });
  });

  it("is idempotent on the client's event id", async () => {
    await makeWebhook(admin(), rx.url);
    const first = await ingestEvent({ actor: admin(), input: { ...alert(), id: "evt-42" } });
    const again = await ingestEvent({ actor: admin(), input: { ...alert({ alert_name: "changed" }), id: "evt-42" } });
    expect(again).toEqual({ id: first.id, duplicate: true, messages: first.messages });
    expect(await t.db.event.count({ where: { organizationId: orgs.a.org.id, externalId: "evt-42" } })).toBe(1);
    expect(await t.db.message.count({ where: { eventId: first.id } })).toBe(1);
    // The same id in another organization is another event.
    const other = await ingestEvent({ actor: orgs.b.admin.actor, input: { ...alert(), id: "evt-42" } });
    expect(other.duplicate).toBe(false);
  });

  it("fans an operation on three workspaces out to 1 + 3 messages", async () => {
    const op = await makeWebhook(admin(), rx.url, { eventTypes: ["operation.executed"], template: getEventType("operation.executed").defaultTemplate });
    const ws = await makeWebhook(admin(), rx.url, { eventTypes: ["operation.workspace_executed"], template: getEventType("operation.workspace_executed").defaultTemplate });
    const res = await ingestEvent({
      actor: admin(),
      input: {
        type: "operation.executed",
        resource: "op-restart",
        data: { operation_type: "Restart", status: "Finished" },
        workspaces: [{ workspace_name: "PC-1" }, { workspace_name: "PC-2" }, { workspace_name: "PC-3" }],
      },
    });
    expect(res.messages).toBe(4);
    expect(await t.db.message.count({ where: { webhookId: op.webhook.id } })).toBe(1);
    const perWs = await t.db.message.findMany({ where: { webhookId: ws.webhook.id }, orderBy: { workspaceIndex: "asc" } });
    expect(perWs.map((m) => m.workspaceIndex)).toEqual([0, 1, 2]);
    expect(perWs.map((m) => m.body.includes(`PC-${(m.workspaceIndex ?? 0) + 1}`))).toEqual([true, true, true]);
    await runDeliveryPass();
    expect(rx.received).toHaveLength(4);
  });

  it("matches selected resources and conditions only", async () => {
    await t.db.resource.createMany({ data: [
      { organizationId: orgs.a.org.id, kind: "alert", externalId: "alert-cpu", name: "CPU" },
      { organizationId: orgs.a.org.id, kind: "alert", externalId: "alert-disk", name: "Disk" },
    ], skipDuplicates: true });
    const { webhook } = await makeWebhook(admin(), rx.url, {
      allResources: false,
      resources: ["alert-cpu"],
      conditions: [{ variable: "workspace_name", operator: "starts_with", value: "SRV" }],
    });
    expect((await ingestEvent({ actor: admin(), input: alert() })).messages).toBe(1);
    expect((await ingestEvent({ actor: admin(), input: { ...alert(), resource: "alert-disk" } })).messages).toBe(0);
    expect((await ingestEvent({ actor: admin(), input: alert({ workspace_name: "PC-9" }) })).messages).toBe(0);
    expect(await t.db.message.count({ where: { webhookId: webhook.id } })).toBe(1);
  });

  it("does not fan out to disabled webhooks or other organizations' webhooks", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    await setWebhookEnabled({ actor: admin(), id: webhook.id, enabled: false });
    await makeWebhook(orgs.b.admin.actor, rx.url);
    expect((await ingestEvent({ actor: admin(), input: alert() })).messages).toBe(0);
  });

  it("refuses bad events with a message naming the field and stores nothing", async () => {
    const before = await t.db.event.count();
    await expect(ingestEvent({ actor: admin(), input: { type: "alert.nope", data: {} } })).rejects.toMatchObject({ status: 400, issues: [{ path: "type" }] });
    await expect(ingestEvent({ actor: admin(), input: { type: "alert.active", data: { alert_name: 5 } } })).rejects.toMatchObject({ issues: [{ path: "data.alert_name" }] });
    await expect(ingestEvent({ actor: admin(), input: { type: "alert.active", data: { no_such: "x" } } })).rejects.toThrow(/Unknown (variable|field)/);
    await expect(ingestEvent({ actor: admin(), input: { type: "alert.active", data: {}, extra: 1 } })).rejects.toMatchObject({ issues: [{ path: "extra" }] });
    await expect(ingestEvent({ actor: orgs.a.support.actor, input: alert() })).rejects.toMatchObject({ status: 403 });
    expect(await t.db.event.count()).toBe(before);
  });
});

describe("retries", () => {
  it("retries on the schedule and counts one message once: 3 failures then success", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    rx.setHandler((_r, res, i) => respond(i < 3 ? 500 : 200)(_r, res, i));
    const clock = { now: new Date("2026-01-01T00:00:00Z") };
    await ingestEvent({ actor: admin(), input: alert(), now: clock.now });
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await runDeliveryPass({ now: () => clock.now, random: () => 0.5 });
      expect(s.claimed).toBe(1);
      starts.push(clock.now.getTime());
      const m = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
      if (m.nextAttemptAt && m.status === "PENDING") {
        // Not due a moment before its time.
        expect((await runDeliveryPass({ now: () => new Date(m.nextAttemptAt!.getTime() - 1) })).claimed).toBe(0);
        clock.now = m.nextAttemptAt;
      }
    }
    const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
    expect(gaps).toEqual([5_000, 300_000, 1_800_000]);
    const message = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(message).toMatchObject({ status: "SUCCEEDED", attemptCount: 4 });
    const attempts = await t.db.attempt.findMany({ where: { messageId: message.id }, orderBy: { attemptNumber: "asc" } });
    expect(attempts.map((a) => [a.attemptNumber, a.success, a.statusCode])).toEqual([[1, false, 500], [2, false, 500], [3, false, 500], [4, true, 200]]);
    expect(new Set(rx.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([message.id]));
    const metrics = await getWebhookMetrics({ actor: admin(), id: webhook.id, now: clock.now });
    expect(metrics).toMatchObject({ successful: 1, failed: 0, pending: 0, total: 1, successRate: 1 });
  });

  it("stops at 410 Gone", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    rx.setHandler(respond(410));
    await ingestEvent({ actor: admin(), input: alert() });
    await runDeliveryPass();
    expect(await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } })).toMatchObject({ status: "FAILED", attemptCount: 1, nextAttemptAt: null });
  });

  it("honours Retry-After within [scheduled, 2×scheduled]", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    rx.setHandler(respond(503, "busy", { "retry-after": "8" }));
    const now = new Date("2026-01-01T00:00:00Z");
    await ingestEvent({ actor: admin(), input: alert(), now });
    await runDeliveryPass({ now: () => now, random: () => 0.5 });
    const m = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(m.nextAttemptAt!.getTime() - now.getTime()).toBe(8_000);
    rx.setHandler(respond(429, "slow down", { "retry-after": "3600" }));
    await runDeliveryPass({ now: () => m.nextAttemptAt!, random: () => 0.5 });
    const m2 = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(m2.nextAttemptAt!.getTime() - m.nextAttemptAt!.getTime()).toBe(600_000); // 2 × 5 min
  });

  it("gives up after 8 attempts and notifies admins", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    rx.setHandler(respond(500));
    const clock = { now: new Date("2026-02-01T00:00:00Z") };
    await ingestEvent({ actor: admin(), input: alert(), now: clock.now });
    for (let i = 0; i < 8; i++) {
      await runDeliveryPass({ now: () => clock.now });
      const m = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
      if (m.nextAttemptAt) clock.now = m.nextAttemptAt;
    }
    const m = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(m).toMatchObject({ status: "FAILED", attemptCount: 8, nextAttemptAt: null });
    expect(await t.db.attempt.count({ where: { messageId: m.id } })).toBe(8);
    expect(await t.db.notification.count({ where: { organizationId: orgs.a.org.id, kind: "message.failed", userId: orgs.a.admin.user.id } })).toBeGreaterThan(0);
    expect((await getWebhookMetrics({ actor: admin(), id: webhook.id, now: clock.now })).failed).toBe(1);
  });

  it("Retry now and Recover put failed messages back, counted as manual, still one message", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    rx.setHandler(respond(410));
    await ingestEvent({ actor: admin(), input: alert() });
    await ingestEvent({ actor: admin(), input: alert() });
    await runDeliveryPass();
    const failed = await t.db.message.findMany({ where: { webhookId: webhook.id, status: "FAILED" } });
    expect(failed).toHaveLength(2);
    rx.setHandler(respond(200));
    await expect(retryMessage({ actor: orgs.a.author.actor, id: failed[0]!.id })).rejects.toMatchObject({ status: 403 });
    await expect(retryMessage({ actor: orgs.b.admin.actor, id: failed[0]!.id })).rejects.toMatchObject({ status: 404 });
    await retryMessage({ actor: orgs.a.support.actor, id: failed[0]!.id });
    await runDeliveryPass();
    const retried = await t.db.attempt.findFirstOrThrow({ where: { messageId: failed[0]!.id, attemptNumber: 2 } });
    expect(retried).toMatchObject({ trigger: "MANUAL", success: true });
    expect((await recoverFailedMessages({ actor: orgs.a.support.actor, id: webhook.id, since: new Date(Date.now() - 60_000) })).recovered).toBe(1);
    await runDeliveryPass();
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })).toBe(2);
    expect((await getWebhookMetrics({ actor: admin(), id: webhook.id })).total).toBe(2);
  });
});

describe("leases and crash safety", () => {
  it("re-delivers a message whose worker died before recording, with the same webhook-id, counted once", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const clock = { now: new Date("2026-03-01T00:00:00Z") };
    await ingestEvent({ actor: admin(), input: alert(), now: clock.now });
    // Worker A claims and "dies" (never records).
    const taken = await claimDueMessages({ limit: 10, owner: "worker-a", leaseMs: 60_000, now: clock.now });
    expect(taken).toHaveLength(1);
    expect((await runDeliveryPass({ owner: "worker-b", now: () => clock.now })).claimed).toBe(0);
    clock.now = new Date(clock.now.getTime() + 60_001);
    const s = await runDeliveryPass({ owner: "worker-b", now: () => clock.now });
    expect(s).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(rx.received.map((r) => r.headers["webhook-id"])).toEqual([taken[0]!.id]);
    expect(await getWebhookMetrics({ actor: admin(), id: webhook.id, now: clock.now })).toMatchObject({ successful: 1, total: 1 });
  });

  it("never hands one message to two claimers at once", async () => {
    await makeWebhook(admin(), rx.url);
    for (let i = 0; i < 30; i++) await ingestEvent({ actor: admin(), input: alert() });
    const now = new Date(Date.now() + 1000);
    const [a, b, c] = await Promise.all([
      claimDueMessages({ limit: 20, owner: "a", leaseMs: 60_000, now }),
      claimDueMessages({ limit: 20, owner: "b", leaseMs: 60_000, now }),
      claimDueMessages({ limit: 20, owner: "c", leaseMs: 60_000, now }),
    ]);
    const ids = [...a, ...b, ...c].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(30);
  });

  it("limits one webhook's share of a claim", async () => {
    const one = await makeWebhook(admin(), rx.url);
    for (let i = 0; i < 10; i++) await ingestEvent({ actor: admin(), input: alert() });
    await setWebhookEnabled({ actor: admin(), id: one.webhook.id, enabled: false });
    const two = await makeWebhook(admin(), rx.url);
    await ingestEvent({ actor: admin(), input: alert() });
    await setWebhookEnabled({ actor: admin(), id: one.webhook.id, enabled: true });
    const got = await claimDueMessages({ limit: 10, owner: "x", leaseMs: 60_000, now: new Date(Date.now() + 1000), perWebhookLimit: 3 });
    expect(got.filter((m) => m.webhookId === one.webhook.id)).toHaveLength(3);
    expect(got.filter((m) => m.webhookId === two.webhook.id)).toHaveLength(1);
    await t.db.message.updateMany({ where: { leaseOwner: "x" }, data: { status: "SUCCEEDED", leaseOwner: null } });
  });

  it("takes a crashed worker's messages (expired lease) before pending ones due earlier, and honours the exclusions", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const t0 = new Date("2026-03-01T00:00:00Z");
    await ingestEvent({ actor: admin(), input: alert(), now: t0 });
    const [crashed] = await claimDueMessages({ limit: 1, owner: "dead", leaseMs: 1_000, now: t0, onlyWebhookId: webhook.id });
    const early = await ingestEvent({ actor: admin(), input: alert(), now: t0 });
    await t.db.message.updateMany({ where: { eventId: early.id }, data: { nextAttemptAt: new Date(t0.getTime() - 3_600_000) } });
    const later = new Date(t0.getTime() + 2_000);
    try {
      expect(await claimDueMessages({ limit: 1, owner: "y", leaseMs: 60_000, now: later, excludeWebhookIds: [webhook.id] })).toEqual([]);
      const [first] = await claimDueMessages({ limit: 1, owner: "y", leaseMs: 60_000, now: later, onlyWebhookId: webhook.id });
      expect(first!.id).toBe(crashed!.id);
      const [second] = await claimDueMessages({ limit: 1, owner: "y", leaseMs: 60_000, now: later, onlyWebhookId: webhook.id });
      expect(second).toMatchObject({ eventId: early.id, attemptCount: 0 });
    } finally {
      await t.db.message.updateMany({ where: { webhookId: webhook.id }, data: { status: "SUCCEEDED", leaseOwner: null } });
    }
  });

  it("reports each message claimed, then sent, then settled, once each: delivered, failed and skipped alike", async () => {
    await t.db.message.updateMany({ where: { status: { in: ["PENDING", "IN_PROGRESS"] } }, data: { status: "SKIPPED", leaseOwner: null } }); // earlier cases' leftovers
    const ok = await makeWebhook(admin(), rx.url);
    await ingestEvent({ actor: admin(), input: alert() });
    const off = await makeWebhook(admin(), `${rx.url}/off`);
    await ingestEvent({ actor: admin(), input: alert() });
    await setWebhookEnabled({ actor: admin(), id: off.webhook.id, enabled: false });
    rx.setHandler((req, res, i) => respond(i === 0 ? 200 : 500)(req, res, i));
    const log = new Map<string, string[]>();
    const note = (what: string) => (m: { id: string }) => log.set(m.id, [...(log.get(m.id) ?? []), what]);
    const recorded = new Map<string, number>();
    const summary = await runDeliveryPass({
      onClaimed: (messages) => messages.forEach(note("claimed")),
      onSent: note("sent"),
      onSettled: (m) => {
        note("settled")(m);
        recorded.set(m.id, -1);
        void t.db.attempt.count({ where: { messageId: m.id } }).then((n) => recorded.set(m.id, n));
      },
    });
    expect(summary).toMatchObject({ claimed: 3, succeeded: 1, retrying: 1, skipped: 1 });
    expect([...log.values()]).toEqual([["claimed", "sent", "settled"], ["claimed", "sent", "settled"], ["claimed", "sent", "settled"]]);
    await vi.waitFor(() => expect([...recorded.values()].sort()).toEqual([0, 1, 1])); // the skipped one has no attempt
    expect(new Set([...log.keys()]).size).toBe(3);
    await t.db.message.updateMany({ where: { webhookId: { in: [ok.webhook.id, off.webhook.id] } }, data: { status: "SUCCEEDED", leaseOwner: null } });
  });

  it("reads a claim's worth of rows, not the whole backlog (index order)", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const now = new Date(Date.now() + 1000);
    const one = await ingestEvent({ actor: admin(), input: alert() });
    // A backlog of 3,000 due messages, cloned from the ingested one, and the statistics autovacuum would gather.
    await t.db.$executeRawUnsafe(
      `INSERT INTO "Message" ("id", "organizationId", "webhookId", "eventId", "body", "nextAttemptAt", "updatedAt")
       SELECT gen_random_uuid(), m."organizationId", m."webhookId", m."eventId", m."body", m."nextAttemptAt" - g * interval '1 ms', now()
         FROM "Message" m, generate_series(1, 3000) g WHERE m."eventId" = $1::uuid`,
      one.id,
    );
    await t.db.$executeRawUnsafe(`ANALYZE "Message"`);
    type TPlanNode = { "Node Type": string; "Relation Name"?: string; "Actual Rows": number; "Actual Loops": number; "Rows Removed by Filter"?: number; Plans?: TPlanNode[] };
    const scanned = (node: TPlanNode): number =>
      (node["Relation Name"] === "Message" && /Scan/.test(node["Node Type"]) && node["Actual Loops"] > 0 ? node["Actual Rows"] * node["Actual Loops"] + (node["Rows Removed by Filter"] ?? 0) : 0) +
      (node.Plans ?? []).reduce((sum, child) => sum + scanned(child), 0);
    try {
      const rows = await t.db.$transaction(async (tx) => {
        const plan = await tx.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${CLAIM_SQL}`, new Date(now.getTime() + 60_000), "plan", now, 5, 5, [], null);
        const raw = plan[0]!["QUERY PLAN"];
        const root = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: TPlanNode }];
        expect(root[0].Plan["Actual Rows"]).toBe(5);
        throw Object.assign(new Error("roll back"), { scanned: scanned(root[0].Plan) });
      }).catch((e: { scanned?: number }) => {
        if (e.scanned === undefined) throw e;
        return e.scanned;
      });
      // 4 × the limit locked by the pending scan, the 5 updated rows by primary key: far below the 3,001 due.
      expect(rows).toBeLessThanOrEqual(40);
    } finally {
      await t.db.message.updateMany({ where: { webhookId: webhook.id }, data: { status: "SUCCEEDED", leaseOwner: null } });
    }
  });
});

describe("SSRF guard in the engine", () => {
  it("records a blocked attempt and makes no connection when private targets are not allowed", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    setDeliveryAllowPrivate(false);
    try {
      const before = rx.connections();
      await ingestEvent({ actor: admin(), input: alert() });
      await runDeliveryPass();
      const attempt = await t.db.attempt.findFirstOrThrow({ where: { webhookId: webhook.id } });
      expect(attempt).toMatchObject({ success: false, errorCode: "blocked" });
      expect(attempt.error).toMatch(/not allowed/);
      expect(rx.connections()).toBe(before);
      await expect(makeWebhook(admin(), "http://169.254.169.254/latest")).rejects.toMatchObject({ status: 400, issues: [{ path: "targetUrl" }] });
      await expect(makeWebhook(admin(), "http://user@example.com/")).rejects.toMatchObject({ status: 400 });
    } finally {
      setDeliveryAllowPrivate(true);
    }
  });
});

describe("test sends and the attempt log", () => {
  it("sends the raw template or sample values, records a test attempt outside the metrics", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const raw = await testWebhook({ actor: orgs.a.author.actor, id: webhook.id, mode: "raw" });
    expect(raw).toMatchObject({ ok: true, statusCode: 200 });
    expect(rx.received[0]!.body).toBe(getEventType("alert.active").defaultTemplate);
    const sample = await testWebhook({ actor: admin(), id: webhook.id, mode: "sample" });
    expect(sample.ok).toBe(true);
    expect(rx.received[1]!.body).not.toContain("#alert_name");
    expect(JSON.parse(rx.received[1]!.body)).toBeTruthy();
    await expect(testWebhook({ actor: orgs.a.support.actor, id: webhook.id, mode: "raw" })).rejects.toMatchObject({ status: 403 });
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id, trigger: "TEST", messageId: null } })).toBe(2);
    expect((await getWebhookMetrics({ actor: admin(), id: webhook.id })).total).toBe(0);
  });

  it("filters, searches and pages the attempt log", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    rx.setHandler((_r, res, i) => respond(i % 2 ? 410 : 200)(_r, res, i));
    for (let i = 0; i < 7; i++) await ingestEvent({ actor: admin(), input: { ...alert({ alert_name: `ticket-${i}` }), id: `ev-page-${i}` } });
    await runDeliveryPass();
    const all = await listAttempts({ actor: orgs.a.support.actor, id: webhook.id, query: { limit: "3" } });
    expect(all.attempts).toHaveLength(3);
    const p2 = await listAttempts({ actor: admin(), id: webhook.id, query: { limit: "3", cursor: all.nextCursor } });
    const p3 = await listAttempts({ actor: admin(), id: webhook.id, query: { limit: "3", cursor: p2.nextCursor } });
    expect(p3.nextCursor).toBeNull();
    const ids = [...all.attempts, ...p2.attempts, ...p3.attempts].map((a) => a.id);
    expect(new Set(ids).size).toBe(7);
    expect((await listAttempts({ actor: admin(), id: webhook.id, query: { status: "failed" } })).attempts.every((a) => !a.success)).toBe(true);
    // A status code finds every attempt answered with it; text search also matches request bodies, whose
    // random ids can contain "410" too — so any other hit must contain it.
    const by410 = (await listAttempts({ actor: admin(), id: webhook.id, query: { q: "410" } })).attempts;
    const stored = await t.db.attempt.findMany({ where: { webhookId: webhook.id }, select: { id: true, statusCode: true, requestBody: true, error: true } });
    expect(by410.filter((a) => a.statusCode === 410).map((a) => a.id).sort()).toEqual(stored.filter((a) => a.statusCode === 410).map((a) => a.id).sort());
    expect(stored.filter((a) => a.statusCode === 410).length).toBeGreaterThan(0);
    const other = by410.filter((a) => a.statusCode !== 410).map((a) => stored.find((s) => s.id === a.id));
    expect(other.every((a) => `${a?.requestBody ?? ""}${a?.error ?? ""}`.includes("410"))).toBe(true);
    expect((await listAttempts({ actor: admin(), id: webhook.id, query: { q: "ev-page-4" } })).attempts).toHaveLength(1);
    expect((await listAttempts({ actor: admin(), id: webhook.id, query: { q: "ticket-5" } })).attempts).toHaveLength(1);
    await expect(listAttempts({ actor: admin(), id: webhook.id, query: { status: "weird" } })).rejects.toMatchObject({ status: 400 });
    await expect(listAttempts({ actor: orgs.b.admin.actor, id: webhook.id, query: {} })).rejects.toMatchObject({ status: 404 });
  });
});

describe("a webhook's settings between passes", () => {
  it("are loaded once while nothing changes, and afresh after any change: URL, secret rotation, a secret's expiry, disabling", async () => {
    const { webhook, signingSecret } = await makeWebhook(admin(), rx.url);
    const clock = { now: new Date(Date.now() + 1_000) };
    const pass = () => runDeliveryPass({ now: () => clock.now, random: () => 0.5 });
    // Earlier cases' retries may come due on this clock: their webhooks are disabled, so they are skipped, not sent.
    const deliver = async () => {
      await ingestEvent({ actor: admin(), input: alert() });
      expect(await pass()).toMatchObject({ succeeded: 1 });
      return rx.received.at(-1)!;
    };
    await deliver();
    const loads = countWebhookLoads();
    await deliver();
    await deliver();
    expect(countWebhookLoads()).toBe(loads);

    await updateWebhook({ actor: admin(), id: webhook.id, input: { targetUrl: `${rx.url}/moved` } });
    expect((await deliver()).url).toMatch(/\/moved$/);

    const { signingSecret: rotated } = await rotateSigningSecret({ actor: admin(), id: webhook.id, graceMs: 10_000, now: clock.now });
    let got = await deliver();
    expect(String(got.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(() => new StandardWebhook(rotated).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    expect(() => new StandardWebhook(signingSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    const afterRotation = countWebhookLoads();
    await deliver();
    expect(countWebhookLoads()).toBe(afterRotation);

    // The previous secret goes out of force with time alone: nothing is written when it does.
    clock.now = new Date(clock.now.getTime() + 11_000);
    got = await deliver();
    expect(String(got.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(() => new StandardWebhook(rotated).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    expect(() => new StandardWebhook(signingSecret).verify(got.body, got.headers as Record<string, string>)).toThrow();

    const last = await ingestEvent({ actor: admin(), input: alert() });
    await setWebhookEnabled({ actor: admin(), id: webhook.id, enabled: false });
    const sent = rx.received.length;
    expect(await pass()).toMatchObject({ succeeded: 0 });
    expect(rx.received).toHaveLength(sent);
    expect(await t.db.message.findFirstOrThrow({ where: { eventId: last.id } })).toMatchObject({ status: "SKIPPED" });
  });

  it("are loaded once across passes of a failing webhook: its failure streak is not a change of its settings", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    rx.setHandler(respond(410)); // Gone: each message fails for good at once, and the recorder raises the streak
    const clock = { now: new Date(Date.now() + 1_000) };
    const fail = async () => {
      await ingestEvent({ actor: admin(), input: alert() });
      expect(await runDeliveryPass({ now: () => clock.now, random: () => 0.5 })).toMatchObject({ failed: 1 });
    };
    await fail();
    const loads = countWebhookLoads();
    await fail();
    await fail();
    expect(countWebhookLoads()).toBe(loads);
    expect((await t.db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).consecutiveFailures).toBe(3);
  });

  it("have a configVersion that rises with every change of the webhook's settings or of its secrets, whoever writes it", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const version = async () => (await t.db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).configVersion;
    let last = await version();
    const rises = async (write: () => Promise<unknown>) => {
      await write();
      const now = await version();
      expect(now).toBeGreaterThan(last);
      last = now;
    };
    const stays = async (write: () => Promise<unknown>) => {
      await write();
      expect(await version()).toBe(last);
    };
    await rises(() => t.db.$executeRawUnsafe(`UPDATE "Webhook" SET "note" = 'moved' WHERE "id" = $1::uuid`, webhook.id));
    await rises(() => updateWebhook({ actor: admin(), id: webhook.id, input: { targetUrl: `${rx.url}/v2` } }));
    await rises(() => setWebhookEnabled({ actor: admin(), id: webhook.id, enabled: false }));
    // The failure streak and updatedAt are the recorder's bookkeeping, not settings; nor is rewriting a value.
    await stays(() => t.db.$executeRawUnsafe(`UPDATE "Webhook" SET "consecutiveFailures" = 1, "updatedAt" = now() WHERE "id" = $1::uuid`, webhook.id));
    await stays(() => t.db.$executeRawUnsafe(`UPDATE "Webhook" SET "targetUrl" = "targetUrl" WHERE "id" = $1::uuid`, webhook.id));
    await rises(() => rotateSigningSecret({ actor: admin(), id: webhook.id, graceMs: 60_000 }));
    await rises(() => t.db.$executeRawUnsafe(`UPDATE "WebhookSecret" SET "expiresAt" = now() WHERE "webhookId" = $1::uuid AND "expiresAt" IS NOT NULL`, webhook.id));
    await rises(() => t.db.$executeRawUnsafe(`DELETE FROM "WebhookSecret" WHERE "webhookId" = $1::uuid AND "expiresAt" IS NOT NULL`, webhook.id));
    // A statement that sets the version itself is not raised again.
    await t.db.$executeRawUnsafe(`UPDATE "Webhook" SET "configVersion" = 100 WHERE "id" = $1::uuid`, webhook.id);
    expect(await version()).toBe(100);
  });
});

describe("webhook changes", () => {
  it("lets an author change the template but not the URL", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const t2 = '{"text": "#alert_name on #workspace_name"}';
    await updateWebhook({ actor: orgs.a.author.actor, id: webhook.id, input: { template: t2 } });
    await expect(updateWebhook({ actor: orgs.a.author.actor, id: webhook.id, input: { targetUrl: "https://example.com/x" } })).rejects.toMatchObject({ status: 403 });
    await expect(updateWebhook({ actor: admin(), id: webhook.id, input: { template: '{"a": ' } })).rejects.toMatchObject({ status: 400, issues: [{ path: "template" }] });
    expect((await t.db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).template).toBe(t2);
  });

  it("emits object.* events for webhooks changed through Hookyard", async () => {
    const watcher = await makeWebhook(admin(), rx.url, { eventTypes: ["object.created"], template: getEventType("object.created").defaultTemplate });
    const created = await makeWebhook(admin(), "https://example.com/new", { enabled: false });
    const m = await t.db.message.findFirstOrThrow({ where: { webhookId: watcher.webhook.id, body: { contains: created.webhook.id } } });
    const body = JSON.parse(m.body);
    expect(body.message.entity).toEqual({ "entity-type": "Webhook", "object-name": created.webhook.name, "object-id": created.webhook.id });
    expect(body.message.metadata.action).toBe("Creation");
  });
});

describe("patch validation", () => {
  it("a patch carries only the fields sent (no defaults applied)", async () => {
    const { ZWebhookPatch } = await import("@/lib/validation/webhook");
    expect(Object.keys(ZWebhookPatch.parse({ template: "{}" }))).toEqual(["template"]);
  });
});

describe("audit of webhook changes", () => {
  it("records before → after for nested settings and resources", async () => {
    const { webhook } = await makeWebhook(orgs.a.admin.actor, "https://example.com/audit", { enabled: false });
    await updateWebhook({ actor: orgs.a.admin.actor, id: webhook.id, input: { signing: { standard: true, hexHeader: "X-Sig", base64: false }, batching: { mode: "TIME", intervalSeconds: 5, count: null, limit: null } } });
    const entry = await t.db.auditEntry.findFirstOrThrow({ where: { targetId: webhook.id, action: "webhook.updated" }, orderBy: { createdAt: "desc" } });
    expect(entry.changes).toMatchObject({
      signing: { before: { standard: true, hexHeader: null, base64: false }, after: { hexHeader: "X-Sig" } },
      batching: { before: { mode: "NONE" }, after: { mode: "TIME", intervalSeconds: 5 } },
    });
  });
});

describe("recording in batches (group commit)", () => {
  // Earlier tests leave messages behind (some under 60 s leases): settle them so the counts below are this test's own.
  beforeEach(async () => {
    await t.db.message.updateMany({ where: { status: { in: ["PENDING", "IN_PROGRESS"] } }, data: { status: "SKIPPED", leaseOwner: null, leaseUntil: null, nextAttemptAt: null } });
  });

  it("a COUNT batch of 100 messages: one request, 100 attempts, every message delivered exactly once", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url, { batching: { mode: "COUNT", intervalSeconds: 30, count: 100, limit: 100 } });
    for (let i = 0; i < 100; i++) await ingestEvent({ actor: admin(), input: alert({ alert_name: `batch-${i}` }) });
    const s = await runDeliveryPass();
    expect(s).toMatchObject({ claimed: 100, succeeded: 100, retrying: 0, failed: 0, lost: 0, errors: 0 });
    expect(rx.received).toHaveLength(1);
    expect(JSON.parse(rx.received[0]!.body)).toHaveLength(100);
    const messages = await t.db.message.findMany({ where: { webhookId: webhook.id } });
    expect(messages).toHaveLength(100);
    expect(new Set(String(rx.received[0]!.headers["x-hookyard-message-ids"]).split(","))).toEqual(new Set(messages.map((m) => m.id)));
    expect(messages.every((m) => m.status === "SUCCEEDED" && m.attemptCount === 1 && m.lastStatusCode === 200 && m.leaseOwner === null && m.completedAt !== null)).toBe(true);
    const attempts = await t.db.attempt.findMany({ where: { webhookId: webhook.id } });
    expect(attempts).toHaveLength(100);
    expect(new Set(attempts.map((a) => a.messageId)).size).toBe(100);
    expect(attempts.every((a) => a.success && a.attemptNumber === 1 && a.trigger === "AUTO")).toBe(true);
    expect(await runDeliveryPass()).toMatchObject({ claimed: 0 });
    expect(await getWebhookMetrics({ actor: admin(), id: webhook.id })).toMatchObject({ successful: 100, failed: 0, pending: 0, total: 100 });
  });

  it("a failing COUNT batch of 100: each message fails once, the streak counts 100, one auto-disable, one notice, 100 message_failed events", async () => {
    const watcher = await makeWebhook(admin(), rx.url, { eventTypes: ["hookyard.message_failed"], template: getEventType("hookyard.message_failed").defaultTemplate });
    const { webhook } = await makeWebhook(admin(), rx.url, { autoDisableAfter: 50, batching: { mode: "COUNT", intervalSeconds: 30, count: 100, limit: 100 } });
    for (let i = 0; i < 100; i++) await ingestEvent({ actor: admin(), input: alert({ alert_name: `gone-${i}` }) });
    rx.setHandler(respond(410));
    // Only the batch is due; the watcher's messages come from the recording itself.
    const s = await runDeliveryPass();
    expect(s).toMatchObject({ claimed: 100, failed: 100, succeeded: 0, errors: 0 });
    expect(rx.received).toHaveLength(1);
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "FAILED", attemptCount: 1, lastStatusCode: 410, nextAttemptAt: null } })).toBe(100);
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(100);
    const after = await t.db.webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(after).toMatchObject({ consecutiveFailures: 100, enabled: false, disabledReason: "Auto-disabled after 50 consecutive failed messages" });
    expect(await t.db.auditEntry.count({ where: { targetId: webhook.id, action: "webhook.auto_disabled" } })).toBe(1);
    const link = `/webhooks/${webhook.id}`;
    expect(await t.db.notification.count({ where: { link, kind: "webhook.disabled", userId: orgs.a.admin.user.id } })).toBe(1);
    expect(await t.db.notification.count({ where: { link, kind: "message.failed", userId: orgs.a.admin.user.id } })).toBe(1);
    const failedNotices = await t.db.message.findMany({ where: { webhookId: watcher.webhook.id } });
    expect(failedNotices).toHaveLength(100);
    expect(failedNotices.every((m) => m.body.includes(webhook.id))).toBe(true);
    await t.db.message.deleteMany({ where: { webhookId: watcher.webhook.id } });
  });

  it("a batch with no final failure is one statement, no transaction; it resets the failure streak of a webhook that succeeded", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const other = await makeWebhook(admin(), rx.url);
    await t.db.webhook.update({ where: { id: webhook.id }, data: { consecutiveFailures: 7 } });
    await t.db.webhook.update({ where: { id: other.webhook.id }, data: { consecutiveFailures: 3 } });
    for (let i = 0; i < 3; i++) await ingestEvent({ actor: admin(), input: alert({ alert_name: `one-statement-${i}` }) });
    // The other webhook's sends fail and are retried later: not a final failure, and no success to reset its streak.
    rx.setHandler((req, res, i) => respond(req.url?.includes(other.webhook.id) ? 500 : 200)(req, res, i));
    await t.db.webhook.update({ where: { id: other.webhook.id }, data: { targetUrl: `${rx.url}/${other.webhook.id}` } });
    const transaction = vi.spyOn(t.db, "$transaction");
    try {
      const s = await runDeliveryPass();
      expect(s).toMatchObject({ claimed: 6, succeeded: 3, retrying: 3, failed: 0, lost: 0, errors: 0 });
      expect(transaction).not.toHaveBeenCalled();
    } finally {
      transaction.mockRestore();
    }
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED", attemptCount: 1, leaseOwner: null } })).toBe(3);
    expect(await t.db.message.count({ where: { webhookId: other.webhook.id, status: "PENDING", attemptCount: 1, leaseOwner: null, nextAttemptAt: { not: null } } })).toBe(3);
    expect(await t.db.attempt.count({ where: { webhookId: { in: [webhook.id, other.webhook.id] } } })).toBe(6);
    expect((await t.db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).consecutiveFailures).toBe(0);
    expect((await t.db.webhook.findUniqueOrThrow({ where: { id: other.webhook.id } })).consecutiveFailures).toBe(3);
  });

  it("keeps the attempt and reports a lost lease when another worker took the message over", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const clock = { now: new Date("2026-04-01T00:00:00Z") };
    await ingestEvent({ actor: admin(), input: alert(), now: clock.now });
    const [mine] = await claimDueMessages({ limit: 1, owner: "slow-worker", leaseMs: 1_000, now: clock.now });
    const [theirs] = await claimDueMessages({ limit: 1, owner: "other-worker", leaseMs: 60_000, now: new Date(clock.now.getTime() + 1_001) });
    expect(theirs!.id).toBe(mine!.id);
    const outcome = await recordAttempt({
      message: mine!, webhook: { id: webhook.id, organizationId: orgs.a.org.id, targetUrl: rx.url }, owner: "slow-worker", startedAt: clock.now, finishedAt: new Date(clock.now.getTime() + 2_000),
      request: { url: rx.url, method: "POST", loggedHeaders: {}, body: "{}" }, response: { ok: true, statusCode: 200, durationMs: 5, bodyTruncated: false },
    });
    expect(outcome).toBe("lost");
    expect(await t.db.attempt.count({ where: { messageId: mine!.id } })).toBe(1);
    expect(await t.db.message.findUniqueOrThrow({ where: { id: mine!.id } })).toMatchObject({ status: "IN_PROGRESS", leaseOwner: "other-worker", attemptCount: 0 });
    await t.db.message.update({ where: { id: mine!.id }, data: { status: "SUCCEEDED", leaseOwner: null } });
  });

  it("a row the database refuses (its webhook deleted mid-send) fails alone; the rest of its batch is recorded", async () => {
    const a = await makeWebhook(admin(), rx.url);
    const b = await makeWebhook(admin(), rx.url);
    for (let i = 0; i < 2; i++) await ingestEvent({ actor: admin(), input: alert() });
    const claimed = await claimDueMessages({ limit: 10, owner: "w", leaseMs: 60_000, now: new Date(Date.now() + 1000) });
    const ofA = claimed.filter((m) => m.webhookId === a.webhook.id);
    const ofB = claimed.filter((m) => m.webhookId === b.webhook.id);
    expect([ofA.length, ofB.length]).toEqual([2, 2]);
    await t.db.webhook.delete({ where: { id: b.webhook.id } });
    const record = (m: (typeof claimed)[number]) => recordAttempt({
      message: m, webhook: { id: m.webhookId, organizationId: m.organizationId, targetUrl: rx.url }, owner: "w", startedAt: new Date(), finishedAt: new Date(),
      request: { url: rx.url, method: "POST", loggedHeaders: {}, body: m.body }, response: { ok: true, statusCode: 200, durationMs: 3, bodyTruncated: false },
    });
    // The first write starts at once; the next three queue behind it and share one transaction, which the deleted webhook's row fails.
    const results = await Promise.allSettled([record(ofA[0]!), record(ofB[0]!), record(ofA[1]!), record(ofB[1]!)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
    expect(results.filter((r) => r.status === "fulfilled").map((r) => r.value)).toEqual(["succeeded", "succeeded"]);
    expect(await t.db.message.count({ where: { webhookId: a.webhook.id, status: "SUCCEEDED", attemptCount: 1 } })).toBe(2);
    expect(await t.db.attempt.count({ where: { webhookId: a.webhook.id } })).toBe(2);
    expect(await t.db.attempt.count({ where: { webhookId: b.webhook.id } })).toBe(0);
  });

  it("outcomes that come in during one turn of the event loop are written by one statement", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    for (let i = 0; i < 6; i++) await ingestEvent({ actor: admin(), input: alert({ alert_name: `turn-${i}` }) });
    const claimed = await claimDueMessages({ limit: 6, owner: "w", leaseMs: 60_000, now: new Date(Date.now() + 1000) });
    expect(claimed).toHaveLength(6);
    const query = vi.spyOn(t.db, "$queryRawUnsafe");
    try {
      // Six answers handled by six callbacks of the same turn, as a socket's responses are: the first
      // one's write must wait for the others instead of starting alone (on PGlite, whose queries run on
      // this thread, every answer used to be written by a statement of its own).
      const outcomes = await Promise.all(claimed.map((m) => new Promise<string>((resolve, reject) => setImmediate(() => {
        recordAttempt({
          message: m, webhook: { id: webhook.id, organizationId: m.organizationId, targetUrl: rx.url }, owner: "w", startedAt: new Date(), finishedAt: new Date(),
          request: { url: rx.url, method: "POST", loggedHeaders: {}, body: m.body }, response: { ok: true, statusCode: 200, durationMs: 2, bodyTruncated: false },
        }).then(resolve, reject);
      }))));
      expect(outcomes).toEqual(Array(6).fill("succeeded"));
      expect(query.mock.calls.filter(([sql]) => String(sql).includes("prepare:record_without_failures"))).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED", attemptCount: 1, leaseOwner: null } })).toBe(6);
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(6);
  });

  it("the loop claims for every slot its answers freed in one turn, and records them together", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url);
    const n = 64;
    for (let i = 0; i < n; i++) await ingestEvent({ actor: admin(), input: alert({ alert_name: `loop-${i}` }) });
    // The receiver answers in groups of 16 (or what it holds after 50 ms), all in the same turn, so the
    // loop gets its answers back together, as a busy endpoint's come back.
    const held: (() => void)[] = [];
    let flush: NodeJS.Timeout | undefined;
    const release = () => {
      clearTimeout(flush);
      for (const answer of held.splice(0)) answer();
    };
    rx.setHandler((req, res, i) => {
      held.push(() => respond(200)(req, res, i));
      if (held.length >= 16) release();
      else {
        clearTimeout(flush);
        flush = setTimeout(release, 50);
      }
    });
    const query = vi.spyOn(t.db, "$queryRawUnsafe");
    const loop = startDeliveryLoop({ concurrency: 16, perWebhookConcurrency: 16, pollMs: 50, purgeEveryMs: 3_600_000, vacuumEveryMs: 3_600_000 });
    let statements: string[] = [];
    try {
      await vi.waitFor(async () => expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })).toBe(n), { timeout: 20_000, interval: 50 });
    } finally {
      await loop.stop();
      statements = query.mock.calls.map(([sql]) => String(sql));
      query.mockRestore();
    }
    const calls = (name: string) => statements.filter((sql) => sql.includes(`prepare:${name}`)).length;
    // One claim and one recording per message is what the loop did on PGlite before (65 and 64 here; 6 and 4 since).
    expect(calls("claim_messages")).toBeLessThanOrEqual(n / 2);
    expect(calls("record_without_failures")).toBeLessThanOrEqual(n / 2);
    expect(rx.received).toHaveLength(n);
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(n);
  });

  it("concurrent passes of several owners record together and each outcome lands on its own message", async () => {
    const one = await makeWebhook(admin(), rx.url);
    const two = await makeWebhook(orgs.b.admin.actor, rx.url);
    rx.setHandler((req, res, i) => respond(i % 3 === 0 ? 500 : 200)(req, res, i));
    for (let i = 0; i < 30; i++) {
      await ingestEvent({ actor: admin(), input: alert({ alert_name: `c-${i}` }) });
      await ingestEvent({ actor: orgs.b.admin.actor, input: alert({ alert_name: `c-${i}` }) });
    }
    const now = new Date(Date.now() + 1000);
    // Concurrent claims skip each other's locked rows, so a round may take fewer than 60: run rounds until none is left.
    const total = { claimed: 0, recorded: 0 };
    for (let round = 0; round < 10; round++) {
      const passes = await Promise.all(["p1", "p2", "p3"].map((owner) => runDeliveryPass({ owner, maxMessages: 20, now: () => now })));
      total.claimed += passes.reduce((n, p) => n + p.claimed, 0);
      total.recorded += passes.reduce((n, p) => n + p.succeeded + p.retrying, 0);
      if (passes.every((p) => p.claimed === 0)) break;
    }
    expect(total).toEqual({ claimed: 60, recorded: 60 });
    const messages = await t.db.message.findMany({ where: { webhookId: { in: [one.webhook.id, two.webhook.id] } }, include: { attempts: true } });
    expect(messages).toHaveLength(60);
    for (const m of messages) {
      expect(m.attempts).toHaveLength(1);
      expect(m.attempts[0]!.organizationId).toBe(m.organizationId);
      expect(m.status).toBe(m.attempts[0]!.success ? "SUCCEEDED" : "PENDING");
      expect(m.lastStatusCode).toBe(m.attempts[0]!.statusCode);
      expect(m.leaseOwner).toBeNull();
    }
    expect(rx.received).toHaveLength(60);
    expect(new Set(rx.received.map((r) => r.headers["webhook-id"])).size).toBe(60);
    await t.db.message.updateMany({ where: { webhookId: { in: [one.webhook.id, two.webhook.id] }, status: "PENDING" }, data: { status: "FAILED", nextAttemptAt: null } });
  });
});
