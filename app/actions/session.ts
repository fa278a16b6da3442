"use server";
import { cookies } from "next/headers";
import { ORG_COOKIE, assertTrustedOrigin, getSessionContext } from "@/lib/auth/session";
import { ZSwitchOrganization } from "@/lib/validation/auth";
import type { TActionResult } from "@/lib/http/action";

/** Makes another of the user's organizations the active one. */
export async function switchOrganizationAction(input: unknown): Promise<TActionResult<{ organizationId: string }>> {
  try {
    await assertTrustedOrigin();
  } catch {
    return { ok: false, error: { code: "forbidden", message: "This request did not come from Hookyard's own pages." } };
  }
  const ctx = await getSessionContext();
  if (!ctx) return { ok: false, error: { code: "unauthorized", message: "Sign in again." } };
  const parsed = ZSwitchOrganization.safeParse(input);
  const target = parsed.success ? ctx.memberships.find((m) => m.organizationId === parsed.data.organizationId) : undefined;
  if (!target) return { ok: false, error: { code: "not_found", message: "Organization not found." } };
  (await cookies()).set(ORG_COOKIE, target.organizationId, { httpOnly: true, sameSite: "lax", path: "/", secure: false });
  return { ok: true, data: { organizationId: target.organizationId } };
}
