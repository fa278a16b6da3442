/**
 * Several processes on one PostgreSQL database (runs on the server only:
 * PGlite belongs to one process). Real `npm run worker` processes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { createTestDb, TEST_ENCRYPTION_KEYS, type TTestDb } from "../helpers/db";
import { createTwoOrgs } from "../helpers/fixtures";
import { makeWebhook } from "../helpers/webhooks";
import { respond, startReceiver, type TReceiver } from "../../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { getWebhookMetrics } from "@/lib/domain/deliveries";
import { closeHttpAgents } from "@/lib/delivery/http";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;
const children: ChildProcess[] = [];

function startWorker(env: Record<string, string> = {}): ChildProcess {
  if (t.target.kind !== "postgres") throw new Error("postgres only");
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, DATABASE_URL: t.target.url, DELIVERY_ALLOW_PRIVATE: "1", LOG_LEVEL: "warn", DATA_DIR: "tmp/worker-test", ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  return child;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver();
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await rx.close();
  await closeHttpAgents();
  await t.close();
});

describe("worker processes on one PostgreSQL", () => {
  it("a worker SIGKILLed after the receiver got the request: redelivered after the lease, same webhook-id, counted once", async () => {
    const { webhook } = await makeWebhook(orgs.a.admin.actor, rx.url);
    let release: (() => void) | null = null;
    rx.setHandler((_req, res, i) => {
      if (i === 0) release = () => res.destroy(); // hold the first request: the worker is "mid-delivery"
      else respond(200)(_req, res, i);
    });
    const worker = startWorker({ DELIVERY_LEASE_MS: "3000", DELIVERY_TIMEOUT_MS: "2500" });
    await ingestEvent({ actor: orgs.a.admin.actor, input: { type: "alert.active", data: { alert_name: "CPU" } } });
    await rx.waitFor(1, 30_000);
    worker.kill("SIGKILL");
    await new Promise((r) => worker.once("exit", r));
    (release as (() => void) | null)?.();
    const m = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(m.status).toBe("IN_PROGRESS");
    // Not claimable while the dead worker's lease runs…
    expect((await runDeliveryPass({ owner: "rescuer" })).claimed).toBe(0);
    await until(async () => (await t.db.message.findUniqueOrThrow({ where: { id: m.id } })).leaseUntil! < new Date(), 10_000, "lease expiry");
    // …then another worker takes it.
    expect(await runDeliveryPass({ owner: "rescuer" })).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(rx.received.map((r) => r.headers["webhook-id"])).toEqual([m.id, m.id]);
    const after = await t.db.message.findUniqueOrThrow({ where: { id: m.id } });
    expect(after).toMatchObject({ status: "SUCCEEDED", attemptCount: 1 });
    expect(await getWebhookMetrics({ actor: orgs.a.admin.actor, id: webhook.id })).toMatchObject({ successful: 1, total: 1 });
  }, 60_000);

  it("two workers deliver 5,000 messages, every one exactly once", async () => {
    rx.setHandler(respond(200));
    rx.received.length = 0;
    const { webhook } = await makeWebhook(orgs.b.admin.actor, rx.url);
    const eventId = crypto.randomUUID();
    await t.db.event.create({ data: { id: eventId, organizationId: orgs.b.org.id, type: "alert.active", occurredAt: new Date(), data: {} } });
    const N = 5000;
    const ids: string[] = [];
    for (let i = 0; i < N; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, N - i) }, (_, k) => {
        const id = crypto.randomUUID();
        ids.push(id);
        return { id, organizationId: orgs.b.org.id, webhookId: webhook.id, eventId, body: JSON.stringify({ n: i + k }), nextAttemptAt: new Date() };
      });
      await t.db.message.createMany({ data: rows });
    }
    startWorker({ DELIVERY_PER_ENDPOINT: "32" });
    startWorker({ DELIVERY_PER_ENDPOINT: "32" });
    await until(async () => (await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })) === N, 150_000, "all messages delivered");
    const seen = new Map<string, number>();
    for (const r of rx.received) seen.set(String(r.headers["webhook-id"]), (seen.get(String(r.headers["webhook-id"])) ?? 0) + 1);
    expect(seen.size).toBe(N);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(ids)).toEqual(new Set(seen.keys()));
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(N);
    expect(await getWebhookMetrics({ actor: orgs.b.admin.actor, id: webhook.id })).toMatchObject({ successful: N, total: N });
  }, 180_000);
});
