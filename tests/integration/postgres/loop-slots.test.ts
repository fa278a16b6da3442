/**
 * The delivery loop frees a slot when its request is answered, not when the
 * outcome is written: a slow recording does not hold sends back, up to
 * `maxUnrecorded` answered sends waiting for it (PostgreSQL server only: the
 * test holds a lock the recording needs from a second connection).
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import pg from "pg";
import { closeDeliveryFixture, openDeliveryFixture, type TDeliveryFixture } from "../helpers/delivery-fixture";
import { makeWebhook } from "../helpers/webhooks";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { startDeliveryLoop } from "@/lib/delivery/loop";

let t: TDeliveryFixture["t"];
let orgs: TDeliveryFixture["orgs"];
let rx: TDeliveryFixture["rx"];

beforeAll(async () => {
  ({ t, orgs, rx } = await openDeliveryFixture());
});
afterAll(() => closeDeliveryFixture({ t, rx }));

const waiting = { timeout: 15_000, interval: 25 };

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
    await vi.waitFor(() => expect(rx.received.length - sentBefore).toBeGreaterThanOrEqual(3), waiting); // three answered while recording is blocked
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.received.length - sentBefore).toBe(3); // the cap: three answered, none recorded, the loop waits
    expect(loop.stats()).toMatchObject({ inflight: 0, unrecorded: 3 });
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(1);

    await blocker.query("COMMIT");
    await vi.waitFor(async () => expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })).toBe(7), waiting);
    expect(rx.received.length - sentBefore).toBe(6);
    expect(new Set(rx.received.slice(sentBefore).map((r) => String(r.headers["webhook-id"]))).size).toBe(6);
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id } })).toBe(7);
    await vi.waitFor(() => expect(loop.stats().unrecorded).toBe(0), waiting);
  } finally {
    await blocker.end().catch(() => {});
    await loop.stop();
  }
}, 60_000);
