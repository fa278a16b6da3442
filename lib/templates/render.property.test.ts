import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALL_VARIABLE_NAMES, EVENT_TYPES, type TEventType, type TVariable } from "@/lib/catalog";
import { renderTemplate } from "@/lib/templates";

// A reference implementation of substitution on DECODED string values, written differently from the renderer:
// one global regex whose alternatives are ordered longest first; `String.replace` is single-pass by definition.
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function expectedText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

function substituteReference(text: string, values: Record<string, unknown>): string {
  const names = [...new Set([...ALL_VARIABLE_NAMES, ...Object.keys(values)])].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`#(${names.map(escapeRegExp).join("|")})`, "g");
  return text.replace(pattern, (_match, name: string) => expectedText(values[name]));
}

type TJson = null | boolean | number | string | TJson[] | { [key: string]: TJson };

function mapStrings(value: TJson, map: (text: string) => string): TJson {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), mapStrings(item, map)]));
  }
  return value;
}

// --- arbitraries ------------------------------------------------------------------------------------------------

const TRICKY_UNITS = ['"', "\\", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u001f", "\u007f", "\u2028", "\u2029", "/", "é", "中", "🚀", "\ud800", "\udfff", "{", "}", "[", "]", ",", ":", " ", "a", "#", "#timestamp", "#event_type", "#alert_name", "#other_var", "#operation_id", "#workspace_id"];

/** Text with quotes, backslashes, newlines, control characters, unicode (incl. lone surrogates) and `#var` text. */
const trickyText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...TRICKY_UNITS), maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

const dateValue = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true });

function arbitraryValue(variable: TVariable): fc.Arbitrary<unknown> {
  switch (variable.type) {
    case "string":
      return trickyText;
    case "number":
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case "datetime":
      return fc.oneof(dateValue, dateValue.map((date) => date.toISOString()));
    case "json":
      return fc.jsonValue();
  }
}

/** Values for an event type's variables; each may be absent (missing or null). */
function arbitraryValues(eventType: TEventType): fc.Arbitrary<Record<string, unknown>> {
  const entries = eventType.variables.map((variable) =>
    fc.option(arbitraryValue(variable), { nil: undefined, freq: 8 }).map((value) => [variable.name, value] as const),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, value]) => value !== undefined)));
}

function normalizeExpectedValues(values: Record<string, unknown>, eventType: TEventType): Record<string, unknown> {
  const normalized: Record<string, unknown> = { ...values, event_type: eventType.key };
  for (const variable of eventType.variables) {
    const value = normalized[variable.name];
    if (variable.type === "datetime" && typeof value === "string") normalized[variable.name] = new Date(value);
    // null means "absent" for every variable, json ones included (documented in render.ts)
    if (variable.type === "json" && value !== undefined && value !== null) normalized[variable.name] = JSON.stringify(value);
  }
  return normalized;
}

// --- properties -------------------------------------------------------------------------------------------------

const TEMPLATES = EVENT_TYPES.flatMap((eventType) => [
  { eventType, name: `${eventType.key} default`, template: eventType.defaultTemplate },
  ...eventType.presets.map((preset) => ({ eventType, name: `${eventType.key} ${preset.id}`, template: preset.template })),
]);

describe("rendering every catalog template with arbitrary values", () => {
  it.each(TEMPLATES)("$name: output parses and every string equals the expected single-pass substitution", ({ eventType, template }) => {
    const parsedTemplate = JSON.parse(template) as TJson;
    fc.assert(
      fc.property(arbitraryValues(eventType), (values) => {
        const rendered = renderTemplate(template, values, { eventType: eventType.key });
        const expected = normalizeExpectedValues(values, eventType);
        expect(JSON.parse(rendered)).toEqual(mapStrings(parsedTemplate, (text) => substituteReference(text, expected)));
      }),
      { numRuns: 60 },
    );
  });

  it("a field that is exactly one variable comes back exactly as the value (no re-substitution of #text in values)", () => {
    const alert = EVENT_TYPES[0];
    if (!alert) throw new Error("catalog is empty");
    fc.assert(
      fc.property(trickyText, trickyText, (name, element) => {
        const parsed = JSON.parse(renderTemplate(alert.defaultTemplate, { alert_name: name, alert_element: element })) as {
          message: Record<string, string>;
        };
        expect(parsed.message["alert_name"]).toBe(name);
        expect(parsed.message["alert_element"]).toBe(element);
      }),
      { numRuns: 300 },
    );
  });
});

// Arbitrary JSON templates whose strings (values AND property names) mix text and variables.
const templateText = fc.string({ unit: fc.constantFrom(...TRICKY_UNITS, "#alert_start", "#summary", "#total_errors", "#started_by", "#started_at"), maxLength: 12 });
const templateValue: fc.Arbitrary<TJson> = fc.letrec<{ value: TJson }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    templateText,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(templateText, tie("value"), { maxKeys: 4 }),
  ),
})).value;

const mixedValues = fc.record(
  {
    alert_name: trickyText,
    other_var: trickyText,
    operation_id: trickyText,
    alert_start: dateValue,
    summary: fc.jsonValue(),
    total_errors: fc.integer(),
    started_by: trickyText,
  },
  { requiredKeys: [] },
);

describe("rendering arbitrary templates", () => {
  it("is valid JSON whenever the template is, and substitutes every string literal (keys included) in one pass", () => {
    fc.assert(
      fc.property(templateValue, fc.constantFrom(undefined, 2, "\t"), mixedValues, (value, indent, values) => {
        const template = JSON.stringify(value, null, indent);
        const rendered = renderTemplate(template, values);
        const expected = { ...values, summary: values.summary === undefined || values.summary === null ? undefined : JSON.stringify(values.summary) };
        expect(JSON.parse(rendered)).toEqual(mapStrings(value, (text) => substituteReference(text, expected)));
      }),
      { numRuns: 500 },
    );
  });

  it("raw mode without values returns any text unchanged", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(...TRICKY_UNITS) }), templateValue.map((value) => JSON.stringify(value))), (template) => {
        expect(renderTemplate(template, {}, { mode: "raw" })).toBe(template);
      }),
      { numRuns: 300 },
    );
  });

  it("never changes text outside string literals", () => {
    fc.assert(
      fc.property(templateValue, mixedValues, (value, values) => {
        const template = JSON.stringify(value);
        const outside = (text: string) => text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
        expect(outside(renderTemplate(template, values))).toBe(outside(template));
      }),
      { numRuns: 300 },
    );
  });
});
