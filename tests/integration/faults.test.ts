import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TTestDb } from "./helpers/db";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { startFaultReceiver, type TFaultMode, type TFaultReceiver } from "../helpers/fault-receiver";
import { startReceiver, type TReceiver } from "../helpers/receiver";
import { generatePki } from "../helpers/pki";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { startDeliveryLoop } from "@/lib/delivery/loop";
import { closeHttpAgents } from "@/lib/delivery/http";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let fault: TFaultReceiver;
let redirectTarget: TReceiver;

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  redirectTarget = await startReceiver();
  fault = await startFaultReceiver({ redirectTo: redirectTarget.url });
});
afterAll(async () => {
  await fault.close();
  await redirectTarget.close();
  await closeHttpAgents();
  await t.close();
});

const admin = () => orgs.a.admin.actor;
const SEC = 1000;

type TExpect = { success: boolean; statusCode: number | null; errorCode: string | null; error?: RegExp; next: [number, number] | null };
const EXPECTED: Record<TFaultMode, TExpect> = {
  "200": { success: true, statusCode: 200, errorCode: null, next: null },
  "500": { success: false, statusCode: 500, errorCode: "http", error: /500/, next: [4.5 * SEC, 5.5 * SEC] },
  "503-retry-after": { success: false, statusCode: 503, errorCode: "http", next: [7 * SEC, 7 * SEC] },
  "429": { success: false, statusCode: 429, errorCode: "http", next: [4.5 * SEC, 5.5 * SEC] },
  "410": { success: false, statusCode: 410, errorCode: "http", next: null },
  "302-loopback": { success: false, statusCode: 302, errorCode: "redirect", error: /Location: http:\/\/127\.0\.0\.1/, next: [4.5 * SEC, 5.5 * SEC] },
  hang: { success: false, statusCode: null, errorCode: "timeout", error: /timed out/, next: [4.5 * SEC, 5.5 * SEC] },
  "slow-drip": { success: false, statusCode: 200, errorCode: "timeout", error: /timed out/, next: [4.5 * SEC, 5.5 * SEC] },
  reset: { success: false, statusCode: 200, errorCode: "reset", next: [4.5 * SEC, 5.5 * SEC] },
  "huge-body": { success: true, statusCode: 200, errorCode: null, next: null },
  "gzip-bomb": { success: true, statusCode: 200, errorCode: null, next: null },
};

describe("each fault mode leads to the documented attempt and next retry", () => {
  for (const [mode, want] of Object.entries(EXPECTED) as [TFaultMode, TExpect][]) {
    it(mode, async () => {
      fault.setMode(mode);
      const { webhook } = await makeWebhook(admin(), fault.url, { name: `fault ${mode}` });
      const now = new Date();
      await ingestEvent({ actor: admin(), input: { type: "alert.active", data: {} }, now });
      const started = Date.now();
      const heapBefore = process.memoryUsage().rss;
      await runDeliveryPass({ sendTimeoutMs: 2000, now: () => now });
      expect(Date.now() - started).toBeLessThan(6000);
      expect(process.memoryUsage().rss - heapBefore).toBeLessThan(40 * 1024 * 1024);
      const attempt = await t.db.attempt.findFirstOrThrow({ where: { webhookId: webhook.id } });
      expect({ success: attempt.success, statusCode: attempt.statusCode, errorCode: attempt.errorCode }).toEqual({ success: want.success, statusCode: want.statusCode, errorCode: want.errorCode });
      if (want.error) expect(attempt.error).toMatch(want.error);
      if (attempt.responseBody) expect(attempt.responseBody.length).toBeLessThanOrEqual(16 * 1024);
      const m = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
      if (want.next) {
        expect(m.status).toBe("PENDING");
        const delay = m.nextAttemptAt!.getTime() - now.getTime();
        expect(delay).toBeGreaterThanOrEqual(want.next[0]);
        expect(delay).toBeLessThanOrEqual(want.next[1]);
      } else {
        expect(m.status).toBe(want.success ? "SUCCEEDED" : "FAILED");
        expect(m.nextAttemptAt).toBeNull();
      }
      await t.db.webhook.update({ where: { id: webhook.id }, data: { enabled: false } });
    });
  }

  it("a redirect to loopback is never followed: its target sees no connection", () => {
    expect(redirectTarget.connections()).toBe(0);
  });

  it("a server that demands a client certificate fails the attempt without one", async () => {
    const tls = await startFaultReceiver({ tls: generatePki() });
    try {
      const { webhook } = await makeWebhook(admin(), tls.url);
      await ingestEvent({ actor: admin(), input: { type: "alert.active", data: {} } });
      await runDeliveryPass({ sendTimeoutMs: 2000 });
      const attempt = await t.db.attempt.findFirstOrThrow({ where: { webhookId: webhook.id } });
      expect(attempt.success).toBe(false);
      expect(["tls", "reset"]).toContain(attempt.errorCode);
      expect(tls.requests()).toBe(0);
    } finally {
      await tls.close();
    }
  });
});

describe("isolation between endpoints", () => {
  it("a hanging endpoint does not hold back another endpoint's deliveries", async () => {
    await t.db.webhook.updateMany({ data: { enabled: false } });
    fault.setMode("hang");
    const healthy = await startReceiver();
    try {
      await makeWebhook(admin(), fault.url, { name: "hanging" });
      const fast = await makeWebhook(orgs.b.admin.actor, healthy.url, { name: "healthy" });
      const loop = startDeliveryLoop({ concurrency: 8, perWebhookConcurrency: 2, sendTimeoutMs: 4000, leaseMs: 10_000, pollMs: 100 });
      try {
        for (let i = 0; i < 10; i++) await ingestEvent({ actor: admin(), input: { type: "alert.active", data: {} } });
        await new Promise((r) => setTimeout(r, 200)); // the hanging endpoint now holds its slots
        const sent: number[] = [];
        for (let i = 0; i < 10; i++) {
          sent.push(Date.now());
          await ingestEvent({ actor: orgs.b.admin.actor, input: { type: "alert.active", data: {} } });
        }
        await healthy.waitFor(10, 10_000);
        const latencies = healthy.received.map((r, i) => r.at - sent[i]!);
        expect(Math.max(...latencies)).toBeLessThan(1500);
        for (let i = 0; i < 50 && (await t.db.message.count({ where: { webhookId: fast.webhook.id, status: "SUCCEEDED" } })) < 10; i++) await new Promise((r) => setTimeout(r, 100));
        expect(await t.db.message.count({ where: { webhookId: fast.webhook.id, status: "SUCCEEDED" } })).toBe(10);
      } finally {
        await loop.stop();
      }
    } finally {
      await healthy.close();
    }
  }, 60_000);
});
