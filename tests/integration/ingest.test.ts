/**
 * storeEvent's single write statement (event ON CONFLICT + messages from
 * json_to_recordset + count-batch release + pg_notify): duplicates, racing
 * duplicates, full batches, skipped messages, resources and the wake-up.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
vi.hoisted(() => {
  // The wake-up NOTIFY is sent when the deployment runs on PostgreSQL (DATABASE_URL set);
  // the client itself is the test database installed by createTestDb.
  if (process.env.TEST_DB === "postgres") process.env.DATABASE_URL = process.env.TEST_PG_URL;
});
import pg from "pg";
import { createTestDb, TEST_DB_KIND, type TTestDb } from "./helpers/db";
import { createDb } from "@/lib/db/client";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { ingestEvent, storeEvent } from "@/lib/delivery/ingest";
import { setWebhookEnabled } from "@/lib/domain/webhooks";
import { recoverFailedMessages, retryMessage } from "@/lib/domain/deliveries";
import { NOTIFY_CHANNEL } from "@/lib/delivery/wake";
import { getEventType } from "@/lib/catalog";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
const URL_ = "https://example.com/hook";

beforeAll(async () => {
  t = await createTestDb();
  orgs = await createTwoOrgs();
});
afterAll(async () => {
  await t?.close();
});

const admin = () => orgs.a.admin.actor;
const alert = (id?: string, name = "CPU") => ({ ...(id ? { id } : {}), type: "alert.active", resource: "alert-cpu", data: { alert_name: name } });

describe(`ingest writes on ${TEST_DB_KIND}`, () => {
  it("racing requests with the same id: one event and one set of messages, the others report the winner as a duplicate", async () => {
    const { webhook } = await makeWebhook(admin(), URL_);
    for (const round of [1, 2, 3]) {
      const id = `race-${round}`;
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => ingestEvent({ actor: admin(), input: alert(id, `n-${i}`) })));
      const winners = results.filter((r) => !r.duplicate);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      expect(winner.messages).toBe(1);
      for (const r of results.filter((x) => x.duplicate)) expect(r).toEqual({ id: winner.id, duplicate: true, messages: 1 });
      expect(await t.db.event.count({ where: { organizationId: orgs.a.org.id, externalId: id } })).toBe(1);
      expect(await t.db.message.count({ where: { organizationId: orgs.a.org.id, webhookId: webhook.id, event: { externalId: id } } })).toBe(1);
    }
  });

  it("a duplicate answers with the stored event's message count (skipped ones included) and writes nothing", async () => {
    const on = await makeWebhook(orgs.b.admin.actor, URL_);
    const off = await makeWebhook(orgs.b.admin.actor, URL_);
    await setWebhookEnabled({ actor: orgs.b.admin.actor, id: off.webhook.id, enabled: false });
    const first = await ingestEvent({ actor: orgs.b.admin.actor, input: alert("dup-skip") });
    expect(first).toMatchObject({ duplicate: false, messages: 1, skipped: 1 });
    const before = await t.db.message.count({ where: { organizationId: orgs.b.org.id } });
    const again = await ingestEvent({ actor: orgs.b.admin.actor, input: alert("dup-skip", "other") });
    expect(again).toEqual({ id: first.id, duplicate: true, messages: 2 });
    expect(await t.db.message.count({ where: { organizationId: orgs.b.org.id } })).toBe(before);
    const skipped = await t.db.message.findFirstOrThrow({ where: { organizationId: orgs.b.org.id, webhookId: off.webhook.id, eventId: first.id } });
    expect(skipped).toMatchObject({ status: "SKIPPED", nextAttemptAt: null, attemptCount: 0, lastError: "Webhook was disabled when the event arrived: recover it after enabling" });
    const queued = await t.db.message.findFirstOrThrow({ where: { organizationId: orgs.b.org.id, webhookId: on.webhook.id, eventId: first.id } });
    expect(queued).toMatchObject({ status: "PENDING", attemptCount: 0, retryTrigger: "AUTO", workspaceIndex: null, lastError: null });
    await t.db.webhook.deleteMany({ where: { organizationId: orgs.b.org.id } });
  });

  it("stores the event's fields and each message's due time, body and workspace index", async () => {
    const actor = orgs.b.admin.actor;
    const op = await makeWebhook(actor, URL_, { eventTypes: ["operation.executed"], template: getEventType("operation.executed").defaultTemplate });
    const ws = await makeWebhook(actor, URL_, { eventTypes: ["operation.workspace_executed"], template: getEventType("operation.workspace_executed").defaultTemplate });
    const now = new Date("2026-05-01T10:00:00.123Z");
    const res = await ingestEvent({
      actor,
      now,
      input: { id: "op-1", type: "operation.executed", resource: "op-x", occurredAt: "2026-05-01T09:59:00.000Z", causationDepth: 1, data: { operation_type: "Restart" }, workspaces: [{ workspace_name: "PC-1" }, { workspace_name: "PC-2" }] },
    });
    expect(res).toEqual({ id: expect.any(String), duplicate: false, messages: 3 });
    const event = await t.db.event.findUniqueOrThrow({ where: { id: res.id } });
    expect(event).toMatchObject({
      organizationId: orgs.b.org.id, externalId: "op-1", type: "operation.executed", resourceExtId: "op-x", occurredAt: new Date("2026-05-01T09:59:00.000Z"),
      data: { operation_type: "Restart" }, workspaces: [{ workspace_name: "PC-1" }, { workspace_name: "PC-2" }], causationDepth: 1, actorUserId: null, messageCount: 3,
    });
    const messages = await t.db.message.findMany({ where: { organizationId: orgs.b.org.id, eventId: res.id }, orderBy: { workspaceIndex: { sort: "asc", nulls: "first" } } });
    expect(messages.map((m) => [m.webhookId, m.workspaceIndex])).toEqual([[op.webhook.id, null], [ws.webhook.id, 0], [ws.webhook.id, 1]]);
    for (const m of messages) expect(m.nextAttemptAt).toEqual(now);
    expect(JSON.parse(messages[2]!.body)).toBeTruthy();
    expect(messages[2]!.body).toContain("PC-2");
    expect(messages[1]!.body).toContain("PC-1");
    await t.db.webhook.deleteMany({ where: { organizationId: orgs.b.org.id } });
  });

  it("a count-based batch waits, and is due at once when this event's messages fill it", async () => {
    const actor = orgs.b.admin.actor;
    const { webhook } = await makeWebhook(actor, URL_, { batching: { mode: "COUNT", intervalSeconds: 30, count: 3, limit: 10 } });
    const now = new Date("2026-06-01T12:00:00.000Z");
    const wait = new Date(now.getTime() + 30_000);
    const due = async () => (await t.db.message.findMany({ where: { organizationId: orgs.b.org.id, webhookId: webhook.id }, orderBy: { createdAt: "asc" } })).map((m) => m.nextAttemptAt?.toISOString());
    await ingestEvent({ actor, now, input: alert() });
    await ingestEvent({ actor, now, input: alert() });
    expect(await due()).toEqual([wait.toISOString(), wait.toISOString()]);
    await ingestEvent({ actor, now, input: alert() });
    expect(await due()).toEqual([now.toISOString(), now.toISOString(), now.toISOString()]);
    await ingestEvent({ actor, now, input: alert() });
    expect((await due()).slice(3)).toEqual([wait.toISOString()]);
    // A duplicate adds nothing and releases nothing.
    await ingestEvent({ actor, now, input: alert("batch-dup") });
    await ingestEvent({ actor, now, input: alert("batch-dup") });
    expect((await due()).slice(3)).toEqual([wait.toISOString(), wait.toISOString()]);
    // One event with workspaces counts each of its messages.
    const { webhook: wsHook } = await makeWebhook(actor, URL_, {
      eventTypes: ["operation.workspace_executed"], template: getEventType("operation.workspace_executed").defaultTemplate, batching: { mode: "COUNT", intervalSeconds: 30, count: 3, limit: 10 },
    });
    await ingestEvent({ actor, now, input: { type: "operation.executed", data: {}, workspaces: [{ workspace_name: "a" }, { workspace_name: "b" }, { workspace_name: "c" }] } });
    const wsDue = await t.db.message.findMany({ where: { organizationId: orgs.b.org.id, webhookId: wsHook.id } });
    expect(wsDue.map((m) => m.nextAttemptAt?.toISOString())).toEqual([now.toISOString(), now.toISOString(), now.toISOString()]);
    await t.db.webhook.deleteMany({ where: { organizationId: orgs.b.org.id } });
  });

  it("matches selected resources by external id, and leaves out excluded webhooks and other organizations", async () => {
    const actor = orgs.b.admin.actor;
    await t.db.resource.createMany({ data: [
      { organizationId: orgs.b.org.id, kind: "alert", externalId: "alert-cpu", name: "CPU" },
      { organizationId: orgs.b.org.id, kind: "alert", externalId: "alert-disk", name: "Disk" },
    ] });
    // Org A has a resource with the same external id: only org B's resources count for org B's webhooks.
    await t.db.resource.create({ data: { organizationId: orgs.a.org.id, kind: "alert", externalId: "alert-cpu", name: "CPU of A" } });
    const a = await makeWebhook(actor, URL_, { allResources: false, resources: ["alert-cpu", "alert-disk"] });
    const b = await makeWebhook(actor, URL_, { allResources: false, resources: ["alert-disk"] });
    const c = await makeWebhook(actor, URL_);
    await makeWebhook(orgs.a.admin.actor, URL_);
    const res = await storeEvent({ organizationId: orgs.b.org.id, input: { type: "alert.active", resource: "alert-cpu", data: { alert_name: "x" } }, excludeWebhookIds: [c.webhook.id] });
    expect(res.messages).toBe(1);
    const got = await t.db.message.findMany({ where: { eventId: res.id } });
    expect(got.map((m) => [m.webhookId, m.organizationId])).toEqual([[a.webhook.id, orgs.b.org.id]]);
    expect(b.webhook.id).not.toBe(a.webhook.id);
    const none = await storeEvent({ organizationId: orgs.b.org.id, input: { type: "alert.active", data: { alert_name: "x" } }, excludeWebhookIds: [c.webhook.id] });
    expect(none).toEqual({ id: expect.any(String), duplicate: false, messages: 0 });
    expect(await t.db.event.findUniqueOrThrow({ where: { id: none.id } })).toMatchObject({ messageCount: 0, organizationId: orgs.b.org.id });
    await t.db.webhook.deleteMany({ where: { organizationId: orgs.b.org.id } });
  });

  it.runIf(TEST_DB_KIND === "postgres")("notifies other processes once per stored event with queued messages, not for a duplicate", async () => {
    if (t.target.kind !== "postgres") return;
    const listener = new pg.Client({ connectionString: t.target.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(n.channel));
    await listener.query(`LISTEN ${NOTIFY_CHANNEL}`);
    try {
      await makeWebhook(orgs.b.admin.actor, URL_);
      await ingestEvent({ actor: orgs.b.admin.actor, input: alert("notify-1") });
      await ingestEvent({ actor: orgs.b.admin.actor, input: alert("notify-1") });
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([NOTIFY_CHANNEL]);
    } finally {
      await listener.end();
      await t.db.webhook.deleteMany({ where: { organizationId: orgs.b.org.id } });
    }
  });

  it.runIf(TEST_DB_KIND === "postgres")("notifies other processes when Retry now or Recover puts messages back, on commit only", async () => {
    if (t.target.kind !== "postgres") return;
    const actor = orgs.b.admin.actor;
    const { webhook } = await makeWebhook(actor, URL_);
    await ingestEvent({ actor, input: alert("notify-retry") });
    const message = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    await t.db.message.update({ where: { id: message.id }, data: { status: "FAILED", nextAttemptAt: null, completedAt: new Date() } });
    const listener = new pg.Client({ connectionString: t.target.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(n.channel));
    await listener.query(`LISTEN ${NOTIFY_CHANNEL}`);
    const settle = () => new Promise((r) => setTimeout(r, 300));
    try {
      await retryMessage({ actor, id: message.id });
      await settle();
      expect(heard).toEqual([NOTIFY_CHANNEL]);
      // Refused (already delivered): its transaction rolls back, and its NOTIFY with it.
      await t.db.message.update({ where: { id: message.id }, data: { status: "SUCCEEDED", nextAttemptAt: null } });
      await expect(retryMessage({ actor, id: message.id })).rejects.toMatchObject({ status: 409 });
      // Nothing to recover: nobody is woken.
      expect(await recoverFailedMessages({ actor, id: webhook.id, since: new Date(0) })).toEqual({ recovered: 0 });
      await settle();
      expect(heard).toHaveLength(1);
      await t.db.message.update({ where: { id: message.id }, data: { status: "FAILED" } });
      expect(await recoverFailedMessages({ actor, id: webhook.id, since: new Date(0) })).toEqual({ recovered: 1 });
      await settle();
      expect(heard).toHaveLength(2);
    } finally {
      await listener.end();
      await t.db.webhook.deleteMany({ where: { organizationId: orgs.b.org.id } });
    }
  });

  it.runIf(TEST_DB_KIND === "postgres")("runs its two statements as named prepared statements on PostgreSQL, unless DATABASE_PREPARED_STATEMENTS=0", async () => {
    if (t.target.kind !== "postgres") return;
    await makeWebhook(orgs.b.admin.actor, URL_);
    // pg_prepared_statements lists the current session's: one transaction keeps one connection.
    const preparedIn = (db: TTestDb["db"]) =>
      db.$transaction(async (tx) => {
        for (const id of ["prep-1", "prep-2", "prep-1"]) await storeEvent({ organizationId: orgs.b.org.id, input: { ...alert(id), type: "alert.active" } as never, tx });
        return tx.$queryRawUnsafe<{ name: string; statement: string }[]>(`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'hy\_%' ORDER BY name`);
      });
    try {
      const named = await preparedIn(t.db);
      const kinds = named.map((r) => r.name.replace(/_[0-9a-f]{16}$/, ""));
      expect(kinds[0]).toBe("hy_ingest_read");
      expect(kinds.slice(1).length).toBeGreaterThan(0);
      for (const k of kinds.slice(1)) expect(["hy_ingest_write", "hy_ingest_write_notify"]).toContain(k);
      expect(named[1]!.statement).toContain('INSERT INTO "Event"');
      // Turned off: everything stays unnamed (a pooler without prepared statements).
      const off = createDb({ ...t.target, preparedStatements: false });
      try {
        expect(await preparedIn(off.db)).toEqual([]);
      } finally {
        await off.db.$disconnect();
      }
      expect(await t.db.event.count({ where: { organizationId: orgs.b.org.id, externalId: { in: ["prep-1", "prep-2"] } } })).toBe(2);
    } finally {
      await t.db.webhook.deleteMany({ where: { organizationId: orgs.b.org.id } });
    }
  });
});

