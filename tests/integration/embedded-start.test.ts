/**
 * `npm start` on the embedded database (scripts/start.ts without
 * DATABASE_URL): the server opens PGlite in a database thread, which also
 * runs the delivery loop, and reaches it through the thread adapter
 * (lib/delivery/drivers.ts). What it ingests is delivered; at SIGTERM the
 * thread finishes the send in flight, records it and closes the database,
 * so a restart on the same DATA_DIR finds every write. Run once, in the
 * PGlite pass (it needs no test database).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { respond, startReceiver, type TReceiver } from "../helpers/receiver";
import { exitOf, spawnServing, type TServing } from "../helpers/serving";
import { TEST_DB_KIND } from "./helpers/db";
import { freePort } from "@/scripts/lib/pg-server";

const API_KEY = "hy_embedded_start_key_0123456789abcdef";
const CRON = "embedded-cron-secret-0123456789";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookyard-embedded-"));
let rx: TReceiver;
const started: ChildProcess[] = [];

beforeAll(async () => {
  if (TEST_DB_KIND !== "pglite") return;
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("this test needs the built app: npm test builds it first");
  rx = await startReceiver(respond(200));
});
afterAll(async () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  await rx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startEmbedded(): Promise<TServing> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), DATA_DIR: dataDir, AUTH_SECRET: "embedded-test-auth-secret-0123456789abcdef",
    DELIVERY_ALLOW_PRIVATE: "1", LOG_LEVEL: "info", NEXT_TELEMETRY_DISABLED: "1", SEED_API_KEY: API_KEY, CRON_SECRET: CRON,
    SEED_ADMIN_PASSWORD: "embedded-test-1", SEED_AUTHOR_PASSWORD: "embedded-test-2", SEED_SUPPORT_PASSWORD: "embedded-test-3",
  };
  delete env.DATABASE_URL;
  delete env.ENCRYPTION_KEYS;
  return spawnServing({ args: ["--import", "tsx", "scripts/start.ts"], env, port, onSpawn: (proc) => started.push(proc) });
}

async function api<T>(serving: TServing, method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${serving.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

type TAttempts = { attempts: { success: boolean; statusCode: number | null; attemptNumber: number }[] };

describe.skipIf(TEST_DB_KIND !== "pglite")("npm start on the embedded database", () => {
  it("holds PGlite in a database thread that delivers what the server ingests; SIGTERM finishes the send in flight and a restart finds it recorded", async () => {
    let serving = await startEmbedded();
    expect(serving.output()).toContain("embedded database opened in a worker thread of the server");
    const health = () => fetch(`${serving.url}/api/health`).then((r) => r.json() as Promise<{ database: { kind: string; status: string }; loop: { mode: string; running: boolean } }>);
    await vi.waitFor(async () => expect(await health()).toMatchObject({ database: { kind: "pglite", status: "ok" }, loop: { mode: "thread", running: true } }), { timeout: 30_000, interval: 100 });

    const created = await api<{ webhook: { id: string } }>(serving, "POST", "/api/v1/webhooks", {
      name: "Embedded thread", enabled: true, eventTypes: ["alert.active"], targetUrl: `${rx.url}/embedded`, template: '{"alert": "#alert_name"}',
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const event = (id: string) => api<{ messages: number }>(serving, "POST", "/api/v1/events", { id, type: "alert.active", resource: "alert-cpu", data: { alert_name: "CPU" } });
    const first = await event("embedded-1");
    expect(first.status).toBe(202);
    const webhookId = created.json.webhook.id;
    const attempts = async () => (await api<TAttempts>(serving, "GET", `/api/v1/webhooks/${webhookId}/attempts`)).json.attempts;
    await vi.waitFor(async () => expect(await attempts()).toMatchObject([{ success: true, statusCode: 200, attemptNumber: 1 }]), { timeout: 30_000, interval: 100 });
    expect(rx.received.filter((r) => r.url.endsWith("/embedded"))).toHaveLength(1);
    expect(JSON.parse(rx.received.at(-1)!.body)).toEqual({ alert: "CPU" });

    // The cron route runs in the server's thread: its pass and the embedded vacuum reach PGlite through the thread adapter.
    const cron = await fetch(`${serving.url}/api/cron/deliver`, { headers: { authorization: `Bearer ${CRON}` } });
    expect(cron.status).toBe(200);
    expect(await cron.json()).toMatchObject({ embeddedVacuum: { vacuumed: expect.any(Array), analyzed: expect.any(Array) } });

    // SIGTERM while a send is in flight: the thread finishes and records it, then closes PGlite.
    rx.setHandler((_req, res) => setTimeout(() => (res.writeHead(200), res.end("ok")), 1_500));
    const received = rx.received.length;
    expect((await event("embedded-2")).status).toBe(202);
    await rx.waitFor(received + 1);
    serving.proc.kill("SIGTERM");
    expect(await exitOf(serving.proc)).toBe(0);
    expect(serving.output()).toMatch(/"msg":"worker stopping"/);

    rx.setHandler(respond(200));
    serving = await startEmbedded();
    await vi.waitFor(async () => expect((await health()).loop).toEqual({ mode: "thread", running: true }), { timeout: 30_000, interval: 100 });
    expect(await attempts()).toEqual([expect.objectContaining({ success: true, statusCode: 200 }), expect.objectContaining({ success: true, statusCode: 200 })]);
    // Recorded before the stop: the restarted loop does not send it again.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(rx.received.filter((r) => r.url.endsWith("/embedded"))).toHaveLength(2);
    serving.proc.kill("SIGTERM");
    expect(await exitOf(serving.proc)).toBe(0);
  }, 300_000);
});
