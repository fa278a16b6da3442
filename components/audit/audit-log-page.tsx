"use client";
import { useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Alert, Badge, EmptyState, PageHeader, Table, Td, Th } from "@/components/ui/misc";
import { fetchJson } from "@/components/settings/queries";
import { auditKeys, auditSearchParams, type TAuditChangeRow, type TAuditEntryRow, type TAuditFacetsJson, type TAuditFilters, type TAuditPage } from "./queries";

const EMPTY: TAuditFilters = { actor: "", webhookId: "", action: "", from: "", to: "" };

function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

const TONE: Record<string, "green" | "red" | "amber" | "blue" | "gray"> = {
  created: "green", enabled: "green", joined: "green", imported: "green",
  deleted: "red", disabled: "red", auto_disabled: "red", revoked: "red", removed: "red",
  secret_revealed: "amber", secret_rotated: "amber", role_changed: "amber",
};

function Changes({ changes }: { changes: TAuditChangeRow[] }) {
  if (!changes.length) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-1">
      {changes.map((c) => (
        <li key={c.field} className="max-w-xl whitespace-normal text-xs">
          <code className="font-mono font-semibold text-slate-800">{c.field}</code>
          {c.kind === "changed" ? (
            <>
              {": "}
              <span className="break-all font-mono text-red-700 line-through decoration-red-300" aria-label={`${c.field} before`}>{show(c.before)}</span>
              {" → "}
              <span className="break-all font-mono text-emerald-700" aria-label={`${c.field} after`}>{show(c.after)}</span>
            </>
          ) : (
            <>: <span className="break-all font-mono text-slate-700">{show(c.value)}</span></>
          )}
        </li>
      ))}
    </ul>
  );
}

function EntryRow({ entry }: { entry: TAuditEntryRow }) {
  const verb = entry.action.split(".").pop() ?? "";
  return (
    <tr>
      <Td className="align-top text-xs"><time dateTime={entry.createdAt}>{new Date(entry.createdAt).toLocaleString()}</time></Td>
      <Td className="align-top">
        <span className="font-medium text-slate-900">{entry.actor.label}</span>
        {entry.actor.kind === "api_key" && <span className="ml-1 text-xs text-slate-500">(API)</span>}
      </Td>
      <Td className="align-top">
        <Badge tone={TONE[verb] ?? "blue"}>{entry.actionLabel}</Badge>
        <div className="mt-0.5 font-mono text-[11px] text-slate-400">{entry.action}</div>
      </Td>
      <Td className="align-top">
        <span className="text-slate-900">{entry.target.label ?? entry.target.id ?? "—"}</span>
        <div className="text-xs text-slate-500">{entry.target.type}</div>
      </Td>
      <Td className="align-top"><Changes changes={entry.changes} /></Td>
    </tr>
  );
}

export function AuditLogPage() {
  const [filters, setFilters] = useState<TAuditFilters>(EMPTY);
  const facets = useQuery({ queryKey: auditKeys.facets(), queryFn: () => fetchJson<TAuditFacetsJson>("/api/v1/audit/facets") });
  const list = useInfiniteQuery({
    queryKey: auditKeys.list(filters),
    queryFn: ({ pageParam }) => fetchJson<TAuditPage>(`/api/v1/audit?${auditSearchParams(filters, pageParam ?? undefined)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const set = (key: keyof TAuditFilters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }));
  const entries = list.data?.pages.flatMap((p) => p.entries) ?? [];
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div>
      <PageHeader title="Audit log" description="Who changed which webhook, secret, API key or member, and what changed. Secrets are never shown." />
      <form role="search" aria-label="Filter the audit log" className="mb-5 flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="User" className="w-60" value={filters.actor} onChange={set("actor")}>
          <option value="">Everyone</option>
          {facets.data?.actors.filter((a) => a.id).map((a) => (
            <option key={`${a.kind}:${a.id}`} value={`${a.kind === "api_key" ? "apikey" : "user"}:${a.id}`}>
              {a.label}{a.kind === "api_key" ? " (API key)" : ""}
            </option>
          ))}
        </SelectField>
        <SelectField label="Webhook" className="w-60" value={filters.webhookId} onChange={set("webhookId")}>
          <option value="">All webhooks</option>
          {facets.data?.webhooks.map((w) => <option key={w.id} value={w.id}>{w.label}{w.deleted ? " (deleted)" : ""}</option>)}
        </SelectField>
        <SelectField label="Action" className="w-56" value={filters.action} onChange={set("action")}>
          <option value="">All actions</option>
          {facets.data?.actions.map((a) => <option key={a.action} value={a.action}>{a.label}</option>)}
        </SelectField>
        <TextField label="From" type="date" className="w-40" value={filters.from} onChange={set("from")} max={filters.to || undefined} />
        <TextField label="To" type="date" className="w-40" value={filters.to} onChange={set("to")} min={filters.from || undefined} />
        {filtered && <Button variant="secondary" onClick={() => setFilters(EMPTY)}>Clear filters</Button>}
      </form>
      {(list.error || facets.error) && <Alert>{((list.error ?? facets.error) as Error).message}</Alert>}
      {list.isLoading && <p role="status" className="text-sm text-slate-600">Loading the audit log…</p>}
      {list.data && entries.length === 0 && (
        <EmptyState title={filtered ? "No entries match these filters" : "No audit entries yet"}>
          {filtered ? "Widen the date range or clear a filter." : "Changes to webhooks, secrets, API keys and members appear here."}
        </EmptyState>
      )}
      {entries.length > 0 && (
        <>
          <Table label="Audit log">
            <thead>
              <tr><Th>When</Th><Th>Who</Th><Th>Action</Th><Th>Target</Th><Th>Changes</Th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((e) => <EntryRow key={e.id} entry={e} />)}
            </tbody>
          </Table>
          <div className="mt-4 flex items-center justify-between text-sm text-slate-600">
            <span role="status">{entries.length} entr{entries.length === 1 ? "y" : "ies"} shown</span>
            {list.hasNextPage && (
              <Button variant="secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? "Loading…" : "Load older entries"}
              </Button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
