/**
 * A receiver that misbehaves on purpose, one mode at a time: status codes,
 * Retry-After, redirects to loopback, hangs, slow drips, resets mid-response,
 * huge and compressed-bomb bodies, and TLS that demands a client certificate.
 * Counts TCP connections so tests can prove that no connection was made.
 */
import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";
import type { AddressInfo, Socket } from "node:net";
import type { Pki } from "./pki";

export type TFaultMode =
  | "200" | "500" | "503-retry-after" | "429" | "410" | "302-loopback"
  | "hang" | "slow-drip" | "reset" | "huge-body" | "gzip-bomb";

export type TFaultReceiver = {
  url: string;
  mode: TFaultMode;
  setMode: (m: TFaultMode) => void;
  requests: () => number;
  connections: () => number;
  close: () => Promise<void>;
};

const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x61), { level: 9 });

function handle(mode: TFaultMode, res: http.ServerResponse, redirectTo: string): void {
  switch (mode) {
    case "200": res.writeHead(200, { "content-type": "text/plain" }).end("ok"); return;
    case "500": res.writeHead(500).end("internal error"); return;
    case "503-retry-after": res.writeHead(503, { "retry-after": "7" }).end("busy"); return;
    case "429": res.writeHead(429).end("slow down"); return;
    case "410": res.writeHead(410).end("gone"); return;
    case "302-loopback": res.writeHead(302, { location: redirectTo }).end(); return;
    case "hang": return; // never answers
    case "slow-drip": {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("."); // status and headers go out now; then one byte every 2 s
      const timer = setInterval(() => res.write("."), 2000);
      res.on("close", () => clearInterval(timer));
      return;
    }
    case "reset":
      res.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
      res.write("partial");
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    case "huge-body": {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(50 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      let sent = 0;
      const pump = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => (sent = Number.POSITIVE_INFINITY));
      pump();
      return;
    }
    case "gzip-bomb":
      res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip", "content-length": String(GZIP_BOMB.length) }).end(GZIP_BOMB);
      return;
  }
}

export async function startFaultReceiver(opts: { mode?: TFaultMode; tls?: Pki; redirectTo?: string } = {}): Promise<TFaultReceiver> {
  let mode: TFaultMode = opts.mode ?? "200";
  let requests = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const listener: http.RequestListener = (req, res) => {
    requests += 1;
    req.resume();
    req.on("end", () => handle(mode, res, opts.redirectTo ?? "http://127.0.0.1:9/"));
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.serverCert, key: opts.tls.serverKey, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: true }, listener)
    : http.createServer(listener);
  server.on(opts.tls ? "secureConnection" : "connection", () => (connections += 1));
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  if (opts.tls) server.on("tlsClientError", () => {});
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? "https" : "http"}://127.0.0.1:${port}/hook`,
    get mode() {
      return mode;
    },
    setMode: (m) => (mode = m),
    requests: () => requests,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
