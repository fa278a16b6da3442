/**
 * The product as deployed: two app processes (the built Next.js app) and two
 * workers on one PostgreSQL, under a bounded load of 6,000 events offered over
 * about a minute, one app SIGKILLed in the middle of ingestion. Clients retry on the
 * other app with the same event id (as behind a load balancer). Every event
 * accepted with 202 is stored once, every message is delivered, none twice,
 * and the metrics equal what the receiver counted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createTestDb, TEST_ENCRYPTION_KEYS, type TTestDb } from "../helpers/db";
import { createKey, createTwoOrgs } from "../helpers/fixtures";
import { makeWebhook } from "../helpers/webhooks";
import { respond, startReceiver, type TReceiver } from "../../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { closeHttpAgents } from "@/lib/delivery/http";
import { getWebhookMetrics } from "@/lib/domain/deliveries";
import { freePort } from "@/scripts/lib/pg-server";

/** A bounded load: 6,000 events offered at 100/s (about a minute); SYSTEM_TEST_EVENTS overrides. */
const N = Number(process.env.SYSTEM_TEST_EVENTS ?? 6_000);
const RATE_PER_SECOND = 100;

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;
const procs: ChildProcess[] = [];

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  if (t.target.kind !== "postgres") throw new Error("postgres only");
  return {
    ...process.env,
    DATABASE_URL: t.target.url,
    ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    AUTH_SECRET: "system-test-auth-secret-0123456789abcdef",
    DELIVERY_ALLOW_PRIVATE: "1",
    LOG_LEVEL: "fatal",
    DATA_DIR: "tmp/system-test",
    NEXT_TELEMETRY_DISABLED: "1",
    RATE_LIMIT_INGEST_PER_MINUTE: "0",
    ...extra,
  };
}

async function startApp(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn("node_modules/.bin/next", ["start", "-p", String(port)], { env: env({ PORT: String(port), DELIVERY_LOOP: "0" }), stdio: "ignore" });
  procs.push(proc);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, proc };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("app did not start");
}

beforeAll(async () => {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("the system test needs the built app: npm test builds it first");
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver(respond(200));
});
afterAll(async () => {
  for (const p of procs) p.kill("SIGKILL");
  await rx.close();
  await closeHttpAgents();
  await t.close();
});

describe("two apps + two workers on one PostgreSQL", () => {
  it(`${N} events over about a minute, one app SIGKILLed mid-ingestion: nothing lost, nothing sent twice`, async () => {
    const { webhook } = await makeWebhook(orgs.a.admin.actor, rx.url);
    const { key } = await createKey(orgs.a.org.id);
    const apps = [await startApp(), await startApp()];
    for (let i = 0; i < 2; i++) procs.push(spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { env: env({}), stdio: "ignore" }));

    const accepted = new Set<string>();
    let killed = false;
    let retriedElsewhere = 0;
    const post = async (url: string, id: string) => {
      const res = await fetch(`${url}/api/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ id, type: "alert.active", data: { alert_name: `load ${id}` } }),
      });
      if (res.status !== 202) throw new Error(`status ${res.status}`);
      accepted.add(id);
    };
    const send = async (i: number) => {
      const id = `sys-${i}`;
      const primary = apps[i % 2]!;
      try {
        await post(primary.url, id);
      } catch {
        retriedElsewhere += 1;
        await post(apps[(i + 1) % 2]!.url, id); // the load balancer's retry
      }
    };
    const started = Date.now();
    const inflight = new Set<Promise<void>>();
    for (let i = 0; i < N; i++) {
      const due = started + (i / RATE_PER_SECOND) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      if (!killed && i === Math.floor(N * 0.4)) {
        console.log(`system test: ${i} events sent in ${((Date.now() - started) / 1000).toFixed(1)} s; SIGKILL app 1`);
        apps[0]!.proc.kill("SIGKILL");
        killed = true;
      }
      const p = send(i).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= 64) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    console.log(`system test: ingestion done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(accepted.size).toBe(N);
    expect(retriedElsewhere).toBeGreaterThan(0);

    const deadline = Date.now() + 240_000;
    for (let done = 0; (done = await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })) < N; ) {
      if (Date.now() > deadline) throw new Error(`not every message was delivered in time: ${done} of ${N}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // Every accepted event stored exactly once, one message each.
    expect(await t.db.event.count({ where: { organizationId: orgs.a.org.id, externalId: { startsWith: "sys-" } } })).toBe(N);
    expect(await t.db.message.count({ where: { webhookId: webhook.id } })).toBe(N);
    // Delivered once each: no concurrent double-send.
    const seen = new Map<string, number>();
    for (const r of rx.received) seen.set(String(r.headers["webhook-id"]), (seen.get(String(r.headers["webhook-id"])) ?? 0) + 1);
    expect(seen.size).toBe(N);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    const metrics = await getWebhookMetrics({ actor: orgs.a.admin.actor, id: webhook.id });
    expect(metrics).toMatchObject({ successful: seen.size, total: N, failed: 0, pending: 0, inProgress: 0 });
    console.log(`system test: ${N} events in ${((Date.now() - started) / 1000).toFixed(1)} s, ${retriedElsewhere} retried on the other app after the SIGKILL`);
  }, 900_000);
});
