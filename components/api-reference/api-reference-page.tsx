"use client";
import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { TextField } from "@/components/ui/field";
import { Alert, Badge, Card, PageHeader } from "@/components/ui/misc";
import { cn } from "@/components/ui/cn";
import { fetchJson } from "@/components/settings/queries";
import type { TOpenApiDocument, TOperation, TParameter } from "@/lib/openapi/document";
import { SchemaView } from "./schema-view";
import { RichText } from "./rich-text";
import { curlExample, refName, typeLabel, constraintsOf, type TSchema, type TSchemas } from "./schema";
import { apiReferenceKeys } from "./queries";

const METHOD_TONES: Record<string, string> = {
  get: "bg-sky-50 text-sky-800 ring-sky-600/20",
  post: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  put: "bg-amber-50 text-amber-800 ring-amber-600/20",
  patch: "bg-violet-50 text-violet-800 ring-violet-600/20",
  delete: "bg-red-50 text-red-800 ring-red-600/20",
};

type TEntry = { method: string; path: string; op: TOperation };

const anchorOf = (e: { op: TOperation }) => `op-${e.op.operationId}`;
const tagAnchor = (tag: string) => `tag-${tag.toLowerCase().replace(/\W+/g, "-")}`;

function MethodBadge({ method }: { method: string }) {
  return <span className={cn("inline-flex w-16 justify-center rounded-md px-2 py-0.5 font-mono text-xs font-semibold uppercase ring-1 ring-inset", METHOD_TONES[method])}>{method}</span>;
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="rounded px-2 py-1 text-xs font-medium text-slate-200 hover:bg-slate-700 hover:text-white focus:outline-none focus:ring-2 focus:ring-brand-500"
      aria-label={label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          setCopied(false);
        }
      }}
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

function CodeBlock({ code, label }: { code: string; label: string }) {
  return (
    <div className="relative">
      <div className="absolute right-1 top-1"><CopyButton text={code} label={`Copy ${label}`} /></div>
      <pre aria-label={label} className="overflow-x-auto rounded-md bg-slate-900 p-3 pr-16 font-mono text-xs leading-relaxed text-slate-100">{code}</pre>
    </div>
  );
}

function ParametersTable({ parameters, schemas }: { parameters: TParameter[]; schemas: TSchemas }) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr><th scope="col" className="px-3 py-2">Name</th><th scope="col" className="px-3 py-2">In</th><th scope="col" className="px-3 py-2">Type</th><th scope="col" className="px-3 py-2">Details</th></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {parameters.map((p) => (
            <tr key={`${p.in}:${p.name}`}>
              <td className="whitespace-nowrap px-3 py-2">
                <code className="font-mono font-semibold text-slate-900">{p.name}</code>
                {p.required && <span className="ml-2"><Badge tone="amber">required</Badge></span>}
              </td>
              <td className="px-3 py-2 text-xs text-slate-600">{p.in}</td>
              <td className="px-3 py-2 font-mono text-xs text-brand-700">{typeLabel(p.schema as TSchema, schemas)}</td>
              <td className="px-3 py-2 text-xs text-slate-600">
                {[p.description, ...constraintsOf(p.schema as TSchema), p.example !== undefined ? `example ${JSON.stringify(p.example)}` : null].filter(Boolean).join(" · ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OperationCard({ entry, doc, baseUrl }: { entry: TEntry; doc: TOpenApiDocument; baseUrl: string }) {
  const { op, method, path } = entry;
  const schemas = doc.components.schemas as TSchemas;
  const body = op.requestBody?.content["application/json"];
  const bodySchema = body?.schema as TSchema | undefined;
  const paramsExample = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === "path" && p.example !== undefined).map((p) => [p.name, p.example]));
  const queryExample = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === "query" && p.example !== undefined).map((p) => [p.name, p.example]));
  const curl = curlExample({
    baseUrl,
    method,
    path,
    params: paramsExample,
    query: queryExample,
    body: body?.example,
    auth: op.security.some((s) => "apiKey" in s || "metricsToken" in s) ? "bearer" : "none",
    tokenVariable: op.security.some((s) => "metricsToken" in s) ? "METRICS_TOKEN" : undefined,
  });
  const headingId = `${anchorOf(entry)}-title`;
  return (
    <Card className="scroll-mt-20 p-5" id={anchorOf(entry)}>
      <article aria-labelledby={headingId}>
        <header className="flex flex-wrap items-center gap-3">
          <MethodBadge method={method} />
          <h3 id={headingId} className="font-mono text-sm font-semibold text-slate-900">
            <span className="sr-only">{method.toUpperCase()} </span>
            {path}
          </h3>
          <span className="text-sm text-slate-600">— {op.summary}</span>
          {op.security.length === 0 && <Badge tone="gray">public</Badge>}
          {op.security.length === 1 && "session" in op.security[0]! && <Badge tone="gray">signed-in members only</Badge>}
        </header>
        {op.description && (
          <div className="mt-3 space-y-2 text-sm text-slate-700">
            {op.description.split("\n\n").map((para) => <p key={para}><RichText text={para} /></p>)}
          </div>
        )}
        {op.parameters && op.parameters.length > 0 && (
          <section className="mt-4">
            <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Parameters</h4>
            <ParametersTable parameters={op.parameters} schemas={schemas} />
          </section>
        )}
        {bodySchema && (
          <section className="mt-4">
            <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
              Request body <span className="font-mono normal-case text-brand-700">{bodySchema.$ref ? refName(bodySchema.$ref) : "JSON"}</span>
            </h4>
            <SchemaView schema={bodySchema} schemas={schemas} />
          </section>
        )}
        <section className="mt-4">
          <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Responses</h4>
          <ul className="space-y-2">
            {Object.entries(op.responses).map(([status, response]) => {
              const resolved = "$ref" in response ? doc.components.responses[refName(response.$ref)] : response;
              const content = resolved?.content ? Object.entries(resolved.content)[0] : undefined;
              const schema = content?.[1].schema as TSchema | undefined;
              const ok = status.startsWith("2");
              return (
                <li key={status} className="text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={ok ? "green" : "red"}>{status}</Badge>
                    <span className="text-slate-700"><RichText text={resolved?.description ?? ""} /></span>
                    {schema && <span className="font-mono text-xs text-brand-700">{content![0] !== "application/json" ? content![0] : typeLabel(schema, schemas)}</span>}
                  </div>
                  {ok && schema && content![0] === "application/json" && (
                    <details className="mt-1 pl-2">
                      <summary className="cursor-pointer select-none text-xs font-medium text-brand-700">Response fields</summary>
                      <div className="mt-2"><SchemaView schema={schema} schemas={schemas} /></div>
                    </details>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
        <section className="mt-4">
          <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Example request</h4>
          <CodeBlock code={curl} label={`Example request for ${method.toUpperCase()} ${path}`} />
        </section>
      </article>
    </Card>
  );
}

export function ApiReferencePage() {
  const { data: doc, error, isLoading } = useQuery({ queryKey: apiReferenceKeys.document(), queryFn: () => fetchJson<TOpenApiDocument>("/api/v1/openapi.json"), staleTime: Infinity });
  const [filter, setFilter] = useState("");
  const baseUrl = typeof window === "undefined" ? "" : window.location.origin;

  const groups = useMemo(() => {
    if (!doc) return [];
    const entries: TEntry[] = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })));
    const needle = filter.trim().toLowerCase();
    const match = (e: TEntry) => !needle || `${e.method} ${e.path} ${e.op.summary} ${e.op.operationId} ${e.op.tags.join(" ")}`.toLowerCase().includes(needle);
    return doc.tags
      .map((tag) => ({ tag, entries: entries.filter((e) => e.op.tags[0] === tag.name && match(e)) }))
      .filter((g) => g.entries.length > 0);
  }, [doc, filter]);

  return (
    <div>
      <PageHeader
        title="API reference"
        description={<>Hookyard REST API {doc ? `v${doc.info.version}` : ""} — OpenAPI 3.1, generated from the schemas the API validates with.</>}
        actions={<a href="/api/v1/openapi.json" className="text-sm font-medium text-brand-700 hover:underline" download="hookyard-openapi.json">Download openapi.json</a>}
      />
      {error && <Alert>{(error as Error).message}</Alert>}
      {isLoading && <p role="status" className="text-sm text-slate-600">Loading the API description…</p>}
      {doc && (
        <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
          <aside className="lg:sticky lg:top-4 lg:self-start">
            <TextField label="Filter endpoints" placeholder="e.g. webhooks, POST, audit" value={filter} onChange={(e) => setFilter(e.target.value)} />
            <nav aria-label="API sections" className="mt-4">
              <ul className="space-y-3 text-sm">
                {groups.map((g) => (
                  <li key={g.tag.name}>
                    <a href={`#${tagAnchor(g.tag.name)}`} className="font-semibold text-slate-800 hover:text-brand-700">{g.tag.name}</a>
                    <ul className="mt-1 space-y-0.5">
                      {g.entries.map((e) => (
                        <li key={anchorOf(e)}>
                          <a href={`#${anchorOf(e)}`} className="flex items-center gap-2 text-xs text-slate-600 hover:text-brand-700">
                            <span className="w-12 font-mono uppercase">{e.method}</span>
                            <span className="truncate">{e.op.summary}</span>
                          </a>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </nav>
          </aside>
          <div className="min-w-0 space-y-10">
            <Card className="p-5 text-sm text-slate-700">
              <h2 className="text-base font-semibold text-slate-900">Authentication</h2>
              <p className="mt-2"><RichText text={doc.info.description} /></p>
              <p className="mt-2">Base URL: <code className="font-mono text-xs">{baseUrl || "/"}</code> · Create keys in Settings → API keys; a key&apos;s role limits what it may do.</p>
            </Card>
            {groups.length === 0 && <p className="text-sm text-slate-600">No endpoint matches “{filter}”.</p>}
            {groups.map((g) => (
              <section key={g.tag.name} aria-labelledby={tagAnchor(g.tag.name)} className="space-y-4">
                <div>
                  <h2 id={tagAnchor(g.tag.name)} className="scroll-mt-20 text-xl font-semibold text-slate-900">{g.tag.name}</h2>
                  <p className="text-sm text-slate-600">{g.tag.description}</p>
                </div>
                {g.entries.map((e) => <OperationCard key={anchorOf(e)} entry={e} doc={doc} baseUrl={baseUrl} />)}
              </section>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
