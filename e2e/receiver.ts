/**
 * A local HTTP receiver for e2e deliveries: records every request (method,
 * path, headers, raw body) and answers with a status the test can change.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type TReceivedRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string; at: number };

export type TReceiver = {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  received: TReceivedRequest[];
  /** What the next requests get. */
  respondWith: (status: number, body?: string) => void;
  /** Resolves with the first request (after `from`) matching, or throws after `timeoutMs`. */
  waitFor: (predicate: (r: TReceivedRequest) => boolean, opts?: { timeoutMs?: number; from?: number }) => Promise<TReceivedRequest>;
  close: () => Promise<void>;
};

export async function startReceiver(): Promise<TReceiver> {
  const received: TReceivedRequest[] = [];
  let status = 200;
  let responseBody = JSON.stringify({ received: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      res.writeHead(status, { "content-type": "application/json", "x-receiver": "hookyard-e2e" });
      res.end(responseBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith(s, body) {
      status = s;
      responseBody = body ?? JSON.stringify(s < 300 ? { received: true } : { error: `receiver answers ${s}` });
    },
    async waitFor(predicate, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
      for (;;) {
        const hit = received.slice(opts.from ?? 0).find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`receiver: no matching request within ${opts.timeoutMs ?? 10_000} ms (got ${received.length})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
