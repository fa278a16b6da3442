/**
 * The signed-in member of a request: next-auth's session (user id) plus the
 * active organization, kept in the `hy_org` cookie and checked against the
 * user's memberships on every request.
 */
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";
import { getDb } from "@/lib/db/client";
import { Forbidden, Unauthorized } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { isTrustedActionOrigin } from "./origin";
import type { TActor } from "./actor";
import type { TRole } from "./permissions";

export const ORG_COOKIE = "hy_org";

export type TSessionContext = {
  actor: TActor & { userId: string };
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string };
  memberships: { organizationId: string; organizationName: string; role: TRole }[];
};

export const getSessionContext = cache(async (): Promise<TSessionContext | null> => {
  const session = await getServerSession(authOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return null;
  const user = await getDb().user.findUnique({
    where: { id: userId },
    include: { memberships: { include: { organization: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } } },
  });
  if (!user || user.memberships.length === 0) return null;
  const wanted = (await cookies()).get(ORG_COOKIE)?.value;
  const active = user.memberships.find((m) => m.organizationId === wanted) ?? user.memberships[0]!;
  return {
    actor: { organizationId: active.organizationId, role: active.role, label: user.email, userId: user.id },
    user: { id: user.id, email: user.email, name: user.name },
    organization: active.organization,
    memberships: user.memberships.map((m) => ({ organizationId: m.organizationId, organizationName: m.organization.name, role: m.role })),
  };
});

/** For pages: the context, or a redirect to sign-in. */
export async function requirePageSession(): Promise<TSessionContext> {
  const ctx = await getSessionContext();
  if (!ctx) redirect("/sign-in");
  return ctx;
}

/** Every server action starts here: refuse requests that did not come from our own pages. */
export async function assertTrustedOrigin(): Promise<void> {
  const h = await headers();
  if (!isTrustedActionOrigin({ origin: h.get("origin"), host: h.get("host"), forwardedHost: h.get("x-forwarded-host"), appUrl: getEnv().appUrl })) {
    throw new Forbidden("This request did not come from Hookyard's own pages.");
  }
}

/** For server actions: the signed-in member, from a request of our own origin. */
export async function requireSessionActor(): Promise<TActor> {
  await assertTrustedOrigin();
  const ctx = await getSessionContext();
  if (!ctx) throw new Unauthorized();
  return ctx.actor;
}
