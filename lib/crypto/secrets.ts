/**
 * Secrets at rest: AES-256-GCM with a random 96-bit nonce and associated data
 * that binds a ciphertext to its organization, owner and field, so a value
 * copied to another row does not decrypt. Each value names the key it was
 * sealed with ("v1.<keyId>.<nonce>.<ciphertext+tag>", base64url), so keys can
 * rotate: the first key of the keyring seals, every key opens.
 */
import crypto from "node:crypto";

export type TKeyring = { active: string; keys: ReadonlyMap<string, Buffer> };
export type TSecretContext = { organizationId: string; ownerId: string; field: string };

export class SecretDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptError";
  }
}

/** Parses "id1:base64key,id2:base64key" (first = active). Keys are 32 bytes. */
export function parseKeyring(spec: string): TKeyring {
  const keys = new Map<string, Buffer>();
  let active: string | undefined;
  for (const part of spec.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [id, b64] = part.split(":");
    if (!id || !b64 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`ENCRYPTION_KEYS: "${id ?? part}" is not "id:base64key"`);
    const key = Buffer.from(b64, "base64");
    if (key.length !== 32) throw new Error(`ENCRYPTION_KEYS: key "${id}" must be 32 bytes (base64), got ${key.length}`);
    if (keys.has(id)) throw new Error(`ENCRYPTION_KEYS: key id "${id}" appears twice`);
    keys.set(id, key);
    active ??= id;
  }
  if (!active) throw new Error("ENCRYPTION_KEYS: no key given");
  return { active, keys };
}

export function generateKeySpec(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${crypto.randomBytes(32).toString("base64")}`;
}

function aad(ctx: TSecretContext): Buffer {
  return Buffer.from(`hookyard/v1|${ctx.organizationId}|${ctx.ownerId}|${ctx.field}`, "utf8");
}

export function encryptSecret(keyring: TKeyring, plaintext: string, ctx: TSecretContext): string {
  const key = keyring.keys.get(keyring.active)!;
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(aad(ctx));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return ["v1", keyring.active, nonce.toString("base64url"), body.toString("base64url")].join(".");
}

export function keyIdOf(sealed: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== "v1") throw new SecretDecryptError("Not a sealed secret");
  return parts[1]!;
}

export function decryptSecret(keyring: TKeyring, sealed: string, ctx: TSecretContext): string {
  const [version, keyId, nonceB64, bodyB64] = sealed.split(".");
  if (version !== "v1" || !keyId || !nonceB64 || !bodyB64) throw new SecretDecryptError("Not a sealed secret");
  const key = keyring.keys.get(keyId);
  if (!key) throw new SecretDecryptError(`Secret sealed with unknown key "${keyId}"`);
  const body = Buffer.from(bodyB64, "base64url");
  if (body.length < 16) throw new SecretDecryptError("Sealed secret is truncated");
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(nonceB64, "base64url"));
    decipher.setAAD(aad(ctx));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptError("Secret does not decrypt for this organization, owner and field");
  }
}

/** What may be shown of a secret: its last 4 characters at most. */
export function maskSecret(plaintext: string): string {
  return plaintext.length <= 8 ? "••••" : `••••${plaintext.slice(-4)}`;
}
