"use client";
import { useMemo, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { getEventType, isEventTypeKey } from "@/lib/catalog";
import { revealSigningSecretAction, rotateSigningSecretAction } from "@/app/actions/webhooks";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Badge, Card } from "@/components/ui/misc";
import { Tabs } from "@/components/ui/tabs";
import { TemplateEditor } from "../template-editor";
import { webhookKeys, type TWebhook } from "../queries";
import { WebhookStatusBadge } from "../status-badge";
import { AUTH_LABEL, eventTypesLabel, formatDateTime } from "../format";
import { OPERATOR_LABELS, conditionTextFromValue, templateVariables } from "../wizard/form-model";
import { SNIPPET_LANGUAGES, signatureSnippet, type TSnippetLanguage } from "./signature-snippets";
import type { TDetailPermissions } from "./permissions";

export function InfoCard({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Card className="p-4">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <div className="mt-1.5 text-sm font-medium text-slate-900">{children}</div>
    </Card>
  );
}

function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <h2 id={id} className="text-base font-semibold text-slate-900">{title}</h2>
        {actions}
      </div>
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}

function Fields({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid gap-x-6 divide-y divide-slate-100 sm:grid-cols-1">
      {rows.map(([label, value]) => (
        <div key={label} className="grid grid-cols-[10rem_minmax(0,1fr)] gap-3 py-2 text-sm">
          <dt className="text-slate-500">{label}</dt>
          <dd className="min-w-0 break-words text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Status / created / updated cards, overview, resources, template, delivery settings, signing and verification code. */
export function OverviewTab({ webhook: w, permissions }: { webhook: TWebhook; permissions: TDetailPermissions }) {
  const types = w.eventTypes.filter(isEventTypeKey);
  const type = types[0] ? getEventType(types[0]) : null;
  const variables = useMemo(() => templateVariables(types).map((v) => ({ token: v.token, caption: v.caption, sample: v.sample })), [w.eventTypes]);
  const lines = w.template.split("\n").length;
  const batching = w.batching.mode === "NONE" ? "Off" : w.batching.mode === "TIME" ? `Every ${w.batching.intervalSeconds} s` : `Every ${w.batching.count} messages`;

  return (
    <div className="grid gap-6">
      <div className="grid gap-4 sm:grid-cols-3">
        <InfoCard label="Status"><WebhookStatusBadge enabled={w.enabled} disabledReason={w.disabledReason} compact /></InfoCard>
        <InfoCard label="Created on">{formatDateTime(w.createdAt)}</InfoCard>
        <InfoCard label="Updated on">{formatDateTime(w.updatedAt)}</InfoCard>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Overview">
          <Fields
            rows={[
              ["Name", w.name],
              ["Event type", eventTypesLabel(w.eventTypes)],
              ["Created by", w.createdBy ?? "—"],
              ["Updated by", w.updatedBy ?? "—"],
              ["Target URL", <span key="u" className="break-all font-mono text-xs">{w.targetUrl}</span>],
              ...(w.note ? ([["Note", <span key="n" className="whitespace-pre-wrap">{w.note}</span>]] as [string, ReactNode][]) : []),
            ]}
          />
        </Section>
        <Section title="Selected resources">
          {w.allResources ? (
            <p className="text-sm text-slate-700">
              <Badge tone="blue">All</Badge> <span className="ml-1">{type?.allResourcesLabel ?? "Every resource"}</span>
            </p>
          ) : (
            <ul aria-label="Selected resources" className="divide-y divide-slate-100 text-sm">
              {w.resources.map((r) => (
                <li key={r.externalId} className="flex items-center justify-between gap-3 py-1.5">
                  <span className="font-medium text-slate-800">{r.name}</span>
                  <span className="font-mono text-xs text-slate-500">{r.externalId}</span>
                </li>
              ))}
            </ul>
          )}
          <h3 className="mt-4 text-sm font-semibold text-slate-900">Conditions</h3>
          {w.conditions.length === 0 ? (
            <p className="text-sm text-slate-600">None: every matching event sends a message.</p>
          ) : (
            <ul className="mt-1 grid gap-1 font-mono text-xs text-slate-800">
              {(w.conditions as { variable: string; operator: keyof typeof OPERATOR_LABELS; value?: unknown }[]).map((c, i) => (
                <li key={i}>#{c.variable} {OPERATOR_LABELS[c.operator] ?? c.operator} {c.operator === "exists" ? (c.value === false ? "(absent)" : "") : conditionTextFromValue(c.value)}</li>
              ))}
            </ul>
          )}
        </Section>
      </div>

      <Section title="Payload template">
        <TemplateEditor path={`webhook-view-${w.id}.json`} label="Payload template (read-only)" value={w.template} variables={variables} readOnly height={Math.min(560, Math.max(160, lines * 19 + 16))} />
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Delivery">
          <Fields
            rows={[
              ["Request", `${w.method} · ${w.contentType}`],
              ["Authentication", <span key="a">{AUTH_LABEL[w.auth.type] ?? w.auth.type}{w.auth.username ? ` · ${w.auth.username}` : ""}{w.auth.header ? ` · ${w.auth.header}` : ""}{w.auth.secret ? ` · ${w.auth.secret}` : ""}</span>],
              ["Custom headers", w.customHeaders.length ? w.customHeaders.map((h) => `${h.name}: ${h.value}`).join("; ") : "None"],
              ["Auto-disable", w.autoDisableAfter ? `After ${w.autoDisableAfter} consecutive failed messages (now ${w.consecutiveFailures})` : "Never"],
              ["Failure notice", w.notifyOnFailure ? "Admins are notified" : "Off"],
              ["Retention", `${w.logRetentionDays} days`],
              ["Batching", batching],
              ["Loop protection", w.loopThreshold ? `Depth ${w.loopThreshold}` : "Off"],
            ]}
          />
        </Section>
        <SigningSection webhook={w} permissions={permissions} />
      </div>

      <VerificationSection webhook={w} />
    </div>
  );
}

function SigningSection({ webhook: w, permissions }: { webhook: TWebhook; permissions: TDetailPermissions }) {
  const queryClient = useQueryClient();
  const [shown, setShown] = useState<{ title: string; secret: string; note: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const forms = [w.signing.standard && "Standard Webhooks", w.signing.hexHeader && `Hex in ${w.signing.hexHeader}`, w.signing.base64 && "Base64 in X-Webhook-Signature"].filter(Boolean) as string[];

  async function rotate() {
    if (!confirm("Create a new signing secret? The current one keeps signing beside it for 24 hours.")) return;
    setBusy(true);
    const r = await rotateSigningSecretAction({ id: w.id });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setShown({ title: "New signing secret", secret: r.data.signingSecret, note: `Copy it now: it is shown once. The previous secret is accepted until ${formatDateTime(new Date(r.data.previousExpiresAt).toISOString())}.` });
    await queryClient.invalidateQueries({ queryKey: webhookKeys.detail(w.id) });
  }
  async function reveal() {
    setBusy(true);
    const r = await revealSigningSecretAction({ id: w.id });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setShown({ title: "Signing secret", secret: r.data.signingSecret, note: "Revealing a secret is recorded in the audit log." });
  }

  return (
    <Section
      title="Signing"
      actions={
        (permissions.reveal || permissions.configure) && (
          <div className="flex gap-2">
            {permissions.reveal && <Button variant="secondary" size="sm" onClick={reveal} disabled={busy}>Reveal secret</Button>}
            {permissions.configure && <Button variant="secondary" size="sm" onClick={rotate} disabled={busy}>Rotate secret</Button>}
          </div>
        )
      }
    >
      {error && <div className="mb-3"><Alert>{error}</Alert></div>}
      <Fields
        rows={[
          ["Signature forms", forms.length ? forms.join(", ") : "None (unsigned)"],
          [
            "Secrets",
            <ul key="s" className="grid gap-1">
              {w.secrets.map((s) => (
                <li key={s.id} className="font-mono text-xs">
                  whsec_{s.masked} <span className="font-sans text-slate-500">· created {formatDateTime(s.createdAt)}{s.expiresAt ? ` · expires ${formatDateTime(s.expiresAt)}` : ""}</span>
                </li>
              ))}
            </ul>,
          ],
        ]}
      />
      <Dialog open={shown !== null} onClose={() => setShown(null)} title={shown?.title ?? ""} description={shown?.note}>
        <div className="flex items-center gap-2">
          <code aria-label="Signing secret" className="min-w-0 flex-1 break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-xs">{shown?.secret}</code>
          <CopyButton text={shown?.secret ?? ""} label="Copy secret" />
        </div>
      </Dialog>
    </Section>
  );
}

function VerificationSection({ webhook: w }: { webhook: TWebhook }) {
  const [language, setLanguage] = useState<TSnippetLanguage>("node");
  const code = signatureSnippet(language, w.signing);
  if (!code) {
    return (
      <Section title="Signature verification">
        <p className="text-sm text-slate-600">This webhook sends unsigned requests: enable a signature form in its delivery settings so receivers can check that messages come from Hookyard.</p>
      </Section>
    );
  }
  return (
    <Section title="Signature verification" actions={<CopyButton text={code} label="Copy code" />}>
      <p className="mb-3 text-sm text-slate-600">Verify every request in your receiver with the signing secret, over the raw body exactly as received.</p>
      <Tabs<TSnippetLanguage> label="Verification code language" value={language} onChange={setLanguage} tabs={SNIPPET_LANGUAGES}>
        <pre aria-label={`Verification code (${SNIPPET_LANGUAGES.find((l) => l.key === language)?.label})`} className="max-h-[28rem] overflow-auto rounded-md bg-slate-900 p-4 font-mono text-xs leading-5 text-slate-100">{code}</pre>
      </Tabs>
    </Section>
  );
}
