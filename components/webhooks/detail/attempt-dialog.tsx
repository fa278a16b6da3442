"use client";
import { useState, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { retryMessageAction } from "@/app/actions/webhooks";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Badge } from "@/components/ui/misc";
import { fetchAttempt, fetchMessage, webhookKeys } from "../queries";
import { MESSAGE_STATUS_LABEL, formatDateTime, formatRelative } from "../format";

export function prettyBody(body: string | null | undefined): string {
  if (!body) return "";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function HeaderTable({ label, headers }: { label: string; headers: Record<string, string | string[]> | null | undefined }) {
  const entries = Object.entries(headers ?? {});
  if (!entries.length) return <p className="text-xs italic text-slate-500">No headers recorded.</p>;
  return (
    <table aria-label={label} className="w-full table-fixed text-left font-mono text-xs">
      <tbody className="divide-y divide-slate-100">
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row" className="w-2/5 py-1 pr-3 align-top font-medium text-slate-600">{k}</th>
            <td className="break-all py-1 text-slate-900">{Array.isArray(v) ? v.join(", ") : v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="mt-5">
      <h3 className="mb-2 text-sm font-semibold text-slate-900">{title}</h3>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-sm font-medium text-slate-900">{children}</dd>
    </div>
  );
}

/** One attempt: request (secrets masked when it was recorded), response, timing, error; Retry now on its message. */
export function AttemptDialog({ attemptId, onClose, webhookId, canRetry }: { attemptId: string | null; onClose: () => void; webhookId: string; canRetry: boolean }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ tone: "red" | "green"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useQuery({ queryKey: webhookKeys.attempt(attemptId ?? ""), queryFn: () => fetchAttempt(attemptId!), enabled: !!attemptId });
  const messageId = attempt.data?.messageId ?? null;
  const message = useQuery({ queryKey: webhookKeys.message(messageId ?? ""), queryFn: () => fetchMessage(messageId!), enabled: !!attemptId && !!messageId, refetchInterval: 2_000 });
  const a = attempt.data;
  const msg = message.data;
  const retryable = !!msg && (msg.status === "FAILED" || msg.status === "PENDING" || msg.status === "SKIPPED");

  async function retry() {
    if (!messageId) return;
    setBusy(true);
    setNotice(null);
    const r = await retryMessageAction({ messageId });
    setBusy(false);
    if (!r.ok) return setNotice({ tone: "red", text: r.error.message });
    setNotice({ tone: "green", text: "Retry queued: the message is being sent again now." });
    await queryClient.invalidateQueries({ queryKey: webhookKeys.message(messageId) });
    await queryClient.invalidateQueries({ queryKey: webhookKeys.detail(webhookId) });
  }

  const close = () => {
    setNotice(null);
    onClose();
  };

  return (
    <Dialog
      open={!!attemptId}
      onClose={close}
      size="xl"
      title="Attempt details"
      description={a ? `${a.trigger === "TEST" ? "Test send" : `Attempt ${a.attemptNumber}${msg ? ` of ${msg.attemptCount}` : ""}`} · ${formatDateTime(a.startedAt)}` : undefined}
      footer={
        <>
          {canRetry && messageId && (
            <Button onClick={retry} disabled={busy || !retryable} title={retryable ? undefined : "Only a failed or pending message can be retried"}>
              {busy ? "Retrying…" : "Retry now"}
            </Button>
          )}
          <Button variant="secondary" onClick={close}>Close</Button>
        </>
      }
    >
      {attempt.error && <Alert>{(attempt.error as Error).message}</Alert>}
      {!a && !attempt.error && <p className="text-sm text-slate-500">Loading…</p>}
      {notice && <div className="mb-4"><Alert tone={notice.tone}>{notice.text}</Alert></div>}
      {a && (
        <div>
          <dl className="grid grid-cols-2 gap-4 rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200 sm:grid-cols-3 lg:grid-cols-6">
            <Fact label="Result">{a.success ? <Badge tone="green">Successful</Badge> : <Badge tone="red">Failed</Badge>}</Fact>
            <Fact label="Response code">{a.statusCode ?? "—"}</Fact>
            <Fact label="Duration">{a.durationMs.toLocaleString()} ms</Fact>
            <Fact label="Attempt">{a.trigger === "TEST" ? "Test" : `${a.attemptNumber} of ${msg?.attemptCount ?? a.message?.attemptCount ?? "?"}`}{a.trigger === "MANUAL" ? " (manual)" : ""}</Fact>
            <Fact label="Message status">{msg ? MESSAGE_STATUS_LABEL[msg.status] ?? msg.status : a.trigger === "TEST" ? "—" : "…"}</Fact>
            <Fact label="Next retry">
              {msg?.status === "PENDING" && msg.nextAttemptAt ? <span title={formatDateTime(msg.nextAttemptAt)}>{formatRelative(msg.nextAttemptAt)}</span> : "—"}
            </Fact>
          </dl>
          {a.error && (
            <div className="mt-4">
              <Alert title="Error">{a.error}{a.errorCode ? ` (${a.errorCode})` : ""}</Alert>
            </div>
          )}
          {msg && (
            <p className="mt-3 text-xs text-slate-500">
              Event {msg.event.externalId ?? msg.event.id} ({msg.event.type}) · message {msg.id}
            </p>
          )}
          <div className="grid gap-x-6 lg:grid-cols-2">
            <Part title="Request">
              <p className="mb-2 break-all font-mono text-xs"><span className="font-semibold">{a.requestMethod}</span> {a.requestUrl}</p>
              <HeaderTable label="Request headers" headers={a.requestHeaders} />
              <pre aria-label="Request body" className="mt-3 max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100">{prettyBody(a.requestBody) || "(no body)"}</pre>
            </Part>
            <Part title="Response">
              <p className="mb-2 text-sm">{a.statusCode ? <>Status <span className="font-semibold">{a.statusCode}</span></> : "No response"}</p>
              <HeaderTable label="Response headers" headers={a.responseHeaders} />
              <pre aria-label="Response body" className="mt-3 max-h-72 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs leading-5 text-slate-800 ring-1 ring-slate-200">{prettyBody(a.responseBody) || "(empty)"}</pre>
              <p className="mt-1 text-xs text-slate-500">The response body is kept as an excerpt.</p>
            </Part>
          </div>
        </div>
      )}
    </Dialog>
  );
}
