/**
 * Encrypted webhook secrets (signing secrets, endpoint passwords, tokens,
 * API-key values, client keys). Plaintext exists only in memory: on creation
 * (returned once), on an audited reveal, and while a delivery signs or
 * authenticates.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { getKeyring } from "@/lib/crypto/keyring";
import { decryptSecret, encryptSecret, maskSecret } from "@/lib/crypto/secrets";

export type TSecretField = "signing" | "auth.password" | "auth.token" | "auth.value" | "auth.key";
type TTx = Prisma.TransactionClient;

export async function storeWebhookSecret(opts: {
  tx: TTx;
  organizationId: string;
  webhookId: string;
  field: TSecretField;
  plaintext: string;
  /** Replace (delete) the field's other values; signing rotation keeps them instead. */
  replace: boolean;
}): Promise<void> {
  if (opts.replace) await opts.tx.webhookSecret.deleteMany({ where: { webhookId: opts.webhookId, organizationId: opts.organizationId, field: opts.field } });
  const keyring = getKeyring();
  await opts.tx.webhookSecret.create({
    data: {
      organizationId: opts.organizationId,
      webhookId: opts.webhookId,
      field: opts.field,
      keyId: keyring.active,
      ciphertext: encryptSecret(keyring, opts.plaintext, { organizationId: opts.organizationId, ownerId: opts.webhookId, field: opts.field }),
      last4: maskSecret(opts.plaintext),
    },
  });
}

export type TOpenSecrets = { signing: string[]; auth: Partial<Record<Exclude<TSecretField, "signing">, string>> };

/** Secrets in force at `now`: no expiry, or one still ahead (rotation keeps the old signing secret a while). */
const inForceAt = (now: Date) => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

type TSecretRow = { organizationId: string; webhookId: string; field: string; ciphertext: string };

/** Decrypts one row into `into`; rows come newest first, so the newest signing secret leads and the newest auth value wins. */
function openRowInto(into: TOpenSecrets, row: TSecretRow, keyring: ReturnType<typeof getKeyring>): void {
  const plain = decryptSecret(keyring, row.ciphertext, { organizationId: row.organizationId, ownerId: row.webhookId, field: row.field });
  if (row.field === "signing") into.signing.push(plain);
  else into.auth[row.field as Exclude<TSecretField, "signing">] ??= plain;
}

/** Decrypts a webhook's secrets in force at `now` (newest signing secret first). */
export async function openWebhookSecrets(opts: { organizationId: string; webhookId: string; now?: Date; tx?: TTx }): Promise<TOpenSecrets> {
  const rows = await (opts.tx ?? getDb()).webhookSecret.findMany({
    where: { organizationId: opts.organizationId, webhookId: opts.webhookId, ...inForceAt(opts.now ?? new Date()) },
    orderBy: { createdAt: "desc" },
  });
  const keyring = getKeyring();
  const result: TOpenSecrets = { signing: [], auth: {} };
  for (const row of rows) openRowInto(result, row, keyring);
  return result;
}

/**
 * The secrets in force of several webhooks in one query (a delivery pass).
 * Same rules as `openWebhookSecrets`, per webhook: a webhook whose rows do
 * not all open gets the error instead (so one bad webhook does not stop the
 * others), and a row of another organization than its webhook's is ignored.
 */
export async function openSecretsOfWebhooks(opts: {
  webhooks: { id: string; organizationId: string }[];
  now?: Date;
}): Promise<Map<string, { secrets: TOpenSecrets | Error; /** When the first of these secrets goes out of force (null: none expires). */ expiresAt: Date | null }>> {
  const result = new Map<string, { secrets: TOpenSecrets | Error; expiresAt: Date | null }>();
  if (!opts.webhooks.length) return result;
  const owner = new Map(opts.webhooks.map((w) => [w.id, w.organizationId]));
  const rows = await getDb().webhookSecret.findMany({
    where: {
      organizationId: { in: [...new Set(owner.values())] },
      webhookId: { in: [...owner.keys()] },
      ...inForceAt(opts.now ?? new Date()),
    },
    orderBy: { createdAt: "desc" },
  });
  for (const id of owner.keys()) result.set(id, { secrets: { signing: [], auth: {} }, expiresAt: null });
  const keyring = getKeyring();
  for (const row of rows) {
    const current = result.get(row.webhookId);
    if (!current || owner.get(row.webhookId) !== row.organizationId) continue;
    if (row.expiresAt && (!current.expiresAt || row.expiresAt < current.expiresAt)) current.expiresAt = row.expiresAt;
    if (current.secrets instanceof Error) continue;
    try {
      openRowInto(current.secrets, row, keyring);
    } catch (error) {
      current.secrets = error instanceof Error ? error : new Error(String(error));
    }
  }
  return result;
}

export type TSecretSummary = { id: string; field: string; masked: string; createdAt: Date; expiresAt: Date | null };

export async function summarizeWebhookSecrets(opts: { organizationId: string; webhookId: string; now?: Date }): Promise<TSecretSummary[]> {
  const rows = await getDb().webhookSecret.findMany({
    where: { organizationId: opts.organizationId, webhookId: opts.webhookId, ...inForceAt(opts.now ?? new Date()) },
    select: { id: true, field: true, last4: true, createdAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({ id: r.id, field: r.field, masked: r.last4, createdAt: r.createdAt, expiresAt: r.expiresAt }));
}

/**
 * Moves every stored secret to the keyring's active key (after adding a new
 * key first in ENCRYPTION_KEYS). Idempotent; works in batches. A value that
 * no key of the ring opens is reported, not skipped silently.
 */
export async function reencryptWebhookSecrets(opts: { batchSize?: number } = {}): Promise<{ reencrypted: number; undecryptable: string[]; remainingUnderOldKeys: number }> {
  const keyring = getKeyring();
  let reencrypted = 0;
  const undecryptable: string[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await getDb().webhookSecret.findMany({
      where: { keyId: { not: keyring.active }, ...(after ? { id: { gt: after } } : {}) },
      take: opts.batchSize ?? 200,
      orderBy: { id: "asc" },
    });
    if (!rows.length) break;
    after = rows[rows.length - 1]!.id;
    for (const row of rows) {
      const ctx = { organizationId: row.organizationId, ownerId: row.webhookId, field: row.field };
      let plain: string;
      try {
        plain = decryptSecret(keyring, row.ciphertext, ctx);
      } catch {
        undecryptable.push(row.id);
        continue;
      }
      await getDb().webhookSecret.updateMany({
        where: { id: row.id, keyId: row.keyId },
        data: { keyId: keyring.active, ciphertext: encryptSecret(keyring, plain, ctx) },
      });
      reencrypted += 1;
    }
  }
  const remainingUnderOldKeys = await getDb().webhookSecret.count({ where: { keyId: { not: keyring.active } } });
  return { reencrypted, undecryptable, remainingUnderOldKeys };
}
