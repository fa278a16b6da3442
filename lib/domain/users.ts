import { getDb } from "@/lib/db/client";
import { dummyPasswordHash, verifyPassword } from "@/lib/crypto/password";
import type { TRole } from "@/lib/auth/permissions";

/** The user when the password matches; null otherwise (same work either way). */
export async function verifyCredentials(opts: { email: string; password: string }) {
  const user = await getDb().user.findUnique({ where: { email: opts.email.toLowerCase() } });
  const ok = await verifyPassword(opts.password, user?.passwordHash ?? (await dummyPasswordHash()));
  return ok && user ? { id: user.id, email: user.email, name: user.name } : null;
}

export type TMembershipSummary = { organizationId: string; organizationName: string; role: TRole };

export async function listUserMemberships(opts: { userId: string }): Promise<TMembershipSummary[]> {
  const rows = await getDb().membership.findMany({
    where: { userId: opts.userId },
    include: { organization: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({ organizationId: m.organizationId, organizationName: m.organization.name, role: m.role }));
}
