/**
 * (1) Delivery throughput on PostgreSQL with real worker processes, and the
 * ceiling: a bare undici POST loop with the same concurrency and body to the
 * same receiver. (5) Peak RSS of the worker during the run.
 */
import fs from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import type pg from "pg";
import { getDb } from "@/lib/db/client";
import { createDatabase, createOrgActor, openDb, sqlClient, BENCH_ENCRYPTION_KEYS } from "./db";
import { seedDeliveryRun, releaseMessages } from "./scenarios";
import { ask, coresUsed, cpuSeconds, log, pgCpuSeconds, round, sampleMemory, spawnTsx, stopChild, until, waitMessage } from "./lib";
import { startWorker } from "./worker";

export type TDeliveryOptions = {
  serverUrl: string;
  postmasterPid: number;
  receiver: ChildProcess;
  receiverUrl: string;
  n: number;
  webhooks: number;
  workers: number;
  concurrency: number;
  perEndpoint: number;
  dataDir: string;
  workerEnv?: Record<string, string>;
  workerExecArgv?: string[];
  dbName?: string;
  /** Write PostgreSQL's statements during the run (pg_stat_statements, which the server must preload) here. */
  statementsFile?: string;
};

type TReceiverStats = { count: number; connections: number; distinct: number; firstAt: number; lastAt: number };

export async function runDeliveryThroughput(o: TDeliveryOptions) {
  const url = await createDatabase(o.serverUrl, o.dbName ?? "bench_delivery");
  await openDb({ kind: "postgres", url, poolSize: 4 });
  const actor = await createOrgActor("Delivery Org");
  log(`delivery: seeding ${o.n} messages over ${o.webhooks} webhook(s)`);
  const { webhookIds, body } = await seedDeliveryRun({ actor, receiverUrl: o.receiverUrl, webhooks: o.webhooks, n: o.n });
  const sql = await sqlClient(url);
  await sql.query(`VACUUM ANALYZE`);

  const workers = Array.from({ length: o.workers }, () =>
    startWorker({
      databaseUrl: url,
      encryptionKeys: BENCH_ENCRYPTION_KEYS,
      dataDir: o.dataDir,
      execArgv: o.workerExecArgv,
      env: { DELIVERY_CONCURRENCY: String(o.concurrency), DELIVERY_PER_ENDPOINT: String(o.perEndpoint), ...o.workerEnv },
    }),
  );
  try {
    await Promise.all(workers.map((w) => w.ready));
    await new Promise((r) => setTimeout(r, 1500)); // let the first (empty) claims and LISTEN settle
    await ask(o.receiver, { cmd: "reset" });
    const memory = workers.map((w) => sampleMemory(w.pid));
    const cpu0 = { workers: workers.map((w) => cpuSeconds(w.pid)), pg: pgCpuSeconds(o.postmasterPid), receiver: cpuSeconds(o.receiver.pid!) };
    if (o.statementsFile) await sql.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()`);
    const stat0 = (await sql.query(`SELECT xact_commit::bigint AS commits, tup_inserted::bigint AS ins, tup_updated::bigint AS upd FROM pg_stat_database WHERE datname = current_database()`)).rows[0] as { commits: string; ins: string; upd: string };
    const t0 = Date.now();
    await releaseMessages(webhookIds);
    await sql.query(`NOTIFY hookyard_messages`);
    log(`delivery: released ${o.n} messages to ${o.workers} worker(s) (concurrency ${o.concurrency}, per endpoint ${o.perEndpoint})`);
    let lastLog = Date.now();
    await until(async () => {
      const r = await sql.query(`SELECT count(*)::int AS n FROM "Message" WHERE "webhookId" = ANY($1::uuid[]) AND "status" = 'SUCCEEDED'`, [webhookIds]);
      const done = (r.rows[0] as { n: number }).n;
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`  ${done} / ${o.n} delivered`);
      }
      for (const w of workers) if (w.child.exitCode !== null) throw new Error(`worker exited: ${w.errors.join("\n")}`);
      return done >= o.n;
    }, 15 * 60_000, "all messages delivered", 200);
    const polledMs = Date.now() - t0;
    const cpu1 = { workers: workers.map((w) => cpuSeconds(w.pid)), pg: pgCpuSeconds(o.postmasterPid), receiver: cpuSeconds(o.receiver.pid!) };
    const mem = memory.map((m) => m.stop());
    const end = (await sql.query(`SELECT EXTRACT(EPOCH FROM max("completedAt"))*1000 AS t FROM "Message" WHERE "webhookId" = ANY($1::uuid[])`, [webhookIds])).rows[0] as { t: string };
    const stat1 = (await sql.query(`SELECT xact_commit::bigint AS commits, tup_inserted::bigint AS ins, tup_updated::bigint AS upd FROM pg_stat_database WHERE datname = current_database()`)).rows[0] as typeof stat0;
    const ms = Math.max(1, Number(end.t) - t0);
    const rx = await ask<TReceiverStats>(o.receiver, { cmd: "stats" });
    const attempts = await getDb().attempt.count({ where: { webhookId: { in: webhookIds } } });
    const exactlyOnce = rx.count === o.n && rx.distinct === o.n && attempts === o.n;
    const wall = ms / 1000;
    const result = {
      messages: o.n,
      webhooks: o.webhooks,
      workers: o.workers,
      concurrency: o.concurrency,
      perEndpoint: o.perEndpoint,
      ms: round(ms, 0),
      polledMs,
      perSecond: round((o.n * 1000) / ms, 0),
      exactlyOnce,
      receiver: { requests: rx.count, distinct: rx.distinct, connections: rx.connections },
      attempts,
      workerRss: mem,
      peakWorkerRssMb: Math.max(...mem.map((m) => m.vmHwmMb)),
      cpuCores: coresUsed(
        { workers: cpu0.workers.reduce((s, c) => s + c, 0), postgres: cpu0.pg, receiver: cpu0.receiver },
        { workers: cpu1.workers.reduce((s, c) => s + c, 0), postgres: cpu1.pg, receiver: cpu1.receiver },
        wall,
      ),
      perMessage: {
        pgCommits: round((Number(stat1.commits) - Number(stat0.commits)) / o.n, 1),
        rowsInserted: round((Number(stat1.ins) - Number(stat0.ins)) / o.n, 1),
        rowsUpdated: round((Number(stat1.upd) - Number(stat0.upd)) / o.n, 1),
        workerCpuMs: round(((cpu1.workers.reduce((s, c, i) => s + c - cpu0.workers[i]!, 0)) * 1000) / o.n, 2),
        pgCpuMs: round(((cpu1.pg - cpu0.pg) * 1000) / o.n, 2),
      },
      workerErrors: workers.flatMap((w) => w.errors).slice(0, 5),
    };
    if (o.statementsFile) log(`delivery: statements written to ${await writeStatements(sql, o.statementsFile, o.n)}`);
    log(`delivery: ${result.perSecond} messages/s (${result.ms} ms), worker peak RSS ${result.peakWorkerRssMb} MB, exactly once: ${exactlyOnce}`);
    return { result, body };
  } finally {
    await Promise.all(workers.map((w) => stopChild(w.child)));
    await sql.end();
  }
}

/** PostgreSQL's statements of the run by total execution time: calls, ms per call and per delivered message, rows. */
async function writeStatements(sql: pg.Client, file: string, messages: number): Promise<string> {
  const rows = (await sql.query(`SELECT toplevel, calls::int, total_exec_time, total_plan_time, rows::bigint, regexp_replace(query, '\\s+', ' ', 'g') AS query
                                   FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                                  ORDER BY total_exec_time DESC LIMIT 25`)).rows as { toplevel: boolean; calls: number; total_exec_time: number; total_plan_time: number; rows: string; query: string }[];
  const lines = rows.map((r) =>
    [r.toplevel ? "top   " : "nested", String(r.calls).padStart(7), (r.total_exec_time / r.calls).toFixed(3).padStart(9), ((r.total_exec_time + r.total_plan_time) / messages).toFixed(4).padStart(8), String(r.rows).padStart(8), r.query.slice(0, 400)].join("  "),
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, [`level     calls  ms/call  ms/msg     rows  statement (${messages} messages; nested = run inside another, e.g. by a trigger)`, ...lines].join("\n") + "\n");
  return path.relative(process.cwd(), file);
}

/** The ceiling: the same number of POSTs with the same concurrency and body, bare undici, own process. */
export async function runCeiling(o: { receiver: ChildProcess; receiverUrl: string; n: number; concurrency: number; body: string; record?: { url: string; postmasterPid: number } }) {
  const child = spawnTsx("bench/ceiling.ts", { ipc: true });
  try {
    await waitMessage(child, "ready");
    await ask(o.receiver, { cmd: "reset" });
    const memory = sampleMemory(child.pid!);
    const cpu = (): Record<string, number> => ({ client: cpuSeconds(child.pid!), receiver: cpuSeconds(o.receiver.pid!), ...(o.record ? { postgres: pgCpuSeconds(o.record.postmasterPid) } : {}) });
    const c0 = cpu();
    const r = await ask<{ ms: number; n: number; errors: number; batches?: number }>(child, { cmd: "run", url: `${o.receiverUrl}/hook/ceiling`, n: o.n, concurrency: o.concurrency, body: o.body, recordUrl: o.record?.url }, 15 * 60_000);
    const c1 = cpu();
    const cpuCores = coresUsed(c0, c1, r.ms / 1000);
    const result = {
      requests: o.n,
      concurrency: o.concurrency,
      ms: round(r.ms, 0),
      perSecond: round((o.n * 1000) / r.ms, 0),
      errors: r.errors,
      ...(r.batches ? { rowsPerInsert: round(o.n / r.batches, 1) } : {}),
      peakRssMb: memory.stop().vmHwmMb,
      cpuCores,
      cpuMsPerRequest: round((Object.values(cpuCores).reduce((a, b) => a + b, 0) * r.ms) / o.n, 3),
    };
    log(`ceiling${o.record ? " recording each answer in PostgreSQL" : ""}: ${result.perSecond} requests/s (${result.ms} ms)`);
    return result;
  } finally {
    await stopChild(child);
  }
}
