"use client";
import { useMemo, useState } from "react";
import { Controller, useFieldArray, useFormContext, useWatch } from "react-hook-form";
import { useQuery } from "@tanstack/react-query";
import { getEventType, MAX_CONDITIONS } from "@/lib/catalog";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { fetchResources, webhookKeys } from "../queries";
import {
  OPERATOR_LABELS,
  commonVariables,
  conditionTextFromValue,
  conditionValueFromText,
  operatorsFor,
  type TCondition,
  type TFormValues,
} from "./form-model";

const KIND_NOUN: Record<string, [singular: string, plural: string]> = {
  alert: ["alert", "alerts"],
  microservice: ["microservice", "microservices"],
  entity_type: ["object", "objects"],
  operation: ["operation", "operations"],
  board: ["board", "boards"],
};

/** Step 2: the resources that send the webhook (or all of them), and optional conditions. */
export function StepItems() {
  const { control, formState } = useFormContext<TFormValues>();
  const eventTypes = useWatch({ control, name: "eventTypes" });
  const allResources = useWatch({ control, name: "allResources" });
  const type = eventTypes[0] ? getEventType(eventTypes[0]) : null;
  const kind = type?.resourceKind ?? null;
  const [singular, plural] = KIND_NOUN[kind ?? ""] ?? ["item", "items"];

  if (!type) return <Alert tone="amber">Choose an event type in the Overview step first.</Alert>;

  return (
    <div className="grid gap-8">
      <section aria-labelledby="items-heading" className="max-w-3xl">
        <h3 id="items-heading" className="text-sm font-semibold text-slate-900">Items</h3>
        <p className="mt-0.5 text-sm text-slate-600">
          {type.key === "operation.workspace_executed"
            ? "The operations that send a webhook for each device on which they ran."
            : `The ${plural} whose events send this webhook.`}
        </p>
        {kind ? (
          <div className="mt-3 grid gap-3">
            <Controller
              control={control}
              name="allResources"
              render={({ field }) => (
                <CheckboxField
                  label={type.allResourcesLabel ?? `Send webhook for all ${plural}`}
                  description={field.value ? `Every ${singular}, including ones added later.` : `Only the ${plural} selected below.`}
                  checked={field.value}
                  onChange={(e) => field.onChange(e.target.checked)}
                  onBlur={field.onBlur}
                />
              )}
            />
            {!allResources && (
              <Controller
                control={control}
                name="resources"
                render={({ field, fieldState }) => (
                  <ResourcePicker kind={kind} noun={plural} value={field.value} onChange={field.onChange} error={fieldState.error?.message ?? formState.errors.resources?.root?.message} />
                )}
              />
            )}
          </div>
        ) : (
          <p className="mt-3 text-sm text-slate-600">This event type has no items to choose from: every event sends the webhook.</p>
        )}
      </section>
      <ConditionsEditor />
    </div>
  );
}

function ResourcePicker({ kind, noun, value, onChange, error }: { kind: string; noun: string; value: string[]; onChange: (v: string[]) => void; error?: string }) {
  const [search, setSearch] = useState("");
  const { data, isPending, error: loadError } = useQuery({ queryKey: webhookKeys.resources(kind), queryFn: () => fetchResources(kind) });
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (data ?? []).filter((r) => !q || r.name.toLowerCase().includes(q) || r.externalId.toLowerCase().includes(q));
  }, [data, search]);
  const selected = new Set(value);
  const unknown = value.filter((id) => data && !data.some((r) => r.externalId === id));

  return (
    <div className="rounded-lg bg-white ring-1 ring-slate-200">
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-3">
        <TextField label={`Search ${noun}`} hideLabel type="search" placeholder={`Search ${noun}…`} className="w-64" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Button variant="secondary" size="sm" onClick={() => onChange([...new Set([...value, ...shown.map((r) => r.externalId)])])} disabled={shown.length === 0}>
          Select all shown
        </Button>
        <Button variant="ghost" size="sm" onClick={() => onChange([])} disabled={value.length === 0}>
          Clear selection
        </Button>
        <span aria-live="polite" className="ml-auto text-sm text-slate-600">{value.length} selected</span>
      </div>
      {loadError && <div className="p-3"><Alert>{(loadError as Error).message}</Alert></div>}
      {isPending && <p className="p-3 text-sm text-slate-500">Loading {noun}…</p>}
      {data && (
        <ul aria-label={`Available ${noun}`} className="max-h-64 divide-y divide-slate-100 overflow-y-auto">
          {shown.length === 0 && <li className="p-3 text-sm text-slate-500">No {noun} match “{search}”.</li>}
          {shown.map((r) => (
            <li key={r.id}>
              <label className="flex cursor-pointer items-center gap-3 px-3 py-2 text-sm hover:bg-slate-50">
                <input
                  type="checkbox"
                  className="h-4 w-4 accent-brand-600"
                  checked={selected.has(r.externalId)}
                  onChange={(e) => onChange(e.target.checked ? [...value, r.externalId] : value.filter((id) => id !== r.externalId))}
                />
                <span className="font-medium text-slate-800">{r.name}</span>
                <span className="ml-auto font-mono text-xs text-slate-500">{r.externalId}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {unknown.length > 0 && <p className="border-t border-slate-200 p-3 text-xs text-amber-800">No longer known: {unknown.join(", ")} (remove them before saving).</p>}
      {error && <p role="alert" className="border-t border-slate-200 p-3 text-xs text-red-600">{error}</p>}
    </div>
  );
}

function ConditionsEditor() {
  const { control, formState } = useFormContext<TFormValues>();
  const eventTypes = useWatch({ control, name: "eventTypes" });
  const { fields, append, remove } = useFieldArray({ control, name: "conditions" });
  const variables = useMemo(() => commonVariables(eventTypes), [eventTypes]);
  const rootError = formState.errors.conditions?.root?.message ?? formState.errors.conditions?.message;

  return (
    <section aria-labelledby="conditions-heading" className="max-w-4xl">
      <h3 id="conditions-heading" className="text-sm font-semibold text-slate-900">Conditions (optional)</h3>
      <p className="mt-0.5 text-sm text-slate-600">Send only when every condition holds. Leave empty to send for every matching event.</p>
      <div className="mt-3 grid gap-2">
        {fields.map((f, index) => (
          <ConditionRow key={f.id} index={index} variables={variables} onRemove={() => remove(index)} />
        ))}
        {fields.length === 0 && <p className="text-sm italic text-slate-500">No conditions.</p>}
        {rootError && <p role="alert" className="text-xs text-red-600">{rootError}</p>}
        <div>
          <Button
            variant="secondary"
            size="sm"
            disabled={fields.length >= MAX_CONDITIONS || variables.length === 0}
            onClick={() => {
              const v = variables.find((x) => x.name !== "event_type") ?? variables[0]!;
              append({ variable: v.name, operator: "equals", value: "" } as TCondition);
            }}
          >
            Add condition
          </Button>
        </div>
      </div>
    </section>
  );
}

function ConditionRow({ index, variables, onRemove }: { index: number; variables: { name: string; token: string; caption: string }[]; onRemove: () => void }) {
  const { control, setValue, formState } = useFormContext<TFormValues>();
  const condition = useWatch({ control, name: `conditions.${index}` }) as TCondition;
  const [text, setText] = useState(() => conditionTextFromValue(condition?.value));
  const errors = (formState.errors.conditions as unknown as Record<number, { variable?: { message?: string }; operator?: { message?: string }; value?: { message?: string } }> | undefined)?.[index];
  const n = index + 1;
  if (!condition) return null;
  const operators = operatorsFor(condition.variable);
  const known = variables.some((v) => v.name === condition.variable.replace(/^#/, ""));

  const update = (variable: string, operator: TCondition["operator"], nextText: string) => {
    const op = operatorsFor(variable).includes(operator) ? operator : operatorsFor(variable)[0]!;
    const t = op === "exists" && nextText !== "false" ? "true" : nextText;
    setText(t);
    setValue(`conditions.${index}`, { variable, operator: op, value: conditionValueFromText(t, variable, op) } as TCondition, { shouldDirty: true, shouldValidate: formState.isSubmitted });
  };

  return (
    <div className="grid grid-cols-[minmax(0,1.3fr)_minmax(0,1fr)_minmax(0,1.3fr)_auto] items-start gap-2 rounded-md bg-white p-2 ring-1 ring-slate-200">
      <SelectField label={`Condition ${n} variable`} hideLabel value={condition.variable.replace(/^#/, "")} error={errors?.variable?.message} onChange={(e) => update(e.target.value, condition.operator, text)}>
        {!known && <option value={condition.variable}>#{condition.variable.replace(/^#/, "")}</option>}
        {variables.map((v) => (
          <option key={v.name} value={v.name}>{v.token} — {v.caption}</option>
        ))}
      </SelectField>
      <SelectField label={`Condition ${n} operator`} hideLabel value={condition.operator} error={errors?.operator?.message} onChange={(e) => update(condition.variable, e.target.value as TCondition["operator"], text)}>
        {operators.map((op) => (
          <option key={op} value={op}>{OPERATOR_LABELS[op]}</option>
        ))}
      </SelectField>
      {condition.operator === "exists" ? (
        <SelectField label={`Condition ${n} value`} hideLabel value={text === "false" ? "false" : "true"} error={errors?.value?.message} onChange={(e) => update(condition.variable, "exists", e.target.value)}>
          <option value="true">yes (has a value)</option>
          <option value="false">no (absent)</option>
        </SelectField>
      ) : (
        <TextField
          label={`Condition ${n} value`}
          hideLabel
          value={text}
          placeholder={condition.operator === "in" ? "Values, separated by commas" : "Value"}
          error={errors?.value?.message}
          onChange={(e) => update(condition.variable, condition.operator, e.target.value)}
        />
      )}
      <Button variant="ghost" size="sm" className="mt-1" aria-label={`Remove condition ${n}`} onClick={onRemove}>
        Remove
      </Button>
    </div>
  );
}
