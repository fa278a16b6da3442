"use client";
import { useState } from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Alert, Badge, Card, PageHeader } from "@/components/ui/misc";
import { cn } from "@/components/ui/cn";
import { importWebhooksAction, previewImportAction } from "@/app/actions/transfer";
import type { TImportItemPreview, TImportPreview, TImportResult } from "@/lib/domain/transfer";
import { downloadExport } from "./export";

type TFailure = { message: string; details: string[] };

const STATUS: Record<TImportItemPreview["status"], { tone: "green" | "amber" | "red"; label: string }> = {
  ready: { tone: "green", label: "Ready" },
  warning: { tone: "amber", label: "Ready, with warnings" },
  error: { tone: "red", label: "Cannot be imported" },
};

function parseDocument(text: string): { document?: unknown; error?: string } {
  if (!text.trim()) return { error: "Choose an export file or paste its JSON first." };
  try {
    return { document: JSON.parse(text) };
  } catch (error) {
    return { error: `This is not valid JSON: ${(error as Error).message}` };
  }
}

function failureOf(error: { message: string; fieldErrors?: Record<string, string> }): TFailure {
  return { message: error.message, details: Object.entries(error.fieldErrors ?? {}).slice(0, 20).map(([path, message]) => `${path}: ${message}`) };
}

function ItemCard({ item, include, onToggle }: { item: TImportItemPreview; include: boolean; onToggle: (on: boolean) => void }) {
  const status = STATUS[item.status];
  const title = item.name ?? `Webhook #${item.index + 1}`;
  const checkboxId = `include-${item.index}`;
  return (
    <li>
      <Card className={cn("p-4", !include && "opacity-70")}>
        <article aria-label={title}>
          <div className="flex flex-wrap items-start gap-3">
            <input
              id={checkboxId}
              type="checkbox"
              className="mt-1 h-4 w-4 rounded border-slate-300 text-brand-600"
              checked={include}
              disabled={item.status === "error" && !include}
              onChange={(e) => onToggle(e.target.checked)}
            />
            <div className="min-w-0 flex-1">
              <label htmlFor={checkboxId} className="font-medium text-slate-900">Import “{title}”</label>
              <p className="mt-0.5 text-xs text-slate-600">
                {item.eventTypes.join(", ") || "no event type"} → <span className="break-all font-mono">{item.targetUrl ?? "no URL"}</span>
              </p>
              <p className="mt-0.5 text-xs text-slate-600">
                Authentication: {item.auth.type === item.auth.importedAs ? item.auth.type : `${item.auth.type} → imported as ${item.auth.importedAs}`} · created disabled, with a new signing secret
              </p>
            </div>
            <Badge tone={status.tone}>{status.label}</Badge>
          </div>
          {item.resources.length > 0 && (
            <p className="mt-2 text-xs text-slate-600">
              Items:{" "}
              {item.resources.map((r, i) => (
                <span key={r.externalId}>
                  {i > 0 && ", "}
                  <span className={r.found ? "text-slate-800" : "font-medium text-red-700"}>{r.name ? `${r.name} (${r.externalId})` : r.externalId}{r.found ? "" : " — unknown here"}</span>
                </span>
              ))}
            </p>
          )}
          {item.errors.length > 0 && (
            <ul aria-label={`Errors of ${title}`} className="mt-3 list-disc space-y-1 pl-5 text-sm text-red-700">
              {item.errors.map((e, i) => <li key={i}><code className="font-mono text-xs">{e.path}</code>: {e.message}</li>)}
            </ul>
          )}
          {item.warnings.length > 0 && (
            <ul aria-label={`Warnings of ${title}`} className="mt-3 list-disc space-y-1 pl-5 text-sm text-amber-800">
              {item.warnings.map((w, i) => <li key={i}>{w}</li>)}
            </ul>
          )}
        </article>
      </Card>
    </li>
  );
}

export function ImportPage() {
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [preview, setPreview] = useState<TImportPreview | null>(null);
  const [included, setIncluded] = useState<Set<number>>(new Set());
  const [failure, setFailure] = useState<TFailure | null>(null);
  const [result, setResult] = useState<TImportResult | null>(null);
  const [busy, setBusy] = useState<"preview" | "commit" | "export" | null>(null);

  async function runPreview() {
    setFailure(null);
    setResult(null);
    const parsed = parseDocument(text);
    if (parsed.error) return setFailure({ message: parsed.error, details: [] });
    setBusy("preview");
    const res = await previewImportAction({ mode: "preview", document: parsed.document });
    setBusy(null);
    if (!res.ok) {
      setPreview(null);
      return setFailure(failureOf(res.error));
    }
    setPreview(res.data);
    setIncluded(new Set(res.data.webhooks.filter((w) => w.status !== "error").map((w) => w.index)));
  }

  async function commit() {
    const parsed = parseDocument(text);
    if (!preview || parsed.error) return;
    setFailure(null);
    setBusy("commit");
    const res = await importWebhooksAction({ mode: "commit", document: parsed.document, include: [...included].sort((a, b) => a - b) });
    setBusy(null);
    if (!res.ok) return setFailure(failureOf(res.error));
    setResult(res.data);
    setPreview(null);
  }

  async function exportAll() {
    setFailure(null);
    setBusy("export");
    try {
      await downloadExport();
    } catch (error) {
      setFailure({ message: (error as Error).message, details: [] });
    } finally {
      setBusy(null);
    }
  }

  const chosen = preview?.webhooks.filter((w) => included.has(w.index)) ?? [];
  const blocked = chosen.filter((w) => w.status === "error");

  return (
    <div>
      <PageHeader
        title="Import webhooks"
        description="Bring webhooks exported from another organization. Nothing is created until you confirm; imported webhooks start disabled."
        actions={<Button variant="secondary" onClick={exportAll} disabled={busy !== null}>{busy === "export" ? "Exporting…" : "Export this organization's webhooks"}</Button>}
      />
      <Card className="mb-6 p-5">
        <h2 className="text-base font-semibold">1. The export document</h2>
        <p className="mt-1 text-sm text-slate-600">
          An export holds no secrets: each webhook gets a new signing secret, and endpoint authentication (password, token, key) is imported as none unless you add it to the document.
        </p>
        <div className="mt-4 space-y-3">
          <div>
            <label htmlFor="import-file" className="mb-1 block text-sm font-medium text-slate-700">Export file</label>
            <input
              id="import-file"
              type="file"
              accept="application/json,.json"
              className="block text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                setFileName(file.name);
                setText(await file.text());
                setPreview(null);
                setResult(null);
              }}
            />
            {fileName && <p className="mt-1 text-xs text-slate-500">Loaded {fileName}</p>}
          </div>
          <div>
            <label htmlFor="import-json" className="mb-1 block text-sm font-medium text-slate-700">Export document (JSON)</label>
            <textarea
              id="import-json"
              rows={8}
              spellCheck={false}
              className="block w-full rounded-md border-0 px-3 py-2 font-mono text-xs text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500"
              placeholder='{ "version": 1, "webhooks": [ … ] }'
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setPreview(null);
              }}
            />
          </div>
          <Button onClick={runPreview} disabled={busy !== null}>{busy === "preview" ? "Checking…" : "Preview import"}</Button>
        </div>
      </Card>

      {failure && (
        <div className="mb-6">
          <Alert title={failure.message}>
            {failure.details.length > 0 && <ul className="mt-1 list-disc pl-5">{failure.details.map((d) => <li key={d}>{d}</li>)}</ul>}
          </Alert>
        </div>
      )}

      {result && (
        <div className="mb-6">
          <Alert tone={result.failed.length ? "amber" : "green"} title={`Imported ${result.created.length} webhook${result.created.length === 1 ? "" : "s"} (disabled)`}>
            <ul className="mt-1 list-disc pl-5">
              {result.created.map((c) => <li key={c.id}>{c.name}</li>)}
              {result.failed.map((f) => <li key={f.index}>Not created: {f.name ?? `#${f.index + 1}`} — {f.message}</li>)}
            </ul>
            <p className="mt-2">Review them, reveal their new signing secrets, and enable them on the <Link href="/webhooks" className="font-medium underline">Webhooks</Link> page.</p>
          </Alert>
        </div>
      )}

      {preview && (
        <section aria-labelledby="preview-title">
          <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
            <div>
              <h2 id="preview-title" className="text-base font-semibold">2. Preview</h2>
              <p role="status" className="text-sm text-slate-600">
                {preview.summary.total} webhook{preview.summary.total === 1 ? "" : "s"}{preview.source ? ` from ${preview.source}` : ""}: {preview.webhooks.filter((w) => w.status !== "error").length} can be imported
                {preview.webhooks.some((w) => w.status === "error") ? `, ${preview.webhooks.filter((w) => w.status === "error").length} cannot` : ""}.
              </p>
            </div>
            <Button onClick={commit} disabled={busy !== null || chosen.length === 0 || blocked.length > 0}>
              {busy === "commit" ? "Importing…" : `Import ${chosen.length} webhook${chosen.length === 1 ? "" : "s"}`}
            </Button>
          </div>
          {blocked.length > 0 && <div className="mb-3"><Alert tone="amber">Untick the webhooks that cannot be imported, or fix the document and preview again.</Alert></div>}
          <ul className="space-y-3">
            {preview.webhooks.map((item) => (
              <ItemCard
                key={item.index}
                item={item}
                include={included.has(item.index)}
                onToggle={(on) => setIncluded((s) => {
                  const next = new Set(s);
                  if (on) next.add(item.index);
                  else next.delete(item.index);
                  return next;
                })}
              />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
