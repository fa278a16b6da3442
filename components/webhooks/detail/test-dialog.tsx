"use client";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { testWebhookAction } from "@/app/actions/webhooks";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Badge } from "@/components/ui/misc";
import { webhookKeys, type TWebhook } from "../queries";
import { prettyBody } from "./attempt-dialog";

type TResult = { ok: boolean; statusCode: number | null; durationMs: number; bodyExcerpt: string | null; error: string | null; requestBody: string | null };

/** Test (003): send the raw template, or the template with sample values, now; show what the receiver answered. */
export function TestDialog({ open, onClose, webhook }: { open: boolean; onClose: () => void; webhook: TWebhook }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<"sample" | "raw">("sample");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function send() {
    setBusy(true);
    setResult(null);
    setFailure(null);
    const r = await testWebhookAction({ id: webhook.id, mode });
    setBusy(false);
    if (!r.ok) return setFailure(r.error.message);
    setResult(r.data);
    await queryClient.invalidateQueries({ queryKey: webhookKeys.detail(webhook.id) });
  }

  return (
    <Dialog
      open={open}
      onClose={() => {
        setResult(null);
        setFailure(null);
        onClose();
      }}
      size="lg"
      title={`Test ${webhook.name}`}
      description={<>Sends one request to <span className="break-all font-mono text-xs">{webhook.targetUrl}</span> now, signed and authenticated like a real message. Test sends are not counted in the metrics.</>}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Close</Button>
          <Button onClick={send} disabled={busy}>{busy ? "Sending…" : "Send test"}</Button>
        </>
      }
    >
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Message content</legend>
        <div className="mt-2 grid gap-2">
          <label className="flex items-start gap-2.5 text-sm">
            <input type="radio" name="test-mode" className="mt-0.5 accent-brand-600" checked={mode === "sample"} onChange={() => setMode("sample")} />
            <span>
              <span className="font-medium text-slate-800">Sample data</span>
              <span className="block text-xs text-slate-500">Variables replaced with realistic sample values.</span>
            </span>
          </label>
          <label className="flex items-start gap-2.5 text-sm">
            <input type="radio" name="test-mode" className="mt-0.5 accent-brand-600" checked={mode === "raw"} onChange={() => setMode("raw")} />
            <span>
              <span className="font-medium text-slate-800">Raw template</span>
              <span className="block text-xs text-slate-500">The template as written, variables not replaced: checks connectivity and format.</span>
            </span>
          </label>
        </div>
      </fieldset>
      {failure && <div className="mt-4"><Alert>{failure}</Alert></div>}
      {result && (
        <section aria-label="Test result" className="mt-5 rounded-lg ring-1 ring-slate-200">
          <div className="flex flex-wrap items-center gap-4 border-b border-slate-200 px-4 py-3 text-sm">
            {result.ok ? <Badge tone="green">Delivered</Badge> : <Badge tone="red">Failed</Badge>}
            <span>Status <span className="font-semibold tabular-nums">{result.statusCode ?? "—"}</span></span>
            <span>Duration <span className="font-semibold tabular-nums">{result.durationMs} ms</span></span>
          </div>
          <div className="grid gap-3 p-4">
            {result.error && <Alert title="Error">{result.error}</Alert>}
            <div>
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Response body (excerpt)</h3>
              <pre aria-label="Response body" className="max-h-48 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs ring-1 ring-slate-200">{prettyBody(result.bodyExcerpt) || "(empty)"}</pre>
            </div>
            <details>
              <summary className="cursor-pointer text-xs font-medium text-slate-600">Request body sent</summary>
              <pre className="mt-1 max-h-48 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{prettyBody(result.requestBody) || "(no body)"}</pre>
            </details>
          </div>
        </section>
      )}
    </Dialog>
  );
}
