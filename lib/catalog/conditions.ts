/**
 * Optional per-webhook filters (like the trigger conditions of seed 002): a list of
 * `{ variable, operator, value }`, all of which must hold (AND). An empty list always matches.
 *
 * - `conditionsSchemaFor(eventTypeKeys)` validates a list for a webhook: the variable must exist in EVERY
 *   selected event type, the operator must suit its value type, and the value must have the right type.
 * - `matchesConditions(conditions, values)` evaluates. It THROWS `ConditionError` (never returns a silent
 *   `false`) when a condition cannot be evaluated: an operator that does not suit the variable's type, a value
 *   of the wrong type in the condition, or an event value of the wrong type (e.g. `gt` on the text "abc").
 *   All conditions are checked, so an error is reported even when an earlier condition is false.
 *
 * Semantics: text comparisons are exact and case-sensitive; numbers compare numerically; datetimes compare
 * as instants (Date or ISO 8601; ISO without offset is UTC); json values are compared as their JSON text
 * (contains / not_contains only). An absent value (missing, null, or "" for number/datetime variables):
 * `exists` is false, `not_equals` and `not_contains` are true, every other operator is false.
 * `exists` with `value: false` means "is absent".
 */
import { z } from "zod";
import { parseIsoDatetime, toDatetime } from "./datetime";
import { findVariable, normalizeVariableName, VARIABLE_TYPES } from "./registry";
import type { TEventTypeKey, TVariableType } from "./types";
import { normalizeValueKeys, readValue, type TEventValues } from "./values";

export const CONDITION_OPERATORS = ["equals", "not_equals", "contains", "not_contains", "starts_with", "in", "exists", "gt", "lt"] as const;
export type TConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Operators that make sense for each variable type (what the condition editor offers). */
export const CONDITION_OPERATORS_BY_TYPE: Readonly<Record<TVariableType, readonly TConditionOperator[]>> = {
  string: ["equals", "not_equals", "contains", "not_contains", "starts_with", "in", "exists"],
  number: ["equals", "not_equals", "in", "exists", "gt", "lt"],
  datetime: ["equals", "not_equals", "exists", "gt", "lt"],
  json: ["contains", "not_contains", "exists"],
};

export const MAX_CONDITIONS = 20;

const ZVariableName = z
  .string({ error: "Variable is required" })
  .trim()
  .min(1, "Variable is required")
  .transform(normalizeVariableName)
  .pipe(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Variable must be a name like #alert_name"));

const ZScalar = z.union([z.string(), z.number()], { error: "Value must be text or a number" });

const NUMBER_OR_DATETIME = "Value must be a number or an ISO 8601 date-time";
const ZNumberOrDatetime = z.union([z.number(), z.string().refine((text) => parseIsoDatetime(text) !== null, NUMBER_OR_DATETIME)], {
  error: NUMBER_OR_DATETIME,
});

export const ZCondition = z.discriminatedUnion(
  "operator",
  [
    z.object({ variable: ZVariableName, operator: z.enum(["equals", "not_equals"]), value: ZScalar }),
    z.object({
      variable: ZVariableName,
      operator: z.enum(["contains", "not_contains", "starts_with"]),
      value: z.string({ error: "Value must be text" }).min(1, "Value must not be empty"),
    }),
    z.object({
      variable: ZVariableName,
      operator: z.literal("in"),
      value: z.array(ZScalar, { error: "Value must be a list" }).min(1, "List at least one value").max(100, "List at most 100 values"),
    }),
    z.object({ variable: ZVariableName, operator: z.literal("exists"), value: z.boolean({ error: "Value must be true or false" }).optional() }),
    z.object({ variable: ZVariableName, operator: z.enum(["gt", "lt"]), value: ZNumberOrDatetime }),
  ],
  { error: `Operator must be one of: ${CONDITION_OPERATORS.join(", ")}` },
);

export const ZConditions = z.array(ZCondition).max(MAX_CONDITIONS, `At most ${MAX_CONDITIONS} conditions`);

/** A validated condition (variable name without `#`). */
export type TCondition = z.output<typeof ZCondition>;
/** What a form or API client sends (variable may be written with `#`). */
export type TConditionInput = z.input<typeof ZCondition>;

export class ConditionError extends Error {
  override readonly name = "ConditionError";
  constructor(
    readonly variable: string,
    readonly operator: string,
    message: string,
  ) {
    super(message);
  }
}

type TProblem = { readonly field: "variable" | "operator" | "value"; readonly message: string };

function describeType(type: TVariableType): string {
  return type === "string" ? "text" : type === "json" ? "JSON" : `a ${type}`;
}

function listValues(condition: TCondition): readonly unknown[] {
  if (condition.operator === "in") return condition.value;
  if (condition.operator === "exists") return [];
  return [condition.value];
}

/** Operator and value checked against the variable's type (no event type needed). */
function findTypeProblem(condition: TCondition, type: TVariableType): TProblem | null {
  const token = `#${condition.variable}`;
  if (!CONDITION_OPERATORS_BY_TYPE[type].includes(condition.operator)) {
    return {
      field: "operator",
      message: `Operator ${condition.operator} does not apply to ${token}, which is ${describeType(type)}; use one of: ${CONDITION_OPERATORS_BY_TYPE[type].join(", ")}`,
    };
  }
  for (const value of listValues(condition)) {
    if (type === "number" && typeof value !== "number") {
      return { field: "value", message: `${token} is a number: the value of ${condition.operator} must be a number, got ${JSON.stringify(value)}` };
    }
    if (type === "datetime" && (typeof value !== "string" || parseIsoDatetime(value) === null)) {
      return {
        field: "value",
        message: `${token} is a datetime: the value of ${condition.operator} must be an ISO 8601 date-time, got ${JSON.stringify(value)}`,
      };
    }
    if ((type === "string" || type === "json") && typeof value !== "string") {
      return { field: "value", message: `${token} is ${describeType(type)}: the value of ${condition.operator} must be text, got ${JSON.stringify(value)}` };
    }
  }
  return null;
}

function findAvailabilityProblem(condition: TCondition, eventTypeKeys: readonly TEventTypeKey[]): TProblem | null {
  const lacking = eventTypeKeys.filter((key) => findVariable(key, condition.variable) === undefined);
  if (lacking.length === 0) return null;
  const token = `#${condition.variable}`;
  if (lacking.length === eventTypeKeys.length) {
    return { field: "variable", message: `${token} is not a variable of ${eventTypeKeys.join(", ")}` };
  }
  return { field: "variable", message: `${token} is not available for ${lacking.join(", ")}; a condition needs a variable of every selected event type` };
}

/** zod schema of a webhook's conditions for its selected event types (rejects variables a selected type lacks). */
export function conditionsSchemaFor(eventTypeKeys: readonly TEventTypeKey[]) {
  return ZConditions.superRefine((conditions, context) => {
    conditions.forEach((condition, index) => {
      const availability = findAvailabilityProblem(condition, eventTypeKeys);
      const type = VARIABLE_TYPES.get(condition.variable);
      const problem = availability ?? (type === undefined ? null : findTypeProblem(condition, type));
      if (problem) context.addIssue({ code: "custom", path: [index, problem.field], message: problem.message });
    });
  });
}

// --- evaluation ----------------------------------------------------------------------------------------------

/** Type of a variable outside the catalog, guessed from the event value and the condition. */
function inferType(condition: TCondition, actual: unknown): TVariableType {
  if (actual instanceof Date) return "datetime";
  if (typeof actual === "number") return "number";
  if (typeof actual === "object" && actual !== null) return "json";
  if ((condition.operator === "gt" || condition.operator === "lt") && typeof condition.value === "string") return "datetime";
  return listValues(condition).some((value) => typeof value === "number") ? "number" : "string";
}

type TComparable = string | number;

function fail(condition: TCondition, message: string): never {
  throw new ConditionError(condition.variable, condition.operator, `Condition "#${condition.variable} ${condition.operator}": ${message}`);
}

function toComparable(condition: TCondition, type: TVariableType, actual: unknown): TComparable {
  const token = `#${condition.variable}`;
  switch (type) {
    case "string":
      if (typeof actual === "string") return actual;
      if (typeof actual === "number" || typeof actual === "boolean") return String(actual);
      return fail(condition, `${token} should be text, got ${describeActual(actual)}`);
    case "number": {
      const number = typeof actual === "string" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(actual.trim()) ? Number(actual) : actual;
      if (typeof number === "number" && Number.isFinite(number)) return number;
      return fail(condition, `${token} should be a number, got ${describeActual(actual)}`);
    }
    case "datetime": {
      const date = toDatetime(actual);
      if (date) return date.getTime();
      return fail(condition, `${token} should be a date-time (Date or ISO 8601), got ${describeActual(actual)}`);
    }
    case "json":
      return typeof actual === "string" ? actual : JSON.stringify(actual);
  }
}

function describeActual(actual: unknown): string {
  if (actual instanceof Date) return "an invalid Date";
  if (typeof actual === "string") return JSON.stringify(actual);
  if (typeof actual === "number") return String(actual);
  return typeof actual === "object" ? "an object" : typeof actual;
}

function toConditionComparable(type: TVariableType, value: unknown): TComparable {
  if (type === "datetime" && typeof value === "string") return parseIsoDatetime(value)?.getTime() ?? Number.NaN;
  return typeof value === "number" ? value : String(value);
}

function isAbsent(type: TVariableType, actual: unknown): boolean {
  return actual === undefined || ((type === "number" || type === "datetime") && actual === "");
}

function evaluateAbsent(condition: TCondition): boolean {
  if (condition.operator === "exists") return condition.value === false;
  return condition.operator === "not_equals" || condition.operator === "not_contains";
}

function evaluateCondition(given: TCondition, values: ReadonlyMap<string, unknown>): boolean {
  const condition = { ...given, variable: normalizeVariableName(given.variable) };
  const actual = readValue(values, condition.variable);
  const type = VARIABLE_TYPES.get(condition.variable) ?? inferType(condition, actual);
  const problem = findTypeProblem(condition, type);
  if (problem) fail(condition, problem.message);
  if (isAbsent(type, actual)) return evaluateAbsent(condition);
  if (condition.operator === "exists") return condition.value !== false;
  const left = toComparable(condition, type, actual);
  switch (condition.operator) {
    case "equals":
      return left === toConditionComparable(type, condition.value);
    case "not_equals":
      return left !== toConditionComparable(type, condition.value);
    case "in":
      return condition.value.some((value) => left === toConditionComparable(type, value));
    case "contains":
      return String(left).includes(condition.value);
    case "not_contains":
      return !String(left).includes(condition.value);
    case "starts_with":
      return String(left).startsWith(condition.value);
    case "gt":
      return left > toConditionComparable(type, condition.value);
    case "lt":
      return left < toConditionComparable(type, condition.value);
  }
}

/**
 * True when every condition holds for the event values (keyed by variable name without `#`; `#name` keys work
 * too). Conditions should come from `ZConditions`/`conditionsSchemaFor`; anything unevaluable throws
 * `ConditionError` (see the module comment).
 */
export function matchesConditions(conditions: readonly TCondition[], values: TEventValues): boolean {
  const normalized = normalizeValueKeys(values);
  const results = conditions.map((condition) => evaluateCondition(condition, normalized));
  return results.every(Boolean);
}
