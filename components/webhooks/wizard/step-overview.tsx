"use client";
import { Controller, useFormContext, useWatch } from "react-hook-form";
import { EVENT_TYPES, getEventType, type TEventTypeKey } from "@/lib/catalog";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import type { TFormValues } from "./form-model";

/** Option groups of the event type select; types of one family may be combined in one webhook. */
const GROUPS: { label: string; family: string | null; legend: string }[] = [
  { label: "Portal events", family: null, legend: "" },
  { label: "Ticket events", family: "ticket", legend: "Ticket events sent by this webhook" },
  { label: "Hookyard operational events", family: "operational", legend: "Operational events sent by this webhook" },
];
const typesOf = (family: string | null) => EVENT_TYPES.filter((t) => (t.family ?? null) === family);

/** Step 1: name, event type(s), target URL, note. */
export function StepOverview({ onEventTypesChange }: { onEventTypesChange: (next: TEventTypeKey[], previous: TEventTypeKey[]) => void }) {
  const { register, control, formState } = useFormContext<TFormValues>();
  const errors = formState.errors;
  const targetUrl = useWatch({ control, name: "targetUrl" });
  const plainHttp = /^http:\/\//i.test(targetUrl ?? "");

  return (
    <div className="grid max-w-2xl gap-5">
      <TextField label="Name" placeholder="e.g. Alerts to ServiceNow" autoComplete="off" error={errors.name?.message} {...register("name")} />
      <Controller
        control={control}
        name="eventTypes"
        render={({ field, fieldState }) => {
          const selected = field.value ?? [];
          const primary = selected[0] ?? "";
          const family = primary !== "" ? (getEventType(primary).family ?? null) : null;
          const group = GROUPS.find((g) => g.family === family);
          const change = (next: TEventTypeKey[]) => {
            onEventTypesChange(next, selected);
            field.onChange(next);
          };
          return (
            <div>
              <SelectField
                label="Event type"
                value={primary}
                onChange={(e) => change(e.target.value ? [e.target.value as TEventTypeKey] : [])}
                onBlur={field.onBlur}
                error={fieldState.error?.message}
                hint="The event that sends this webhook. Ticket events (or Hookyard's operational events) can be combined in one webhook; each event still sends its own message."
              >
                <option value="">Select an event type…</option>
                {GROUPS.map((g) => (
                  <optgroup key={g.label} label={g.label}>
                    {typesOf(g.family).map((t) => (
                      <option key={t.key} value={t.key}>{t.label}</option>
                    ))}
                  </optgroup>
                ))}
              </SelectField>
              {family !== null && group && (
                <fieldset className="mt-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
                  <legend className="px-1 text-sm font-medium text-slate-700">{group.legend}</legend>
                  <div className="mt-1 grid gap-1.5 sm:grid-cols-2">
                    {typesOf(family).map(({ key }) => {
                      const checked = selected.includes(key);
                      return (
                        <label key={key} className={cn("flex items-center gap-2 text-sm", checked ? "text-slate-900" : "text-slate-600")}>
                          <input
                            type="checkbox"
                            className="h-4 w-4 accent-brand-600"
                            checked={checked}
                            disabled={checked && selected.length === 1}
                            onChange={(e) => change(e.target.checked ? [...selected, key] : selected.filter((k) => k !== key))}
                          />
                          {getEventType(key).label}
                        </label>
                      );
                    })}
                  </div>
                </fieldset>
              )}
            </div>
          );
        }}
      />
      <TextField
        label="Target URL"
        type="url"
        inputMode="url"
        placeholder="https://example.com/hooks/hookyard"
        autoComplete="off"
        spellCheck={false}
        error={errors.targetUrl?.message}
        hint={
          plainHttp ? (
            <span className="text-amber-700">Plain http:// sends the message unencrypted; use https:// unless the receiver is on a trusted network.</span>
          ) : (
            "Where the message is sent. https:// is advised; private and loopback addresses are refused unless this installation allows them."
          )
        }
        {...register("targetUrl")}
      />
      <TextAreaField
        label="Note (optional)"
        rows={3}
        placeholder="What this webhook is for, who owns the receiver…"
        error={errors.note?.message}
        {...register("note", { setValueAs: (v: string | null) => (v === "" || v === null ? null : v) })}
      />
    </div>
  );
}
