import { getDb } from "@/lib/db/client";
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
}

/** The actor behind a presented key, or null for an unknown or revoked one. */
export async function authenticateApiKey(opts: { key: string }): Promise<TActor | null> {
  if (!opts.key.startsWith("hy_") || opts.key.length > 200) return null;
  const { hash } = apiKeyParts(opts.key);
  const row = await getDb().apiKey.findUnique({ where: { hash } });
  if (!row || row.revokedAt) return null;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await getDb().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { organizationId: row.organizationId, role: row.role, label: `API key ${row.prefix}…`, apiKeyId: row.id };
}
