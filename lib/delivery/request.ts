/**
 * Builds the HTTP request of one delivery from a webhook's settings: headers
 * (content type, user agent, webhook-id, timestamp, signatures, endpoint
 * authentication, custom headers, causation depth) and TLS client material.
 * Pure: the caller passes decrypted secrets.
 */
import { buildSignatureHeaders } from "./signing";
import type { HttpMethod, TlsClientOptions } from "./http";
import type { TOpenSecrets } from "@/lib/domain/webhook-secrets";

export type TDeliverySettings = {
  targetUrl: string;
  method: HttpMethod;
  contentType: string;
  customHeaders: { name: string; value: string }[];
  signStandard: boolean;
  signHexHeader: string | null;
  signBase64: boolean;
  authType: "NONE" | "BASIC" | "BEARER" | "API_KEY" | "CERTIFICATE";
  authConfig: { username?: string; header?: string; cert?: string; ca?: string };
};

export type TBuiltRequest = {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | undefined;
  tls?: TlsClientOptions;
  /** The same headers with credentials masked, for the attempt log. */
  loggedHeaders: Record<string, string>;
};

export function buildDeliveryRequest(opts: {
  settings: TDeliverySettings;
  secrets: TOpenSecrets;
  messageId: string;
  body: string;
  now: Date;
  userAgent: string;
  causationDepth: number;
}): TBuiltRequest {
  const { settings, secrets } = opts;
  const body = settings.method === "GET" ? undefined : opts.body;
  const headers: Record<string, string> = {};
  for (const h of settings.customHeaders) headers[h.name] = h.value;
  if (body !== undefined) headers["Content-Type"] = settings.contentType;
  headers["User-Agent"] = opts.userAgent;
  headers["X-Hookyard-Causation-Depth"] = String(opts.causationDepth + 1);
  const timestamp = Math.floor(opts.now.getTime() / 1000);
  const signed = secrets.signing.length
    ? buildSignatureHeaders({
        msgId: opts.messageId,
        timestamp,
        body: body ?? "",
        secrets: secrets.signing,
        forms: { standard: settings.signStandard, hex: settings.signHexHeader ? { header: settings.signHexHeader } : null, base64: settings.signBase64 },
      })
    : { "webhook-id": opts.messageId, "webhook-timestamp": String(timestamp) };
  Object.assign(headers, signed);

  const masked: Record<string, string> = {};
  let tls: TlsClientOptions | undefined;
  switch (settings.authType) {
    case "BASIC": {
      const user = settings.authConfig.username ?? "";
      headers.Authorization = `Basic ${Buffer.from(`${user}:${secrets.auth["auth.password"] ?? ""}`).toString("base64")}`;
      masked.Authorization = `Basic ${user}:••••`;
      break;
    }
    case "BEARER":
      headers.Authorization = `Bearer ${secrets.auth["auth.token"] ?? ""}`;
      masked.Authorization = "Bearer ••••";
      break;
    case "API_KEY": {
      const name = settings.authConfig.header ?? "X-API-Key";
      headers[name] = secrets.auth["auth.value"] ?? "";
      masked[name] = "••••";
      break;
    }
    case "CERTIFICATE":
      tls = { cert: settings.authConfig.cert, key: secrets.auth["auth.key"], ca: settings.authConfig.ca };
      break;
    case "NONE":
      break;
  }
  return { url: settings.targetUrl, method: settings.method, headers, body, tls, loggedHeaders: { ...headers, ...masked } };
}
