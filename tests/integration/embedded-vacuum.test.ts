/**
 * The embedded database has no autovacuum: the delivery loop vacuums it now
 * and then, so the row versions deliveries leave behind are reused and the
 * planner's statistics follow the tables. PostgreSQL servers are left to
 * their own autovacuum.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createTestDb, TEST_DB_KIND, type TTestDb } from "./helpers/db";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { ingestEvent } from "@/lib/delivery/ingest";
import { startDeliveryLoop } from "@/lib/delivery/loop";
import { vacuumEmbeddedDatabase } from "@/lib/delivery/retention";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
});
afterAll(async () => {
  await t.close();
  setDeliveryAllowPrivate(undefined);
});

const messageBytes = async () => Number((await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT pg_relation_size('"Message"') AS n`))[0]!.n);
const statsOf = async (table: string) =>
  (await t.db.$queryRawUnsafe<{ v: Date | null; a: Date | null }[]>(`SELECT last_vacuum AS v, last_analyze AS a FROM pg_stat_user_tables WHERE relname = $1`, table))[0]!;
/** Rewrites every message `times` times, as claims and recordings do, leaving a dead version each time. */
const rewriteMessages = async (times: number) => {
  for (let i = 0; i < times; i++) await t.db.$executeRawUnsafe(`UPDATE "Message" SET "attemptCount" = "attemptCount" + 1, "updatedAt" = now()`);
};
/** The counters in pg_stat_user_tables are published at the end of a transaction at most once a second. */
const publishStats = async () => {
  await new Promise((r) => setTimeout(r, 1_100));
  await t.db.$queryRawUnsafe(`SELECT 1`);
};

it.runIf(TEST_DB_KIND === "pglite")("vacuums and analyzes the embedded database's tables that changed enough, and only those: the space of old row versions is reused", async () => {
  // A webhook on a closed port: the messages stay queued, nothing delivers them during the test.
  await makeWebhook(orgs.a.admin.actor, "http://127.0.0.1:9/hook");
  for (let i = 0; i < 300; i++) await ingestEvent({ actor: orgs.a.admin.actor, input: { type: "alert.active", id: `vac-${i}`, data: { alert_name: `CPU ${i} ${"x".repeat(200)}` } } });
  expect(await statsOf("Message")).toEqual({ v: null, a: null });
  await rewriteMessages(3);
  await publishStats();
  const before = await messageBytes();

  const done = await vacuumEmbeddedDatabase();
  expect(done?.vacuumed).toContain("Message"); // 900 dead versions of 300 rows
  expect(done?.analyzed).toContain("Message");
  expect(done?.vacuumed).not.toContain("Organization"); // two rows, never rewritten
  expect(await statsOf("Message")).toEqual({ v: expect.any(Date), a: expect.any(Date) });
  expect((await statsOf("Organization")).v).toBeNull();
  // Nothing changed since: nothing to do.
  await publishStats();
  expect(await vacuumEmbeddedDatabase()).toEqual({ vacuumed: [], analyzed: [] });

  // Three more rewrites fit in the space the vacuum freed; three more without one grow the table by about as much again.
  await rewriteMessages(3);
  expect(await messageBytes()).toBeLessThan(before * 1.2);
  await rewriteMessages(3);
  expect(await messageBytes()).toBeGreaterThan(before * 1.5);
});

it.runIf(TEST_DB_KIND === "pglite")("is run by the delivery loop on its own schedule", async () => {
  const first = (await statsOf("Message")).v!;
  await publishStats();
  const loop = startDeliveryLoop({ pollMs: 20, vacuumEveryMs: 100, purgeEveryMs: 3_600_000 });
  try {
    await vi.waitFor(async () => expect((await statsOf("Message")).v!.getTime()).toBeGreaterThan(first.getTime()), { timeout: 10_000, interval: 50 });
  } finally {
    await loop.stop();
  }
});

it.runIf(TEST_DB_KIND === "postgres")("leaves a PostgreSQL server to its autovacuum", async () => {
  expect(await vacuumEmbeddedDatabase()).toBeNull();
});
