/**
 * Event catalog — pure data and types (imports only zod; nothing from Next.js or Prisma).
 *
 * Each event type has a stable key (`alert.active`, `ticket.note.added`, …), a label, the resource kind a
 * webhook selects it by, its variables (name, caption, type, sample), a default template and two presets
 * (Slack incoming webhook, Microsoft Teams message card).
 *
 * - The seven types of seed 003 carry exactly the variables and captions of its tables, and its example
 *   templates as default templates. The eleven ticket events of seed 001 have variables designed from 000/001:
 *   ticket events carry `#ticket_details`, note/response events `#description`, attachment events
 *   `#attachment_file_name`; all carry the ticket summary, company, submitter and `#additional_fields` (json);
 *   `#entity_id` is the ticket id for ticket events and the note/response/attachment id otherwise.
 * - Variable names are canonical WITHOUT `#` (`alert_name`); `token` is the `#alert_name` form of templates.
 *   Event values (`TEventValues`) are keyed the same way. A name has one type across the catalog.
 * - A webhook has one event type, or several of the ticket family (`explainEventTypeSelection`,
 *   `ZEventTypeSelection`).
 * - "Operation executed in a workspace" is sent once per device: `workspaceFanOut.perWorkspaceVariables`
 *   lists the per-device variables and `buildWorkspaceEventValues` builds one message's values.
 * - Hookyard's own operational events (`hookyard.message_failed`, `hookyard.webhook_disabled`, family
 *   "operational") are emitted by the delivery engine for an organization's operational webhook; the API
 *   refuses them as input.
 * - Conditions (per-webhook filters, AND): see `./conditions`. `matchesConditions` THROWS `ConditionError`
 *   when a condition cannot be evaluated (e.g. `gt` on a text value) — it never returns a silent `false`.
 * - `catalogAsJson()` is the JSON body of `GET /api/v1/event-types`.
 */
import { EVENT_TYPES } from "./event-types";
import type { TJsonValue, TVariableType } from "./types";

export * from "./types";
export { EVENT_TYPES, OPERATIONAL_EVENT_TYPE_KEYS, PER_WORKSPACE_VARIABLE_NAMES, formatTemplate } from "./event-types";
export {
  ALL_VARIABLE_NAMES,
  TICKET_EVENT_TYPE_KEYS,
  VARIABLE_TYPES,
  ZEventTypeKey,
  ZEventTypeSelection,
  canCombineEventTypes,
  explainEventTypeSelection,
  findEventType,
  findVariable,
  getEventType,
  isEventTypeKey,
  normalizeVariableName,
  sampleValues,
  variableTypeOf,
} from "./registry";
export { buildWorkspaceEventValues, normalizeValueKeys, valuesSchemaFor, type TEventValues } from "./values";
export { formatIsoUtc, parseIsoDatetime, toDatetime } from "./datetime";
export {
  CONDITION_OPERATORS,
  CONDITION_OPERATORS_BY_TYPE,
  ConditionError,
  MAX_CONDITIONS,
  ZCondition,
  ZConditions,
  conditionsSchemaFor,
  matchesConditions,
  type TCondition,
  type TConditionInput,
  type TConditionOperator,
} from "./conditions";

export type TEventTypeJson = {
  key: string;
  label: string;
  resourceKind: string | null;
  allResourcesLabel: string | null;
  family: string | null;
  variables: { name: string; token: string; caption: string; type: TVariableType; sample: TJsonValue }[];
  defaultTemplate: string;
  presets: { id: string; label: string; template: string }[];
};

/** The whole catalog as a JSON-serialisable array (body of `GET /api/v1/event-types`). */
export function catalogAsJson(): TEventTypeJson[] {
  return EVENT_TYPES.map((eventType) => ({
    key: eventType.key,
    label: eventType.label,
    resourceKind: eventType.resourceKind,
    allResourcesLabel: eventType.allResourcesLabel,
    family: eventType.family,
    variables: eventType.variables.map(({ name, token, caption, type, sample }) => ({ name, token, caption, type, sample })),
    defaultTemplate: eventType.defaultTemplate,
    presets: eventType.presets.map(({ id, label, template }) => ({ id, label, template })),
  }));
}
