import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
vi.hoisted(() => {
  process.env.RATE_LIMIT_INGEST_PER_MINUTE = "5";
  process.env.RATE_LIMIT_TESTS_PER_MINUTE = "5";
});
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import { signInAs } from "./helpers/session";
import type { TTestDb } from "./helpers/db";
import { closeDeliveryFixture, openDeliveryFixture } from "./helpers/delivery-fixture";
import { createKey, createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { callRoute } from "./helpers/http";
import type { TReceiver } from "../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { getEventType } from "@/lib/catalog";
import { testWebhookAction } from "@/app/actions/webhooks";
import * as eventsRoute from "@/app/api/v1/events/route";
import * as webhooksRoute from "@/app/api/v1/webhooks/route";
import * as testRoute from "@/app/api/v1/webhooks/[id]/test/route";
import { reserveRateLimit } from "@/lib/domain/rate-limit";
import { createLeasedRateLimiter, maxLeaseFor, type TReserve } from "@/lib/domain/rate-limit-leases";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;

beforeAll(async () => {
  ({ t, orgs, rx } = await openDeliveryFixture());
});
afterAll(() => closeDeliveryFixture({ t, rx }));

const valid = () => ({ name: "Limits", eventTypes: ["alert.active"], targetUrl: rx.url, template: getEventType("alert.active").defaultTemplate });

describe("abuse bounds: 400 naming the field, nothing stored", () => {
  const cases: [string, () => unknown, string][] = [
    ["template over 64 KiB", () => ({ ...valid(), template: `{"a": "${"x".repeat(66_000)}"}` }), "template"],
    ["more than 50 custom headers", () => ({ ...valid(), customHeaders: Array.from({ length: 51 }, (_, i) => ({ name: `X-H${i}`, value: "v" })) }), "customHeaders"],
    ["a header value with CR/LF", () => ({ ...valid(), customHeaders: [{ name: "X-A", value: "1\r\nX-B: 2" }] }), "customHeaders.0.value"],
    ["a URL over 2,048 characters", () => ({ ...valid(), targetUrl: `https://example.com/${"a".repeat(2100)}` }), "targetUrl"],
    ["an unknown field", () => ({ ...valid(), colour: "blue" }), "colour"],
    ["a wrong type", () => ({ ...valid(), autoDisableAfter: "ten" }), "autoDisableAfter"],
    ["an unknown event type", () => ({ ...valid(), eventTypes: ["alert.gone"] }), "eventTypes.0"],
    ["an invalid template", () => ({ ...valid(), template: '{"a": }' }), "template"],
    ["a metadata address", () => ({ ...valid(), targetUrl: "http://169.254.169.254/" }), "targetUrl"],
  ];
  for (const [what, body, field] of cases) {
    it(`refuses ${what}`, async () => {
      setDeliveryAllowPrivate(["127.0.0.0/8"]);
      try {
        const before = await t.db.webhook.count();
        const res = await callRoute(webhooksRoute.POST, { method: "POST", key: orgs.a.apiKey.key, body: body() });
        expect(res.status).toBe(400);
        expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
        expect(res.body.error.message).toContain(field);
        expect(await t.db.webhook.count()).toBe(before);
      } finally {
        setDeliveryAllowPrivate(true);
      }
    });
  }

  it("refuses an event body over 256 KiB and malformed JSON", async () => {
    const big = await callRoute(eventsRoute.POST, { method: "POST", key: orgs.b.apiKey.key, body: { type: "alert.active", data: { alert_name: "x".repeat(270_000) } } });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/larger than 256 KiB/);
    const bad = await callRoute(eventsRoute.POST, { method: "POST", key: orgs.b.apiKey.key, body: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/not valid JSON/);
    expect(await t.db.event.count({ where: { organizationId: orgs.b.org.id } })).toBe(0);
  });
});

/** Fixed one-minute windows: start a burst well inside a window so it cannot straddle two. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
}

describe("rate limits", () => {
  it("limits ingestion per API key with a clear 429 and Retry-After", async () => {
    await awayFromMinuteBoundary();
    const { key } = await createKey(orgs.b.org.id);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof callRoute>> | undefined;
    for (let i = 0; i < 6; i++) {
      last = await callRoute(eventsRoute.POST, { method: "POST", key, body: { type: "alert.active", data: {} } });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect(last!.body.error).toMatchObject({ code: "rate_limited" });
    expect(last!.body.error.message).toMatch(/at most 5 per 60 s/);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another key has its own budget.
    expect((await callRoute(eventsRoute.POST, { method: "POST", key: orgs.b.apiKey.key, body: { type: "alert.active", data: {} } })).status).toBe(202);
  });

  it("limits Test to 5 per minute per member and webhook, on the API and in the UI action", async () => {
    await awayFromMinuteBoundary();
    const { webhook } = await makeWebhook(orgs.a.admin.actor, rx.url);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await callRoute(testRoute.POST, { method: "POST", key: orgs.a.apiKey.key, params: { id: webhook.id }, body: { mode: "raw" } })).status);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    signInAs(orgs.a.author.actor);
    for (let i = 0; i < 5; i++) expect((await testWebhookAction({ id: webhook.id, mode: "sample" })).ok).toBe(true);
    const sixth = await testWebhookAction({ id: webhook.id, mode: "sample" });
    expect(sixth).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterSeconds: expect.any(Number) } });
  });

  it("app processes share one budget through the database, with a statement per lease instead of per request", async () => {
    let statements = 0;
    const reserve: TReserve = (o) => {
      statements += 1;
      return reserveRateLimit(o);
    };
    // Two processes' limiters (each process has its own), one key, one window.
    const processes = [createLeasedRateLimiter({ reserve }), createLeasedRateLimiter({ reserve })];
    const key = `ingest:shared-${crypto.randomUUID()}`;
    const now = new Date(Date.UTC(2026, 10, 30, 10, 0, 20));
    const limit = 1_000;
    let admitted = 0;
    for (let i = 0; i < 1_500; i++) if ((await processes[i % 2]!.consume({ key, limit, windowMs: 60_000, now })).ok) admitted += 1;
    // Never more than the limit together; short of it by at most the other process's unspent lease.
    expect(admitted).toBeLessThanOrEqual(limit);
    expect(admitted).toBeGreaterThanOrEqual(limit - maxLeaseFor(limit));
    expect(statements).toBeLessThan(60);
    const [bucket] = await t.db.$queryRawUnsafe<{ count: number }[]>(`SELECT "count" FROM "RateLimitBucket" WHERE "key" = $1`, key);
    expect(bucket!.count).toBeGreaterThanOrEqual(limit);
  });
});
