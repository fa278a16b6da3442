"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { getEventType } from "@/lib/catalog";
import { CheckboxField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { AUTH_LABEL, eventTypesLabel } from "../format";
import { OPERATOR_LABELS, conditionTextFromValue, type TFormValues, type TStepKey } from "./form-model";

export type TOverlap = { state: "idle" | "checking" | "done" | "failed"; webhooks: { id: string; name: string }[] };

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[11rem_minmax(0,1fr)] gap-3 py-2 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

function Block({ title, step, onEdit, children }: { title: string; step: TStepKey; onEdit?: (s: TStepKey) => void; children: ReactNode }) {
  return (
    <section aria-label={`${title} summary`} className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
        {onEdit && (
          <button type="button" className="text-sm font-medium text-brand-700 hover:underline" onClick={() => onEdit(step)} aria-label={`Change ${title.toLowerCase()}`}>
            Change
          </button>
        )}
      </div>
      <dl className="mt-1 divide-y divide-slate-100">{children}</dl>
    </section>
  );
}

/** Step 5: summary, "Enable now", duplicate-send warning. */
export function StepReview({ mode, onEdit, overlap, canToggle, resourceNames }: { mode: "create" | "edit"; onEdit?: (s: TStepKey) => void; overlap: TOverlap; canToggle: boolean; resourceNames: Record<string, string> }) {
  const { register, control } = useFormContext<TFormValues>();
  const v = useWatch({ control }) as TFormValues;
  const type = v.eventTypes?.[0] ? getEventType(v.eventTypes[0]) : null;
  const signing = [v.signing?.standard && "Standard Webhooks", v.signing?.hexHeader && `Hex (${v.signing.hexHeader})`, v.signing?.base64 && "Base64 (X-Webhook-Signature)"].filter(Boolean).join(", ") || "None";

  return (
    <div className="grid max-w-3xl gap-4">
      {overlap.state === "done" && overlap.webhooks.length > 0 && (
        <Alert tone="amber" title="Possible duplicate sends">
          {overlap.webhooks.length === 1 ? "Another webhook" : `${overlap.webhooks.length} other webhooks`} of your organization already send{overlap.webhooks.length === 1 ? "s" : ""} this event type to the same URL for some of the same items:{" "}
          {overlap.webhooks.map((w, i) => (
            <span key={w.id}>
              {i > 0 && ", "}
              <Link className="font-medium underline" href={`/webhooks/${w.id}`} target="_blank">{w.name}</Link>
            </span>
          ))}
          . The receiver would get each event more than once.
        </Alert>
      )}
      <p className="text-sm" aria-live="polite">
        {overlap.state === "checking" && <span className="text-slate-500">Checking for webhooks that would send the same messages…</span>}
        {overlap.state === "done" && overlap.webhooks.length === 0 && <span className="text-emerald-700">No other webhook of your organization sends these events to this URL.</span>}
        {overlap.state === "failed" && <span className="text-amber-700">Could not check for duplicate webhooks.</span>}
      </p>

      <Block title="Overview" step="overview" onEdit={onEdit}>
        <Row label="Name">{v.name}</Row>
        <Row label="Event type">{eventTypesLabel(v.eventTypes ?? [])}</Row>
        <Row label="Target URL"><span className="font-mono text-xs">{v.targetUrl}</span></Row>
        {v.note && <Row label="Note">{v.note}</Row>}
      </Block>
      <Block title="Items" step="items" onEdit={onEdit}>
        <Row label="Items">
          {v.allResources
            ? (type?.allResourcesLabel ?? "All")
            : (v.resources ?? []).map((id) => resourceNames[id] ?? id).join(", ") || "None selected"}
        </Row>
        <Row label="Conditions">
          {(v.conditions ?? []).length === 0
            ? "None"
            : (v.conditions ?? []).map((c, i) => (
                <span key={i} className="block font-mono text-xs">
                  #{c.variable.replace(/^#/, "")} {OPERATOR_LABELS[c.operator]} {c.operator === "exists" ? (c.value === false ? "(absent)" : "") : conditionTextFromValue(c.value)}
                </span>
              ))}
        </Row>
      </Block>
      <Block title="Message" step="message" onEdit={onEdit}>
        <Row label="Template">
          <pre aria-label="Template" className="max-h-48 overflow-auto rounded-md bg-slate-50 p-2 font-mono text-xs leading-5 text-slate-800 ring-1 ring-slate-200">{v.template}</pre>
        </Row>
      </Block>
      <Block title="Delivery" step="delivery" onEdit={onEdit}>
        <Row label="Request">{v.method} · {v.contentType}</Row>
        <Row label="Authentication">{AUTH_LABEL[v.auth?.type ?? "NONE"]}</Row>
        <Row label="Signing">{signing}</Row>
        <Row label="Custom headers">{(v.customHeaders ?? []).length ? (v.customHeaders ?? []).map((h) => h.name).join(", ") : "None"}</Row>
        <Row label="Auto-disable">{v.autoDisableAfter ? `After ${v.autoDisableAfter} consecutive failed messages` : "Never"}</Row>
        <Row label="Failure notice">{v.notifyOnFailure ? "Notify admins" : "Off"}</Row>
        <Row label="Retention">{v.logRetentionDays} days</Row>
        <Row label="Batching">{v.batching?.mode === "NONE" ? "Off" : v.batching?.mode === "TIME" ? `Every ${v.batching.intervalSeconds ?? "?"} s` : `Every ${v.batching?.count ?? "?"} messages`}</Row>
      </Block>

      {canToggle && (
        <div className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
          {mode === "create" ? (
            <CheckboxField label="Enable now" description="Webhooks are saved disabled unless you tick this; you can enable it later from its page." {...register("enabled")} />
          ) : (
            <CheckboxField label="Enabled" description="Untick to stop sending; messages of a disabled webhook are not created." {...register("enabled")} />
          )}
        </div>
      )}
    </div>
  );
}
