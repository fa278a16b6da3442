import { forwardRef, useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { cn } from "./cn";

export const CONTROL =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500";

type TFieldProps = { label: string; error?: string; hint?: ReactNode; /** Hides the label visually (it stays the accessible name). */ hideLabel?: boolean };

function describedBy(id: string, error?: string, hint?: ReactNode): string | undefined {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

function FieldMessages({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  return (
    <>
      {hint && !error && <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p>}
      {error && <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-600">{error}</p>}
    </>
  );
}

function Label({ htmlFor, children, hidden }: { htmlFor: string; children: ReactNode; hidden?: boolean }) {
  return <label htmlFor={htmlFor} className={hidden ? "sr-only" : "mb-1 block text-sm font-medium text-slate-700"}>{children}</label>;
}

export const TextField = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & TFieldProps>(function TextField(
  { label, error, hint, hideLabel, className, id, ...props },
  ref,
) {
  const autoId = useId();
  const inputId = id ?? autoId;
  return (
    <div className={className}>
      <Label htmlFor={inputId} hidden={hideLabel}>{label}</Label>
      <input
        ref={ref}
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(inputId, error, hint)}
        className={cn(CONTROL, error && "ring-red-500")}
        {...props}
      />
      <FieldMessages id={inputId} error={error} hint={hint} />
    </div>
  );
});

export const TextAreaField = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement> & TFieldProps>(function TextAreaField(
  { label, error, hint, hideLabel, className, id, ...props },
  ref,
) {
  const autoId = useId();
  const inputId = id ?? autoId;
  return (
    <div className={className}>
      <Label htmlFor={inputId} hidden={hideLabel}>{label}</Label>
      <textarea
        ref={ref}
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(inputId, error, hint)}
        className={cn(CONTROL, "min-h-[5rem]", error && "ring-red-500")}
        {...props}
      />
      <FieldMessages id={inputId} error={error} hint={hint} />
    </div>
  );
});

export const SelectField = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement> & TFieldProps>(function SelectField(
  { label, error, hint, hideLabel, className, id, children, ...props },
  ref,
) {
  const autoId = useId();
  const selectId = id ?? autoId;
  return (
    <div className={className}>
      <Label htmlFor={selectId} hidden={hideLabel}>{label}</Label>
      <select
        ref={ref}
        id={selectId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(selectId, error, hint)}
        className={cn(CONTROL, "pr-8", error && "ring-red-500")}
        {...props}
      >
        {children}
      </select>
      <FieldMessages id={selectId} error={error} hint={hint} />
    </div>
  );
});

/** A checkbox with its label beside it and an optional description. */
export const CheckboxField = forwardRef<HTMLInputElement, Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { label: ReactNode; description?: ReactNode; error?: string }>(
  function CheckboxField({ label, description, error, className, id, ...props }, ref) {
    const autoId = useId();
    const inputId = id ?? autoId;
    return (
      <div className={cn("flex items-start gap-2.5", className)}>
        <input
          ref={ref}
          id={inputId}
          type="checkbox"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : description ? `${inputId}-description` : undefined}
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 text-brand-600 accent-brand-600 focus:ring-brand-500"
          {...props}
        />
        <div className="text-sm leading-5">
          <label htmlFor={inputId} className="font-medium text-slate-800">{label}</label>
          {description && <p id={`${inputId}-description`} className="text-xs text-slate-500">{description}</p>}
          {error && <p id={`${inputId}-error`} role="alert" className="text-xs text-red-600">{error}</p>}
        </div>
      </div>
    );
  },
);
