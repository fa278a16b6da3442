/**
 * GET /api/metrics: Prometheus text (checked by a strict exposition parser),
 * protected by METRICS_TOKEN, numbers read from the database: attempts by
 * outcome and their duration histogram, queue depth and the oldest due
 * message's age, events ingested. /api/health reports the delivery lag.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
const METRICS_TOKEN = vi.hoisted(() => {
  const token = "metrics-token-for-tests-0123456789";
  process.env.METRICS_TOKEN = token;
  return token;
});
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import { createTestDb, type TTestDb } from "./helpers/db";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { callRoute } from "./helpers/http";
import { respond, startReceiver, type TReceiver } from "../helpers/receiver";
import { parsePrometheusText, PromParseError, valueOf } from "./ecosystem/prometheus-parser";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { closeHttpAgents } from "@/lib/delivery/http";
import { testWebhook } from "@/lib/domain/deliveries";
import { getEnv } from "@/lib/env";
import { collectMetrics, DURATION_BUCKETS_SECONDS, renderExposition, renderMetrics } from "@/lib/metrics";
import { GET as metricsGET } from "@/app/api/metrics/route";
import { GET as healthGET } from "@/app/api/health/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let ok: TReceiver;
let failing: TReceiver;

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  ok = await startReceiver(respond(200));
  failing = await startReceiver(respond(500));
});
afterAll(async () => {
  await ok.close();
  await failing.close();
  await closeHttpAgents();
  await t.close();
  setDeliveryAllowPrivate(undefined);
});

describe("the exposition parser used here is strict", () => {
  it("refuses malformed text", () => {
    expect(() => parsePrometheusText("a 1")).toThrow(PromParseError);
    expect(() => parsePrometheusText('a{b="x} 1\n')).toThrow(PromParseError);
    expect(() => parsePrometheusText("a 1\nb 2\na 3\n")).toThrow(PromParseError);
    expect(() => parsePrometheusText("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")).toThrow(/cumulative/);
    expect(() => parsePrometheusText("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")).toThrow(/\+Inf/);
    expect(parsePrometheusText('# HELP a A \\\\ help\\n2\n# TYPE a gauge\na{x="q\\"\\n"} +Inf\n').get("a")).toMatchObject({ help: "A \\ help\n2", samples: [{ labels: { x: 'q"\n' }, value: Infinity }] });
  });

  it("accepts what renderExposition writes, escapes included", () => {
    const text = renderExposition([
      { name: "x_total", help: 'back\\slash "and"\nnewline', type: "counter", samples: [{ labels: { path: 'a"b\\c\nd' }, value: 3 }] },
      { name: "d_seconds", help: "h", type: "histogram", samples: [{ buckets: [0.1, 1], counts: [1, 2], sum: 1.2, count: 3 }] },
    ]);
    const parsed = parsePrometheusText(text);
    expect(parsed.get("x_total")).toMatchObject({ type: "counter", help: 'back\\slash "and"\nnewline', samples: [{ labels: { path: 'a"b\\c\nd' }, value: 3 }] });
    expect(valueOf(parsed, "d_seconds_bucket", { le: "+Inf" })).toBe(3);
  });
});

describe("GET /api/metrics", () => {
  it("is protected by METRICS_TOKEN (constant-time compare) and off without it", async () => {
    expect((await callRoute(metricsGET, { url: "/api/metrics" })).status).toBe(401);
    expect((await callRoute(metricsGET, { url: "/api/metrics", headers: { authorization: "Bearer wrong-token-wrong-token-000" } })).status).toBe(401);
    expect((await callRoute(metricsGET, { url: "/api/metrics", key: orgs.a.apiKey.key })).status).toBe(401);
    const env = getEnv();
    env.METRICS_TOKEN = undefined;
    try {
      expect((await callRoute(metricsGET, { url: "/api/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
    } finally {
      env.METRICS_TOKEN = METRICS_TOKEN;
    }
  });

  it("reports deliveries by outcome, the duration histogram, queue depth, the oldest due age and ingest — parsed as Prometheus text", async () => {
    const admin = orgs.a.admin.actor;
    await makeWebhook(admin, ok.url, { name: "Good" });
    await makeWebhook(orgs.b.admin.actor, failing.url, { name: "Bad" });
    const { webhook: idle } = await makeWebhook(admin, ok.url, { name: "Test only" });
    for (let i = 0; i < 3; i++) await ingestEvent({ actor: admin, input: { type: "alert.active", data: { alert_name: `A${i}` } } });
    await ingestEvent({ actor: orgs.b.admin.actor, input: { type: "alert.active", data: { alert_name: "B" } } });
    await t.db.webhook.update({ where: { id: idle.id }, data: { enabled: false } });
    await runDeliveryPass();
    await testWebhook({ actor: admin, id: idle.id, mode: "sample" }); // test sends are not counted

    // One message waiting since two minutes ago (nobody runs a pass now).
    const event = await t.db.event.findFirstOrThrow({ where: { organizationId: orgs.a.org.id } });
    const goodHook = await t.db.webhook.findFirstOrThrow({ where: { name: "Good" } });
    const dueAt = new Date(Date.now() - 120_000);
    await t.db.message.create({ data: { organizationId: orgs.a.org.id, webhookId: goodHook.id, eventId: event.id, body: "{}", nextAttemptAt: dueAt } });

    const res = await fetchMetrics();
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const m = parsePrometheusText(res.text);

    const attempts = await t.db.attempt.findMany({ where: { trigger: { not: "TEST" } } });
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    expect(m.get("hookyard_delivery_attempts_5m")?.type).toBe("gauge");
    expect(valueOf(m, "hookyard_delivery_attempts_5m", { outcome: "succeeded" })).toBe(attempts.filter((a) => a.success).length);
    expect(valueOf(m, "hookyard_delivery_attempts_5m", { outcome: "retrying" })).toBe(attempts.filter((a) => !a.success && a.nextAttemptAt).length);
    expect(valueOf(m, "hookyard_delivery_attempts_5m", { outcome: "failed" })).toBe(attempts.filter((a) => !a.success && !a.nextAttemptAt).length);
    expect(valueOf(m, "hookyard_delivery_attempts_5m", { outcome: "succeeded" })).toBeGreaterThanOrEqual(3);
    expect(valueOf(m, "hookyard_delivery_attempts_5m", { outcome: "retrying" })).toBeGreaterThanOrEqual(1);

    const hist = m.get("hookyard_delivery_attempt_duration_seconds")!;
    expect(hist.type).toBe("histogram");
    expect(valueOf(m, "hookyard_delivery_attempt_duration_seconds_count")).toBe(attempts.length);
    expect(valueOf(m, "hookyard_delivery_attempt_duration_seconds_sum")).toBeCloseTo(attempts.reduce((s, a) => s + a.durationMs, 0) / 1000, 6);
    for (const le of DURATION_BUCKETS_SECONDS) {
      expect(valueOf(m, "hookyard_delivery_attempt_duration_seconds_bucket", { le: String(le) }), `le=${le}`).toBe(attempts.filter((a) => a.durationMs <= le * 1000).length);
    }

    const pending = await t.db.message.findMany({ where: { status: "PENDING" } });
    const now = Date.now();
    expect(valueOf(m, "hookyard_queue_depth", { state: "due" })).toBe(pending.filter((p) => p.nextAttemptAt && p.nextAttemptAt.getTime() <= now).length);
    expect(valueOf(m, "hookyard_queue_depth", { state: "scheduled" })).toBe(pending.filter((p) => !p.nextAttemptAt || p.nextAttemptAt.getTime() > now).length);
    expect(valueOf(m, "hookyard_queue_depth", { state: "in_progress" })).toBe(0);
    const age = valueOf(m, "hookyard_queue_oldest_due_age_seconds")!;
    expect(age).toBeGreaterThanOrEqual(119);
    expect(age).toBeLessThan(180);

    expect(valueOf(m, "hookyard_events_ingested_5m")).toBe(await t.db.event.count());
    expect(valueOf(m, "hookyard_events_ingested_5m")).toBeGreaterThanOrEqual(4);
    expect(valueOf(m, "hookyard_messages_enqueued_5m")).toBe(await t.db.message.count());
    expect(valueOf(m, "hookyard_webhooks", { state: "enabled" })).toBe(2);
    expect(valueOf(m, "hookyard_webhooks", { state: "disabled" })).toBe(1);
    for (const f of m.values()) expect(f.help, f.name).toBeTruthy();
  });

  it("leaves attempts older than the window out", async () => {
    const families = await collectMetrics({ now: new Date(Date.now() + 10 * 60_000) });
    const text = renderExposition(families);
    const m = parsePrometheusText(text);
    expect(valueOf(m, "hookyard_delivery_attempt_duration_seconds_count")).toBe(0);
    expect(valueOf(m, "hookyard_events_ingested_5m")).toBe(0);
  });

  it("/api/health reports the delivery lag, and that this process runs no delivery loop of its own", async () => {
    const res = await callRoute(healthGET as never, { url: "/api/health" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", database: { status: "ok" }, delivery: { due: expect.any(Number), inProgress: 0, oldestDueAt: expect.any(String) } });
    expect(res.body.loop).toEqual({ mode: "off", running: false });
    expect(res.body.delivery.lagSeconds).toBeGreaterThanOrEqual(119);
  });
});

async function fetchMetrics(): Promise<{ text: string; headers: Headers }> {
  await renderMetrics({ fresh: true }); // the route shares a scrape within 5 s: start from fresh numbers
  const { NextRequest } = await import("next/server");
  const res = await metricsGET(new NextRequest("http://localhost/api/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }));
  expect(res.status).toBe(200);
  return { text: await res.text(), headers: res.headers };
}
