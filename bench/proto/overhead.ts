/**
 * PROTOTYPE measurements (benchmark only):
 * - what one statement costs the Node process through Prisma (query builder,
 *   raw) and through `pg` with a named prepared statement, and what an
 *   interactive Prisma transaction adds — the unit cost behind every
 *   "fewer round trips" recommendation;
 * - where the 1,000-webhook fan-out spends its time, step by step (the same
 *   Prisma calls as lib/delivery/ingest.ts, writes rolled back), and the
 *   message insert as one INSERT … SELECT FROM json_to_recordset.
 */
import crypto from "node:crypto";
import type pg from "pg";
import { getDb } from "@/lib/db/client";
import { getEventType } from "@/lib/catalog";
import { renderTemplate } from "@/lib/templates";
import { ingestEvent } from "@/lib/delivery/ingest";
import { alertData, createOrgActor } from "../db";
import { round } from "../lib";

async function perCall(n: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await fn(i); // warm up
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { calls: n, wallMsPerCall: round(wall / n, 3), nodeCpuMsPerCall: round((cpu.user + cpu.system) / 1000 / n, 3) };
}

class Rollback extends Error {}

export async function runOverheadProbes(sql: pg.Client, opts: { organizationId: string; webhookId: string; n?: number }) {
  const n = opts.n ?? 2000;
  const { organizationId, webhookId } = opts;
  const text = `SELECT "id", "organizationId", "enabled", "targetUrl", "method"::text, "contentType", "customHeaders", "signStandard", "signHexHeader", "signBase64", "authType"::text, "authConfig" FROM "Webhook" WHERE "id" = $1 AND "organizationId" = $2`;
  const statement = {
    prismaFindFirst: await perCall(n, () => getDb().webhook.findFirst({ where: { id: webhookId, organizationId } })),
    prismaQueryRaw: await perCall(n, () => getDb().$queryRawUnsafe(text, webhookId, organizationId)),
    pgPrepared: await perCall(n, () => sql.query({ name: "bench_webhook", text, values: [webhookId, organizationId] })),
  };
  const tx = {
    prismaInteractive3: await perCall(n / 4, () =>
      getDb().$transaction(async (t) => {
        await t.$queryRawUnsafe(`SELECT 1`);
        await t.$queryRawUnsafe(`SELECT 2`);
        await t.$queryRawUnsafe(`SELECT 3`);
      }),
    ),
    pgBeginCommit3: await perCall(n / 4, async () => {
      await sql.query("BEGIN");
      await sql.query({ name: "b1", text: "SELECT 1" });
      await sql.query({ name: "b2", text: "SELECT 2" });
      await sql.query({ name: "b3", text: "SELECT 3" });
      await sql.query("COMMIT");
    }),
  };
  // One event with one matching webhook, in process (no HTTP, no Next.js): the ingest code path alone.
  const actor = await createOrgActor("Ingest Probe Org");
  await getDb().webhook.create({ data: { organizationId: actor.organizationId, name: "probe", eventTypes: ["alert.active"], targetUrl: "http://127.0.0.1:9/probe", template: getEventType("alert.active").defaultTemplate, enabled: true } });
  const keyed = { ...actor, apiKeyId: crypto.randomUUID() };
  const tag = crypto.randomBytes(3).toString("hex");
  const ingestInProcess = await perCall(Math.min(n, 1000), (i) => ingestEvent({ actor: keyed, input: { id: `probe-${tag}-${i}`, type: "alert.active", data: alertData(i) } }));
  await getDb().message.updateMany({ where: { organizationId: actor.organizationId }, data: { status: "SKIPPED", nextAttemptAt: null } });
  return { statement, transaction: tx, ingestInProcess };
}

/** The fan-out of one event to every enabled alert.active webhook of the organization, step by step. */
export async function runFanoutBreakdown(opts: { organizationId: string; runs?: number }) {
  const runs = opts.runs ?? 5;
  const { organizationId } = opts;
  const steps: Record<string, number[]> = { findWebhooks: [], render: [], eventCreate: [], createMany: [], insertJsonRecordset: [] };
  const time = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    const r = await fn();
    steps[name]!.push(performance.now() - t);
    return r;
  };
  let webhookCount = 0;
  for (let run = 0; run < runs + 1; run++) {
    try {
      await getDb().$transaction(async (tx) => {
        const webhooks = await time("findWebhooks", () =>
          tx.webhook.findMany({
            where: { organizationId, eventTypes: { hasSome: ["alert.active"] }, OR: [{ enabled: true }, { disabledAt: { not: null } }] },
            select: { id: true, enabled: true, batchMode: true, batchIntervalSec: true, batchCount: true, eventTypes: true, template: true, allResources: true, conditions: true, loopThreshold: true, resources: { select: { resource: { select: { externalId: true, kind: true } } } } },
          }),
        );
        webhookCount = webhooks.length;
        const eventId = crypto.randomUUID();
        const now = new Date();
        const values = { ...alertData(run), event_type: "alert.active", organization_id: organizationId, organization_name: "Fanout Org", timestamp: now.toISOString() };
        const rows = await time("render", () => webhooks.map((w) => ({ id: crypto.randomUUID(), organizationId, webhookId: w.id, eventId, body: renderTemplate(w.template, values), nextAttemptAt: now })));
        await time("eventCreate", () => tx.event.create({ data: { id: eventId, organizationId, type: "alert.active", occurredAt: now, data: alertData(run), messageCount: rows.length } }));
        await time("createMany", () => tx.message.createMany({ data: rows }));
        const again = rows.map((r) => ({ ...r, id: crypto.randomUUID(), nextAttemptAt: now.toISOString() }));
        await time("insertJsonRecordset", () =>
          tx.$executeRawUnsafe(
            `INSERT INTO "Message" ("id", "organizationId", "webhookId", "eventId", "body", "nextAttemptAt", "createdAt", "updatedAt")
             SELECT v."id", v."organizationId", v."webhookId", v."eventId", v."body", v."nextAttemptAt", $2, $2
               FROM json_to_recordset($1::json) AS v("id" uuid, "organizationId" uuid, "webhookId" uuid, "eventId" uuid, "body" text, "nextAttemptAt" timestamp(3))`,
            JSON.stringify(again),
            now,
          ),
        );
        throw new Rollback();
      }, { timeout: 60_000 });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    if (run === 0) for (const k of Object.keys(steps)) steps[k] = []; // the first run warms up
  }
  const median = (xs: number[]) => round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN, 1);
  return { webhooks: webhookCount, medianMs: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, median(v)])), template: getEventType("alert.active").defaultTemplate.length };
}
