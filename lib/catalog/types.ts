/** Shared types of the event catalog. Pure: no imports beyond TypeScript. */

/** Any JSON value (what `JSON.parse` can return). */
export type TJsonValue = string | number | boolean | null | readonly TJsonValue[] | { readonly [key: string]: TJsonValue };

/** Stable event type keys, in catalog order (003's seven types, then 001's eleven ticket events). */
export const EVENT_TYPE_KEYS = [
  "alert.active",
  "microservice.executed",
  "object.created",
  "object.modified",
  "object.deleted",
  "operation.executed",
  "operation.workspace_executed",
  "ticket.created",
  "ticket.updated",
  "ticket.deleted",
  "ticket.note.added",
  "ticket.note.updated",
  "ticket.note.deleted",
  "ticket.response.added",
  "ticket.response.updated",
  "ticket.response.deleted",
  "ticket.attachment.added",
  "ticket.attachment.deleted",
  "hookyard.message_failed",
  "hookyard.webhook_disabled",
] as const;

export type TEventTypeKey = (typeof EVENT_TYPE_KEYS)[number];

/** What a webhook's "Items" step selects resources by. */
export type TResourceKind = "alert" | "microservice" | "entity_type" | "operation" | "board";

/** Value types of template variables. */
export type TVariableType = "string" | "number" | "datetime" | "json";

/**
 * A template variable of one event type.
 * `name` is the canonical form WITHOUT the leading `#` (e.g. `alert_name`); `token` is how a template writes it.
 * `sample` is a realistic raw value: a string for string, an ISO 8601 UTC string for datetime, a number for
 * number, any JSON value for json.
 */
export type TVariable = {
  readonly name: string;
  readonly token: `#${string}`;
  readonly caption: string;
  readonly type: TVariableType;
  readonly sample: TJsonValue;
};

/** A ready-made template offered beside the default one. */
export type TPresetId = "slack" | "teams";

export type TTemplatePreset = {
  readonly id: TPresetId;
  readonly label: string;
  readonly template: string;
};

/** Event types of one family may be combined in one webhook (001: "select one or more event types"). */
export type TEventFamily = "ticket" | "operational";

/** 003: "Operation executed in a workspace" sends one message per device; these variables differ per device. */
export type TWorkspaceFanOut = {
  readonly sourceEventType: TEventTypeKey;
  readonly perWorkspaceVariables: readonly string[];
};

export type TEventType = {
  readonly key: TEventTypeKey;
  readonly label: string;
  readonly resourceKind: TResourceKind | null;
  /** The wizard's "select all" wording, e.g. "Send webhook for all alerts"; null when there is no resource kind. */
  readonly allResourcesLabel: string | null;
  /** null: the type must be the only event type of its webhook. */
  readonly family: TEventFamily | null;
  readonly variables: readonly TVariable[];
  readonly defaultTemplate: string;
  readonly presets: readonly TTemplatePreset[];
  readonly workspaceFanOut: TWorkspaceFanOut | null;
};
