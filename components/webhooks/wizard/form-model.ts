/**
 * The wizard's form: values shaped exactly like the shared create schema
 * (ZWebhookCreate, used as the zodResolver), the steps and which fields each
 * one owns, and conversions from a stored webhook and to a patch.
 */
import { CONDITION_OPERATORS_BY_TYPE, getEventType, isEventTypeKey, VARIABLE_TYPES, type TConditionOperator, type TEventTypeKey, type TVariableType } from "@/lib/catalog";
import type { TAuthInput, TWebhookCreate, TWebhookPatch } from "@/lib/validation/webhook";
import type { TWebhook } from "../queries";

export type TFormValues = TWebhookCreate;
export type TCondition = TFormValues["conditions"][number];

export type TStepKey = "overview" | "items" | "message" | "delivery" | "review";

export const STEPS: { key: TStepKey; title: string; description: string }[] = [
  { key: "overview", title: "Overview", description: "Name, event type and target URL" },
  { key: "items", title: "Items", description: "Which resources send it, and conditions" },
  { key: "message", title: "Message", description: "The JSON template" },
  { key: "delivery", title: "Delivery", description: "HTTP, authentication and signing" },
  { key: "review", title: "Review", description: "Check and save" },
];

/** Top-level form fields validated when leaving each step. */
export const STEP_FIELDS: Record<TStepKey, (keyof TFormValues)[]> = {
  overview: ["name", "eventTypes", "targetUrl", "note"],
  items: ["allResources", "resources", "conditions"],
  message: ["template"],
  delivery: ["method", "contentType", "auth", "signing", "customHeaders", "autoDisableAfter", "notifyOnFailure", "logRetentionDays", "batching", "loopThreshold"],
  review: ["enabled"],
};

/** The step that owns a field path such as "auth.password" or "conditions.0.value". */
export function stepOfField(path: string): TStepKey | null {
  const top = path.split(".")[0] as keyof TFormValues;
  for (const s of STEPS) if (STEP_FIELDS[s.key].includes(top)) return s.key;
  return null;
}

export const DEFAULT_HEX_HEADER = "X-Hookyard-Signature";

export function emptyValues(): TFormValues {
  return {
    name: "",
    eventTypes: [],
    targetUrl: "",
    allResources: true,
    resources: [],
    template: "",
    conditions: [],
    note: null,
    enabled: false,
    method: "POST",
    contentType: "application/json",
    customHeaders: [],
    signing: { standard: true, hexHeader: null, base64: false },
    auth: { type: "NONE" },
    autoDisableAfter: 0,
    notifyOnFailure: true,
    logRetentionDays: 28,
    batching: { mode: "NONE", intervalSeconds: null, count: null, limit: null },
    loopThreshold: 3,
  };
}

export function authFromView(auth: TWebhook["auth"]): TAuthInput {
  switch (auth.type) {
    case "BASIC":
      return { type: "BASIC", username: auth.username ?? "" };
    case "BEARER":
      return { type: "BEARER" };
    case "API_KEY":
      return { type: "API_KEY", header: auth.header ?? "X-API-Key" };
    case "CERTIFICATE":
      return { type: "CERTIFICATE", cert: auth.cert ?? "", ...(auth.ca ? { ca: auth.ca } : {}) };
    default:
      return { type: "NONE" };
  }
}

export function valuesFromWebhook(w: TWebhook): TFormValues {
  return {
    name: w.name,
    eventTypes: w.eventTypes.filter(isEventTypeKey),
    targetUrl: w.targetUrl,
    allResources: w.allResources,
    resources: w.resources.map((r) => r.externalId),
    template: w.template,
    conditions: w.conditions as TCondition[],
    note: w.note,
    enabled: w.enabled,
    method: w.method as TFormValues["method"],
    contentType: w.contentType,
    customHeaders: w.customHeaders,
    signing: w.signing,
    auth: authFromView(w.auth),
    autoDisableAfter: w.autoDisableAfter,
    notifyOnFailure: w.notifyOnFailure,
    logRetentionDays: w.logRetentionDays,
    batching: w.batching as TFormValues["batching"],
    loopThreshold: w.loopThreshold,
  };
}

/** Everything but `enabled` (toggled separately); blank secrets are left out so the stored ones are kept. */
export function patchFromValues(v: TFormValues): TWebhookPatch {
  const { enabled: _enabled, ...rest } = v;
  const auth = Object.fromEntries(Object.entries(v.auth).filter(([, value]) => value !== undefined && value !== "")) as TAuthInput;
  return { ...rest, auth };
}

export function createInputFromValues(v: TFormValues): TFormValues {
  const auth = Object.fromEntries(Object.entries(v.auth).filter(([, value]) => value !== undefined && value !== "")) as TAuthInput;
  return { ...v, auth };
}

/** Variables common to every selected event type (what conditions may use). */
export function commonVariables(eventTypes: readonly TEventTypeKey[]) {
  if (eventTypes.length === 0) return [];
  const [first, ...rest] = eventTypes;
  return getEventType(first!).variables.filter((v) => rest.every((k) => getEventType(k).variables.some((x) => x.name === v.name)));
}

/** Every variable of the selected types (union, first type's order first). */
export function templateVariables(eventTypes: readonly TEventTypeKey[]) {
  const seen = new Set<string>();
  const out: { token: string; name: string; caption: string; sample: unknown; type: TVariableType }[] = [];
  for (const key of eventTypes) {
    for (const v of getEventType(key).variables) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      out.push({ token: v.token, name: v.name, caption: v.caption, sample: v.sample, type: v.type });
    }
  }
  return out;
}

export function operatorsFor(variable: string): readonly TConditionOperator[] {
  const type = VARIABLE_TYPES.get(variable.replace(/^#/, ""));
  return type ? CONDITION_OPERATORS_BY_TYPE[type] : CONDITION_OPERATORS_BY_TYPE.string;
}

export const OPERATOR_LABELS: Record<TConditionOperator, string> = {
  equals: "equals",
  not_equals: "does not equal",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  in: "is one of",
  exists: "is present",
  gt: "is greater than / after",
  lt: "is less than / before",
};

const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** The typed condition value for the text typed in a row. */
export function conditionValueFromText(text: string, variable: string, operator: TConditionOperator): TCondition["value"] {
  const type = VARIABLE_TYPES.get(variable.replace(/^#/, "")) ?? "string";
  const scalar = (s: string) => (type === "number" && NUMERIC.test(s.trim()) ? Number(s.trim()) : s);
  if (operator === "exists") return text !== "false";
  if (operator === "in") return text.split(",").map((s) => s.trim()).filter(Boolean).map(scalar) as TCondition["value"];
  return scalar(text) as TCondition["value"];
}

export function conditionTextFromValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(", ");
  if (value === undefined || value === null) return "";
  return String(value);
}
