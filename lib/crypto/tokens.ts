/**
 * Opaque high-entropy tokens (API keys, invitation links). Only the SHA-256
 * of a token is stored: with 256 bits of randomness a fast hash is enough.
 */
import crypto from "node:crypto";

export const API_KEY_PREFIX = "hy_";
/** How many leading characters of an API key are stored and shown. */
export const API_KEY_VISIBLE = 11;

export function generateToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = API_KEY_PREFIX + generateToken(32);
  return { key, prefix: key.slice(0, API_KEY_VISIBLE), hash: hashToken(key) };
}

export function apiKeyParts(key: string): { prefix: string; hash: string } {
  return { prefix: key.slice(0, API_KEY_VISIBLE), hash: hashToken(key) };
}

export function generatePassword(): string {
  return crypto.randomBytes(12).toString("base64url");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash("sha256").update(a).digest();
  const hb = crypto.createHash("sha256").update(b).digest();
  return crypto.timingSafeEqual(ha, hb) && a.length === b.length;
}
