/**
 * Downloads an export document (all webhooks, or some by id) as a JSON file.
 * Client-only; the webhooks pages can use it for an "Export" button.
 */
export async function downloadExport(ids: string[] = [], fileName?: string): Promise<void> {
  const qs = new URLSearchParams(ids.map((id) => ["id", id]));
  const res = await fetch(`/api/v1/webhooks/export${ids.length ? `?${qs}` : ""}`, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as { error?: { message?: string }; source?: { organization?: string } } | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `Export failed (${res.status})`);
  const org = (body?.source?.organization ?? "organization").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  const name = fileName ?? `hookyard-webhooks-${org}-${new Date().toISOString().slice(0, 10)}.json`;
  const url = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2) + "\n"], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
