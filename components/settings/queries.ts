import type { TRole } from "@/lib/auth/permissions";

/** Query keys of the settings feature. */
export const settingsKeys = {
  all: ["settings"] as const,
  members: () => [...settingsKeys.all, "members"] as const,
  apiKeys: () => [...settingsKeys.all, "api-keys"] as const,
};

export type TMemberRow = { membershipId: string; userId: string; email: string; name: string; role: TRole; createdAt: string };
export type TInvitationRow = { id: string; email: string; role: TRole; expiresAt: string; createdAt: string };
export type TApiKeyRow = { id: string; name: string; prefix: string; role: TRole; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `Request failed (${res.status})`);
  return body as T;
}
