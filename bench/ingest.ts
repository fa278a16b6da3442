/**
 * (2) Ingest over HTTP: POST /api/v1/events on the built app, one matching
 * webhook. (3) Latency at a steady rate: ingest → first attempt started, with
 * the app's in-process loop and with a separate worker (LISTEN/NOTIFY).
 */
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { Pool } from "undici";
import { closeDb, getDb } from "@/lib/db/client";
import { alertData, createApiKey, createBenchWebhook, createDatabase, createOrgActor, openDb, sqlClient, BENCH_ENCRYPTION_KEYS } from "./db";
import { startApp, type TApp } from "./app";
import { startWorker } from "./worker";
import { ask, startCoresReading, treeCpuSeconds, log, pgCpuSeconds, processTree, readMemory, round, sleep, stopChild, summarize, until } from "./lib";
import { freePort } from "../scripts/lib/pg-server";

const now = () => performance.timeOrigin + performance.now();

type TPost = (id: string, n: number) => Promise<{ status: number; ms: number; sentAt: number }>;

function poster(app: TApp, key: string, connections: number): { post: TPost; close: () => Promise<void> } {
  const pool = new Pool(app.url, { connections, keepAliveTimeout: 30_000 });
  const post: TPost = async (id, n) => {
    const sentAt = now();
    const r = await pool.request({
      path: "/api/v1/events",
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ id, type: "alert.active", data: alertData(n) }),
    });
    await r.body.text();
    return { status: r.statusCode, ms: now() - sentAt, sentAt };
  };
  return { post, close: () => pool.close() };
}

/** Closed loop: `concurrency` clients posting back to back for `n` events. */
async function closedLoop(post: TPost, prefix: string, n: number, concurrency: number) {
  let next = 0;
  let errors = 0;
  const latencies: number[] = [];
  const start = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const r = await post(`${prefix}-${i}`, i);
        if (r.status !== 202) errors += 1;
        latencies.push(r.ms);
      }
    }),
  );
  const ms = now() - start;
  return { events: n, concurrency, ms: round(ms, 0), perSecond: round((n * 1000) / ms, 0), errors, requestMs: summarize(latencies) };
}

/** An event of a latency run and its message's first attempt (epoch ms). */
type TFirstAttempt = { x: string; mid: string; created: number; started: number };

/** The first attempt of each message of the events whose id starts with `$1`. */
const FIRST_ATTEMPTS_SQL = `SELECT e."externalId" AS x, m."id"::text AS mid,
        (EXTRACT(EPOCH FROM e."createdAt") * 1000)::float8 AS created,
        (EXTRACT(EPOCH FROM a."startedAt") * 1000)::float8 AS started
   FROM "Event" e JOIN "Message" m ON m."eventId" = e."id" JOIN "Attempt" a ON a."messageId" = m."id" AND a."attemptNumber" = 1
  WHERE e."externalId" LIKE $1`;

/** First attempts read from a PostgreSQL server once all `expected` events of the run were attempted. */
function firstAttemptsOnServer(databaseUrl: string) {
  return async (prefix: string, expected: number): Promise<TFirstAttempt[]> => {
    const sql = await sqlClient(databaseUrl);
    try {
      await until(async () => {
        const r = await sql.query(`SELECT count(*)::int AS n FROM "Event" e JOIN "Message" m ON m."eventId" = e."id" WHERE e."externalId" LIKE $1 AND m."attemptCount" > 0`, [`${prefix}-%`]);
        return (r.rows[0] as { n: number }).n >= expected;
      }, 120_000, "every latency event attempted", 200);
      return (await sql.query(FIRST_ATTEMPTS_SQL, [`${prefix}-%`])).rows as TFirstAttempt[];
    } finally {
      await sql.end();
    }
  };
}

/**
 * Open loop at `rate` events/s for `seconds`; then ingest → first attempt from
 * the database (`firstAttempts`, once every event was attempted) and the receiver.
 */
async function steadyRate(o: { post: TPost; prefix: string; rate: number; seconds: number; warmupSeconds: number; firstAttempts: (prefix: string, expected: number) => Promise<TFirstAttempt[]>; receiver: ChildProcess }) {
  const total = o.rate * o.seconds;
  const sent = new Map<string, number>();
  const acks: number[] = [];
  let errors = 0;
  let behind = 0;
  const pending: Promise<void>[] = [];
  const start = now() + 50;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / o.rate;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    else if (wait < -50) behind += 1;
    const id = `${o.prefix}-${i}`;
    pending.push(
      o.post(id, i).then(
        (r) => {
          sent.set(id, r.sentAt);
          if (r.status !== 202) errors += 1;
          if (i >= o.rate * o.warmupSeconds) acks.push(r.ms);
        },
        () => void (errors += 1),
      ),
    );
  }
  await Promise.all(pending);
  const achievedRate = round((total * 1000) / (now() - start), 1);
  const rows = await o.firstAttempts(o.prefix, total - errors);
  const measured = rows.filter((r) => Number(r.x.slice(o.prefix.length + 1)) >= o.rate * o.warmupSeconds);
  const arrivals = (await ask<{ times: Record<string, number> }>(o.receiver, { cmd: "times", ids: measured.map((r) => r.mid) })).times;
  const dbLatency = measured.map((r) => Number(r.started) - Number(r.created));
  const e2e = measured.filter((r) => arrivals[r.mid] !== undefined && sent.has(r.x)).map((r) => arrivals[r.mid]! - sent.get(r.x)!);
  return {
    rate: o.rate,
    achievedRate,
    seconds: o.seconds,
    events: total,
    measured: measured.length,
    errors,
    lateSends: behind,
    ingestToFirstAttemptMs: summarize(dbLatency),
    sendToReceivedMs: summarize(e2e),
    postAckMs: summarize(acks),
  };
}

export async function runIngestAndLatency(o: {
  serverUrl: string;
  postmasterPid: number;
  receiver: ChildProcess;
  receiverUrl: string;
  dataDir: string;
  ingestEvents: number;
  ingestConcurrency: number;
  latencyRate: number;
  latencySeconds: number;
}) {
  const url = await createDatabase(o.serverUrl, "bench_http");
  await openDb({ kind: "postgres", url, poolSize: 4 });
  const actor = await createOrgActor("Ingest Org");
  await createBenchWebhook(actor, `${o.receiverUrl}/ingest`, "Ingest endpoint");
  // One API key per phase: ingestion is rate limited per key (RATE_LIMIT_INGEST_PER_MINUTE, default 6,000/min = 100/s),
  // and the latency runs offer 200 events/s for less than a minute each.
  const keys = { ingest: await createApiKey(actor.organizationId), worker: await createApiKey(actor.organizationId), inProcess: await createApiKey(actor.organizationId) };
  const port = await freePort();
  const appDir = path.join(o.dataDir, "app");
  const out: Record<string, unknown> = {};

  // (2) Ingest alone: the app's loop is off so delivery does not share the CPU.
  log(`ingest: starting the app (builds first if the sources changed)`);
  let app = await startApp({ databaseUrl: url, port, dataDir: appDir, encryptionKeys: BENCH_ENCRYPTION_KEYS, env: { DELIVERY_LOOP: "0" }, build: true });
  let worker: ReturnType<typeof startWorker> | null = null;
  try {
    let client = poster(app, keys.ingest, o.ingestConcurrency);
    await closedLoop(client.post, "warm", 300, o.ingestConcurrency);
    const c0 = { app: treeCpuSeconds(app.child.pid!), pg: pgCpuSeconds(o.postmasterPid) };
    const ingest = await closedLoop(client.post, "ingest", o.ingestEvents, o.ingestConcurrency);
    const c1 = { app: treeCpuSeconds(app.child.pid!), pg: pgCpuSeconds(o.postmasterPid) };
    const messages = await getDb().message.count({ where: { event: { externalId: { startsWith: "ingest-" } } } });
    out.ingest = { ...ingest, messages, cpuMsPerEvent: { app: round(((c1.app - c0.app) * 1000) / ingest.events, 2), postgres: round(((c1.pg - c0.pg) * 1000) / ingest.events, 2) } };
    log(`ingest: ${ingest.perSecond} events/s over HTTP (concurrency ${o.ingestConcurrency}), p99 ${ingest.requestMs.p99} ms`);
    // Nothing from the ingest run may be delivered later: it would skew the latency runs.
    await getDb().message.updateMany({ where: { status: "PENDING" }, data: { status: "SKIPPED", nextAttemptAt: null } });

    // (3b) Latency with a separate worker process: woken by LISTEN/NOTIFY.
    worker = startWorker({ databaseUrl: url, encryptionKeys: BENCH_ENCRYPTION_KEYS, dataDir: o.dataDir });
    await worker.ready;
    await client.close();
    client = poster(app, keys.worker, 64);
    await sleep(1000);
    // The floor: the same path at a low rate, where nothing queues.
    out.latencyWorkerLowRate = await steadyRate({ post: client.post, prefix: "latl", rate: 10, seconds: 6, warmupSeconds: 1, firstAttempts: firstAttemptsOnServer(url), receiver: o.receiver });
    log(`latency: ${o.latencyRate} events/s for ${o.latencySeconds} s, app + worker process (NOTIFY)`);
    const workerCores = startCoresReading(() => ({ app: treeCpuSeconds(app.child.pid!), worker: treeCpuSeconds(worker!.pid) }));
    out.latencyWorker = await steadyRate({ post: client.post, prefix: "latw", rate: o.latencyRate, seconds: o.latencySeconds, warmupSeconds: 2, firstAttempts: firstAttemptsOnServer(url), receiver: o.receiver });
    (out.latencyWorker as Record<string, unknown>).cpuCores = workerCores();
    await stopChild(worker.child);
    worker = null;
    await client.close();
    await app.stop();

    // (3) Latency with the app's own loop: `next start` alone, which delivers from a worker thread on PostgreSQL.
    app = await startApp({ databaseUrl: url, port, dataDir: appDir, encryptionKeys: BENCH_ENCRYPTION_KEYS, env: { DELIVERY_LOOP: "1" }, build: false });
    client = poster(app, keys.inProcess, 64);
    // Warmed up as the first app was before its latency runs: 300 events, then the ingest run's. A freshly started
    // server answers slower until V8 has optimized its code: with 300 alone (until 17:20) the first 15 s at 200/s
    // still ran with the compiler threads busy, and answers queued for seconds.
    await closedLoop(client.post, "warm2", 300 + o.ingestEvents, o.ingestConcurrency);
    // The thread delivers what the warm-up queued before the measured run starts.
    await until(async () => (await getDb().message.count({ where: { status: { in: ["PENDING", "IN_PROGRESS"] } } })) === 0, 120_000, "the warm-up's messages delivered", 200);
    await sleep(1000);
    log(`latency: ${o.latencyRate} events/s for ${o.latencySeconds} s, app with in-process loop`);
    const inProcessCores = startCoresReading(() => ({ app: treeCpuSeconds(app.child.pid!) }));
    out.latencyInProcess = await steadyRate({ post: client.post, prefix: "lati", rate: o.latencyRate, seconds: o.latencySeconds, warmupSeconds: 2, firstAttempts: firstAttemptsOnServer(url), receiver: o.receiver });
    (out.latencyInProcess as Record<string, unknown>).cpuCores = inProcessCores();
    await client.close();
    const l = out.latencyInProcess as { ingestToFirstAttemptMs: { p50: number; p95: number; p99: number } };
    log(`latency (in-process): p50 ${l.ingestToFirstAttemptMs.p50} / p95 ${l.ingestToFirstAttemptMs.p95} / p99 ${l.ingestToFirstAttemptMs.p99} ms`);
  } finally {
    if (worker) await stopChild(worker.child);
    await app.stop();
  }
  return out;
}

/**
 * (3) on the embedded database: what `npm install && npm start` runs — the
 * built app on PGlite under its DATA_DIR, delivering from its own loop on the
 * server's thread. PGlite belongs to one process, so the bench prepares the
 * database before the app starts (an organization, a webhook to the receiver,
 * an API key), counts deliveries at the receiver while it runs, and reads the
 * attempts once it stopped. Warmed up like the PostgreSQL apps (300 events,
 * then the ingest run's number), delivered before the measured run.
 */
/** The peak RSS (VmHWM, MiB) of the app's server: the largest process under `rootPid` (npm start's tree). */
function serverPeakRss(rootPid: number): number | null {
  const peaks = processTree(rootPid).map((pid) => readMemory(pid)?.peakMb ?? 0);
  return peaks.length ? round(Math.max(...peaks), 0) : null;
}

export async function runEmbeddedLatency(o: { receiver: ChildProcess; receiverUrl: string; dataDir: string; ingestEvents: number; ingestConcurrency: number; latencyRate: number; latencySeconds: number }) {
  const dataDir = path.join(o.dataDir, "embedded");
  const target = { kind: "pglite", dir: path.join(dataDir, "pglite") } as const;
  await openDb(target);
  const actor = await createOrgActor("Embedded Org");
  await createBenchWebhook(actor, `${o.receiverUrl}/embedded`, "Embedded endpoint");
  const key = await createApiKey(actor.organizationId);
  await closeDb();
  const delivered = async () => (await ask<{ count: number }>(o.receiver, { cmd: "stats" })).count;
  const app = await startApp({ databaseUrl: undefined, port: await freePort(), dataDir, encryptionKeys: BENCH_ENCRYPTION_KEYS, build: true });
  const client = poster(app, key, 64);
  let closed = false;
  const stop = async () => {
    if (closed) return;
    closed = true;
    await client.close();
    await app.stop();
  };
  try {
    const before = await delivered();
    const warmup = await closedLoop(client.post, "warme", 300 + o.ingestEvents, o.ingestConcurrency);
    await until(async () => (await delivered()) >= before + warmup.events - warmup.errors, 180_000, "the embedded app's warm-up delivered", 200);
    await sleep(1000);
    log(`latency: ${o.latencyRate} events/s for ${o.latencySeconds} s, app on the embedded database (PGlite, its own loop)`);
    const base = await delivered();
    const appCores = startCoresReading(() => ({ app: treeCpuSeconds(app.child.pid!) }));
    let cpuCores: Record<string, number> = {};
    let serverPeakRssMb: number | null = null;
    const run = await steadyRate({
      post: client.post, prefix: "late", rate: o.latencyRate, seconds: o.latencySeconds, warmupSeconds: 2, receiver: o.receiver,
      firstAttempts: async (prefix, expected) => {
        await until(async () => (await delivered()) >= base + expected, 120_000, "every embedded latency event delivered", 200);
        cpuCores = appCores();
        serverPeakRssMb = serverPeakRss(app.child.pid!);
        await stop();
        await openDb(target);
        try {
          return await getDb().$queryRawUnsafe<TFirstAttempt[]>(FIRST_ATTEMPTS_SQL, `${prefix}-%`);
        } finally {
          await closeDb();
        }
      },
    });
    log(`latency (embedded): p50 ${run.ingestToFirstAttemptMs.p50} / p95 ${run.ingestToFirstAttemptMs.p95} / p99 ${run.ingestToFirstAttemptMs.p99} ms at ${run.achievedRate} events/s, server peak RSS ${serverPeakRssMb} MB`);
    return { ...run, cpuCores, serverPeakRssMb, warmup: { perSecond: warmup.perSecond, errors: warmup.errors } };
  } finally {
    await stop();
  }
}
