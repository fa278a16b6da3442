/**
 * Reads of the webhooks feature: ONE query-key factory and the fetchers of
 * the route handlers they cache. Dates arrive as ISO strings (`TJson<T>`).
 */
import type { TWebhookListItem, TWebhookView } from "@/lib/domain/webhooks";
import type { TAttemptRow, TDailyPoint, TWebhookMetrics } from "@/lib/domain/deliveries";

/** A server type as it arrives through JSON: Dates become strings. */
export type TJson<T> = T extends Date ? string : T extends (infer U)[] ? TJson<U>[] : T extends object ? { [K in keyof T]: TJson<T[K]> } : T;

export type TWebhookListRow = TJson<TWebhookListItem>;
export type TWebhook = TJson<TWebhookView>;
export type TMetrics = TJson<TWebhookMetrics>;
export type TDaily = TDailyPoint;
export type TAttempt = TJson<TAttemptRow>;
export type TResource = { id: string; kind: string; externalId: string; name: string };

export type TAttemptDetail = {
  id: string;
  webhookId: string;
  messageId: string | null;
  attemptNumber: number;
  trigger: "AUTO" | "MANUAL" | "TEST";
  success: boolean;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  requestUrl: string;
  requestMethod: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  responseHeaders: Record<string, string | string[]> | null;
  responseBody: string | null;
  error: string | null;
  errorCode: string | null;
  nextAttemptAt: string | null;
  message: { id: string; status: TMessageStatus; attemptCount: number; nextAttemptAt: string | null; eventId: string } | null;
};

export type TMessageStatus = "PENDING" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "SKIPPED";

export type TMessageDetail = {
  id: string;
  status: TMessageStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
  event: { id: string; externalId: string | null; type: string; occurredAt: string };
  webhook: { id: string; name: string };
  attempts: { id: string; attemptNumber: number; success: boolean; statusCode: number | null; startedAt: string; durationMs: number; trigger: string }[];
};

export type TListFilters = { q: string; eventType: string; status: "" | "enabled" | "disabled" | "auto_disabled" };
export type TAttemptStatusFilter = "all" | "successful" | "pending" | "failed" | "in_progress";
export type TAttemptFilters = { status: TAttemptStatusFilter; q: string; from: string; to: string };

export const webhookKeys = {
  all: ["webhooks"] as const,
  lists: () => [...webhookKeys.all, "list"] as const,
  list: (filters: TListFilters) => [...webhookKeys.lists(), filters] as const,
  detail: (id: string) => [...webhookKeys.all, "detail", id] as const,
  metrics: (id: string) => [...webhookKeys.detail(id), "metrics"] as const,
  daily: (id: string) => [...webhookKeys.detail(id), "daily"] as const,
  attempts: (id: string, filters: TAttemptFilters) => [...webhookKeys.detail(id), "attempts", filters] as const,
  attempt: (attemptId: string) => [...webhookKeys.all, "attempt", attemptId] as const,
  message: (messageId: string) => [...webhookKeys.all, "message", messageId] as const,
  resources: (kind: string) => [...webhookKeys.all, "resources", kind] as const,
};

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new HttpError(body?.error?.message ?? `Request failed (${res.status})`, res.status);
  return body as T;
}

const qs = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : "";
};

export const fetchWebhooks = (f: TListFilters) =>
  getJson<{ webhooks: TWebhookListRow[] }>(`/api/v1/webhooks${qs({ q: f.q.trim(), eventType: f.eventType, status: f.status })}`).then((r) => r.webhooks);
export const fetchWebhook = (id: string) => getJson<{ webhook: TWebhook }>(`/api/v1/webhooks/${encodeURIComponent(id)}`).then((r) => r.webhook);
export const fetchMetrics = (id: string) => getJson<{ metrics: TMetrics }>(`/api/v1/webhooks/${encodeURIComponent(id)}/metrics`).then((r) => r.metrics);
export const fetchDaily = (id: string) => getJson<{ days: TDaily[] }>(`/api/v1/webhooks/${encodeURIComponent(id)}/daily`).then((r) => r.days);
export const fetchResources = (kind: string) => getJson<{ resources: TResource[] }>(`/api/v1/resources${qs({ kind })}`).then((r) => r.resources);
export const fetchAttempt = (id: string) => getJson<{ attempt: TAttemptDetail }>(`/api/v1/attempts/${encodeURIComponent(id)}`).then((r) => r.attempt);
export const fetchMessage = (id: string) => getJson<{ message: TMessageDetail }>(`/api/v1/messages/${encodeURIComponent(id)}`).then((r) => r.message);

/** Local date-time input value ("2026-03-14T09:20") → ISO string, or undefined. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export const fetchAttempts = (id: string, f: TAttemptFilters, cursor: string | undefined) =>
  getJson<{ attempts: TAttempt[]; nextCursor: string | null }>(
    `/api/v1/webhooks/${encodeURIComponent(id)}/attempts${qs({ status: f.status === "all" ? undefined : f.status, q: f.q.trim(), from: localInputToIso(f.from), to: localInputToIso(f.to), cursor, limit: "25" })}`,
  );
