"use client";
import { useMemo, useRef, useState } from "react";
import { Controller, useFormContext, useWatch } from "react-hook-form";
import { getEventType } from "@/lib/catalog";
import { payloadJsonSchema, previewTemplate, type TDiagnostic } from "@/lib/templates";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/misc";
import { TemplateEditor, type TTemplateEditorApi } from "../template-editor";
import { sampleText } from "../template-editor/sample";
import { templateVariables, type TFormValues } from "./form-model";

/** Step 3: the JSON template in Monaco, variables, presets, live preview and JSON Schema. */
export function StepMessage({ diagnostics, modelPath }: { diagnostics: readonly TDiagnostic[]; modelPath: string }) {
  const { control, setValue, formState } = useFormContext<TFormValues>();
  const eventTypes = useWatch({ control, name: "eventTypes" });
  const template = useWatch({ control, name: "template" });
  const editorApi = useRef<TTemplateEditorApi | null>(null);
  const [filter, setFilter] = useState("");
  const [schemaOpen, setSchemaOpen] = useState(false);
  const primary = eventTypes[0];
  const variables = useMemo(() => templateVariables(eventTypes), [eventTypes]);
  const editorVariables = useMemo(() => variables.map((v) => ({ token: v.token, caption: v.caption, sample: v.sample })), [variables]);
  const errors = diagnostics.filter((d) => d.severity === "error");
  const warnings = diagnostics.filter((d) => d.severity === "warning");

  const preview = useMemo(() => {
    if (!primary) return "";
    try {
      return previewTemplate(template, primary);
    } catch (e) {
      return `Preview unavailable: ${(e as Error).message}`;
    }
  }, [template, primary]);

  const schema = useMemo(() => {
    if (!primary || errors.length) return null;
    try {
      return JSON.stringify(payloadJsonSchema(template, primary), null, 2);
    } catch {
      return null;
    }
  }, [template, primary, errors.length]);

  if (!primary) return <Alert tone="amber">Choose an event type in the Overview step first.</Alert>;
  const type = getEventType(primary);
  const presets = [{ id: "default", label: "Default", template: type.defaultTemplate }, ...type.presets.map((p) => ({ id: p.id, label: p.id === "slack" ? "Slack" : "Teams", template: p.template }))];
  const shownVariables = variables.filter((v) => !filter || v.token.includes(filter.toLowerCase().replace(/^#?/, "#")) || v.caption.toLowerCase().includes(filter.toLowerCase()));

  const usePreset = (text: string) => {
    // Through the editor (one undoable edit, Ctrl+Z restores); its onChange updates the form.
    if (editorApi.current) editorApi.current.replaceAll(text);
    else setValue("template", text, { shouldDirty: true, shouldValidate: formState.isSubmitted });
  };

  return (
    <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="min-w-0">
        <div className="mb-2 flex flex-wrap items-center gap-2">
          <span id="presets-label" className="text-sm font-medium text-slate-700">Start from:</span>
          <div role="group" aria-labelledby="presets-label" className="flex gap-1.5">
            {presets.map((p) => (
              <Button key={p.id} variant="secondary" size="sm" onClick={() => usePreset(p.template)} aria-label={`Use the ${p.label} preset`}>
                {p.label}
              </Button>
            ))}
          </div>
          <span className="ml-auto text-xs text-slate-500">Type <kbd className="rounded bg-slate-100 px-1 font-mono">#</kbd> for variables · Ctrl+Space for suggestions</span>
        </div>
        <Controller
          control={control}
          name="template"
          render={({ field }) => (
            <TemplateEditor
              path={modelPath}
              label="Payload template"
              value={field.value}
              onChange={field.onChange}
              variables={editorVariables}
              diagnostics={diagnostics}
              height={440}
              onReady={(api) => {
                editorApi.current = api;
              }}
            />
          )}
        />
        <div className="mt-2" aria-live="polite">
          {errors.length === 0 && warnings.length === 0 && <p className="text-xs text-emerald-700">No problems found in the template.</p>}
          {diagnostics.length > 0 && (
            <ul aria-label="Template problems" className="grid gap-1 rounded-md bg-white p-2 text-xs ring-1 ring-slate-200">
              {diagnostics.slice(0, 12).map((d, i) => (
                <li key={i} className={d.severity === "error" ? "text-red-700" : "text-amber-800"}>
                  <span className="font-semibold">{d.severity === "error" ? "Error" : "Warning"}</span> · line {d.line}, column {d.column}: {d.message}
                </li>
              ))}
              {diagnostics.length > 12 && <li className="text-slate-500">…and {diagnostics.length - 12} more</li>}
            </ul>
          )}
          {formState.errors.template?.message && errors.length > 0 && (
            <p role="alert" className="mt-1 text-xs text-red-600">Fix the errors in the template before saving.</p>
          )}
          {formState.errors.template?.message && errors.length === 0 && (
            <p role="alert" className="mt-1 text-xs text-red-600">{formState.errors.template.message}</p>
          )}
        </div>

        <section aria-labelledby="preview-heading" className="mt-6">
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <h3 id="preview-heading" className="text-sm font-semibold text-slate-900">Preview with sample values</h3>
            <span className="text-xs text-slate-500">({type.label})</span>
            <div className="ml-auto flex gap-2">
              <CopyButton text={() => schema ?? ""} label="Copy JSON Schema" copiedLabel="JSON Schema copied" onError={() => setSchemaOpen(true)} />
              <Button variant="ghost" size="sm" onClick={() => setSchemaOpen(true)} disabled={!schema}>View JSON Schema</Button>
            </div>
          </div>
          <pre aria-label="Payload preview" className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100">{preview}</pre>
          <p className="mt-1 text-xs text-slate-500">The exact body sent for an event with these values. The JSON Schema describes it for Power Automate’s “When a HTTP request is received” trigger.</p>
        </section>
      </div>

      <aside aria-labelledby="variables-heading" className="min-w-0 xl:sticky xl:top-4 xl:self-start">
        <div className="rounded-lg bg-white ring-1 ring-slate-200">
          <div className="border-b border-slate-200 p-3">
            <h3 id="variables-heading" className="text-sm font-semibold text-slate-900">Variables</h3>
            <p className="text-xs text-slate-500">Click to insert at the cursor.</p>
            <input
              type="search"
              aria-label="Filter variables"
              placeholder="Filter…"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              className="mt-2 block w-full rounded-md border-0 px-2.5 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500"
            />
          </div>
          <ul aria-label="Variables" className="max-h-[30rem] divide-y divide-slate-100 overflow-y-auto">
            {shownVariables.map((v) => (
              <li key={v.name}>
                <button
                  type="button"
                  className="block w-full px-3 py-2 text-left hover:bg-brand-50 focus-visible:bg-brand-50"
                  aria-label={`Insert ${v.token}: ${v.caption}`}
                  onClick={() => editorApi.current?.insertVariable(v.token)}
                >
                  <span className="block font-mono text-xs font-semibold text-brand-700">{v.token}</span>
                  <span className="block text-xs text-slate-700">{v.caption}</span>
                  <span className="block truncate text-[11px] text-slate-500" title={sampleText(v.sample)}>e.g. {sampleText(v.sample)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      </aside>

      <Dialog
        open={schemaOpen}
        onClose={() => setSchemaOpen(false)}
        title="JSON Schema of the payload"
        description="Paste it into Power Automate’s “Request Body JSON Schema”."
        size="lg"
        footer={<CopyButton text={schema ?? ""} label="Copy JSON Schema" copiedLabel="JSON Schema copied" size="md" />}
      >
        {schema ? (
          <textarea aria-label="JSON Schema" readOnly value={schema} className="h-[50vh] w-full rounded-md bg-slate-50 p-2 font-mono text-xs ring-1 ring-slate-200" />
        ) : (
          <Alert tone="amber">Fix the template errors to get its JSON Schema.</Alert>
        )}
      </Dialog>
    </div>
  );
}
