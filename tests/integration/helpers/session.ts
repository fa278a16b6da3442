/**
 * Server actions read the session through lib/auth/session. Outside a Next.js
 * request there is no cookie jar, so a test file replaces that one module with
 *   vi.mock("@/lib/auth/session", () => import("./helpers/session"));
 * and chooses the signed-in member with signInAs(). Everything below the
 * session lookup (role guard, organization scoping, database) is real; the
 * Origin check is proven by lib/auth/origin.test.ts and e2e/auth.spec.ts.
 */
import type { TActor } from "@/lib/auth/actor";
import { Unauthorized } from "@/lib/errors";

const state: { actor: TActor | null } = { actor: null };

export function signInAs(actor: TActor | null): void {
  state.actor = actor;
}

export const ORG_COOKIE = "hy_org";
export async function getSessionContext() {
  return null;
}
export async function requirePageSession(): Promise<never> {
  throw new Error("pages are not rendered in integration tests");
}
export async function assertTrustedOrigin(): Promise<void> {}
export async function requireSessionActor(): Promise<TActor> {
  if (!state.actor) throw new Unauthorized();
  return state.actor;
}
