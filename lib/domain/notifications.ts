/** In-app notifications of the signed-in member (the bell). */
import { getDb } from "@/lib/db/client";
import type { TActor } from "@/lib/auth/actor";
import { Forbidden } from "@/lib/errors";

function userOf(actor: TActor): string {
  if (!actor.userId) throw new Forbidden("Notifications belong to signed-in members, not API keys.");
  return actor.userId;
}

export async function listNotifications(opts: { actor: TActor; take?: number }) {
  const userId = userOf(opts.actor);
  const where = { organizationId: opts.actor.organizationId, userId };
  const [items, unread] = await Promise.all([
    getDb().notification.findMany({ where, orderBy: { createdAt: "desc" }, take: opts.take ?? 20, select: { id: true, kind: true, title: true, body: true, link: true, readAt: true, createdAt: true } }),
    getDb().notification.count({ where: { ...where, readAt: null } }),
  ]);
  return { items, unread };
}

export async function markNotificationsRead(opts: { actor: TActor; ids?: string[] }): Promise<{ updated: number }> {
  const userId = userOf(opts.actor);
  const { count } = await getDb().notification.updateMany({
    where: { organizationId: opts.actor.organizationId, userId, readAt: null, ...(opts.ids ? { id: { in: opts.ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { updated: count };
}
