/**
 * The benchmark's webhook receiver, in its own process: a bare node:http
 * server on 127.0.0.1 that answers 200 "ok" as soon as a request's body has
 * arrived. It remembers when each delivery (webhook-id header) arrived, for
 * end-to-end latency. Controlled over IPC: stats, times, reset.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

let count = 0;
let connections = 0;
let firstAt = 0;
let lastAt = 0;
const arrivals = new Map<string, number>();

const now = () => performance.timeOrigin + performance.now();

const server = http.createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    const t = now();
    count += 1;
    if (!firstAt) firstAt = t;
    lastAt = t;
    const id = req.headers["webhook-id"];
    if (typeof id === "string" && !arrivals.has(id)) arrivals.set(id, t);
    res.writeHead(200, { "content-type": "text/plain", "content-length": "2" });
    res.end("ok");
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.requestTimeout = 0;
server.on("connection", () => (connections += 1));

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ cmd: "ready", port, pid: process.pid });
});

process.on("message", (m: { cmd: string; ids?: string[] }) => {
  switch (m.cmd) {
    case "stats":
      process.send?.({ cmd: "stats", count, connections, firstAt, lastAt, distinct: arrivals.size });
      break;
    case "times": {
      const out: Record<string, number> = {};
      for (const id of m.ids ?? []) {
        const t = arrivals.get(id);
        if (t !== undefined) out[id] = t;
      }
      process.send?.({ cmd: "times", times: out });
      break;
    }
    case "reset":
      count = 0;
      connections = 0;
      firstAt = 0;
      lastAt = 0;
      arrivals.clear();
      process.send?.({ cmd: "reset" });
      break;
    case "exit":
      server.closeAllConnections();
      server.close(() => process.exit(0));
      break;
  }
});
process.on("disconnect", () => process.exit(0));
