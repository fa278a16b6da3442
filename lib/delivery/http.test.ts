import { generatePki, type Pki } from "@/tests/helpers/pki";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BODY_EXCERPT_BYTES,
  closeHttpAgents,
  createGuardedLookup,
  sendWebhookRequest,
  type HostResolver,
  type WebhookRequestOptions,
} from "./http";

const LOCAL = ["127.0.0.0/8", "::1/128"] as const;

// ---------------------------------------------------------------------------
// Test servers

interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

interface Receiver {
  port: number;
  origin: string;
  connections: () => number;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const openServers: Array<{ close: () => Promise<void> }> = [];

function listen(server: HttpServer | NetServer, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

function trackSockets(server: HttpServer | NetServer, onConnection: () => void): () => void {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    onConnection();
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return () => sockets.forEach((socket) => socket.destroy());
}

function closeServer(server: HttpServer | NetServer, destroySockets: () => void): Promise<void> {
  destroySockets();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** An HTTP receiver on 127.0.0.1 (and ::1 when available, same port). */
async function startReceiver(handler: Handler = (_req, res) => res.end("ok")): Promise<Receiver> {
  let connections = 0;
  const requests: RecordedRequest[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const v4 = createHttpServer(onRequest);
  const destroyV4 = trackSockets(v4, () => connections++);
  const port = await listen(v4, "127.0.0.1");
  const v6 = createHttpServer(onRequest);
  const destroyV6 = trackSockets(v6, () => connections++);
  const hasV6 = await listen(v6, "::1", port).then(
    () => true,
    () => false,
  );
  const receiver: Receiver = {
    port,
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    requests,
    close: async () => {
      await closeServer(v4, destroyV4);
      if (hasV6) await closeServer(v6, destroyV6);
    },
  };
  openServers.push(receiver);
  return receiver;
}

/** A raw TCP server for misbehaving peers. */
async function startRawServer(onSocket: (socket: Socket) => void): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createNetServer(onSocket);
  const destroy = trackSockets(server, () => connections++);
  const port = await listen(server, "127.0.0.1");
  openServers.push({ close: () => closeServer(server, destroy) });
  return { port, connections: () => connections };
}

function send(overrides: Partial<WebhookRequestOptions> & { url: string }): ReturnType<typeof sendWebhookRequest> {
  return sendWebhookRequest({ method: "POST", headers: {}, allowPrivate: [...LOCAL], ...overrides });
}

function fakeResolver(map: Record<string, string[]>): HostResolver {
  return async (hostname) => {
    const addresses = map[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  await Promise.all(openServers.splice(0).map((server) => server.close()));
});

afterAll(async () => {
  await closeHttpAgents();
});

// ---------------------------------------------------------------------------

describe("sendWebhookRequest: responses", () => {
  it("captures a successful response", async () => {
    const receiver = await startReceiver((_req, res) => {
      res.setHeader("X-Reply", "yes");
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.writeHead(202, { "Content-Type": "application/json" }).end('{"received":true}');
    });
    const body = JSON.stringify({ event: "alert.fired", text: "Grüße" });
    const result = await send({
      url: `${receiver.origin}/hooks/in?x=1`,
      headers: { "Content-Type": "application/json", "User-Agent": "Hookyard/0.1.0", "webhook-id": "msg_1" },
      body,
    });
    expect(result).toMatchObject({
      ok: true,
      statusCode: 202,
      bodyExcerpt: '{"received":true}',
      bodyTruncated: false,
    });
    expect(result.error).toBeUndefined();
    expect(result.errorCode).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.responseHeaders?.["x-reply"]).toBe("yes");
    expect(result.responseHeaders?.["set-cookie"]).toBe("a=1, b=2");
    expect(result.responseHeaders?.["content-type"]).toBe("application/json");
    const [request] = receiver.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/hooks/in?x=1");
    expect(request?.body).toBe(body);
    expect(request?.headers["user-agent"]).toBe("Hookyard/0.1.0");
    expect(request?.headers["webhook-id"]).toBe("msg_1");
    expect(request?.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(request?.headers["accept-encoding"]).toBeUndefined();
  });

  it("sends the body for PUT, PATCH and DELETE but not for GET", async () => {
    const receiver = await startReceiver();
    for (const method of ["PUT", "PATCH", "DELETE", "GET"] as const) {
      const result = await send({ url: receiver.origin, method, body: "{}" });
      expect(result.ok, method).toBe(true);
    }
    expect(receiver.requests.map((r) => [r.method, r.body])).toEqual([
      ["PUT", "{}"],
      ["PATCH", "{}"],
      ["DELETE", "{}"],
      ["GET", ""],
    ]);
  });

  it("reports a 500 as an http failure with the body", async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(500).end("boom"));
    const result = await send({ url: receiver.origin, body: "{}" });
    expect(result).toMatchObject({ ok: false, statusCode: 500, errorCode: "http", error: "HTTP 500 Internal Server Error", bodyExcerpt: "boom" });
  });

  it("does not follow a 302 and records its Location", async () => {
    const elsewhere = await startReceiver();
    const receiver = await startReceiver((_req, res) => res.writeHead(302, { Location: `${elsewhere.origin}/next` }).end());
    const result = await send({ url: receiver.origin, body: "{}" });
    expect(result).toMatchObject({
      ok: false,
      statusCode: 302,
      errorCode: "redirect",
      location: `${elsewhere.origin}/next`,
      error: `redirect not followed (302 to ${elsewhere.origin}/next)`,
    });
    expect(elsewhere.connections()).toBe(0);
  });

  it("reuses keep-alive connections per origin", async () => {
    const receiver = await startReceiver();
    for (let i = 0; i < 6; i++) expect((await send({ url: receiver.origin, body: "{}" })).ok).toBe(true);
    // undici marks a pooled client free on its (async) 'drain', so an immediate
    // second request may open one extra socket; after that both are reused.
    expect(receiver.connections()).toBeLessThanOrEqual(2);
  });

  it("reports a refused connection", async () => {
    const receiver = await startReceiver();
    const url = receiver.origin;
    await receiver.close();
    openServers.splice(openServers.indexOf(receiver), 1);
    const result = await send({ url });
    expect(result).toMatchObject({ ok: false, errorCode: "connect", error: "connection refused" });
  });

  it("reports a connection reset before the response", async () => {
    const server = await startRawServer((socket) => socket.once("data", () => socket.resetAndDestroy()));
    const result = await send({ url: `http://127.0.0.1:${server.port}/` , body: "{}" });
    expect(result.ok).toBe(false);
    expect(result.errorCode).toBe("reset");
  });

  it("ignores HTTP_PROXY / HTTPS_PROXY from the environment", async () => {
    const proxy = await startReceiver((_req, res) => res.writeHead(502).end("proxied"));
    const receiver = await startReceiver();
    const saved = { ...process.env };
    const proxyUrl = proxy.origin;
    Object.assign(process.env, { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, https_proxy: proxyUrl, NO_PROXY: "", no_proxy: "" });
    try {
      const result = await send({ url: `${receiver.origin}/direct`, body: "{}" });
      expect(result.ok).toBe(true);
      expect(proxy.connections()).toBe(0);
      expect(receiver.requests[0]?.url).toBe("/direct");
    } finally {
      for (const key of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});

describe("sendWebhookRequest: input validation", () => {
  it.each([
    ["X-Evil", "a\r\nInjected: 1"],
    ["X-Evil", "a\nb"],
    ["X-Evil", "a\rb"],
    ["X-Evil", "a\0b"],
  ])("refuses header %s with CR/LF/NUL in its value, without connecting", async (name, value) => {
    const receiver = await startReceiver();
    const result = await send({ url: receiver.origin, headers: { [name]: value } });
    expect(result).toMatchObject({ ok: false, errorCode: "invalid" });
    expect(result.error).toContain(`header "${name}" contains a line break (CR/LF)`);
    expect(receiver.connections()).toBe(0);
  });

  it("refuses an invalid header name", async () => {
    const result = await send({ url: "http://127.0.0.1:9/", headers: { "Bad Name": "x" } });
    expect(result).toMatchObject({ ok: false, errorCode: "invalid" });
  });

  it("refuses an unparseable URL and a bad allow list", async () => {
    expect(await send({ url: "::not a url" })).toMatchObject({ ok: false, errorCode: "invalid", error: "not a valid URL" });
    expect(await send({ url: "http://127.0.0.1:9/", allowPrivate: ["999.0.0.0/8"] })).toMatchObject({ ok: false, errorCode: "invalid" });
  });

  it("returns aborted when the caller's signal fires", async () => {
    const server = await startRawServer(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await send({ url: `http://127.0.0.1:${server.port}/`, signal: controller.signal, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, errorCode: "aborted" });
    expect(result.durationMs).toBeLessThan(2000);
    expect(await send({ url: `http://127.0.0.1:${server.port}/`, signal: AbortSignal.abort() })).toMatchObject({ errorCode: "aborted" });
  });
});

describe("sendWebhookRequest: SSRF refusals (allowPrivate = false)", () => {
  const cases: Array<[string, (port: number) => string]> = [
    ["127.0.0.1", (p) => `http://127.0.0.1:${p}/`],
    ["decimal", (p) => `http://2130706433:${p}/`],
    ["hex", (p) => `http://0x7f000001:${p}/`],
    ["octal", (p) => `http://0177.0.0.1:${p}/`],
    ["short", (p) => `http://127.1:${p}/`],
    ["IPv6 loopback", (p) => `http://[::1]:${p}/`],
    ["IPv4-mapped", (p) => `http://[::ffff:127.0.0.1]:${p}/`],
    ["IPv4-mapped hex", (p) => `http://[::ffff:7f00:1]:${p}/`],
    ["metadata", (p) => `http://169.254.169.254:${p}/latest/meta-data`],
    ["metadata IPv6", (p) => `http://[fd00:ec2::254]:${p}/`],
    ["CGNAT", (p) => `http://100.64.0.1:${p}/`],
    ["unspecified", (p) => `http://0.0.0.0:${p}/`],
    ["user info", (p) => `http://a@127.0.0.1:${p}/`],
    ["user info (a@b)", () => "http://a@b"],
    ["localhost", (p) => `http://localhost:${p}/`],
  ];

  it.each(cases)("refuses %s and the receiver sees no connection", async (_label, build) => {
    const receiver = await startReceiver();
    const result = await send({ url: build(receiver.port), allowPrivate: false, body: "{}" });
    expect(result.ok).toBe(false);
    expect(result.errorCode).toBe("blocked");
    expect(result.error).toMatch(/not allowed|user name or password/);
    expect(receiver.connections()).toBe(0);
  });

  it("uses the WHATWG-normalised address in the message", async () => {
    const result = await send({ url: "http://0x7f000001/", allowPrivate: false });
    expect(result.error).toBe("target address 127.0.0.1 is not allowed: loopback");
    const metadata = await send({ url: "http://[fd00:ec2::254]/", allowPrivate: false });
    expect(metadata.error).toBe("target address fd00:ec2::254 is not allowed: cloud metadata endpoint");
  });

  it("still refuses cloud metadata with allowPrivate = true", async () => {
    const result = await send({ url: "http://169.254.169.254/", allowPrivate: true });
    expect(result).toMatchObject({ errorCode: "blocked", error: "target address 169.254.169.254 is not allowed: cloud metadata endpoint" });
  });

  it("allowPrivate = true and a CIDR list both reach 127.0.0.1", async () => {
    const receiver = await startReceiver();
    expect((await send({ url: receiver.origin, allowPrivate: true })).ok).toBe(true);
    expect((await send({ url: receiver.origin, allowPrivate: ["127.0.0.1/32"] })).ok).toBe(true);
    expect((await send({ url: receiver.origin, allowPrivate: ["10.0.0.0/8"] })).errorCode).toBe("blocked");
  });
});

describe("sendWebhookRequest: DNS checks", () => {
  it("refuses a hostname that resolves to a private address, without connecting", async () => {
    const receiver = await startReceiver();
    const resolver = fakeResolver({ "hook.example": ["127.0.0.1"] });
    const result = await send({ url: `http://hook.example:${receiver.port}/`, allowPrivate: false, resolver });
    expect(result).toMatchObject({
      ok: false,
      errorCode: "blocked",
      error: "target address 127.0.0.1 is not allowed: loopback (resolved from hook.example)",
    });
    expect(receiver.connections()).toBe(0);
  });

  it("refuses a hostname with ANY refused address among public ones", async () => {
    const receiver = await startReceiver();
    const resolver = fakeResolver({ "mixed.example": ["93.184.216.34", "10.0.0.5"] });
    const result = await send({ url: `http://mixed.example:${receiver.port}/`, allowPrivate: false, resolver });
    expect(result).toMatchObject({ errorCode: "blocked", error: "target address 10.0.0.5 is not allowed: private network (resolved from mixed.example)" });
    expect(receiver.connections()).toBe(0);
  });

  it("dials the resolved address when it is allowed", async () => {
    const receiver = await startReceiver();
    const resolver = fakeResolver({ "hook.example": ["127.0.0.1"] });
    const result = await send({ url: `http://hook.example:${receiver.port}/in`, resolver, body: "{}" });
    expect(result.ok).toBe(true);
    expect(receiver.requests[0]?.headers.host).toBe(`hook.example:${receiver.port}`);
  });

  it("checks the real resolver too: localhost resolves to loopback and is refused", async () => {
    const receiver = await startReceiver();
    // An empty allow list passes the URL-level localhost shortcut, so the DNS guard does the refusing.
    const result = await send({ url: `http://localhost:${receiver.port}/`, allowPrivate: [] });
    expect(result.errorCode).toBe("blocked");
    expect(result.error).toMatch(/^target address (127\.0\.0\.1|::1) is not allowed: loopback \(resolved from localhost\)$/);
    expect(receiver.connections()).toBe(0);
  });

  it("fails closed when DNS fails", async () => {
    const result = await send({ url: "http://nowhere.example/", resolver: fakeResolver({}) });
    expect(result).toMatchObject({ ok: false, errorCode: "dns", error: "DNS lookup failed for nowhere.example (ENOTFOUND)" });
    const empty = await send({ url: "http://empty.example/", resolver: fakeResolver({ "empty.example": [] }) });
    expect(empty).toMatchObject({ errorCode: "dns", error: "DNS lookup failed for empty.example (no addresses)" });
  });

  it("the guarded lookup answers both callback shapes", async () => {
    const lookup = createGuardedLookup(false, fakeResolver({ "pub.example": ["93.184.216.34", "2606:2800:220:1::1"], "bad.example": ["8.8.8.8", "fe80::1"] }));
    const call = (host: string, options: { all?: boolean; family?: number }) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
        lookup(host, options, (error, address, family) => resolve({ error, address, family })),
      );
    expect(await call("pub.example", {})).toEqual({ error: null, address: "93.184.216.34", family: 4 });
    expect(await call("pub.example", { family: 6 })).toEqual({ error: null, address: "2606:2800:220:1::1", family: 6 });
    expect(await call("pub.example", { all: true })).toEqual({
      error: null,
      address: [
        { address: "93.184.216.34", family: 4 },
        { address: "2606:2800:220:1::1", family: 6 },
      ],
      family: undefined,
    });
    const refused = await call("bad.example", { all: true });
    expect(refused.error?.message).toBe("target address fe80::1 is not allowed: link-local (resolved from bad.example)");
    const single = await call("bad.example", {});
    expect(single.error?.message).toContain("link-local");
  });
});

describe("sendWebhookRequest: deadlines", () => {
  it("ends a hanging server at the deadline", async () => {
    const server = await startRawServer(() => undefined);
    const result = await send({ url: `http://127.0.0.1:${server.port}/`, timeoutMs: 1500, body: "{}" });
    expect(result).toMatchObject({ ok: false, errorCode: "timeout", error: "timed out after 1500 ms" });
    expect(result.durationMs).toBeGreaterThanOrEqual(1400);
    expect(result.durationMs).toBeLessThan(2500);
  });

  it("ends a slow-drip body (1 byte every 200 ms) at the total deadline", async () => {
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200, { "Content-Length": "1000" });
      const timer = setInterval(() => res.write("x"), 200);
      res.on("close", () => clearInterval(timer));
    });
    const result = await send({ url: receiver.origin, timeoutMs: 1500, body: "{}" });
    expect(result).toMatchObject({ ok: false, statusCode: 200, errorCode: "timeout", error: "timed out after 1500 ms" });
    expect(result.durationMs).toBeLessThan(2500);
  });

  it("ends a slow-drip body (1 byte every 2 s) at the deadline", async () => {
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200, { "Content-Length": "1000" });
      res.write("x");
      const timer = setInterval(() => res.write("x"), 2000);
      res.on("close", () => clearInterval(timer));
    });
    const result = await send({ url: receiver.origin, timeoutMs: 1500 });
    expect(result).toMatchObject({ ok: false, errorCode: "timeout" });
    expect(result.durationMs).toBeLessThan(2500);
  });

  it("ends slow-drip headers at the deadline", async () => {
    const server = await startRawServer((socket) => {
      socket.once("data", () => {
        socket.write("HTTP/1.1 200 OK\r\n");
        const timer = setInterval(() => socket.write("X-Drip: y\r\n"), 100);
        socket.on("close", () => clearInterval(timer));
      });
    });
    const result = await send({ url: `http://127.0.0.1:${server.port}/`, timeoutMs: 1200, body: "{}" });
    expect(result).toMatchObject({ ok: false, errorCode: "timeout" });
    expect(result.durationMs).toBeLessThan(2200);
  });

  it("applies the connect timeout (a DNS lookup that never answers)", async () => {
    const never: HostResolver = () => new Promise(() => undefined);
    const result = await send({ url: "http://stuck.example/", resolver: never, connectTimeoutMs: 300, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, errorCode: "timeout", error: "connect timed out after 300 ms" });
    expect(result.durationMs).toBeLessThan(2000);
  });

  it("the total deadline also bounds a hanging DNS lookup", async () => {
    const never: HostResolver = () => new Promise(() => undefined);
    const result = await send({ url: "http://stuck2.example/", resolver: never, connectTimeoutMs: 10_000, timeoutMs: 400 });
    expect(result).toMatchObject({ ok: false, errorCode: "timeout", error: "timed out after 400 ms" });
    expect(result.durationMs).toBeLessThan(1500);
  });
});

describe("sendWebhookRequest: bounded body reading", () => {
  it("keeps 16 KiB of a 50 MB body and stops reading early", async () => {
    const total = 50 * 1024 * 1024;
    let written = 0;
    const closed = new Promise<void>((resolve) => {
      void startReceiver((_req, res) => {
        res.writeHead(200, { "Content-Length": String(total) });
        const chunk = Buffer.alloc(64 * 1024, "a");
        const pump = () => {
          while (written < total) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        res.on("close", () => resolve());
        pump();
      }).then((receiver) => {
        started = receiver;
      });
    });
    let started: Receiver | undefined;
    while (!started) await sleep(5);
    const result = await send({ url: started.origin, body: "{}" });
    expect(result.ok).toBe(true);
    expect(result.bodyExcerpt).toHaveLength(BODY_EXCERPT_BYTES);
    expect(result.bodyTruncated).toBe(true);
    expect(result.durationMs).toBeLessThan(2000);
    await closed;
    expect(written).toBeLessThan(total / 4);
  });

  it("decodes gzip with a bounded stream: a gzip bomb stays bounded", async () => {
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, "A"), { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const receiver = await startReceiver((_req, res) => res.writeHead(200, { "Content-Encoding": "gzip" }).end(bomb));
    const before = process.memoryUsage().arrayBuffers;
    const result = await send({ url: receiver.origin });
    expect(result.ok).toBe(true);
    expect(result.bodyExcerpt).toBe("A".repeat(BODY_EXCERPT_BYTES));
    expect(result.bodyTruncated).toBe(true);
    expect(result.durationMs).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ] as const)("decodes a small %s body", async (encoding, compress) => {
    const receiver = await startReceiver((_req, res) => res.writeHead(200, { "Content-Encoding": encoding }).end(compress(Buffer.from('{"ok":true}'))));
    const result = await send({ url: receiver.origin });
    expect(result).toMatchObject({ ok: true, bodyExcerpt: '{"ok":true}', bodyTruncated: false });
  });

  it("does not fail the attempt on a corrupt compressed body", async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(200, { "Content-Encoding": "gzip" }).end("not gzip at all"));
    const result = await send({ url: receiver.origin });
    expect(result.ok).toBe(true);
    expect(result.statusCode).toBe(200);
  });

  it("cuts the excerpt on a character boundary", async () => {
    const text = "a" + "é".repeat(10_000);
    const receiver = await startReceiver((_req, res) => res.end(text));
    const result = await send({ url: receiver.origin });
    expect(result.bodyExcerpt).toBe("a" + "é".repeat(8191));
    expect(result.bodyTruncated).toBe(true);
  });

  it("reads a 40 KiB body to the end and keeps the connection", async () => {
    const receiver = await startReceiver((_req, res) => res.end("b".repeat(40 * 1024)));
    for (let i = 0; i < 6; i++) {
      const result = await send({ url: receiver.origin });
      expect(result).toMatchObject({ ok: true, bodyTruncated: true });
      expect(result.bodyExcerpt).toHaveLength(BODY_EXCERPT_BYTES);
    }
    expect(receiver.connections()).toBeLessThanOrEqual(2);
  });

});

// ---------------------------------------------------------------------------
// mTLS with certificates generated for this run.

describe("sendWebhookRequest: TLS and client certificates", () => {
  let pki: Pki;
  let origin = "";
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    pki = generatePki();
    const server = createHttpsServer(
      { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
      (req, res) => res.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? "?"}`),
    );
    const destroy = trackSockets(server, () => undefined);
    const port = await listen(server, "127.0.0.1");
    origin = `https://127.0.0.1:${port}`;
    close = () => closeServer(server, destroy);
  });

  afterAll(async () => {
    await close();
  });

  it("succeeds with the client certificate", async () => {
    const result = await send({ url: origin, tls: { cert: pki.clientCert, key: pki.clientKey, ca: pki.ca }, body: "{}" });
    expect(result).toMatchObject({ ok: true, statusCode: 200, bodyExcerpt: "hello client.test" });
  });

  it("fails without the client certificate", async () => {
    const result = await send({ url: origin, tls: { ca: pki.ca }, body: "{}" });
    expect(result.ok).toBe(false);
    expect(result.statusCode).toBeUndefined();
    expect(["tls", "reset"]).toContain(result.errorCode);
  });

  it("fails with a TLS error when the server's CA is not trusted", async () => {
    const result = await send({ url: origin, tls: { cert: pki.clientCert, key: pki.clientKey }, body: "{}" });
    expect(result).toMatchObject({ ok: false, errorCode: "tls" });
    expect(result.error).toMatch(/^TLS error: /);
  });
});
