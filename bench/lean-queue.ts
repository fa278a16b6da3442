/**
 * `npm run bench:lean`: a reference, not Hookyard. What a minimal durable
 * queue with an attempt log reaches against the bare undici ceiling on this
 * machine (docs/performance.md, "What a design at 0.5 would need").
 *
 * The lean queue: bare `pg` with named statements; one claim statement per
 * batch of up to 64 (UPDATE … RETURNING with SKIP LOCKED, the day's counters
 * moved in the same statement); each answer signed and sent by undici; one
 * recording statement per batch of answers (attempt rows, message states,
 * counter deltas computed by the worker). No triggers, no foreign keys, no
 * trigram index, no SSRF guard, unless a variant adds one back:
 *   lean              as above;
 *   + payload index   a trigram GIN index on the attempt's request body (Hookyard's payload search);
 *   + safe client     each send through Hookyard's sendWebhookRequest (policy, deadline, capped body read).
 * Each variant gets its own ceiling run just before it and a fresh database,
 * 20,000 messages to 4 webhooks, 32 in flight, the bench's body. Everything
 * but PostgreSQL and the receiver runs in this process.
 *
 * Usage: npm run bench:lean [-- --messages=N]
 */
import crypto from "node:crypto";
import os from "node:os";
import { Agent } from "undici";
import { startPgServer } from "../scripts/lib/pg-server";
import * as lib from "./lib";
import { sampleBody } from "./scenarios";
import { sendWebhookRequest } from "../lib/delivery/http";
import { generateSigningSecret, signStandard } from "../lib/delivery/signing";
import { createDatabase, sqlClient } from "./db";

const messagesArg = process.argv.find((a) => a.startsWith("--messages="));
const N = messagesArg ? Number(messagesArg.split("=")[1]) : 20_000;
const IN_FLIGHT = 32;
const CLAIM_BATCH = 64;
const body = sampleBody();
const secrets = [generateSigningSecret()];

type TVariant = { name: string; payloadIndex: boolean; safeClient: boolean };
const VARIANTS: TVariant[] = [
  { name: "lean", payloadIndex: false, safeClient: false },
  { name: "lean + payload index", payloadIndex: true, safeClient: false },
  { name: "lean + safe client", payloadIndex: false, safeClient: true },
  { name: "lean + payload index + safe client", payloadIndex: true, safeClient: true },
];

type TMessage = { id: string; webhook_id: string; body: string };
type TOutcome = { message: TMessage; startedAt: Date; ms: number; code: number; ok: boolean; headers: Record<string, string>; response: string };

const SCHEMA = `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE TABLE msg (id uuid PRIMARY KEY, webhook_id uuid NOT NULL, status smallint NOT NULL, next_at timestamptz, lease_until timestamptz, lease_owner text,
    attempt_count int NOT NULL DEFAULT 0, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz, last_status int);
  CREATE INDEX msg_pending ON msg (next_at) WHERE status = 0;
  CREATE INDEX msg_in_progress ON msg (lease_until) WHERE status = 1;
  CREATE INDEX msg_webhook_created ON msg (webhook_id, created_at);
  CREATE TABLE attempt (id uuid PRIMARY KEY, message_id uuid NOT NULL, webhook_id uuid NOT NULL, started_at timestamptz NOT NULL, duration_ms int, status_code int,
    success bool, request_headers jsonb, request_body text, response_body text);
  CREATE INDEX attempt_message ON attempt (message_id);
  CREATE INDEX attempt_webhook_time ON attempt (webhook_id, started_at);
  CREATE TABLE daily (webhook_id uuid, day date, status smallint, count int NOT NULL, PRIMARY KEY (webhook_id, day, status));`;

/** Claims a batch (pending → in progress) and moves the day's counters in the same statement. */
const CLAIM_SQL = `WITH c AS (
    UPDATE msg m SET status = 1, lease_until = now() + interval '60 s', lease_owner = $2
     WHERE m.id IN (SELECT id FROM msg WHERE status = 0 AND next_at <= now() ORDER BY next_at LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING m.id, m.webhook_id, m.body, m.created_at
  ), d AS (
    INSERT INTO daily (webhook_id, day, status, count)
    SELECT webhook_id, created_at::date, s.status, s.sign * count(*) FROM c, (VALUES (0::smallint, -1), (1::smallint, 1)) AS s(status, sign)
     GROUP BY 1, 2, 3, s.sign ORDER BY 1, 2, 3
    ON CONFLICT (webhook_id, day, status) DO UPDATE SET count = daily.count + excluded.count
  )
  SELECT id, webhook_id, body FROM c`;

/** Records a batch of answers: attempt rows, message states (still leased to the owner), counter deltas. */
const RECORD_SQL = `WITH a AS (
    INSERT INTO attempt (id, message_id, webhook_id, started_at, duration_ms, status_code, success, request_headers, request_body, response_body)
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::int[], $6::int[], $7::bool[], $8::jsonb[], $9::text[], $10::text[])
  ), u AS (
    UPDATE msg m SET status = v.status, attempt_count = m.attempt_count + 1, lease_until = NULL, lease_owner = NULL, completed_at = now(), last_status = v.code
      FROM unnest($2::uuid[], $11::smallint[], $6::int[]) AS v(id, status, code)
     WHERE m.id = v.id AND m.lease_owner = $12
    RETURNING m.id
  ), d AS (
    INSERT INTO daily (webhook_id, day, status, count) SELECT * FROM unnest($13::uuid[], $14::date[], $15::smallint[], $16::int[])
    ON CONFLICT (webhook_id, day, status) DO UPDATE SET count = daily.count + excluded.count
  )
  SELECT count(*)::int AS n FROM u`;

async function main(): Promise<void> {
  const server = await startPgServer({ maxConnections: 50 });
  // An interrupted run (Ctrl-C, a timeout) stops its PostgreSQL server too; the receiver ends with its IPC channel.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      server.stop();
      process.exit(130);
    });
  }
  const receiver = lib.spawnTsx("bench/receiver.ts", { ipc: true });
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  try {
    const { port } = await lib.waitMessage<{ port: number }>(receiver, "ready");
    const target = `http://127.0.0.1:${port}`;
    const postmaster = lib.postmasterPid(server.dir);
    console.log(`Lean queue reference on ${os.availableParallelism()} cores: ${N} messages, ${IN_FLIGHT} in flight, body ${body.length} characters`);

    /** Runs `work` and reports rate and CPU (this process, PostgreSQL, the receiver). */
    const measure = async (work: () => Promise<void>) => {
      const cpu0 = { self: process.cpuUsage(), pg: lib.pgCpuSeconds(postmaster), receiver: lib.cpuSeconds(receiver.pid!) };
      const t0 = performance.now();
      await work();
      const seconds = (performance.now() - t0) / 1000;
      const self = process.cpuUsage(cpu0.self);
      const cores = { self: (self.user + self.system) / 1e6 / seconds, pg: (lib.pgCpuSeconds(postmaster) - cpu0.pg) / seconds, receiver: (lib.cpuSeconds(receiver.pid!) - cpu0.receiver) / seconds };
      const perSecond = N / seconds;
      const cpuMs = ((cores.self + cores.pg + cores.receiver) * seconds * 1000) / N;
      return { perSecond, cores, cpuMs };
    };
    const ceiling = async () => {
      let left = N;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (left-- > 0) await (await agent.request({ origin: target, path: "/ceiling", method: "POST", body, headers: { "content-type": "application/json" } })).body.text();
        }),
      );
    };
    await ceiling(); // warm-up: receiver, agent, JIT

    for (const variant of VARIANTS) {
      const top = await measure(ceiling);
      const url = await freshDatabase(server.url, variant.payloadIndex);
      const lean = await measure(() => deliverAll({ url, target, agent, safeClient: variant.safeClient }));
      const check = await sqlClient(url);
      const counts = (await check.query(`SELECT (SELECT count(*) FROM attempt)::int AS attempts, (SELECT count(*) FROM msg WHERE status = 2)::int AS succeeded, (SELECT sum(count) FROM daily WHERE status = 2)::int AS counted`)).rows[0] as { attempts: number; succeeded: number; counted: number };
      await check.end();
      if (counts.attempts !== N || counts.succeeded !== N || counts.counted !== N) throw new Error(`${variant.name}: ${JSON.stringify(counts)}, expected ${N} each`);
      const line = (r: typeof lean) => `${Math.round(r.perSecond)}/s, CPU ${r.cpuMs.toFixed(3)} ms per message (this process ${r.cores.self.toFixed(2)}, PostgreSQL ${r.cores.pg.toFixed(2)}, receiver ${r.cores.receiver.toFixed(2)} cores)`;
      console.log(`${variant.name.padEnd(36)} ${line(lean)}; ceiling ${line(top)}; ratio ${(lean.perSecond / top.perSecond).toFixed(3)}`);
    }
  } finally {
    await agent.close();
    await lib.stopChild(receiver);
    server.stop();
  }
}

async function freshDatabase(serverUrl: string, payloadIndex: boolean): Promise<string> {
  const url = await createDatabase(serverUrl, "lean_queue");
  const c = await sqlClient(url);
  await c.query(SCHEMA);
  if (payloadIndex) await c.query(`CREATE INDEX attempt_body_trgm ON attempt USING gin (request_body gin_trgm_ops)`);
  const webhooks = Array.from({ length: 4 }, () => crypto.randomUUID());
  await c.query(`INSERT INTO msg (id, webhook_id, status, next_at, body) SELECT gen_random_uuid(), ($1::uuid[])[1 + i % 4], 0, now() - interval '1 s', $2 FROM generate_series(1, $3) AS i`, [webhooks, body, N]);
  await c.query(`INSERT INTO daily SELECT webhook_id, created_at::date, 0, count(*) FROM msg GROUP BY 1, 2`);
  await c.query("VACUUM ANALYZE");
  await c.end();
  return url;
}

/** The lean worker: claims ahead in batches, keeps IN_FLIGHT sends going, records answers in batches while the next ones run. */
async function deliverAll(o: { url: string; target: string; agent: Agent; safeClient: boolean }): Promise<void> {
  const claimer = await sqlClient(o.url);
  const recorder = await sqlClient(o.url);
  const owner = `lean:${process.pid}`;
  const today = new Date().toISOString().slice(0, 10);
  const queue: TMessage[] = [];
  let claiming: Promise<void> | null = null;
  let drained = false;
  const claim = () =>
    (claiming ??= claimer.query<TMessage>({ name: "claim", text: CLAIM_SQL, values: [CLAIM_BATCH, owner] }).then((r) => {
      if (!r.rows.length) drained = true;
      queue.push(...r.rows);
      claiming = null;
    }));
  let answered: TOutcome[] = [];
  let writing: Promise<void> | null = null;
  const write = async () => {
    while (answered.length) {
      const rows = answered;
      answered = [];
      const deltas = new Map<string, number>();
      for (const o of rows) {
        const settled = `${o.message.webhook_id}|${o.ok ? 2 : 3}`;
        const inProgress = `${o.message.webhook_id}|1`;
        deltas.set(settled, (deltas.get(settled) ?? 0) + 1);
        deltas.set(inProgress, (deltas.get(inProgress) ?? 0) - 1);
      }
      const keys = [...deltas.keys()].sort();
      await recorder.query({
        name: "record",
        text: RECORD_SQL,
        values: [
          rows.map(() => crypto.randomUUID()), rows.map((r) => r.message.id), rows.map((r) => r.message.webhook_id), rows.map((r) => r.startedAt), rows.map((r) => r.ms),
          rows.map((r) => r.code), rows.map((r) => r.ok), rows.map((r) => JSON.stringify(r.headers)), rows.map((r) => r.message.body), rows.map((r) => r.response),
          rows.map((r) => (r.ok ? 2 : 3)), owner,
          keys.map((k) => k.split("|")[0]), keys.map(() => today), keys.map((k) => Number(k.split("|")[1])), keys.map((k) => deltas.get(k)),
        ],
      });
    }
    writing = null;
  };
  const send = async (m: TMessage): Promise<TOutcome> => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signStandard({ msgId: m.id, timestamp, body: m.body, secrets });
    const headers = { "content-type": "application/json", "user-agent": "Hookyard/0.1", "webhook-id": m.id, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    const startedAt = new Date();
    if (o.safeClient) {
      const r = await sendWebhookRequest({ url: `${o.target}/hook/${m.webhook_id}`, method: "POST", headers, body: m.body, allowPrivate: true });
      return { message: m, startedAt, ms: r.durationMs, code: r.statusCode ?? 0, ok: r.ok, headers, response: r.bodyExcerpt ?? "" };
    }
    const t0 = performance.now();
    const r = await o.agent.request({ origin: o.target, path: `/hook/${m.webhook_id}`, method: "POST", body: m.body, headers, headersTimeout: 15_000, bodyTimeout: 15_000 });
    const response = await r.body.text();
    return { message: m, startedAt, ms: Math.round(performance.now() - t0), code: r.statusCode, ok: r.statusCode < 300, headers, response };
  };
  try {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (;;) {
          if (queue.length < IN_FLIGHT && !drained) void claim();
          let m = queue.shift();
          while (!m) {
            if (drained && !claiming) return;
            await (claiming ?? claim());
            m = queue.shift();
          }
          // Not `answered.push(await send(m))`: that would take the array before the send, and the recorder swaps it meanwhile.
          const outcome = await send(m);
          answered.push(outcome);
          writing ??= write();
        }
      }),
    );
    while (writing) await writing;
  } finally {
    await claimer.end();
    await recorder.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
