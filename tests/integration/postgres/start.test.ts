/**
 * `npm start` on PostgreSQL (scripts/start.ts): the server with its
 * in-process loop off, and one delivery worker process beside it, which
 * delivers what the server ingests. SIGTERM stops both.
 * `next start` alone (npm run serve) on PostgreSQL: the server delivers from
 * a worker thread of its own process.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb, TEST_ENCRYPTION_KEYS, type TTestDb } from "../helpers/db";
import { createKey, createTwoOrgs } from "../helpers/fixtures";
import { makeWebhook } from "../helpers/webhooks";
import { respond, startReceiver, type TReceiver } from "../../helpers/receiver";
import { exitOf, spawnServing, type TServing } from "../../helpers/serving";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { closeHttpAgents } from "@/lib/delivery/http";
import { freePort } from "@/scripts/lib/pg-server";

let t: TTestDb;
let rx: TReceiver;
const started: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookyard-start-"));

beforeAll(async () => {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("this test needs the built app: npm test builds it first");
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  rx = await startReceiver(respond(200));
});
afterAll(async () => {
  // A failed case can leave npm start running: take its children down with it (SIGKILL is not forwarded).
  for (const p of started) {
    if (p.exitCode !== null || p.signalCode !== null) continue;
    for (const child of childrenOf(p.pid!)) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    p.kill("SIGKILL");
  }
  await rx?.close();
  await closeHttpAgents();
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A process's children (pid and command line), from /proc. */
function childrenOf(pid: number): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== pid) continue;
      out.push({ pid: Number(entry), cmd: fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim() });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** `npm start` (scripts/start.ts), or with `serve` the built server alone (`next start`, as `npm run serve`). */
async function startServing(opts: { serve?: boolean } = {}): Promise<TServing> {
  if (t.target.kind !== "postgres") throw new Error("postgres only");
  const port = await freePort();
  return spawnServing({
    args: opts.serve ? ["node_modules/next/dist/bin/next", "start", "-p", String(port)] : ["--import", "tsx", "scripts/start.ts"],
    env: {
      ...process.env, DATABASE_URL: t.target.url, PORT: String(port), DATA_DIR: dataDir, ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      AUTH_SECRET: "start-test-auth-secret-0123456789abcdef", DELIVERY_ALLOW_PRIVATE: "1", LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1",
      SEED_ADMIN_PASSWORD: "start-test-1", SEED_AUTHOR_PASSWORD: "start-test-2", SEED_SUPPORT_PASSWORD: "start-test-3",
      ...(opts.serve ? { DELIVERY_LOOP: "1", LOG_LEVEL: "info" } : {}),
    },
    port,
    onSpawn: (proc) => started.push(proc),
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm start on PostgreSQL", () => {
  it("serves with a delivery worker process beside the server, which delivers what the server ingests; SIGTERM stops both", async () => {
    const orgs = await createTwoOrgs();
    const { webhook } = await makeWebhook(orgs.a.admin.actor, rx.url);
    const { key } = await createKey(orgs.a.org.id);
    const serving = await startServing();
    expect(serving.output()).toContain("Delivery: one worker process beside the server");
    const children = childrenOf(serving.proc.pid!).map((c) => c.cmd);
    // `next start` renames its process "next-server (v…)".
    expect(children.filter((c) => c.includes("next")), children.join("\n")).toHaveLength(1);
    expect(children.filter((c) => c.includes("scripts/run-worker.mjs")), children.join("\n")).toHaveLength(1);

    const res = await fetch(`${serving.url}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "start-1", type: "alert.active", resource: "alert-cpu", data: { alert_name: "CPU" } }),
    });
    expect(res.status).toBe(202);
    // The receiver answers before the worker records: wait for the recorded outcome.
    const recorded = () => t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED", attemptCount: 1 } });
    const deadline = Date.now() + 30_000;
    while ((await recorded()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await recorded()).toBe(1);
    expect(rx.received).toHaveLength(1);

    // The server and the worker (not tsx's own esbuild helper, which ends after its parent).
    const pids = childrenOf(serving.proc.pid!).filter((c) => /next|run-worker/.test(c.cmd)).map((c) => c.pid);
    expect(pids).toHaveLength(2);
    serving.proc.kill("SIGTERM");
    expect(await exitOf(serving.proc)).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
  }, 180_000);

  it("stops the server and exits non-zero when the worker dies, so a supervisor restarts both", async () => {
    const serving = await startServing();
    const children = childrenOf(serving.proc.pid!);
    const worker = children.find((c) => c.cmd.includes("scripts/run-worker.mjs"));
    expect(worker).toBeDefined();
    process.kill(worker!.pid, "SIGKILL");
    expect(await exitOf(serving.proc)).toBe(1);
    expect(children.filter((c) => /next|run-worker/.test(c.cmd)).map((c) => c.pid).filter(alive)).toEqual([]);
  }, 180_000);

  it("next start alone delivers from a worker thread of the server, what it ingests and a manual retry, and finishes a send in flight at SIGTERM", async () => {
    const orgs = await createTwoOrgs();
    // The endpoint refuses: the first attempt fails, and a manual retry sends it again.
    const refusing = await startReceiver(respond(500));
    try {
      const { webhook } = await makeWebhook(orgs.a.admin.actor, refusing.url);
      const { key } = await createKey(orgs.a.org.id);
      const serving = await startServing({ serve: true });
      // One process: no worker process beside the server.
      expect(childrenOf(serving.proc.pid!).filter((c) => c.cmd.includes("run-worker")), serving.output()).toEqual([]);
      const health = () => fetch(`${serving.url}/api/health`).then((r) => r.json() as Promise<{ loop: { mode: string; running: boolean } }>);
      await vi.waitFor(async () => expect((await health()).loop).toEqual({ mode: "thread", running: true }), { timeout: 30_000, interval: 100 });

      const res = await fetch(`${serving.url}/api/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "serve-1", type: "alert.active", resource: "alert-cpu", data: { alert_name: "CPU" } }),
      });
      expect(res.status).toBe(202);
      const message = () => t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
      await vi.waitFor(async () => expect(await message()).toMatchObject({ status: "PENDING", attemptCount: 1, lastStatusCode: 500 }), { timeout: 30_000, interval: 100 });
      expect(refusing.received).toHaveLength(1);
      // The thread logs as the worker does, through the server's output.
      expect(serving.output()).toMatch(/"thread":true[^\n]*"msg":"worker started"/);

      const retry = await fetch(`${serving.url}/api/v1/messages/${(await message()).id}/retry`, { method: "POST", headers: { authorization: `Bearer ${key}` } });
      expect(retry.status, await retry.clone().text()).toBeLessThan(300);
      // A failed manual retry leaves the message failed.
      await vi.waitFor(async () => expect(await message()).toMatchObject({ status: "FAILED", attemptCount: 2 }), { timeout: 30_000, interval: 100 });
      expect(refusing.received).toHaveLength(2);

      // SIGTERM while a send is in flight: the thread finishes and records it before next start exits (128 + 15);
      // cut off, the message would stay leased and go again later, a duplicate for the receiver.
      refusing.setHandler((_req, res) => setTimeout(() => (res.writeHead(200), res.end("ok")), 1_500));
      const slow = await fetch(`${serving.url}/api/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "serve-2", type: "alert.active", resource: "alert-cpu", data: { alert_name: "CPU" } }),
      });
      expect(slow.status).toBe(202);
      await refusing.waitFor(3);
      serving.proc.kill("SIGTERM");
      expect(await exitOf(serving.proc)).toBe(143);
      const last = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id, event: { externalId: "serve-2" } } });
      expect(last).toMatchObject({ status: "SUCCEEDED", attemptCount: 1, lastStatusCode: 200 });
      expect(serving.output()).toMatch(/"msg":"worker stopping"/);
    } finally {
      await refusing.close();
    }
  }, 180_000);
});
