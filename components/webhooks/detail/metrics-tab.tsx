"use client";
import { useEffect, useId, useRef, useState } from "react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert, Badge, Card, Table, Td, Th } from "@/components/ui/misc";
import { cn } from "@/components/ui/cn";
import { fetchAttempts, fetchDaily, fetchMetrics, webhookKeys, type TAttempt, type TAttemptFilters, type TAttemptStatusFilter, type TWebhook } from "../queries";
import { formatDateTime, formatRate } from "../format";
import { DailyChart } from "./daily-chart";
import { AttemptDialog } from "./attempt-dialog";
import { RecoverDialog } from "./recover-dialog";
import type { TDetailPermissions } from "./permissions";

/** How often the Metrics tab refreshes while it is shown and the browser tab is visible. */
const LIVE_MS = 2_000;

function MetricCard({ label, value, tone, hint }: { label: string; value: string; tone?: "green" | "red" | "amber" | "blue"; hint?: string }) {
  const id = useId();
  const color = { green: "text-emerald-700", red: "text-red-700", amber: "text-amber-700", blue: "text-brand-700" }[tone ?? "blue"];
  return (
    <Card className="p-4">
      <div role="group" aria-labelledby={id}>
        <p id={id} className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
        <p className={cn("mt-1 text-2xl font-semibold tabular-nums", tone ? color : "text-slate-900")}>{value}</p>
        {hint && <p className="mt-0.5 text-xs text-slate-500">{hint}</p>}
      </div>
    </Card>
  );
}

export function MetricsTab({ webhook, permissions }: { webhook: TWebhook; permissions: TDetailPermissions }) {
  const id = webhook.id;
  const metrics = useQuery({ queryKey: webhookKeys.metrics(id), queryFn: () => fetchMetrics(id), refetchInterval: LIVE_MS });
  const daily = useQuery({ queryKey: webhookKeys.daily(id), queryFn: () => fetchDaily(id), refetchInterval: LIVE_MS * 5 });
  const m = metrics.data;
  // The chart polls less often than the cards; when the cards show new activity it is fetched at
  // once, so it never says "no attempts" beside cards and an attempt list that show some.
  const queryClient = useQueryClient();
  const activity = m ? [m.successful, m.pending, m.inProgress, m.failed, m.skipped].join("/") : null;
  const seenActivity = useRef<string | null>(null);
  useEffect(() => {
    if (activity === null) return;
    if (seenActivity.current !== null && seenActivity.current !== activity) void queryClient.invalidateQueries({ queryKey: webhookKeys.daily(id) });
    seenActivity.current = activity;
  }, [activity, id, queryClient]);

  return (
    <div className="grid gap-6">
      <section aria-label="Message metrics (28 days)">
        <div className="mb-2 flex items-baseline justify-between">
          <h2 className="text-base font-semibold text-slate-900">Messages, last 28 days</h2>
          <p className="text-xs text-slate-500">A message counts once, however many attempts it took.</p>
        </div>
        {metrics.error && <Alert>{(metrics.error as Error).message}</Alert>}
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <MetricCard label="Successful" value={m ? String(m.successful) : "…"} tone="green" />
          <MetricCard label="Pending" value={m ? String(m.pending) : "…"} tone="amber" />
          <MetricCard label="In progress" value={m ? String(m.inProgress) : "…"} tone="blue" />
          <MetricCard label="Failed" value={m ? String(m.failed) : "…"} tone="red" />
          <MetricCard label="Total messages" value={m ? String(m.total) : "…"} hint={m && m.skipped ? `${m.skipped} skipped` : undefined} />
          <MetricCard label="Success rate" value={m ? formatRate(m.successRate) : "…"} hint="Successful ÷ (successful + failed)" />
        </div>
      </section>

      <Card className="p-5">
        <h2 className="mb-3 text-base font-semibold text-slate-900">Attempts per day and duration</h2>
        {daily.data ? <DailyChart days={daily.data} /> : <div className="h-56 animate-pulse rounded bg-slate-100" />}
      </Card>

      <AttemptsSection webhook={webhook} permissions={permissions} />
    </div>
  );
}

const FILTERS: { key: TAttemptStatusFilter; label: string }[] = [
  { key: "all", label: "All" },
  { key: "successful", label: "Successful" },
  { key: "pending", label: "Pending" },
  { key: "failed", label: "Failed" },
  { key: "in_progress", label: "In progress" },
];

function AttemptStatus({ a }: { a: TAttempt }) {
  if (a.trigger === "TEST") return <Badge tone={a.success ? "blue" : "red"}>{a.success ? "Test succeeded" : "Test failed"}</Badge>;
  return (
    <span className="inline-flex items-center gap-1.5">
      <Badge tone={a.success ? "green" : "red"}>{a.success ? "Successful" : "Failed"}</Badge>
      {!a.success && a.messageStatus === "PENDING" && <span className="text-xs text-amber-700">retry scheduled</span>}
      {!a.success && a.messageStatus === "IN_PROGRESS" && <span className="text-xs text-brand-700">retrying</span>}
      {a.trigger === "MANUAL" && <span className="text-xs text-slate-500">manual</span>}
    </span>
  );
}

function AttemptsSection({ webhook, permissions }: { webhook: TWebhook; permissions: TDetailPermissions }) {
  const id = webhook.id;
  const [status, setStatus] = useState<TAttemptStatusFilter>("all");
  const [searchText, setSearchText] = useState("");
  const [q, setQ] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [open, setOpen] = useState<string | null>(null);
  const [recover, setRecover] = useState(false);
  const page = cursors.length - 1;
  const filters: TAttemptFilters = { status, q, from, to };

  useEffect(() => {
    const t = setTimeout(() => setQ(searchText), 300);
    return () => clearTimeout(t);
  }, [searchText]);
  // A filter change starts again from the newest page.
  useEffect(() => setCursors([undefined]), [status, q, from, to]);

  const cursor = cursors[page];
  const { data, error, isPending, isFetching } = useQuery({
    queryKey: [...webhookKeys.attempts(id, filters), cursor ?? "first"],
    queryFn: () => fetchAttempts(id, filters, cursor),
    placeholderData: keepPreviousData,
    // Live while on the newest page; the interval pauses while the browser tab is hidden.
    refetchInterval: page === 0 ? LIVE_MS : false,
  });

  return (
    <section aria-labelledby="attempts-heading" className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div>
          <h2 id="attempts-heading" className="text-base font-semibold text-slate-900">Delivery attempts</h2>
          <p className="text-xs text-slate-500">Last 28 days, newest first · refreshes live{isFetching ? " · updating…" : ""}</p>
        </div>
        {permissions.retry && (
          <Button variant="secondary" size="sm" onClick={() => setRecover(true)}>Recover failed since…</Button>
        )}
      </div>
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-5 py-3">
        <div role="group" aria-label="Attempt status" className="inline-flex rounded-md shadow-sm ring-1 ring-slate-300">
          {FILTERS.map((f, i) => (
            <button
              key={f.key}
              type="button"
              aria-pressed={status === f.key}
              onClick={() => setStatus(f.key)}
              className={cn(
                "px-3 py-1.5 text-sm font-medium",
                i > 0 && "border-l border-slate-300",
                i === 0 && "rounded-l-md",
                i === FILTERS.length - 1 && "rounded-r-md",
                status === f.key ? "bg-brand-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
              )}
            >
              {f.label}
            </button>
          ))}
        </div>
        <TextField label="From" type="datetime-local" className="w-52" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label="To" type="datetime-local" className="w-52" value={to} onChange={(e) => setTo(e.target.value)} />
        <TextField label="Search attempts" type="search" className="min-w-[14rem] flex-1" placeholder="Status code, error, event id, ticket number…" value={searchText} onChange={(e) => setSearchText(e.target.value)} />
      </div>
      {error && <div className="p-4"><Alert>{(error as Error).message}</Alert></div>}
      {isPending && <p className="px-5 py-6 text-sm text-slate-500">Loading attempts…</p>}
      {data && data.attempts.length === 0 && (
        <p className="px-5 py-10 text-center text-sm text-slate-500">
          {status === "all" && !q && !from && !to ? `No delivery attempts in the last 28 days.${webhook.enabled ? "" : " The webhook is disabled: it sends nothing until it is enabled."}` : "No attempts match these filters."}
        </p>
      )}
      {data && data.attempts.length > 0 && (
        <div className="[&>div]:rounded-none [&>div]:shadow-none [&>div]:ring-0">
          <Table label="Delivery attempts">
            <thead>
              <tr>
                <Th>Status</Th>
                <Th className="text-right">Duration (ms)</Th>
                <Th className="text-right">Response code</Th>
                <Th>Executed on</Th>
                <Th>Attempt</Th>
                <Th className="text-right">Actions</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.attempts.map((a) => (
                <tr key={a.id} className="hover:bg-slate-50/60">
                  <Td><AttemptStatus a={a} /></Td>
                  <Td className="text-right tabular-nums">{a.durationMs.toLocaleString()}</Td>
                  <Td className="text-right tabular-nums">{a.statusCode ?? <span className="text-slate-400" title={a.error ?? undefined}>—</span>}</Td>
                  <Td>{formatDateTime(a.startedAt)}</Td>
                  <Td className="text-slate-500">{a.trigger === "TEST" ? "Test" : `#${a.attemptNumber}`}</Td>
                  <Td className="text-right">
                    <Button variant="ghost" size="sm" onClick={() => setOpen(a.id)} aria-label={`Details of the attempt of ${formatDateTime(a.startedAt)}`}>
                      Details
                    </Button>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      )}
      <div className="flex items-center justify-between gap-3 border-t border-slate-200 px-5 py-3 text-sm">
        <span className="text-slate-500">Page {page + 1}</span>
        <div className="flex gap-2">
          <Button variant="secondary" size="sm" disabled={page === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>Newer</Button>
          <Button variant="secondary" size="sm" disabled={!data?.nextCursor} onClick={() => data?.nextCursor && setCursors((c) => [...c, data.nextCursor!])}>Older</Button>
        </div>
      </div>
      <AttemptDialog attemptId={open} onClose={() => setOpen(null)} webhookId={id} canRetry={permissions.retry} />
      {permissions.retry && <RecoverDialog open={recover} onClose={() => setRecover(false)} webhookId={id} />}
    </section>
  );
}
