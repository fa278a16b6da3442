/**
 * Renders a webhook template (JSON text with `#variables`) into the exact body text.
 *
 * - Only `#name`s inside JSON string literals are replaced; the value is JSON-escaped, so the output is valid
 *   JSON whenever the template is. Everything else (whitespace, key order, numbers) is kept byte for byte.
 * - Variables are the catalog's names plus the keys of `values`; at each `#` the LONGEST name that follows
 *   wins (`#operation_id` before `#operation`). One pass: text brought in by a value is never scanned again.
 * - A variable without a value (absent, `undefined` or `null` — also for json variables) renders as "" — in `raw` mode it stays as
 *   written (the Test action of 003 sends the template without replacing variables).
 * - `#text` that is not a variable (e.g. a Slack channel `#general`) stays as written.
 *
 * Value formatting by the variable's catalog type: datetime → ISO 8601 UTC (Date or ISO string in); number →
 * decimal text; json → `JSON.stringify(value)` (a value is a JSON value, never pre-serialised text: the string
 * "a" renders as "\"a\""); string →
 * the text (numbers/booleans via `String`, Date as ISO, objects as JSON). A value that does not fit its type
 * throws `TemplateValueError` naming the variable (validate event values at ingest with `valuesSchemaFor`).
 */
import {
  ALL_VARIABLE_NAMES,
  VARIABLE_TYPES,
  formatIsoUtc,
  normalizeValueKeys,
  toDatetime,
  type TEventTypeKey,
  type TEventValues,
  type TVariableType,
} from "@/lib/catalog";
import { combineNameMatchers, createNameMatcher, findHashSites, type TNameMatcher } from "./scanner";

export type TRenderMode = "normal" | "raw";

export type TRenderOptions = {
  /** `raw`: variables without a value are left as written instead of rendering as "". Default `normal`. */
  readonly mode?: TRenderMode;
  /** When given, `#event_type` renders this key whatever `values.event_type` says. */
  readonly eventType?: TEventTypeKey;
};

export class TemplateValueError extends Error {
  override readonly name = "TemplateValueError";
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

const CATALOG_MATCHER: TNameMatcher = createNameMatcher(ALL_VARIABLE_NAMES);
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Date) return "an invalid Date";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

function stringifyJson(name: string, value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (typeof text === "string") return text;
  } catch {
    // fall through: cyclic structures, bigint
  }
  throw new TemplateValueError(name, `#${name} cannot be written as JSON (${describeValue(value)})`);
}

function formatNumber(name: string, value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" && DECIMAL.test(value)) return value;
  throw new TemplateValueError(name, `#${name} must be a finite number, got ${describeValue(value)}`);
}

function formatDatetime(name: string, value: unknown): string {
  const date = toDatetime(value);
  if (date) return formatIsoUtc(date);
  throw new TemplateValueError(name, `#${name} must be a date-time (Date or ISO 8601 string), got ${describeValue(value)}`);
}

function formatText(name: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatNumber(name, value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return formatDatetime(name, value);
  return stringifyJson(name, value);
}

/** The text a value renders as (before JSON escaping). */
export function formatValue(name: string, value: unknown, type: TVariableType | undefined = VARIABLE_TYPES.get(name)): string {
  switch (type) {
    case "number":
      return formatNumber(name, value);
    case "datetime":
      return formatDatetime(name, value);
    case "json":
      return stringifyJson(name, value);
    default:
      return formatText(name, value);
  }
}

/** Text as it must appear between the quotes of a JSON string (quotes, backslashes, controls, lone surrogates). */
export function escapeJsonStringContent(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function createValuesMatcher(values: ReadonlyMap<string, unknown>): TNameMatcher {
  const extra = [...values.keys()].filter((name) => !VARIABLE_TYPES.has(name));
  return extra.length === 0 ? CATALOG_MATCHER : combineNameMatchers(CATALOG_MATCHER, createNameMatcher(extra));
}

/**
 * The body text of a template. `values` are keyed by variable name WITHOUT `#` (canonical; `#name` keys are
 * accepted, and `name` wins when both are given).
 */
export function renderTemplate(template: string, values: TEventValues, options: TRenderOptions = {}): string {
  const normalized = normalizeValueKeys(values);
  if (options.eventType !== undefined) normalized.set("event_type", options.eventType);
  const matcher = createValuesMatcher(normalized);
  const parts: string[] = [];
  let cursor = 0;
  for (const site of findHashSites(template)) {
    const name = matcher(template, site + 1);
    if (name === undefined) continue;
    const value = normalized.get(name);
    const hasValue = value !== undefined && value !== null;
    if (!hasValue && options.mode === "raw") continue;
    parts.push(template.slice(cursor, site));
    if (hasValue) parts.push(escapeJsonStringContent(formatValue(name, value)));
    cursor = site + 1 + name.length;
  }
  parts.push(template.slice(cursor));
  return parts.join("");
}
