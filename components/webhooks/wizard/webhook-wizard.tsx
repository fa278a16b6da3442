"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { FormProvider, useForm, useWatch, type FieldPath, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getEventType, type TEventTypeKey } from "@/lib/catalog";
import { hasErrors, lintTemplate } from "@/lib/templates";
import { ZWebhookCreate } from "@/lib/validation/webhook";
import { checkOverlapAction, checkTargetUrlAction, createWebhookAction, setWebhookEnabledAction, updateWebhookAction } from "@/app/actions/webhooks";
import { Button } from "@/components/ui/button";
import { Alert, Card, PageHeader } from "@/components/ui/misc";
import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/components/ui/cn";
import { fetchResources, webhookKeys, type TWebhook } from "../queries";
import { STEPS, STEP_FIELDS, createInputFromValues, emptyValues, patchFromValues, stepOfField, valuesFromWebhook, type TFormValues, type TStepKey } from "./form-model";
import { StepOverview } from "./step-overview";
import { StepItems } from "./step-items";
import { StepMessage } from "./step-message";
import { StepDelivery } from "./step-delivery";
import { StepReview, type TOverlap } from "./step-review";

type TProps = {
  mode: "create" | "edit";
  webhook?: TWebhook;
  /** webhook:configure (everything but the template needs it). */
  canConfigure: boolean;
  canToggle: boolean;
};

const resolver = zodResolver(ZWebhookCreate) as unknown as Resolver<TFormValues>;

/**
 * The create / edit wizard: one react-hook-form over the five steps (state is
 * kept when moving between them), each step validated with the shared schema
 * before leaving it, server field errors shown next to their fields, and the
 * form left as it was when a save fails.
 */
export function WebhookWizard({ mode, webhook, canConfigure, canToggle }: TProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const templateOnly = mode === "edit" && !canConfigure;
  const steps = useMemo(() => (templateOnly ? STEPS.filter((s) => s.key === "message" || s.key === "review") : STEPS), [templateOnly]);
  const initial = useMemo(() => (webhook ? valuesFromWebhook(webhook) : emptyValues()), [webhook]);
  const form = useForm<TFormValues>({ resolver, defaultValues: initial, mode: "onTouched" });
  const { control, getValues, setValue, setError, trigger } = form;

  const [index, setIndex] = useState(0);
  const [reached, setReached] = useState(mode === "edit" ? steps.length - 1 : 0);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<{ message: string; details: string[] } | null>(null);
  const [created, setCreated] = useState<{ id: string; signingSecret: string } | null>(null);
  const [overlap, setOverlap] = useState<TOverlap>({ state: "idle", webhooks: [] });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const step = steps[index]!;

  const template = useWatch({ control, name: "template" });
  const eventTypes = useWatch({ control, name: "eventTypes" });
  const diagnostics = useMemo(() => (eventTypes.length ? lintTemplate(template, eventTypes) : []), [template, eventTypes]);
  const kind = eventTypes[0] ? getEventType(eventTypes[0]).resourceKind : null;
  const resources = useQuery({ queryKey: webhookKeys.resources(kind ?? ""), queryFn: () => fetchResources(kind!), enabled: !!kind });
  const resourceNames = useMemo(() => Object.fromEntries((resources.data ?? []).map((r) => [r.externalId, r.name])), [resources.data]);

  const go = (next: number) => {
    setIndex(next);
    setReached((r) => Math.max(r, next));
    setTimeout(() => headingRef.current?.focus(), 0);
  };

  // Entering Review: warn about another webhook sending the same messages (003: duplicate sends).
  useEffect(() => {
    if (step.key !== "review") return;
    const v = getValues();
    let cancelled = false;
    setOverlap({ state: "checking", webhooks: [] });
    checkOverlapAction({ eventTypes: v.eventTypes, targetUrl: v.targetUrl.trim(), allResources: v.allResources, resources: v.resources, excludeId: webhook?.id })
      .then((r) => !cancelled && setOverlap(r.ok ? { state: "done", webhooks: r.data } : { state: "failed", webhooks: [] }))
      .catch(() => !cancelled && setOverlap({ state: "failed", webhooks: [] }));
    return () => {
      cancelled = true;
    };
  }, [step.key, getValues, webhook?.id]);

  function onEventTypesChange(next: TEventTypeKey[], previous: TEventTypeKey[]) {
    const current = getValues("template");
    const before = previous[0] ? getEventType(previous[0]) : null;
    const after = next[0] ? getEventType(next[0]) : null;
    const untouched = current.trim() === "" || (before && [before.defaultTemplate, ...before.presets.map((p) => p.template)].includes(current));
    if (after && untouched && before?.key !== after.key) setValue("template", after.defaultTemplate);
    if (before?.resourceKind !== after?.resourceKind) setValue("resources", []);
  }

  async function validateStep(key: TStepKey): Promise<boolean> {
    const ok = await trigger(STEP_FIELDS[key] as FieldPath<TFormValues>[], { shouldFocus: true });
    if (key === "message" && hasErrors(diagnostics)) {
      setError("template", { type: "lint", message: "Fix the errors in the template first." });
      return false;
    }
    if (!ok) return false;
    if (key === "overview") {
      const r = await checkTargetUrlAction({ url: getValues("targetUrl") });
      if (r.ok && !r.data.allowed) {
        setError("targetUrl", { type: "server", message: `This target is refused: ${r.data.reason}` }, { shouldFocus: true });
        return false;
      }
    }
    return true;
  }

  async function next() {
    setFailure(null);
    if (await validateStep(step.key)) go(index + 1);
  }

  async function jumpTo(target: number) {
    if (target <= index) return go(target);
    // Forward only through valid steps.
    for (let i = index; i < target; i++) {
      if (!(await validateStep(steps[i]!.key))) return go(i);
    }
    go(target);
  }

  function showServerErrors(message: string, fieldErrors: Record<string, string> | undefined) {
    const details: string[] = [];
    let first: number | null = null;
    for (const [path, msg] of Object.entries(fieldErrors ?? {})) {
      const owner = stepOfField(path);
      const at = owner ? steps.findIndex((s) => s.key === owner) : -1;
      if (at >= 0) {
        setError(path as FieldPath<TFormValues>, { type: "server", message: msg });
        first = first === null ? at : Math.min(first, at);
      } else details.push(`${path}: ${msg}`);
    }
    setFailure({ message, details });
    if (first !== null && first !== index) go(first);
  }

  const save = form.handleSubmit(
    async (values) => {
      setSaving(true);
      setFailure(null);
      try {
        if (mode === "create") {
          const result = await createWebhookAction(createInputFromValues(values));
          if (!result.ok) return showServerErrors(result.error.message, result.error.fieldErrors);
          await queryClient.invalidateQueries({ queryKey: webhookKeys.lists() });
          setCreated({ id: result.data.id, signingSecret: result.data.signingSecret });
          return;
        }
        const id = webhook!.id;
        const result = await updateWebhookAction(id, templateOnly ? { template: values.template } : patchFromValues(values));
        if (!result.ok) return showServerErrors(result.error.message, result.error.fieldErrors);
        if (canToggle && !templateOnly && values.enabled !== webhook!.enabled) {
          const toggled = await setWebhookEnabledAction({ id, enabled: values.enabled });
          if (!toggled.ok) return showServerErrors(`Saved, but the status could not be changed: ${toggled.error.message}`, undefined);
        }
        await queryClient.invalidateQueries({ queryKey: webhookKeys.all });
        router.push(`/webhooks/${id}`);
      } catch {
        setFailure({ message: "The save did not reach the server. Your changes are still here; try again.", details: [] });
      } finally {
        setSaving(false);
      }
    },
    (errors) => {
      const paths = Object.keys(errors);
      const at = paths.map((p) => steps.findIndex((s) => s.key === stepOfField(p))).filter((i) => i >= 0);
      setFailure({ message: "Please correct the highlighted fields.", details: at.length ? [] : paths });
      if (at.length) go(Math.min(...at));
    },
  );

  if (created) {
    return (
      <div className="mx-auto max-w-2xl">
        <PageHeader title="Webhook created" description={`${getValues("name")} is saved ${getValues("enabled") ? "and enabled" : "disabled: enable it from its page when you are ready"}.`} />
        <Card className="p-5">
          <h2 className="text-base font-semibold text-slate-900">Signing secret</h2>
          <p className="mt-1 text-sm text-slate-600">Copy it now into your receiver: it is shown once. It verifies the signatures of every request.</p>
          <div className="mt-3 flex items-center gap-2">
            <code aria-label="Signing secret" className="min-w-0 flex-1 break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-900">{created.signingSecret}</code>
            <CopyButton text={created.signingSecret} label="Copy secret" />
          </div>
          <div className="mt-5 flex gap-2">
            <Link href={`/webhooks/${created.id}`} className="inline-flex items-center rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
              Open webhook
            </Link>
            <Link href="/webhooks" className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">Back to the list</Link>
          </div>
        </Card>
      </div>
    );
  }

  const last = index === steps.length - 1;
  const title = mode === "create" ? "New webhook" : templateOnly ? `Edit template: ${webhook!.name}` : `Edit ${webhook!.name}`;

  return (
    <FormProvider {...form}>
      <PageHeader
        title={title}
        description={templateOnly ? "As a template author you can change the message template; the other settings are read-only for you." : "Configure what is sent, where, and how."}
        actions={
          <Link href={webhook ? `/webhooks/${webhook.id}` : "/webhooks"} className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
            Cancel
          </Link>
        }
      />
      <nav aria-label="Wizard steps" className="mb-5">
        <ol className="flex flex-wrap gap-2">
          {steps.map((s, i) => {
            const current = i === index;
            const done = i < index || i <= reached;
            return (
              <li key={s.key} className="min-w-[9rem] flex-1">
                <button
                  type="button"
                  onClick={() => jumpTo(i)}
                  disabled={i > reached + 1}
                  aria-current={current ? "step" : undefined}
                  className={cn(
                    "flex w-full items-center gap-2.5 rounded-lg px-3 py-2 text-left ring-1 transition-colors disabled:cursor-not-allowed disabled:opacity-60",
                    current ? "bg-brand-50 ring-brand-500" : "bg-white ring-slate-200 hover:bg-slate-50",
                  )}
                >
                  <span
                    aria-hidden="true"
                    className={cn(
                      "flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold",
                      current ? "bg-brand-600 text-white" : done ? "bg-brand-100 text-brand-700" : "bg-slate-100 text-slate-500",
                    )}
                  >
                    {i + 1}
                  </span>
                  <span className="min-w-0">
                    <span className="block text-sm font-medium text-slate-900">{s.title}</span>
                    <span className="block truncate text-xs text-slate-500">{s.description}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (last) void save(e);
          else void next();
        }}
      >
        <Card className="p-5 sm:p-6">
          <h2 ref={headingRef} tabIndex={-1} className="mb-4 text-lg font-semibold text-slate-900 focus:outline-none">
            Step {index + 1} of {steps.length}: {step.title}
          </h2>
          {failure && (
            <div className="mb-4">
              <Alert title={failure.message}>
                {failure.details.length > 0 ? (
                  <ul className="list-inside list-disc">
                    {failure.details.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                ) : (
                  "Nothing was lost: your entries are still in the form."
                )}
              </Alert>
            </div>
          )}
          {step.key === "overview" && <StepOverview onEventTypesChange={onEventTypesChange} />}
          {step.key === "items" && <StepItems />}
          {step.key === "message" && <StepMessage diagnostics={diagnostics} modelPath={`webhook-template-${webhook?.id ?? "new"}.json`} />}
          {step.key === "delivery" && (
            <StepDelivery
              stored={webhook ? { authSecret: webhook.auth.secret ?? null, authType: webhook.auth.type, signingSecret: webhook.secrets[0]?.masked ?? null } : null}
            />
          )}
          {step.key === "review" && (
            <StepReview mode={mode} onEdit={templateOnly ? undefined : (k) => jumpTo(steps.findIndex((s) => s.key === k))} overlap={overlap} canToggle={canToggle && !templateOnly} resourceNames={resourceNames} />
          )}
        </Card>

        <div className="mt-4 flex items-center justify-between gap-3">
          <Button variant="secondary" onClick={() => go(index - 1)} disabled={index === 0}>
            Back
          </Button>
          <div className="flex items-center gap-3">
            {step.key === "message" && hasErrors(diagnostics) && <span className="text-sm text-red-700">The template has errors.</span>}
            {last ? (
              <Button type="submit" disabled={saving}>
                {saving ? "Saving…" : mode === "create" ? "Create webhook" : "Save changes"}
              </Button>
            ) : (
              <Button type="submit" disabled={step.key === "message" && hasErrors(diagnostics)}>Next</Button>
            )}
          </div>
        </div>
      </form>
    </FormProvider>
  );
}
