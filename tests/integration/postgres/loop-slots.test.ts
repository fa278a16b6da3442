/**
 * The delivery loop frees a slot when its request is answered, not when the
 * outcome is written: a slow recording does not hold sends back, up to
 * `maxUnrecorded` answered sends waiting for it (PostgreSQL server only: the
 * test holds a lock the recording needs from a second connection).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import { createTestDb, type TTestDb } from "../helpers/db";
import { createTwoOrgs } from "../helpers/fixtures";
import { makeWebhook } from "../helpers/webhooks";
import { startReceiver, type TReceiver } from "../../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { closeHttpAgents } from "@/lib/delivery/http";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { startDeliveryLoop } from "@/lib/delivery/loop";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  await closeHttpAgents();
  await t.close();
});

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it("keeps sending while recording waits, up to maxUnrecorded answered sends; then records each exactly once", async () => {
  if (t.target.kind !== "postgres") throw new Error("postgres only");
  const actor = orgs.a.admin.actor;
  const { webhook } = await makeWebhook(actor, rx.url);
  await ingestEvent({ actor, input: { type: "alert.active", data: { alert_name: "warm-up" } } });
  expect(await runDeliveryPass({})).toMatchObject({ succeeded: 1 });
  for (let i = 0; i < 6; i++) await ingestEvent({ actor, input: { type: "alert.active", id: `slot-${i}`, data: { alert_name: `n${i}` } } });
  const sentBefore = rx.received.length;

  // A SHARE lock on "Attempt" holds every recording back (it inserts attempts) and nothing else: claims never touch it.
  const blocker = new pg.Client({ connectionString: t.target.url });
  await blocker.connect();
  await blocker.query("BEGIN");
  await blocker.query(`LOCK TABLE "Attempt" IN SHARE MODE`);
  const loop = startDeliveryLoop({ concurrency: 1, perWebhookConcurrency: 1, maxUnrecorded: 3, pollMs: 100, purgeEveryMs: 3_600_000 });
  try {
    // One slot: each send waited for its recording before, so one request would be all until the lock goes.
    await until(() => rx.received.length - sentBefore >= 3, "three answered sends while recording is blocked");
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.received.length - sentBefore).toBe(3); // the cap: three answered, none recorded, the loop waits
    expect(loop.stats()).toMatchObject({ inflight: 0, unrecorded: 3 });
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(1);

    await blocker.query("COMMIT");
    await until(async () => (await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })) === 7, "all seven recorded");
    expect(rx.received.length - sentBefore).toBe(6);
    expect(new Set(rx.received.slice(sentBefore).map((r) => String(r.headers["webhook-id"]))).size).toBe(6);
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(7);
    await until(() => loop.stats().unrecorded === 0, "nothing left unrecorded");
  } finally {
    await blocker.end().catch(() => {});
    await loop.stop();
  }
}, 60_000);
