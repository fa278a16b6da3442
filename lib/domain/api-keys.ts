import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { processSingleton } from "@/lib/process-singleton";
import { apiKeyParts, generateApiKey } from "@/lib/crypto/tokens";
import { requirePermission, type TActor } from "@/lib/auth/actor";
import { NotFound } from "@/lib/errors";
import { ZCreateApiKey, type TCreateApiKey } from "@/lib/validation/api-key";
import { recordAudit } from "./audit";

export type TApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const VIEW = { id: true, name: true, prefix: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

/** Creates a key; the plaintext is returned once and never stored. */
export async function createApiKey(opts: { actor: TActor; input: TCreateApiKey }): Promise<{ key: string; apiKey: TApiKeyView }> {
  requirePermission(opts.actor, "apikey:manage");
  const input = ZCreateApiKey.parse(opts.input);
  const { key, prefix, hash } = generateApiKey();
  const apiKey = await getDb().$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: { organizationId: opts.actor.organizationId, name: input.name, role: input.role, prefix, hash, createdById: opts.actor.userId ?? null },
      select: VIEW,
    });
    await recordAudit({ tx, actor: opts.actor, action: "api_key.created", targetType: "ApiKey", targetId: row.id, changes: { name: input.name, prefix, role: input.role } });
    return row;
  });
  return { key, apiKey };
}

export async function listApiKeys(opts: { actor: TActor }): Promise<TApiKeyView[]> {
  requirePermission(opts.actor, "apikey:manage");
  return getDb().apiKey.findMany({ where: { organizationId: opts.actor.organizationId }, select: VIEW, orderBy: { createdAt: "desc" } });
}

export async function revokeApiKey(opts: { actor: TActor; id: string }): Promise<void> {
  requirePermission(opts.actor, "apikey:manage");
  await getDb().$transaction(async (tx) => {
    const updated = await tx.apiKey.updateMany({
      where: { id: opts.id, organizationId: opts.actor.organizationId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (updated.count === 0) {
      const exists = await tx.apiKey.findFirst({ where: { id: opts.id, organizationId: opts.actor.organizationId }, select: { id: true } });
      if (!exists) throw new NotFound("API key");
      return;
    }
    await recordAudit({ tx, actor: opts.actor, action: "api_key.revoked", targetType: "ApiKey", targetId: opts.id });
  });
  forgetApiKey(opts.id);
}

/**
 * Recently authenticated keys, by hash, so a busy integration does not cost a
 * lookup per request (API_KEY_CACHE_SECONDS). A revocation in this process
 * takes effect at once; one made by another app process within that time.
 */
type TCachedKey = { actor: TActor; until: number; lastUsedAt: number };
// One per process: a revocation from a server action must reach the cache the API routes read (another bundle).
const keyCache = processSingleton("apiKeys", () => new Map<string, TCachedKey>());
const KEY_CACHE_MAX = 10_000;

function forgetApiKey(id: string): void {
  for (const [hash, entry] of keyCache) if (entry.actor.apiKeyId === id) keyCache.delete(hash);
}

/** The actor behind a presented key, or null for an unknown or revoked one. */
export async function authenticateApiKey(opts: { key: string; now?: Date }): Promise<TActor | null> {
  if (!opts.key.startsWith("hy_") || opts.key.length > 200) return null;
  const { hash } = apiKeyParts(opts.key);
  const now = (opts.now ?? new Date()).getTime();
  const cached = keyCache.get(hash);
  if (cached && cached.until > now) {
    await touchApiKey(cached, now);
    return cached.actor;
  }
  keyCache.delete(hash);
  const row = await getDb().apiKey.findUnique({ where: { hash }, select: { id: true, organizationId: true, role: true, prefix: true, revokedAt: true, lastUsedAt: true } });
  if (!row || row.revokedAt) return null;
  const entry: TCachedKey = {
    actor: Object.freeze({ organizationId: row.organizationId, role: row.role, label: `API key ${row.prefix}…`, apiKeyId: row.id }),
    until: now + getEnv().API_KEY_CACHE_SECONDS * 1000,
    lastUsedAt: row.lastUsedAt?.getTime() ?? 0,
  };
  await touchApiKey(entry, now);
  if (entry.until > now) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(hash, entry);
  }
  return entry.actor;
}

/** lastUsedAt is written at most once a minute per key and process. */
async function touchApiKey(entry: TCachedKey, now: number): Promise<void> {
  if (now - entry.lastUsedAt <= 60_000) return;
  entry.lastUsedAt = now;
  // updateMany: a remembered key may have been deleted meanwhile (its organization removed); that is not an error here.
  await getDb().apiKey.updateMany({ where: { id: entry.actor.apiKeyId }, data: { lastUsedAt: new Date(now) } });
}
