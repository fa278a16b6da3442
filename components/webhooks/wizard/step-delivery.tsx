"use client";
import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import { AUTH_TYPES, BATCH_MODES, HTTP_METHODS, MAX_CUSTOM_HEADERS, type TAuthInput } from "@/lib/validation/webhook";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { AUTH_LABEL } from "../format";
import { DEFAULT_HEX_HEADER, type TFormValues } from "./form-model";

type TStored = { authSecret: string | null; authType: string; signingSecret: string | null } | null;

const blankToUndefined = (v: string | undefined) => (v === "" || v === undefined ? undefined : v);
const blankToNull = (v: string | number | null) => (v === "" || v === null || v === undefined || Number.isNaN(v) ? null : Number(v));

const AUTH_DEFAULTS: Record<TAuthInput["type"], TAuthInput> = {
  NONE: { type: "NONE" },
  BASIC: { type: "BASIC", username: "" },
  BEARER: { type: "BEARER" },
  API_KEY: { type: "API_KEY", header: "X-API-Key" },
  CERTIFICATE: { type: "CERTIFICATE", cert: "" },
};

const BATCH_LABEL: Record<(typeof BATCH_MODES)[number], string> = { NONE: "No batching: one request per message", TIME: "By time: one request every N seconds", COUNT: "By count: one request per N messages" };

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="grid gap-3 border-t border-slate-200 pt-5 first:border-t-0 first:pt-0">
      <div>
        <h3 id={id} className="text-sm font-semibold text-slate-900">{title}</h3>
        {description && <p className="mt-0.5 text-sm text-slate-600">{description}</p>}
      </div>
      {children}
    </section>
  );
}

/** Step 4: HTTP request, authentication, signing, headers, failure handling, retention and batching. */
export function StepDelivery({ stored }: { stored: TStored }) {
  const { register, control, setValue, formState } = useFormContext<TFormValues>();
  const e = formState.errors;
  const authType = useWatch({ control, name: "auth.type" });
  const hexHeader = useWatch({ control, name: "signing.hexHeader" });
  const batchMode = useWatch({ control, name: "batching.mode" });
  const headers = useFieldArray({ control, name: "customHeaders" });
  const authErrors = e.auth as Record<string, { message?: string }> | undefined;
  const keepHint = stored?.authSecret && stored.authType === authType ? `Stored (${stored.authSecret}). Leave blank to keep it.` : undefined;

  return (
    <div className="grid max-w-3xl gap-6">
      <Section id="http-heading" title="HTTP request">
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label="HTTP method" error={e.method?.message} {...register("method")}>
            {HTTP_METHODS.map((m) => (
              <option key={m} value={m}>{m}</option>
            ))}
          </SelectField>
          <TextField label="Content type" error={e.contentType?.message} spellCheck={false} {...register("contentType")} />
        </div>
      </Section>

      <Section id="auth-heading" title="Authentication" description="How Hookyard proves itself to the receiver. Secrets are encrypted at rest and never shown again.">
        <SelectField
          label="Authentication method"
          value={authType}
          onChange={(ev) => setValue("auth", { ...AUTH_DEFAULTS[ev.target.value as TAuthInput["type"]] }, { shouldDirty: true })}
          error={authErrors?.type?.message}
        >
          {AUTH_TYPES.map((t) => (
            <option key={t} value={t}>{AUTH_LABEL[t]}</option>
          ))}
        </SelectField>
        {authType === "BASIC" && (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="User name" autoComplete="off" error={authErrors?.username?.message} {...register("auth.username")} />
            <TextField label="Password" type="password" autoComplete="new-password" hint={keepHint} error={authErrors?.password?.message} {...register("auth.password", { setValueAs: blankToUndefined })} />
          </div>
        )}
        {authType === "BEARER" && (
          <TextField label="Bearer token" type="password" autoComplete="off" hint={keepHint ?? "Sent as Authorization: Bearer <token>."} error={authErrors?.token?.message} {...register("auth.token", { setValueAs: blankToUndefined })} />
        )}
        {authType === "API_KEY" && (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Header name" spellCheck={false} error={authErrors?.header?.message} {...register("auth.header")} />
            <TextField label="API key value" type="password" autoComplete="off" hint={keepHint} error={authErrors?.value?.message} {...register("auth.value", { setValueAs: blankToUndefined })} />
          </div>
        )}
        {authType === "CERTIFICATE" && (
          <div className="grid gap-4">
            <TextAreaField label="Client certificate (PEM)" rows={4} spellCheck={false} className="font-mono" placeholder="-----BEGIN CERTIFICATE-----" error={authErrors?.cert?.message} {...register("auth.cert")} />
            <TextAreaField label="Private key (PEM)" rows={4} spellCheck={false} placeholder="-----BEGIN PRIVATE KEY-----" hint={keepHint} error={authErrors?.key?.message} {...register("auth.key", { setValueAs: blankToUndefined })} />
            <TextAreaField label="CA certificate (PEM, optional)" rows={3} spellCheck={false} error={authErrors?.ca?.message} {...register("auth.ca", { setValueAs: blankToUndefined })} />
          </div>
        )}
      </Section>

      <Section id="signing-heading" title="Signing" description="Every request carries webhook-id and webhook-timestamp; choose the signature forms your receiver verifies.">
        <CheckboxField label="Standard Webhooks signature" description="webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body> (keyed by the base64 part of the whsec_ secret)." {...register("signing.standard")} />
        <div>
          <CheckboxField
            label="Hex signature (sha256=…)"
            description="sha256=<hex HMAC-SHA256 of the body>, keyed by the secret text as shown (GitHub style)."
            checked={hexHeader !== null}
            onChange={(ev) => setValue("signing.hexHeader", ev.target.checked ? DEFAULT_HEX_HEADER : null, { shouldDirty: true })}
          />
          {hexHeader !== null && (
            <TextField label="Hex signature header" className="ml-6 mt-2 max-w-xs" spellCheck={false} error={(e.signing as Record<string, { message?: string }> | undefined)?.hexHeader?.message} {...register("signing.hexHeader")} />
          )}
        </div>
        <CheckboxField label="Base64 signature" description="X-Webhook-Signature: <base64 HMAC-SHA256 of the body>, keyed by the secret text." {...register("signing.base64")} />
        <p className="text-xs text-slate-600">
          {stored?.signingSecret
            ? `Signing secret: ${stored.signingSecret} (rotate or reveal it on the webhook's page).`
            : "A signing secret (whsec_…) is generated when you save; it is shown once."}
        </p>
      </Section>

      <Section id="headers-heading" title="Custom headers" description="Extra, non-secret headers sent with every request.">
        {headers.fields.length === 0 && <p className="text-sm italic text-slate-500">No custom headers.</p>}
        {headers.fields.map((f, i) => {
          const he = (e.customHeaders as unknown as Record<number, { name?: { message?: string }; value?: { message?: string } }> | undefined)?.[i];
          return (
            <div key={f.id} className="grid grid-cols-[minmax(0,1fr)_minmax(0,1.5fr)_auto] items-start gap-2">
              <TextField label={`Header ${i + 1} name`} hideLabel placeholder="Header name" spellCheck={false} error={he?.name?.message} {...register(`customHeaders.${i}.name`)} />
              <TextField label={`Header ${i + 1} value`} hideLabel placeholder="Value" spellCheck={false} error={he?.value?.message} {...register(`customHeaders.${i}.value`)} />
              <Button variant="ghost" size="sm" className="mt-1" aria-label={`Remove header ${i + 1}`} onClick={() => headers.remove(i)}>Remove</Button>
            </div>
          );
        })}
        <div>
          <Button variant="secondary" size="sm" disabled={headers.fields.length >= MAX_CUSTOM_HEADERS} onClick={() => headers.append({ name: "", value: "" })}>Add header</Button>
        </div>
      </Section>

      <Section id="failures-heading" title="Failures and retention" description="Failed messages are retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.">
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField label="Auto-disable after" type="number" min={0} max={1000} hint="Consecutive failed messages; 0 = never." error={e.autoDisableAfter?.message} {...register("autoDisableAfter", { valueAsNumber: true })} />
          <TextField label="Retention (days)" type="number" min={1} max={365} hint="How long attempts are kept." error={e.logRetentionDays?.message} {...register("logRetentionDays", { valueAsNumber: true })} />
          <TextField label="Loop protection" type="number" min={0} max={20} hint="Max causation depth; 0 = off." error={e.loopThreshold?.message} {...register("loopThreshold", { valueAsNumber: true })} />
        </div>
        <CheckboxField label="Notify admins when a message fails for good" {...register("notifyOnFailure")} />
      </Section>

      <Section id="batching-heading" title="Batching" description="Send several messages in one request as a JSON array.">
        <SelectField label="Batching" error={(e.batching as Record<string, { message?: string }> | undefined)?.mode?.message} {...register("batching.mode")}>
          {BATCH_MODES.map((m) => (
            <option key={m} value={m}>{BATCH_LABEL[m]}</option>
          ))}
        </SelectField>
        {batchMode !== "NONE" && (
          <div className="grid gap-4 sm:grid-cols-2">
            {batchMode === "TIME" ? (
              <TextField label="Interval (seconds)" type="number" min={1} max={3600} error={(e.batching as Record<string, { message?: string }> | undefined)?.intervalSeconds?.message} {...register("batching.intervalSeconds", { setValueAs: blankToNull })} />
            ) : (
              <TextField label="Messages per request" type="number" min={1} max={1000} error={(e.batching as Record<string, { message?: string }> | undefined)?.count?.message} {...register("batching.count", { setValueAs: blankToNull })} />
            )}
            <TextField label="Maximum batch size (optional)" type="number" min={1} max={1000} error={(e.batching as Record<string, { message?: string }> | undefined)?.limit?.message} {...register("batching.limit", { setValueAs: blankToNull })} />
          </div>
        )}
      </Section>
    </div>
  );
}
