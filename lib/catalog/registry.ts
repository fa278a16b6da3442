/** Look-ups over the catalog data: event types by key, variables by name, type selection rules, samples. */
import { z } from "zod";
import { EVENT_TYPES } from "./event-types";
import { EVENT_TYPE_KEYS, type TEventType, type TEventTypeKey, type TJsonValue, type TVariable, type TVariableType } from "./types";

const EVENT_TYPES_BY_KEY: ReadonlyMap<string, TEventType> = new Map(EVENT_TYPES.map((eventType) => [eventType.key, eventType]));

export function isEventTypeKey(value: unknown): value is TEventTypeKey {
  return typeof value === "string" && EVENT_TYPES_BY_KEY.has(value);
}

/** The event type of a known key (throws on an unknown key: use `findEventType` for untrusted input). */
export function getEventType(key: TEventTypeKey): TEventType {
  const eventType = EVENT_TYPES_BY_KEY.get(key);
  if (!eventType) throw new RangeError(`Unknown event type "${String(key)}"`);
  return eventType;
}

export function findEventType(key: string): TEventType | undefined {
  return EVENT_TYPES_BY_KEY.get(key);
}

export function findVariable(key: TEventTypeKey, name: string): TVariable | undefined {
  return getEventType(key).variables.find((variable) => variable.name === name);
}

/** Strips one leading `#`: `#alert_name` → `alert_name` (the canonical variable name). */
export function normalizeVariableName(name: string): string {
  return name.startsWith("#") ? name.slice(1) : name;
}

function collectVariableTypes(): ReadonlyMap<string, TVariableType> {
  const types = new Map<string, TVariableType>();
  for (const eventType of EVENT_TYPES) {
    for (const variable of eventType.variables) {
      const known = types.get(variable.name);
      if (known !== undefined && known !== variable.type) {
        throw new Error(`Catalog error: variable #${variable.name} is ${known} in one event type and ${variable.type} in ${eventType.key}`);
      }
      types.set(variable.name, variable.type);
    }
  }
  return types;
}

/** A variable name has one value type across the whole catalog (checked when this module loads). */
export const VARIABLE_TYPES: ReadonlyMap<string, TVariableType> = collectVariableTypes();

/** Every variable name of the catalog (without `#`), longest first. */
export const ALL_VARIABLE_NAMES: readonly string[] = [...VARIABLE_TYPES.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));

export function variableTypeOf(name: string): TVariableType | undefined {
  return VARIABLE_TYPES.get(normalizeVariableName(name));
}

/** Sample values of a type, keyed by variable name without `#` (`#event_type` is the type's key). */
export function sampleValues(key: TEventTypeKey): Record<string, TJsonValue> {
  return Object.fromEntries(getEventType(key).variables.map((variable) => [variable.name, variable.sample]));
}

// --- which event types may share a webhook ---------------------------------------------------------------------

export const TICKET_EVENT_TYPE_KEYS: readonly TEventTypeKey[] = EVENT_TYPES.filter((eventType) => eventType.family === "ticket").map(
  (eventType) => eventType.key,
);

/**
 * A webhook has exactly one event type, except that several event types of one family (the ticket family of 001)
 * may be combined; each event still sends its own message. Returns null when allowed, else the reason.
 */
export function explainEventTypeSelection(keys: readonly string[]): string | null {
  if (keys.length === 0) return "Select an event type";
  const unknown = keys.filter((key) => !isEventTypeKey(key));
  if (unknown.length > 0) return `Unknown event type: ${unknown.map((key) => `"${key}"`).join(", ")}`;
  if (new Set(keys).size !== keys.length) return "An event type is selected more than once";
  if (keys.length === 1) return null;
  const families = new Set(keys.map((key) => findEventType(key)?.family ?? null));
  const [family] = families;
  if (families.size === 1 && family !== null && family !== undefined) return null;
  return "Only ticket events can be combined in one webhook; other event types need a webhook each";
}

export function canCombineEventTypes(keys: readonly string[]): boolean {
  return explainEventTypeSelection(keys) === null;
}

export const ZEventTypeKey = z.enum(EVENT_TYPE_KEYS, { error: (issue) => `Unknown event type "${String(issue.input)}"` });

/** A webhook's event types: one type, or several within the ticket family. */
export const ZEventTypeSelection = z.array(ZEventTypeKey).superRefine((keys, context) => {
  const reason = explainEventTypeSelection(keys);
  if (reason !== null) context.addIssue({ code: "custom", message: reason });
});
