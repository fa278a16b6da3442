/**
 * Diagnostics for a template, positioned for Monaco markers (1-based line/column in UTF-16 units; the end is
 * exclusive, i.e. `endColumn` is the column just after the range).
 *
 * | code                      | severity | when |
 * |---------------------------|----------|------|
 * | template_too_large        | error    | over 64 KiB of UTF-8 (range: from the first byte past the limit) |
 * | invalid_json              | error    | the parser's message and position |
 * | duplicate_key             | warning  | a property name repeated in one object |
 * | unknown_variable          | error    | a catalog variable that no selected event type has (renders as "") |
 * | unknown_variable          | warning  | `#name` that is no catalog variable (sent as written: could be a hashtag) |
 * | variable_not_available    | warning  | a variable that some, not all, selected event types have |
 * | variable_followed_by_text | warning  | `#operation_idx` is read as `#operation_id` + "x" |
 *
 * Variables are checked even while the JSON is invalid (the scan of string literals is lenient).
 */
import { ALL_VARIABLE_NAMES, getEventType, type TEventTypeKey } from "@/lib/catalog";
import { parseJson, type TJsonNode } from "./json-parser";
import { createLineIndex, findUtf8Overflow, measureUtf8, type TLineIndex } from "./positions";
import { createNameMatcher, findHashSites, readIdentifier } from "./scanner";

export const MAX_TEMPLATE_BYTES = 64 * 1024;

export type TDiagnosticSeverity = "error" | "warning";
export type TDiagnosticCode =
  | "template_too_large"
  | "invalid_json"
  | "duplicate_key"
  | "unknown_variable"
  | "variable_not_available"
  | "variable_followed_by_text";

export type TDiagnostic = {
  readonly severity: TDiagnosticSeverity;
  readonly code: TDiagnosticCode;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
};

type TRawDiagnostic = Omit<TDiagnostic, "line" | "column" | "endLine" | "endColumn"> & { readonly start: number; readonly end: number };

const CATALOG_MATCHER = createNameMatcher(ALL_VARIABLE_NAMES);
const HEX_COLOR = /^(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

function positionDiagnostic(raw: TRawDiagnostic, lines: TLineIndex): TDiagnostic {
  const start = lines.toPosition(raw.start);
  // The end is just after the range's last character, on that character's line (a range that ends with a line
  // break stays on its line instead of reaching column 1 of the next one).
  const last = raw.end > raw.start ? lines.toPosition(raw.end - 1) : start;
  const end = raw.end > raw.start ? { line: last.line, column: last.column + 1 } : start;
  return { severity: raw.severity, code: raw.code, message: raw.message, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

function checkSize(template: string): TRawDiagnostic[] {
  const overflow = findUtf8Overflow(template, MAX_TEMPLATE_BYTES);
  if (overflow === null) return [];
  const size = measureUtf8(template);
  return [
    {
      severity: "error",
      code: "template_too_large",
      message: `The template is ${size} bytes; the limit is ${MAX_TEMPLATE_BYTES} bytes (64 KiB)`,
      start: overflow,
      end: template.length,
    },
  ];
}

function collectDuplicateKeys(node: TJsonNode, found: TRawDiagnostic[]): void {
  if (node.kind === "array") node.items.forEach((item) => collectDuplicateKeys(item, found));
  if (node.kind !== "object") return;
  const seen = new Set<string>();
  for (const member of node.members) {
    if (seen.has(member.key.value)) {
      found.push({
        severity: "warning",
        code: "duplicate_key",
        message: `Duplicate property "${member.key.value}": most receivers keep only the last one`,
        start: member.key.start,
        end: member.key.end,
      });
    }
    seen.add(member.key.value);
    collectDuplicateKeys(member.value, found);
  }
}

function checkJson(template: string): TRawDiagnostic[] {
  const result = parseJson(template);
  if (!result.ok) {
    return [{ severity: "error", code: "invalid_json", message: `Invalid JSON: ${result.error.message}`, start: result.error.start, end: result.error.end }];
  }
  const found: TRawDiagnostic[] = [];
  collectDuplicateKeys(result.node, found);
  return found;
}

function measureDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest available variable name, if it is close enough to be a likely typo. */
export function suggestVariable(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = measureDistance(name.toLowerCase(), candidate);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function checkVariables(template: string, eventTypes: readonly TEventTypeKey[]): TRawDiagnostic[] {
  const available = eventTypes.map((key) => ({ key, names: new Set(getEventType(key).variables.map((variable) => variable.name)) }));
  const selectedNames = available.length === 0 ? ALL_VARIABLE_NAMES : [...new Set(available.flatMap((entry) => [...entry.names]))];
  const selection = eventTypes.join(", ");
  const found: TRawDiagnostic[] = [];
  for (const site of findHashSites(template)) {
    const identifier = readIdentifier(template, site + 1);
    const name = CATALOG_MATCHER(template, site + 1);
    if (name === undefined) {
      if (identifier === "" || /^\d/.test(identifier) || HEX_COLOR.test(identifier)) continue;
      const suggestion = suggestVariable(identifier, selectedNames);
      found.push({
        severity: "warning",
        code: "unknown_variable",
        message: `Unknown variable #${identifier}: it is sent as written${suggestion ? `. Did you mean #${suggestion}?` : ""}`,
        start: site,
        end: site + 1 + identifier.length,
      });
      continue;
    }
    const end = site + 1 + name.length;
    const lacking = available.filter((entry) => !entry.names.has(name)).map((entry) => entry.key);
    if (lacking.length > 0 && lacking.length === available.length) {
      found.push({
        severity: "error",
        code: "unknown_variable",
        message: `#${name} is not a variable of ${selection}: it would always render as an empty string`,
        start: site,
        end,
      });
    } else if (lacking.length > 0) {
      found.push({
        severity: "warning",
        code: "variable_not_available",
        message: `#${name} is not available for ${lacking.join(", ")}: it renders as an empty string for those events`,
        start: site,
        end,
      });
    }
    if (identifier.length > name.length) {
      found.push({
        severity: "warning",
        code: "variable_followed_by_text",
        message: `#${identifier} is read as #${name} followed by "${identifier.slice(name.length)}"`,
        start: site,
        end: site + 1 + identifier.length,
      });
    }
  }
  return found;
}

/**
 * Lints a template for the webhook's selected event type(s). With no event type, variables are checked against
 * the whole catalog. Throws RangeError for an unknown event type key.
 */
export function lintTemplate(template: string, eventTypes: TEventTypeKey | readonly TEventTypeKey[]): TDiagnostic[] {
  const keys: readonly TEventTypeKey[] = typeof eventTypes === "string" ? [eventTypes] : eventTypes;
  const lines = createLineIndex(template);
  const raw = [...checkSize(template), ...checkJson(template), ...checkVariables(template, keys)];
  return raw.sort((a, b) => a.start - b.start || a.end - b.end).map((diagnostic) => positionDiagnostic(diagnostic, lines));
}

/** True when the diagnostics contain no error (warnings allowed). */
export function hasErrors(diagnostics: readonly TDiagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === "error");
}
