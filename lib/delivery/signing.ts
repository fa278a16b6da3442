/**
 * Webhook signatures (pure; node:crypto only).
 *
 * Secrets look like `whsec_<base64 of 32 random bytes>` (Standard Webhooks).
 * - Standard Webhooks form: the HMAC key is the base64-decoded bytes after
 *   `whsec_`, as the spec requires.
 * - hex (`sha256=<hex>`) and base64 forms: the key is the secret's text as
 *   shown to the user (`whsec_…` included), as the products of seeds 000/001
 *   do, so a receiver passes the secret straight to its HMAC function:
 *
 *   expected = "sha256=" + hex(HMAC_SHA256(secretText, rawBody))   // hex form
 *   expected = base64(HMAC_SHA256(secretText, rawBody))            // base64 form
 *
 * Rotation: `secrets` lists the active secrets, primary (newest) first. The
 * Standard Webhooks header carries one `v1,<sig>` per secret; the hex and
 * base64 forms carry a single value signed with the primary secret only.
 */
import { createHmac, randomBytes } from "node:crypto";

export const SECRET_PREFIX = "whsec_";
export const DEFAULT_HEX_SIGNATURE_HEADER = "X-Hookyard-Signature";
export const BASE64_SIGNATURE_HEADER = "X-Webhook-Signature";

export interface StandardSignatureInput {
  /** Unique message id; the same across retries of one message. */
  msgId: string;
  /** Unix time in seconds of this attempt. */
  timestamp: number;
  /** Exact body bytes as sent (UTF-8 text). */
  body: string;
  /** Active secrets, primary first. */
  secrets: readonly string[];
}

export interface SignatureForms {
  /** Standard Webhooks headers (`webhook-signature`); default true. */
  standard?: boolean;
  /** `sha256=<hex>` in the given header (default X-Hookyard-Signature). */
  hex?: { header?: string } | null;
  /** Base64 HMAC in X-Webhook-Signature. */
  base64?: boolean;
}

export interface SignatureHeadersInput extends StandardSignatureInput {
  forms: SignatureForms;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;

/** A new `whsec_` secret with 32 random bytes. */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

/** The HMAC key bytes of a secret: strip `whsec_`, base64-decode. */
export function decodeSigningSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded.length === 0 || encoded.length % 4 !== 0 || !BASE64_TEXT.test(encoded)) {
    throw new TypeError("signing secret must be whsec_ followed by base64");
  }
  return Buffer.from(encoded, "base64");
}

function computeHmac(secret: string, content: string): Buffer {
  return createHmac("sha256", decodeSigningSecret(secret)).update(content, "utf8").digest();
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be whole seconds since the epoch, got ${timestamp}`);
  }
}

function assertSecrets(secrets: readonly string[]): void {
  if (secrets.length === 0) throw new RangeError("at least one signing secret is required");
}

/** Standard Webhooks `webhook-signature` value: `v1,<b64> v1,<b64>`. */
export function signStandard(input: StandardSignatureInput): string {
  assertTimestamp(input.timestamp);
  assertSecrets(input.secrets);
  const content = `${input.msgId}.${input.timestamp}.${input.body}`;
  return input.secrets.map((secret) => `v1,${computeHmac(secret, content).toString("base64")}`).join(" ");
}

/**
 * The hex and base64 forms follow the products they come from (seeds 000 and
 * 001): the HMAC key is the secret exactly as shown to the user (its UTF-8
 * text, `whsec_` included), which is what a receiver passes to
 * `createHmac("sha256", secret)` / `hash_hmac('sha256', $body, $secret)`.
 */
function computeTextKeyHmac(secret: string, body: string): Buffer {
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(body, "utf8").digest();
}

/** `sha256=<lowercase hex HMAC-SHA256(secret text, body)>`. */
export function signHex(secret: string, body: string): string {
  return `sha256=${computeTextKeyHmac(secret, body).toString("hex")}`;
}

/** Base64 HMAC-SHA256(secret text, body). */
export function signBase64(secret: string, body: string): string {
  return computeTextKeyHmac(secret, body).toString("base64");
}

const RESERVED_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature", BASE64_SIGNATURE_HEADER.toLowerCase()];

function resolveHexHeader(hex: { header?: string }): string {
  const header = hex.header?.trim() || DEFAULT_HEX_SIGNATURE_HEADER;
  if (!HEADER_NAME.test(header)) throw new TypeError(`"${header}" is not a valid HTTP header name`);
  if (RESERVED_HEADERS.includes(header.toLowerCase())) {
    throw new TypeError(`"${header}" is already used by another signature header`);
  }
  return header;
}

/**
 * All signature headers for one attempt. `webhook-id` and `webhook-timestamp`
 * are always included (receivers can use them for de-duplication even
 * without the standard signature).
 */
export function buildSignatureHeaders(input: SignatureHeadersInput): Record<string, string> {
  assertTimestamp(input.timestamp);
  assertSecrets(input.secrets);
  const primary = input.secrets[0] as string;
  const headers: Record<string, string> = {
    "webhook-id": input.msgId,
    "webhook-timestamp": String(input.timestamp),
  };
  if (input.forms.standard ?? true) headers["webhook-signature"] = signStandard(input);
  if (input.forms.hex) headers[resolveHexHeader(input.forms.hex)] = signHex(primary, input.body);
  if (input.forms.base64) headers[BASE64_SIGNATURE_HEADER] = signBase64(primary, input.body);
  return headers;
}
