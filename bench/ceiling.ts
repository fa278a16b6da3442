/**
 * The delivery ceiling: a bare undici POST loop, in its own process, with the
 * worker's concurrency and the same body, to the same receiver. No database,
 * no signing, no SSRF guard: what the machine can do for HTTP alone.
 *
 * IPC: { cmd: "run", url, n, concurrency, body } → { cmd: "run", ms, n, errors, peakRssMb }.
 */
import { Agent } from "undici";

process.on("message", (m: { cmd: string; url: string; n: number; concurrency: number; body: string; headers?: Record<string, string> }) => {
  if (m.cmd !== "run") return;
  void run(m).then(
    (r) => process.send?.({ cmd: "run", ...r }),
    (error: unknown) => process.send?.({ cmd: "run", error: String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ cmd: "ready" });

async function run(m: { url: string; n: number; concurrency: number; body: string; headers?: Record<string, string> }) {
  // The same keep-alive settings as lib/delivery/http.ts.
  const agent = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 });
  const url = new URL(m.url);
  let next = 0;
  let errors = 0;
  const post = async () => {
    const res = await agent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: "POST",
      headers: { "content-type": "application/json", ...m.headers },
      body: m.body,
    });
    await res.body.text();
    if (res.statusCode !== 200) errors += 1;
  };
  // Warm the pool like a running worker would have it.
  await Promise.all(Array.from({ length: m.concurrency }, post));
  const start = performance.now();
  const loop = async () => {
    while (next < m.n) {
      next += 1;
      try {
        await post();
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: m.concurrency }, loop));
  const ms = performance.now() - start;
  await agent.close();
  return { ms, n: m.n, errors };
}
