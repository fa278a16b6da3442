import { getDb } from "@/lib/db/client";
import { requirePermission, type TActor } from "@/lib/auth/actor";
import { NotFound } from "@/lib/errors";
import type { TResourceKind } from "@/lib/validation/resource";

export type TResourceView = { id: string; kind: TResourceKind; externalId: string; name: string; updatedAt: Date };
const VIEW = { id: true, kind: true, externalId: true, name: true, updatedAt: true } as const;

export async function upsertResource(opts: { actor: TActor; kind: TResourceKind; externalId: string; name: string }): Promise<{ resource: TResourceView; created: boolean }> {
  requirePermission(opts.actor, "resource:write");
  const where = { organizationId_kind_externalId: { organizationId: opts.actor.organizationId, kind: opts.kind, externalId: opts.externalId } };
  const existing = await getDb().resource.findUnique({ where, select: { id: true } });
  const resource = await getDb().resource.upsert({
    where,
    create: { organizationId: opts.actor.organizationId, kind: opts.kind, externalId: opts.externalId, name: opts.name },
    update: { name: opts.name },
    select: VIEW,
  });
  return { resource, created: !existing };
}

export async function listResources(opts: { actor: TActor; kind?: TResourceKind; q?: string; take?: number }): Promise<TResourceView[]> {
  requirePermission(opts.actor, "resource:read");
  return getDb().resource.findMany({
    where: {
      organizationId: opts.actor.organizationId,
      ...(opts.kind ? { kind: opts.kind } : {}),
      ...(opts.q ? { name: { contains: opts.q, mode: "insensitive" as const } } : {}),
    },
    select: VIEW,
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    take: opts.take ?? 1000,
  });
}

export async function getResource(opts: { actor: TActor; kind: TResourceKind; externalId: string }): Promise<TResourceView> {
  requirePermission(opts.actor, "resource:read");
  const row = await getDb().resource.findFirst({
    where: { organizationId: opts.actor.organizationId, kind: opts.kind, externalId: opts.externalId },
    select: VIEW,
  });
  if (!row) throw new NotFound("Resource");
  return row;
}

export async function deleteResource(opts: { actor: TActor; kind: TResourceKind; externalId: string }): Promise<void> {
  requirePermission(opts.actor, "resource:write");
  const { count } = await getDb().resource.deleteMany({
    where: { organizationId: opts.actor.organizationId, kind: opts.kind, externalId: opts.externalId },
  });
  if (count === 0) throw new NotFound("Resource");
}
