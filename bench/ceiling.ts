/**
 * The delivery ceiling: a bare undici POST loop, in its own process, with the
 * worker's concurrency and the same body, to the same receiver. No database,
 * no signing, no SSRF guard: what the machine can do for HTTP alone.
 *
 * With `recordUrl`, the same loop also records each answer in PostgreSQL —
 * one row per request with its status, duration and the body sent, written in
 * batches (one multi-row INSERT of what answered while the previous one ran,
 * like the worker's recorder) into a table with a primary key and nothing
 * else: no claim, no message update, no other index, no trigger. A design
 * that keeps a durable row per delivery does at least this much, so its rate
 * bounds delivered ÷ ceiling from above.
 *
 * IPC: { cmd: "run", url, n, concurrency, body, recordUrl? } → { cmd: "run", ms, n, errors, batches? }.
 */
import crypto from "node:crypto";
import pg from "pg";
import { Agent } from "undici";

type TRun = { url: string; n: number; concurrency: number; body: string; headers?: Record<string, string>; recordUrl?: string };

process.on("message", (m: TRun & { cmd: string }) => {
  if (m.cmd !== "run") return;
  void run(m).then(
    (r) => process.send?.({ cmd: "run", ...r }),
    (error: unknown) => process.send?.({ cmd: "run", error: String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ cmd: "ready" });

/** Batches rows into one INSERT at a time; `drain` resolves when everything handed in is written. */
function rowRecorder(client: pg.Client, body: string) {
  let pending: { id: string; status: number; ms: number }[] = [];
  let writing: Promise<void> | null = null;
  let batches = 0;
  const write = async () => {
    while (pending.length) {
      const rows = pending;
      pending = [];
      batches += 1;
      await client.query({
        name: "floor_insert",
        text: `INSERT INTO bench_floor ("id", "status", "ms", "at", "body") SELECT "id", "status", "ms", now(), $4 FROM unnest($1::uuid[], $2::int[], $3::real[]) AS r("id", "status", "ms")`,
        values: [rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.ms), body],
      });
    }
    writing = null;
  };
  return {
    add(row: { id: string; status: number; ms: number }) {
      pending.push(row);
      writing ??= write();
    },
    async drain() {
      while (writing) await writing;
    },
    batches: () => batches,
  };
}

async function run(m: TRun) {
  // The same keep-alive settings as lib/delivery/http.ts.
  const agent = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 });
  const url = new URL(m.url);
  let client: pg.Client | null = null;
  if (m.recordUrl) {
    client = new pg.Client({ connectionString: m.recordUrl });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS bench_floor`);
    await client.query(`CREATE TABLE bench_floor ("id" uuid PRIMARY KEY, "status" int NOT NULL, "ms" real NOT NULL, "at" timestamptz NOT NULL, "body" text NOT NULL)`);
  }
  const recorder = client ? rowRecorder(client, m.body) : null;
  let next = 0;
  let errors = 0;
  const post = async () => {
    const started = performance.now();
    const res = await agent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: "POST",
      headers: { "content-type": "application/json", ...m.headers },
      body: m.body,
    });
    await res.body.text();
    if (res.statusCode !== 200) errors += 1;
    return { status: res.statusCode, ms: performance.now() - started };
  };
  // Warm the pool like a running worker would have it.
  await Promise.all(Array.from({ length: m.concurrency }, post));
  const start = performance.now();
  const loop = async () => {
    while (next < m.n) {
      next += 1;
      try {
        const r = await post();
        recorder?.add({ id: crypto.randomUUID(), ...r });
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: m.concurrency }, loop));
  await recorder?.drain();
  const ms = performance.now() - start;
  await agent.close();
  if (client) {
    const rows = Number(((await client.query(`SELECT count(*) AS n FROM bench_floor`)).rows[0] as { n: string }).n);
    if (rows !== m.n) errors += Math.abs(m.n - rows);
    await client.query(`DROP TABLE bench_floor`);
    await client.end();
  }
  return { ms, n: m.n, errors, ...(recorder ? { batches: recorder.batches() } : {}) };
}
