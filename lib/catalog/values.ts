/**
 * Event values: the `Record<string, unknown>` that rendering and conditions read, keyed by variable name WITHOUT
 * `#` (canonical form; `#name` keys are accepted by `renderTemplate` and `matchesConditions` too).
 * Datetimes are Date objects or ISO 8601 strings; numbers are numbers; json values are any JSON value.
 * `null`/`undefined` mean "absent".
 */
import { z } from "zod";
import { parseIsoDatetime } from "./datetime";
import { PER_WORKSPACE_VARIABLE_NAMES } from "./event-types";
import { getEventType, normalizeVariableName } from "./registry";
import type { TEventTypeKey, TVariableType } from "./types";

export type TEventValues = Readonly<Record<string, unknown>>;

function buildValueSchema(type: TVariableType, name: string): z.ZodType {
  switch (type) {
    case "string":
      return z.string({ error: `#${name} must be text` });
    case "number":
      return z.number({ error: `#${name} must be a finite number` });
    case "datetime": {
      const message = `#${name} must be a date-time (Date or ISO 8601 string)`;
      return z.union([z.date(), z.string().refine((text) => parseIsoDatetime(text) !== null, message)], { error: message });
    }
    case "json":
      return z.json({ error: `#${name} must be a JSON value` });
  }
}

/**
 * zod schema for the values of one event type (e.g. at event ingest): every variable optional and nullable,
 * typed as in the catalog; unknown keys are rejected; `event_type`, when given, must be the type's key.
 */
export function valuesSchemaFor(key: TEventTypeKey) {
  // The catalog is fixed: build each type's schema once (zod compiles an object schema on its first parse).
  let schema = valuesSchemas.get(key);
  if (!schema) valuesSchemas.set(key, (schema = buildValuesSchema(key)));
  return schema;
}

const valuesSchemas = new Map<TEventTypeKey, ReturnType<typeof buildValuesSchema>>();

function buildValuesSchema(key: TEventTypeKey) {
  const shape: Record<string, z.ZodType> = {};
  for (const variable of getEventType(key).variables) {
    const schema =
      variable.name === "event_type"
        ? z.literal(key, { error: `#event_type must be "${key}"` })
        : buildValueSchema(variable.type, variable.name);
    shape[variable.name] = schema.nullable().optional();
  }
  return z.strictObject(shape, { error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown variable for ${key}: ${issue.keys.map((k) => `#${k}`).join(", ")}` : undefined) });
}

// --- Operation executed in a workspace: one message per device --------------------------------------------------

/** operation.executed variable → operation.workspace_executed variable, where 003 names them differently. */
const OPERATION_TO_WORKSPACE_NAMES: Readonly<Record<string, string>> = {
  status: "operation_status",
  flow_id: "operation_flow_id",
  microservice_id: "operation_microservice_id",
  fra_type: "operation_fra_type",
  fra_start: "operation_fra_start",
  fra_end: "operation_fra_end",
};

/**
 * Values keyed by canonical name (without `#`). When both `name` and `#name` are given, `name` wins.
 */
export function normalizeValueKeys(values: TEventValues): Map<string, unknown> {
  const normalized = new Map<string, unknown>();
  for (const [key, value] of Object.entries(values)) {
    const name = normalizeVariableName(key);
    if (!normalized.has(name) || key === name) normalized.set(name, value);
  }
  return normalized;
}

/** A value by canonical name, or undefined; `null` counts as absent. */
export function readValue(values: ReadonlyMap<string, unknown>, name: string): unknown {
  const value = values.get(name);
  return value === null ? undefined : value;
}

/**
 * The values of one "Operation executed in a workspace" message, from the values of the operation
 * (operation.executed names) and of one device (the per-workspace variables: `PER_WORKSPACE_VARIABLE_NAMES`).
 * Only variables of operation.workspace_executed are kept; `event_type` is set to that key.
 */
export function buildWorkspaceEventValues(operationValues: TEventValues, workspaceValues: TEventValues): Record<string, unknown> {
  const targetNames = new Set(getEventType("operation.workspace_executed").variables.map((variable) => variable.name));
  const perWorkspace = new Set(PER_WORKSPACE_VARIABLE_NAMES);
  const result: Record<string, unknown> = {};
  for (const [name, value] of normalizeValueKeys(operationValues)) {
    const target = OPERATION_TO_WORKSPACE_NAMES[name] ?? name;
    if (targetNames.has(target) && !perWorkspace.has(target)) result[target] = value;
  }
  for (const [name, value] of normalizeValueKeys(workspaceValues)) {
    if (perWorkspace.has(name)) result[name] = value;
  }
  result["event_type"] = "operation.workspace_executed";
  return result;
}
