/** Query keys and row types of the audit log feature. */
export type TAuditFilters = { actor: string; webhookId: string; action: string; from: string; to: string };

export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: TAuditFilters) => [...auditKeys.all, "list", filters] as const,
  facets: () => [...auditKeys.all, "facets"] as const,
};

export type TAuditChangeRow = { field: string; kind: "changed"; before: unknown; after: unknown } | { field: string; kind: "value"; value: unknown };

export type TAuditEntryRow = {
  id: string;
  createdAt: string;
  action: string;
  actionLabel: string;
  actor: { kind: "user" | "api_key" | "system"; label: string; userId: string | null; apiKeyId: string | null };
  target: { type: string; id: string | null; label: string | null; webhookId: string | null };
  changes: TAuditChangeRow[];
};

export type TAuditPage = { entries: TAuditEntryRow[]; nextCursor: string | null };

export type TAuditFacetsJson = {
  actors: { kind: "user" | "api_key" | "system"; id: string | null; label: string }[];
  webhooks: { id: string; label: string; deleted: boolean }[];
  actions: { action: string; label: string }[];
};

/** The query string of GET /api/v1/audit for the page's filters (dates are local days). */
export function auditSearchParams(filters: TAuditFilters, cursor?: string): URLSearchParams {
  const sp = new URLSearchParams();
  const [kind, id] = filters.actor.split(":");
  if (kind === "user" && id) sp.set("userId", id);
  if (kind === "apikey" && id) sp.set("apiKeyId", id);
  if (filters.webhookId) sp.set("webhookId", filters.webhookId);
  if (filters.action) sp.set("action", filters.action);
  if (filters.from) sp.set("from", new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) sp.set("to", new Date(`${filters.to}T23:59:59.999`).toISOString());
  if (cursor) sp.set("cursor", cursor);
  sp.set("limit", "50");
  return sp;
}
