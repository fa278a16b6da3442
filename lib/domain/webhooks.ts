import { getDb } from "@/lib/db/client";
import { requirePermission, type TActor } from "@/lib/auth/actor";

export type TWebhookListItem = {
  id: string;
  name: string;
  eventTypes: string[];
  targetUrl: string;
  enabled: boolean;
  disabledReason: string | null;
  updatedAt: Date;
};

export async function listWebhooks(opts: { actor: TActor }): Promise<TWebhookListItem[]> {
  requirePermission(opts.actor, "webhook:read");
  return getDb().webhook.findMany({
    where: { organizationId: opts.actor.organizationId },
    select: { id: true, name: true, eventTypes: true, targetUrl: true, enabled: true, disabledReason: true, updatedAt: true },
    orderBy: { name: "asc" },
  });
}
