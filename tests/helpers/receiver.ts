/**
 * A local webhook receiver for tests: records every request (headers, body,
 * time), counts TCP connections (to prove "no connection was made"), and
 * answers through a replaceable handler (status codes, Retry-After, hangs…).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type TReceived = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string; at: number };
export type THandler = (req: TReceived, res: http.ServerResponse, index: number) => void;

export type TReceiver = {
  url: string;
  port: number;
  received: TReceived[];
  connections: () => number;
  setHandler: (h: THandler) => void;
  /** Resolves when `n` requests have arrived. */
  waitFor: (n: number, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
};

export const respond = (status: number, body = "ok", headers: Record<string, string> = {}): THandler => (_req, res) => {
  res.writeHead(status, { "content-type": "text/plain", ...headers });
  res.end(body);
};

export async function startReceiver(handler: THandler = respond(200)): Promise<TReceiver> {
  const received: TReceived[] = [];
  let current = handler;
  let connections = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: TReceived = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(entry);
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve();
      current(entry, res, received.length - 1);
    });
  });
  server.keepAliveTimeout = 2000;
  server.on("connection", () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    connections: () => connections,
    setHandler: (h) => (current = h),
    waitFor: (n, timeoutMs = 20_000) =>
      received.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${n} requests in ${timeoutMs} ms`)), timeoutMs);
            waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
          }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
