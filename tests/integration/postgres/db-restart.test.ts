/**
 * The database goes away during delivery and comes back: workers recover by
 * themselves and no message is lost (PostgreSQL server only).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createTestDb, TEST_ENCRYPTION_KEYS, type TTestDb } from "../helpers/db";
import { createTwoOrgs } from "../helpers/fixtures";
import { makeWebhook } from "../helpers/webhooks";
import { respond, startReceiver, type TReceiver } from "../../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { closeHttpAgents } from "@/lib/delivery/http";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { startExisting, stopExisting } from "@/scripts/lib/pg-server";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;
let worker: ChildProcess | undefined;
const pgDir = process.env.TEST_PG_DIR ?? "";

beforeAll(async () => {
  if (!pgDir) throw new Error("TEST_PG_DIR is set by npm test (scripts/test.ts)");
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver((req, res, i) => setTimeout(() => respond(200)(req, res, i), 20));
});
afterAll(async () => {
  worker?.kill("SIGKILL");
  await rx.close();
  await closeHttpAgents();
  await t.close();
});

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* the database may still be coming back */
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("database restart during delivery", () => {
  it("workers reconnect and deliver every message", async () => {
    const { webhook } = await makeWebhook(orgs.a.admin.actor, rx.url);
    const N = 400;
    for (let i = 0; i < N; i++) await ingestEvent({ actor: orgs.a.admin.actor, input: { type: "alert.active", id: `restart-${i}`, data: { alert_name: `n${i}` } } });
    if (t.target.kind !== "postgres") throw new Error("postgres only");
    worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      env: { ...process.env, DATABASE_URL: t.target.url, DELIVERY_ALLOW_PRIVATE: "1", LOG_LEVEL: "fatal", DATA_DIR: "tmp/worker-test", ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS, DELIVERY_LEASE_MS: "4000", DELIVERY_TIMEOUT_MS: "3000", DELIVERY_CONCURRENCY: "4", DELIVERY_PER_ENDPOINT: "4" },
      stdio: "ignore",
    });
    await rx.waitFor(40, 30_000);
    stopExisting(pgDir);
    const duringOutage = rx.received.length;
    await new Promise((r) => setTimeout(r, 3000));
    startExisting(pgDir);
    await until(async () => (await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })) === N, 120_000, "every message delivered after the restart");
    expect(duringOutage).toBeLessThan(N);
    const ids = new Set(rx.received.map((r) => String(r.headers["webhook-id"])));
    expect(ids.size).toBe(N);
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: { not: "SUCCEEDED" } } })).toBe(0);
    expect(worker.exitCode).toBeNull(); // it recovered by itself
  }, 180_000);

  it("records a send the receiver answered while the database was down once it is back, and does not send it again", async () => {
    const { webhook } = await makeWebhook(orgs.b.admin.actor, rx.url);
    let answer: (() => void) | null = null;
    rx.setHandler((req, res, i) => {
      answer = () => respond(200)(req, res, i); // held: the database goes down while this request is in flight
    });
    const before = rx.received.length;
    await ingestEvent({ actor: orgs.b.admin.actor, input: { type: "alert.active", id: "answered-during-outage", data: { alert_name: "CPU" } } });
    const pass = runDeliveryPass({ owner: "outage-test" });
    await until(async () => answer !== null, 10_000, "the request to arrive");
    stopExisting(pgDir);
    (answer as unknown as () => void)();
    await new Promise((r) => setTimeout(r, 1000));
    startExisting(pgDir);
    expect(await pass).toMatchObject({ claimed: 1, succeeded: 1, errors: 0 });
    expect(rx.received.length - before).toBe(1);
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(1);
    expect(await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } })).toMatchObject({ status: "SUCCEEDED", attemptCount: 1 });
  }, 60_000);
});
