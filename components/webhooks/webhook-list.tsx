"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EVENT_TYPES } from "@/lib/catalog";
import { Alert, EmptyState, PageHeader, Table, Td, Th } from "@/components/ui/misc";
import { SelectField, TextField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { downloadExport } from "@/components/transfer/export";
import { fetchWebhooks, webhookKeys, type TListFilters } from "./queries";
import { WebhookStatusBadge } from "./status-badge";
import { eventTypesLabel, formatDateTime, formatRate, formatRelative } from "./format";

const EMPTY: TListFilters = { q: "", eventType: "", status: "" };

export function NewWebhookLink() {
  return (
    <Link href="/webhooks/new" className="inline-flex items-center gap-1.5 rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round"><path d="M10 4v12M4 10h12" /></svg>
      New webhook
    </Link>
  );
}

export function WebhookList({ canCreate }: { canCreate: boolean }) {
  const [search, setSearch] = useState("");
  const [filters, setFilters] = useState<TListFilters>(EMPTY);
  // The search box applies after a short pause in typing.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.q === search ? f : { ...f, q: search })), 250);
    return () => clearTimeout(t);
  }, [search]);

  const { data, error, isPending, isFetching } = useQuery({ queryKey: webhookKeys.list(filters), queryFn: () => fetchWebhooks(filters), placeholderData: keepPreviousData });
  const filtered = filters.q !== "" || filters.eventType !== "" || filters.status !== "";
  const [exportError, setExportError] = useState<string | null>(null);
  const newButton = canCreate ? <NewWebhookLink /> : null;
  const actions = (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          setExportError(null);
          downloadExport().catch((e: Error) => setExportError(e.message));
        }}
      >
        Export
      </Button>
      {canCreate && (
        <Link href="/webhooks/import" className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
          Import
        </Link>
      )}
      {newButton}
    </>
  );

  if (data && data.length === 0 && !filtered && search === "") {
    return (
      <div>
        <PageHeader
          title="Webhooks"
          description="Messages your organization sends to other systems when something happens."
          actions={canCreate ? <Link href="/webhooks/import" className="text-sm font-medium text-brand-700 hover:underline">Import webhooks</Link> : null}
        />
        <EmptyState title="No webhooks yet" action={newButton}>
          A webhook sends a JSON message to a URL of yours when an alert fires, a microservice runs, an object changes, an operation runs or a ticket changes.
          {!canCreate && <span className="mt-2 block">Only an organization admin can create one.</span>}
        </EmptyState>
      </div>
    );
  }

  return (
    <div>
      <PageHeader title="Webhooks" description="Messages your organization sends to other systems when something happens." actions={actions} />
      {exportError && <div className="mb-4"><Alert>{exportError}</Alert></div>}
      <div role="search" aria-label="Filter webhooks" className="mb-4 flex flex-wrap items-end gap-3">
        <TextField label="Search webhooks" hideLabel type="search" placeholder="Search by name or URL…" className="w-72" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField label="Event type" hideLabel className="w-64" value={filters.eventType} onChange={(e) => setFilters({ ...filters, eventType: e.target.value })}>
          <option value="">All event types</option>
          {EVENT_TYPES.map((t) => (
            <option key={t.key} value={t.key}>{t.label}</option>
          ))}
        </SelectField>
        <SelectField label="Status" hideLabel className="w-48" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value as TListFilters["status"] })}>
          <option value="">All statuses</option>
          <option value="enabled">Enabled</option>
          <option value="disabled">Disabled</option>
          <option value="auto_disabled">Auto-disabled</option>
        </SelectField>
        {filtered && (
          <button type="button" className="pb-2 text-sm font-medium text-brand-700 hover:underline" onClick={() => { setSearch(""); setFilters(EMPTY); }}>
            Clear filters
          </button>
        )}
        <span aria-live="polite" className="ml-auto pb-2 text-xs text-slate-500">
          {isFetching ? "Loading…" : data ? `${data.length} webhook${data.length === 1 ? "" : "s"}` : ""}
        </span>
      </div>
      {error && <Alert>{(error as Error).message}</Alert>}
      {isPending && <div className="h-40 animate-pulse rounded-lg bg-white ring-1 ring-slate-200" aria-label="Loading webhooks" />}
      {data && data.length === 0 && (
        <EmptyState title="No webhooks match" action={newButton}>No webhook matches these filters. Change the search or clear the filters.</EmptyState>
      )}
      {data && data.length > 0 && (
        <Table label="Webhooks">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Event type</Th>
              <Th>Target URL</Th>
              <Th>Status</Th>
              <Th className="text-right">Success rate (28 days)</Th>
              <Th>Last delivery</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.map((w) => (
              <tr key={w.id} className="hover:bg-slate-50/60">
                <Td className="font-medium">
                  <Link className="text-brand-700 hover:underline" href={`/webhooks/${w.id}`}>{w.name}</Link>
                </Td>
                <Td className="max-w-[16rem] truncate" >{eventTypesLabel(w.eventTypes)}</Td>
                <Td className="max-w-xs truncate font-mono text-xs" ><span title={w.targetUrl}>{w.targetUrl}</span></Td>
                <Td className="whitespace-normal"><WebhookStatusBadge enabled={w.enabled} disabledReason={w.disabledReason} compact /></Td>
                <Td className="text-right tabular-nums">{formatRate(w.successRate)}</Td>
                <Td><span title={formatDateTime(w.lastDeliveryAt)}>{formatRelative(w.lastDeliveryAt)}</span></Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
