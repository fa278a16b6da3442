/**
 * The one SSRF-safe HTTP client used for webhook delivery (undici).
 *
 * Address checks happen in three places, so no path reaches a refused address:
 * 1. up front: the URL shape and any IP-literal host (`checkTargetUrl`);
 *    undici never resolves IP literals, so this is where they are stopped;
 * 2. at DNS time: a custom `lookup` on the Agent's connect options resolves
 *    ALL addresses and refuses the host if ANY of them is refused, before a
 *    socket dials; DNS failure fails closed;
 * 3. after connect: the socket's actual remote address is checked again.
 *
 * Other guarantees:
 * - redirects are never followed: a 3xx is a failed attempt recording Location;
 * - connect timeout (default 5 s) plus a total deadline (default 15 s) that
 *   covers DNS, connect, headers AND body, so a slow-drip response ends on time;
 * - the body is read into memory only up to 16 KiB (the excerpt); reading
 *   continues, discarding, to 64 KiB of decoded bytes so small responses
 *   finish cleanly and the connection stays reusable; past that the response
 *   is aborted (connection closed);
 * - compression: we never add Accept-Encoding. If a server compresses anyway
 *   (gzip, deflate, br), the body is decompressed through a streaming
 *   decoder and the same 64 KiB cap applies to the DECODED bytes, so a gzip
 *   bomb costs at most a few zlib chunks of memory. Unknown encodings are
 *   captured raw. A corrupt compressed body does not fail the attempt; the
 *   excerpt holds what could be decoded;
 * - the dispatcher is always our own Agent, never the global dispatcher, so
 *   HTTP_PROXY / HTTPS_PROXY never apply;
 * - keep-alive pools per origin, one cached Agent per distinct
 *   (policy, connect timeout, TLS material, resolver) combination;
 * - header values containing CR, LF or NUL are refused.
 *
 * Network problems never throw: the result says what happened.
 */
import { createHash } from "node:crypto";
import { promises as dns, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP, type Socket } from "node:net";
import { STATUS_CODES } from "node:http";
import { pipeline, type Readable, type Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { Agent, buildConnector, type Dispatcher } from "undici";
import { checkAddress, checkTargetUrl, extractIpLiteral, type AllowPrivate } from "./url-policy";

export type HttpMethod = "POST" | "PUT" | "PATCH" | "DELETE" | "GET";

/**
 * Error classes. Beyond the ones in the design: `invalid` (bad request input
 * such as a CR/LF header value or an unparseable URL) and `aborted` (the
 * caller's signal fired, e.g. on worker shutdown).
 */
export type DeliveryErrorCode =
  | "blocked"
  | "dns"
  | "connect"
  | "timeout"
  | "tls"
  | "reset"
  | "redirect"
  | "http"
  | "invalid"
  | "aborted";

/** PEM strings for client certificates (mTLS) and a custom CA. */
export interface TlsClientOptions {
  cert?: string;
  key?: string;
  /** Replaces the system trust store for this webhook (Node semantics). */
  ca?: string;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to all of its addresses (tests inject fakes). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface WebhookRequestOptions {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  /** Not sent for GET. */
  body?: string;
  /** Total deadline: DNS + connect + headers + body. Default 15 000 ms. */
  timeoutMs?: number;
  /** Default 5 000 ms. */
  connectTimeoutMs?: number;
  allowPrivate: AllowPrivate;
  tls?: TlsClientOptions;
  signal?: AbortSignal;
  /** Defaults to the system resolver (dns.lookup, all addresses). */
  resolver?: HostResolver;
}

export interface WebhookResponse {
  /** true only for 2xx with the body read (or deliberately cut off). */
  ok: boolean;
  statusCode?: number;
  durationMs: number;
  responseHeaders?: Record<string, string>;
  /** First 16 KiB of the (decoded) body as UTF-8. */
  bodyExcerpt?: string;
  bodyTruncated: boolean;
  /** Location header of a 3xx response. */
  location?: string;
  error?: string;
  errorCode?: DeliveryErrorCode;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const BODY_EXCERPT_BYTES = 16 * 1024;
export const BODY_READ_LIMIT_BYTES = 64 * 1024;

const MAX_CACHED_AGENTS = 64;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_HEADER_CHARS = /[\r\n\0]/;

// ---------------------------------------------------------------------------
// Errors raised inside the connector; recognised by `classifyError`.

class BlockedAddressError extends Error {
  readonly code = "EHOOKYARD_BLOCKED";
}

class DnsLookupError extends Error {
  readonly code = "EHOOKYARD_DNS";
}

class DeadlineError extends Error {
  readonly code = "EHOOKYARD_DEADLINE";
}

function describeBlocked(address: string, reason: string, hostname?: string): string {
  const origin = hostname && hostname !== address ? ` (resolved from ${hostname})` : "";
  return `target address ${address} is not allowed: ${reason}${origin}`;
}

// ---------------------------------------------------------------------------
// DNS guard

const systemResolver: HostResolver = async (hostname) => {
  const addresses = await dns.lookup(hostname, { all: true, verbatim: true });
  return addresses.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

function readErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Resolves every address and refuses the host if any address is refused. */
export async function resolveAllowedAddresses(
  hostname: string,
  allow: AllowPrivate,
  resolver: HostResolver = systemResolver,
): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver(hostname);
  } catch (error) {
    const code = readErrorCode(error);
    throw new DnsLookupError(`DNS lookup failed for ${hostname}${code ? ` (${code})` : ""}`);
  }
  if (addresses.length === 0) throw new DnsLookupError(`DNS lookup failed for ${hostname} (no addresses)`);
  for (const { address } of addresses) {
    const check = checkAddress(address, allow);
    if (!check.ok) throw new BlockedAddressError(describeBlocked(address, check.reason, hostname));
  }
  return addresses;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type GuardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

function filterByFamily(addresses: ResolvedAddress[], family: LookupOptions["family"]): ResolvedAddress[] {
  const wanted = family === "IPv4" ? 4 : family === "IPv6" ? 6 : family;
  return wanted === 4 || wanted === 6 ? addresses.filter((entry) => entry.family === wanted) : addresses;
}

/**
 * A `net.connect` lookup that answers both callback shapes: `(err, address,
 * family)` and, when `options.all` is set (Node's happy-eyeballs path),
 * `(err, [{ address, family }])`.
 */
export function createGuardedLookup(allow: AllowPrivate, resolver: HostResolver = systemResolver): GuardedLookup {
  return (hostname, options, callback) => {
    resolveAllowedAddresses(hostname, allow, resolver).then(
      (all) => {
        const addresses = filterByFamily(all, options.family);
        const first = addresses[0];
        if (!first) {
          callback(new DnsLookupError(`DNS lookup failed for ${hostname} (no IPv${String(options.family)} address)`), "");
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}

// ---------------------------------------------------------------------------
// Agents

interface AgentSettings {
  allow: AllowPrivate;
  connectTimeoutMs: number;
  tls?: TlsClientOptions;
  resolver?: HostResolver;
}

const agents = new Map<string, Agent>();
const resolverIds = new WeakMap<HostResolver, number>();
let nextResolverId = 1;

function identifyResolver(resolver: HostResolver | undefined): number {
  if (!resolver) return 0;
  let id = resolverIds.get(resolver);
  if (id === undefined) {
    id = nextResolverId++;
    resolverIds.set(resolver, id);
  }
  return id;
}

function fingerprintTls(tls: TlsClientOptions | undefined): string {
  if (!tls || (!tls.cert && !tls.key && !tls.ca)) return "-";
  return createHash("sha256").update(JSON.stringify([tls.cert ?? "", tls.key ?? "", tls.ca ?? ""])).digest("hex");
}

function buildAgentKey(settings: AgentSettings): string {
  return JSON.stringify([
    settings.allow,
    settings.connectTimeoutMs,
    fingerprintTls(settings.tls),
    identifyResolver(settings.resolver),
  ]);
}

type ConnectCallback = buildConnector.Callback;

function refuseSocket(socket: Socket, error: Error, callback: ConnectCallback): void {
  socket.destroy();
  callback(error, null);
}

/** Wraps undici's connector with the literal-host and remote-address checks. */
function createGuardedConnector(settings: AgentSettings): buildConnector.connector {
  const connect = buildConnector({
    timeout: settings.connectTimeoutMs,
    lookup: createGuardedLookup(settings.allow, settings.resolver),
    ...(settings.tls?.cert ? { cert: settings.tls.cert } : {}),
    ...(settings.tls?.key ? { key: settings.tls.key } : {}),
    ...(settings.tls?.ca ? { ca: settings.tls.ca } : {}),
    rejectUnauthorized: true,
  });
  return (options, callback) => {
    if (isIP(options.hostname)) {
      const check = checkAddress(options.hostname, settings.allow);
      if (!check.ok) {
        callback(new BlockedAddressError(describeBlocked(options.hostname, check.reason)), null);
        return;
      }
    }
    connect(options, (error, socket) => {
      if (error || !socket) {
        callback(error ?? new Error("connection failed"), null);
        return;
      }
      const remote = socket.remoteAddress;
      const check = remote ? checkAddress(remote, settings.allow) : { ok: false as const, reason: "unknown remote address" };
      if (!check.ok) refuseSocket(socket, new BlockedAddressError(describeBlocked(remote ?? "?", check.reason, options.hostname)), callback);
      else callback(null, socket);
    });
  };
}

function evictOldestAgent(): void {
  const oldest = agents.keys().next();
  if (oldest.done) return;
  const agent = agents.get(oldest.value);
  agents.delete(oldest.value);
  void agent?.close().catch(() => undefined);
}

/** Returns the cached Agent for these settings, creating it if needed. */
function obtainAgent(settings: AgentSettings): Agent {
  const key = buildAgentKey(settings);
  const cached = agents.get(key);
  if (cached && !cached.closed && !cached.destroyed) {
    agents.delete(key); // refresh LRU position
    agents.set(key, cached);
    return cached;
  }
  if (agents.size >= MAX_CACHED_AGENTS) evictOldestAgent();
  const agent = new Agent({
    connect: createGuardedConnector(settings),
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
  });
  agents.set(key, agent);
  return agent;
}

/** Closes every pooled connection (shutdown and tests). */
export async function closeHttpAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((agent) => agent.close().catch(() => undefined)));
}

// ---------------------------------------------------------------------------
// Request validation

function findHeaderProblem(headers: Record<string, string>): string | null {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) return `header name "${name}" is not a valid HTTP header name`;
    if (typeof value !== "string") return `header "${name}" must be a string`;
    if (FORBIDDEN_HEADER_CHARS.test(value)) return `header "${name}" contains a line break (CR/LF) or NUL, which is not allowed`;
  }
  return null;
}

type UrlDecision = { ok: true; url: URL } | { ok: false; error: string; errorCode: DeliveryErrorCode };

function vetTargetUrl(rawUrl: string, allow: AllowPrivate): UrlDecision {
  if (!URL.canParse(rawUrl)) return { ok: false, error: "not a valid URL", errorCode: "invalid" };
  const check = checkTargetUrl(rawUrl, { allowPrivate: allow });
  return check.ok ? { ok: true, url: check.url } : { ok: false, error: check.reason, errorCode: "blocked" };
}

// ---------------------------------------------------------------------------
// Response body

interface BodyCapture {
  excerpt: string;
  truncated: boolean;
  /** Set when reading failed for a reason other than our own cap. */
  error?: unknown;
}

function createDecoder(contentEncoding: string | undefined): Transform | null {
  switch (contentEncoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}

function isDecoderError(error: unknown): boolean {
  const code = readErrorCode(error);
  return code !== undefined && code.startsWith("Z_");
}

/** Decodes UTF-8, dropping a multi-byte character cut in half at the end. */
function decodeExcerpt(chunks: Buffer[]): string {
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks), { stream: true });
}

/**
 * Reads at most BODY_READ_LIMIT_BYTES decoded bytes, keeping the first
 * BODY_EXCERPT_BYTES, then aborts the response.
 */
async function readBodyCapped(body: Readable, contentEncoding: string | undefined): Promise<BodyCapture> {
  const decoder = createDecoder(contentEncoding);
  const source: Readable = decoder ? pipeline(body, decoder, () => undefined) : body;
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let totalBytes = 0;
  let error: unknown;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      totalBytes += chunk.length;
      if (keptBytes < BODY_EXCERPT_BYTES) {
        const slice = chunk.subarray(0, BODY_EXCERPT_BYTES - keptBytes);
        kept.push(slice);
        keptBytes += slice.length;
      }
      if (totalBytes > BODY_READ_LIMIT_BYTES) break; // leaving the loop destroys the stream
    }
  } catch (caught) {
    if (!(decoder && isDecoderError(caught))) error = caught;
  } finally {
    if (!body.destroyed && totalBytes > BODY_READ_LIMIT_BYTES) body.destroy();
  }
  return { excerpt: decodeExcerpt(kept), truncated: totalBytes > BODY_EXCERPT_BYTES, error };
}

// ---------------------------------------------------------------------------
// Error classification

const TLS_ERROR_CODES = new Set([
  "EPROTO",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
]);

interface ErrorContext {
  timeoutMs: number;
  connectTimeoutMs: number;
  hostname: string;
  callerAborted: boolean;
}

type ClassifiedError = { error: string; errorCode: DeliveryErrorCode };

function unwrapError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    if (readErrorCode(current) !== undefined || !(current instanceof Error) || current.cause === undefined) break;
    current = current.cause;
  }
  return current;
}

function describeMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function classifyByCode(code: string, error: unknown, context: ErrorContext): ClassifiedError | null {
  switch (code) {
    case "EHOOKYARD_BLOCKED":
      return { error: describeMessage(error), errorCode: "blocked" };
    case "EHOOKYARD_DNS":
      return { error: describeMessage(error), errorCode: "dns" };
    case "EHOOKYARD_DEADLINE":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return { error: `timed out after ${context.timeoutMs} ms`, errorCode: "timeout" };
    case "UND_ERR_CONNECT_TIMEOUT":
      return { error: `connect timed out after ${context.connectTimeoutMs} ms`, errorCode: "timeout" };
    case "ECONNREFUSED":
      return { error: "connection refused", errorCode: "connect" };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return { error: `cannot reach ${context.hostname} (${code})`, errorCode: "connect" };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { error: `DNS lookup failed for ${context.hostname} (${code})`, errorCode: "dns" };
    case "ECONNRESET":
    case "EPIPE":
      return { error: "connection reset by the server", errorCode: "reset" };
    case "UND_ERR_SOCKET":
      return { error: `connection closed by the server (${describeMessage(error)})`, errorCode: "reset" };
    case "UND_ERR_INVALID_ARG":
    case "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH":
      return { error: `invalid request: ${describeMessage(error)}`, errorCode: "invalid" };
    case "UND_ERR_HEADERS_OVERFLOW":
      return { error: "response headers too large", errorCode: "http" };
    default:
      break;
  }
  if (TLS_ERROR_CODES.has(code) || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_") || code.startsWith("ERR_OSSL_")) {
    return { error: `TLS error: ${describeMessage(error)}`, errorCode: "tls" };
  }
  if (code.startsWith("HPE_") || code === "UND_ERR_RES_CONTENT_LENGTH_MISMATCH") {
    return { error: `invalid HTTP response: ${describeMessage(error)}`, errorCode: "http" };
  }
  return null;
}

function classifyError(raw: unknown, context: ErrorContext): ClassifiedError {
  if (context.callerAborted) return { error: "request aborted by the caller", errorCode: "aborted" };
  const error = unwrapError(raw);
  const code = readErrorCode(error);
  const classified = code ? classifyByCode(code, error, context) : null;
  return classified ?? { error: `network error: ${describeMessage(error)}`, errorCode: "connect" };
}

// ---------------------------------------------------------------------------
// Sending

function flattenHeaders(headers: Dispatcher.ResponseData["headers"]): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function describeStatus(statusCode: number): string {
  const text = STATUS_CODES[statusCode];
  return text ? `HTTP ${statusCode} ${text}` : `HTTP ${statusCode}`;
}

function elapsedSince(start: number): number {
  return Math.round(performance.now() - start);
}

interface Deadline {
  signal: AbortSignal;
  timedOut: () => boolean;
  callerAborted: () => boolean;
  clear: () => void;
}

function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineError(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const signal = callerSignal ? AbortSignal.any([controller.signal, callerSignal]) : controller.signal;
  return {
    signal,
    timedOut: () => controller.signal.aborted,
    callerAborted: () => !controller.signal.aborted && callerSignal?.aborted === true,
    clear: () => clearTimeout(timer),
  };
}

function classifyFailure(error: unknown, deadline: Deadline, context: ErrorContext): ClassifiedError {
  if (deadline.timedOut()) return { error: `timed out after ${context.timeoutMs} ms`, errorCode: "timeout" };
  return classifyError(error, context);
}

/**
 * undici only honours an abort once the request has a socket, so a hanging
 * DNS lookup or connect would outlive the deadline; race it explicitly. A
 * response that still arrives later has its body discarded.
 */
function raceWithSignal(pending: Promise<Dispatcher.ResponseData>, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    pending.then(
      (response) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) response.body.destroy();
        else resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function buildResponseResult(
  statusCode: number,
  responseHeaders: Record<string, string>,
  capture: BodyCapture,
): Omit<WebhookResponse, "durationMs"> {
  const base = { statusCode, responseHeaders, bodyExcerpt: capture.excerpt, bodyTruncated: capture.truncated };
  if (statusCode >= 300 && statusCode < 400) {
    const location = responseHeaders["location"];
    const target = location ? ` to ${location}` : "";
    return { ...base, ok: false, location, error: `redirect not followed (${statusCode}${target})`, errorCode: "redirect" };
  }
  if (statusCode < 200 || statusCode >= 300) {
    return { ...base, ok: false, error: describeStatus(statusCode), errorCode: "http" };
  }
  return { ...base, ok: true };
}

function failEarly(start: number, error: string, errorCode: DeliveryErrorCode): WebhookResponse {
  return { ok: false, durationMs: elapsedSince(start), bodyTruncated: false, error, errorCode };
}

/**
 * Sends one webhook request. Never throws for network problems, bad input or
 * refused targets; the result's `error` / `errorCode` say what went wrong.
 */
export async function sendWebhookRequest(opts: WebhookRequestOptions): Promise<WebhookResponse> {
  const start = performance.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;

  if (opts.signal?.aborted) return failEarly(start, "request aborted by the caller", "aborted");
  const headerProblem = findHeaderProblem(opts.headers);
  if (headerProblem) return failEarly(start, headerProblem, "invalid");
  let target: UrlDecision;
  try {
    target = vetTargetUrl(opts.url, opts.allowPrivate);
  } catch (error) {
    return failEarly(start, `invalid allowPrivate setting: ${describeMessage(error)}`, "invalid");
  }
  if (!target.ok) return failEarly(start, target.error, target.errorCode);
  const url = target.url;

  const agent = obtainAgent({ allow: opts.allowPrivate, connectTimeoutMs, tls: opts.tls, resolver: opts.resolver });
  const deadline = startDeadline(timeoutMs, opts.signal);
  const context = (): ErrorContext => ({
    timeoutMs,
    connectTimeoutMs,
    hostname: extractIpLiteral(url.hostname) ?? url.hostname,
    callerAborted: deadline.callerAborted(),
  });
  try {
    const response = await raceWithSignal(
      agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: opts.method,
        headers: opts.headers,
        body: opts.method === "GET" ? undefined : opts.body,
        signal: deadline.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      }),
      deadline.signal,
    );
    const responseHeaders = flattenHeaders(response.headers);
    const capture = await readBodyCapped(response.body, responseHeaders["content-encoding"]);
    const result = buildResponseResult(response.statusCode, responseHeaders, capture);
    if (capture.error !== undefined && result.ok) {
      return { ...result, ok: false, ...classifyFailure(capture.error, deadline, context()), durationMs: elapsedSince(start) };
    }
    return { ...result, durationMs: elapsedSince(start) };
  } catch (error) {
    return { ok: false, durationMs: elapsedSince(start), bodyTruncated: false, ...classifyFailure(error, deadline, context()) };
  } finally {
    deadline.clear();
  }
}
