import type { Prisma } from "@/lib/generated/prisma/client";
import type { TActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";

type TTx = Prisma.TransactionClient;

export async function recordAudit(opts: {
  actor: TActor;
  action: string;
  targetType: string;
  targetId?: string;
  changes?: Prisma.InputJsonValue;
  tx?: TTx;
}): Promise<void> {
  const db = opts.tx ?? getDb();
  await db.auditEntry.create({
    data: {
      organizationId: opts.actor.organizationId,
      actorUserId: opts.actor.userId ?? null,
      actorApiKeyId: opts.actor.apiKeyId ?? null,
      actorLabel: opts.actor.label,
      action: opts.action,
      targetType: opts.targetType,
      targetId: opts.targetId ?? null,
      changes: opts.changes,
    },
  });
}
