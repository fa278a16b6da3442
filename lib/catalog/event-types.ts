/**
 * The catalog data: 003's seven event types (variables and example templates copied from the seed) and 001's
 * eleven ticket events (variables designed from 000/001).
 */
import { buildPresets, type TPresetSpec } from "./presets";
import type { TEventFamily, TEventType, TEventTypeKey, TJsonValue, TResourceKind, TVariable, TWorkspaceFanOut } from "./types";
import {
  ADDITIONAL_FIELDS_VARIABLE,
  ALERT_VARIABLES,
  ATTACHMENT_FILE_NAME_VARIABLE,
  COMMON_VARIABLES,
  MICROSERVICE_VARIABLES,
  OBJECT_VARIABLES,
  OPERATION_IN_WORKSPACE_VARIABLES,
  OPERATION_VARIABLES,
  TICKET_DESCRIPTION_VARIABLE,
  TICKET_DETAILS_VARIABLE,
  TICKET_ENTITY_ID_VARIABLE,
  TICKET_SUMMARY_VARIABLES,
  WORKSPACE_OPERATION_VARIABLES,
  WORKSPACE_VARIABLES,
  OPERATIONAL_WEBHOOK_VARIABLES,
  MESSAGE_FAILED_VARIABLES,
  WEBHOOK_DISABLED_VARIABLES,
  adaptVariable,
} from "./variables";

type TEventTypeSpec = {
  readonly key: TEventTypeKey;
  readonly label: string;
  readonly resourceKind: TResourceKind | null;
  readonly allResourcesLabel: string | null;
  readonly family: TEventFamily | null;
  /** Variables besides the four common ones. */
  readonly variables: readonly TVariable[];
  readonly defaultTemplate: TJsonValue;
  readonly preset: TPresetSpec;
  readonly workspaceFanOut?: TWorkspaceFanOut;
};

/** Serialises a template object with two-space indentation, like the examples of 003. */
export function formatTemplate(template: TJsonValue): string {
  return JSON.stringify(template, null, 2);
}

function buildEventType(spec: TEventTypeSpec): TEventType {
  const common = COMMON_VARIABLES.map((variable) =>
    variable.name === "event_type" ? adaptVariable(variable, { sample: spec.key }) : variable,
  );
  return {
    key: spec.key,
    label: spec.label,
    resourceKind: spec.resourceKind,
    allResourcesLabel: spec.allResourcesLabel,
    family: spec.family,
    variables: [...common, ...spec.variables],
    defaultTemplate: formatTemplate(spec.defaultTemplate),
    presets: buildPresets(spec.preset),
    workspaceFanOut: spec.workspaceFanOut ?? null,
  };
}

// --- 003 -------------------------------------------------------------------------------------------------------

const ALERT_TEMPLATE: TJsonValue = {
  message: {
    event_type: "#event_type",
    organization_id: "#organization_id",
    organization_name: "#organization_name",
    workspace_id: "#workspace_id",
    workspace_name: "#workspace_name",
    workspace_last_user: "#workspace_last_user",
    reporting_group_id: "#workspace_reporting_group_id",
    reporting_group_name: "#workspace_reporting_group_name",
    alert_name: "#alert_name",
    alert_information: "#alert_information",
    alert_start: "#alert_start",
    alert_element: "#alert_element",
    timestamp: "#timestamp",
  },
};

const MICROSERVICE_TEMPLATE: TJsonValue = {
  message: {
    event_type: "#event_type",
    organization_id: "#organization_id",
    organization_name: "#organization_name",
    timestamp: "#timestamp",
    workspace_id: "#workspace_id",
    workspace_name: "#workspace_name",
    workspace_last_user: "#workspace_last_user",
    reporting_group_id: "#workspace_reporting_group_id",
    reporting_group_name: "#workspace_reporting_group_name",
    operation_id: "#operation_id",
    microservice_id: "#microservice_id",
    microservice_name: "#microservice_name",
    operation_startdate: "#operation_startdate",
    operation_enddate: "#operation_enddate",
    operation_result: "#operation_result",
  },
};

const OBJECT_TEMPLATE: TJsonValue = {
  message: {
    "event-type": "#event_type",
    organization: { id: "#organization_id", name: "#organization_name" },
    entity: { "entity-type": "#entity_type", "object-name": "#entity_name", "object-id": "#entity_id" },
    metadata: {
      action: "#action",
      timestamp: "#timestamp",
      "user-name": "#triggered_by_name",
      useremail: "#triggered_by_email",
      "user-id": "#triggered_by_id",
    },
  },
};

const OPERATION_TEMPLATE: TJsonValue = {
  message: {
    event_type: "#event_type",
    timestamp: "#timestamp",
    organization: { id: "#organization_id", name: "#organization_name" },
    operation: {
      type: "#operation_type",
      description: "#description",
      status: "#status",
      summary: "#summary",
      started_by: "#started_by",
      created_at: "#created_at",
      started_at: "#started_at",
      finished_at: "#finished_at",
    },
    results: { total_workspaces: "#total_workspaces", total_warnings: "#total_warnings", total_errors: "#total_errors" },
    context: {
      flow_id: "#flow_id",
      microservice_id: "#microservice_id",
      fra_type: "#fra_type",
      fra_start: "#fra_start",
      fra_end: "#fra_end",
    },
  },
};

const OPERATION_IN_WORKSPACE_TEMPLATE: TJsonValue = {
  message: {
    event_type: "#event_type",
    timestamp: "#timestamp",
    organization: { id: "#organization_id", name: "#organization_name" },
    operation: {
      type: "#operation_type",
      description: "#description",
      status: "#operation_status",
      started_by: "#started_by",
      created_at: "#created_at",
      started_at: "#started_at",
      finished_at: "#finished_at",
    },
    context: {
      flow_id: "#operation_flow_id",
      microservice_id: "#operation_microservice_id",
      fra_type: "#operation_fra_type",
      fra_start: "#operation_fra_start",
      fra_end: "#operation_fra_end",
    },
    workspace: {
      id: "#workspace_id",
      name: "#workspace_name",
      last_user: "#workspace_last_user",
      reporting_group: { id: "#workspace_reporting_group_id", name: "#workspace_reporting_group_name" },
    },
    execution: {
      result: "#workspace_operation_result",
      start_date: "#workspace_operation_startdate",
      end_date: "#workspace_operation_enddate",
    },
  },
};

const DEVICE_FACTS = [
  ["Device", "workspace_name"],
  ["Last user", "workspace_last_user"],
  ["Reporting group", "workspace_reporting_group_name"],
] as const;

const OBJECT_ACTIONS = [
  { key: "object.created", label: "Object created", action: "Creation" },
  { key: "object.modified", label: "Object modified", action: "Modification" },
  { key: "object.deleted", label: "Object deleted", action: "Deletion" },
] as const;

/** The per-device variables of "Operation executed in a workspace" (003: "a webhook for each device"). */
export const PER_WORKSPACE_VARIABLE_NAMES: readonly string[] = [...WORKSPACE_VARIABLES, ...WORKSPACE_OPERATION_VARIABLES].map(
  (variable) => variable.name,
);

const PORTAL_SPECS: readonly TEventTypeSpec[] = [
  {
    key: "alert.active",
    label: "Active alert",
    resourceKind: "alert",
    allResourcesLabel: "Send webhook for all alerts",
    family: null,
    variables: [...ALERT_VARIABLES, ...WORKSPACE_VARIABLES],
    defaultTemplate: ALERT_TEMPLATE,
    preset: {
      title: "Active alert",
      headline: "#alert_name on #workspace_name",
      facts: [["Alert", "alert_name"], ["Element", "alert_element"], ["Information", "alert_information"], ["Started", "alert_start"], ...DEVICE_FACTS],
      themeColor: "D70000",
    },
  },
  {
    key: "microservice.executed",
    label: "Executed microservice",
    resourceKind: "microservice",
    allResourcesLabel: "Send webhook for all microservices",
    family: null,
    variables: [...MICROSERVICE_VARIABLES, ...WORKSPACE_VARIABLES],
    defaultTemplate: MICROSERVICE_TEMPLATE,
    preset: {
      title: "Microservice executed",
      headline: "#microservice_name: #operation_result",
      facts: [
        ["Microservice", "microservice_name"],
        ["Result", "operation_result"],
        ["Start", "operation_startdate"],
        ["End", "operation_enddate"],
        ...DEVICE_FACTS,
      ],
      themeColor: "0076D7",
    },
  },
  ...OBJECT_ACTIONS.map(
    ({ key, label, action }): TEventTypeSpec => ({
      key,
      label,
      resourceKind: "entity_type",
      allResourcesLabel: "Send webhook for all objects",
      family: null,
      variables: OBJECT_VARIABLES.map((variable) => (variable.name === "action" ? adaptVariable(variable, { sample: action }) : variable)),
      defaultTemplate: OBJECT_TEMPLATE,
      preset: {
        title: label,
        headline: "#entity_type #entity_name (#action)",
        facts: [
          ["Entity type", "entity_type"],
          ["Name", "entity_name"],
          ["ID", "entity_id"],
          ["Action", "action"],
          ["User", "triggered_by_name"],
          ["Email", "triggered_by_email"],
        ],
        themeColor: "6264A7",
      },
    }),
  ),
  {
    key: "operation.executed",
    label: "Operation executed",
    resourceKind: "operation",
    allResourcesLabel: "Send webhook for all operations",
    family: null,
    variables: OPERATION_VARIABLES,
    defaultTemplate: OPERATION_TEMPLATE,
    preset: {
      title: "Operation executed",
      headline: "#operation_type: #status",
      facts: [
        ["Operation", "operation_type"],
        ["Status", "status"],
        ["Started by", "started_by"],
        ["Devices", "total_workspaces"],
        ["Warnings", "total_warnings"],
        ["Errors", "total_errors"],
        ["Start", "started_at"],
        ["End", "finished_at"],
      ],
      themeColor: "0076D7",
    },
  },
  {
    key: "operation.workspace_executed",
    label: "Operation executed in a workspace",
    resourceKind: "operation",
    allResourcesLabel: "Send webhooks for all operations executed in each workspace",
    family: null,
    variables: OPERATION_IN_WORKSPACE_VARIABLES,
    defaultTemplate: OPERATION_IN_WORKSPACE_TEMPLATE,
    preset: {
      title: "Operation executed in a workspace",
      headline: "#operation_type on #workspace_name: #workspace_operation_result",
      facts: [
        ["Operation", "operation_type"],
        ["Result", "workspace_operation_result"],
        ["Start", "workspace_operation_startdate"],
        ["End", "workspace_operation_enddate"],
        ["Started by", "started_by"],
        ...DEVICE_FACTS,
      ],
      themeColor: "0076D7",
    },
    workspaceFanOut: { sourceEventType: "operation.executed", perWorkspaceVariables: PER_WORKSPACE_VARIABLE_NAMES },
  },
];

// --- 001 ticket events -----------------------------------------------------------------------------------------

type TTicketChild = "ticket" | "note" | "response" | "attachment";

const TICKET_CHILD_SAMPLE_IDS: Record<TTicketChild, string> = {
  ticket: "48213",
  note: "90311",
  response: "90312",
  attachment: "5527",
};

const TICKET_EVENT_DEFINITIONS: readonly { key: TEventTypeKey; label: string; child: TTicketChild }[] = [
  { key: "ticket.created", label: "Ticket created", child: "ticket" },
  { key: "ticket.updated", label: "Ticket updated", child: "ticket" },
  { key: "ticket.deleted", label: "Ticket deleted", child: "ticket" },
  { key: "ticket.note.added", label: "Ticket note added", child: "note" },
  { key: "ticket.note.updated", label: "Ticket note updated", child: "note" },
  { key: "ticket.note.deleted", label: "Ticket note deleted", child: "note" },
  { key: "ticket.response.added", label: "Ticket response added", child: "response" },
  { key: "ticket.response.updated", label: "Ticket response updated", child: "response" },
  { key: "ticket.response.deleted", label: "Ticket response deleted", child: "response" },
  { key: "ticket.attachment.added", label: "Ticket attachment added", child: "attachment" },
  { key: "ticket.attachment.deleted", label: "Ticket attachment deleted", child: "attachment" },
];

/** 001: ticket events carry Details; note/response events carry Description; attachment events neither. */
function selectTicketChildVariables(child: TTicketChild): TVariable[] {
  const entityId = adaptVariable(TICKET_ENTITY_ID_VARIABLE, {
    caption: `Entity ID: the ${child} ID`,
    sample: TICKET_CHILD_SAMPLE_IDS[child],
  });
  switch (child) {
    case "ticket":
      return [entityId, TICKET_DETAILS_VARIABLE];
    case "note":
    case "response":
      return [
        entityId,
        adaptVariable(TICKET_DESCRIPTION_VARIABLE, {
          caption: `${child === "note" ? "Note" : "Response"} content (HTML; may embed base64 images)`,
        }),
      ];
    case "attachment":
      return [entityId, ATTACHMENT_FILE_NAME_VARIABLE];
  }
}

function buildTicketTemplate(child: TTicketChild): TJsonValue {
  const ticket = {
    id: "#ticket_id",
    number: "#ticket_number",
    subject: "#ticket_subject",
    status: "#ticket_status",
    priority: "#ticket_priority",
    board: "#ticket_board",
    external_url: "#ticket_external_url",
    ...(child === "ticket" ? { details: "#ticket_details" } : {}),
  };
  const childPart: Record<string, TJsonValue> =
    child === "note" || child === "response"
      ? { [child]: { id: "#entity_id", description: "#description" } }
      : child === "attachment"
        ? { attachment: { id: "#entity_id", file_name: "#attachment_file_name" } }
        : {};
  return {
    message: {
      event_type: "#event_type",
      timestamp: "#timestamp",
      entity_id: "#entity_id",
      organization: { id: "#organization_id", name: "#organization_name" },
      ticket,
      ...childPart,
      company: { id: "#company_id", name: "#company_name", external_id: "#company_external_id" },
      submitted_by: { name: "#submitted_by_name", email: "#submitted_by_email" },
      additional_fields: "#additional_fields",
    },
  };
}

function buildTicketPresetSpec(label: string, child: TTicketChild): TPresetSpec {
  const childFacts: readonly (readonly [string, string])[] =
    child === "attachment" ? [["File", "attachment_file_name"]] : [];
  return {
    title: label,
    headline: "#ticket_number: #ticket_subject",
    facts: [
      ["Ticket", "ticket_number"],
      ["Subject", "ticket_subject"],
      ["Status", "ticket_status"],
      ["Priority", "ticket_priority"],
      ["Board", "ticket_board"],
      ["Company", "company_name"],
      ["Submitted by", "submitted_by_name"],
      ...childFacts,
    ],
    themeColor: "FFB900",
  };
}

const TICKET_SPECS: readonly TEventTypeSpec[] = TICKET_EVENT_DEFINITIONS.map(({ key, label, child }) => ({
  key,
  label,
  resourceKind: "board",
  allResourcesLabel: "Send webhook for all boards",
  family: "ticket",
  variables: [...TICKET_SUMMARY_VARIABLES, ...selectTicketChildVariables(child), ADDITIONAL_FIELDS_VARIABLE],
  defaultTemplate: buildTicketTemplate(child),
  preset: buildTicketPresetSpec(label, child),
}));

// --- Hookyard's own operational events ------------------------------------------------------------------------

/** Keys Hookyard emits itself (never accepted from the API): a message failed for good, a webhook was auto-disabled. */
export const OPERATIONAL_EVENT_TYPE_KEYS: readonly TEventTypeKey[] = ["hookyard.message_failed", "hookyard.webhook_disabled"];

const OPERATIONAL_SPECS: readonly TEventTypeSpec[] = [
  {
    key: "hookyard.message_failed",
    label: "Hookyard: message failed",
    resourceKind: null,
    allResourcesLabel: null,
    family: "operational",
    variables: [...OPERATIONAL_WEBHOOK_VARIABLES, ...MESSAGE_FAILED_VARIABLES],
    defaultTemplate: {
      event_type: "#event_type",
      timestamp: "#timestamp",
      organization: { id: "#organization_id", name: "#organization_name" },
      webhook: { id: "#webhook_id", name: "#webhook_name", target_url: "#target_url" },
      message: { id: "#message_id", event_id: "#source_event_id", attempts: "#attempts", last_status_code: "#last_status_code", last_error: "#last_error" },
    },
    preset: {
      title: "Webhook delivery failed",
      headline: "#webhook_name: #last_error",
      facts: [["Webhook", "webhook_name"], ["Target", "target_url"], ["Attempts", "attempts"], ["Last error", "last_error"]],
      themeColor: "D70000",
    },
  },
  {
    key: "hookyard.webhook_disabled",
    label: "Hookyard: webhook auto-disabled",
    resourceKind: null,
    allResourcesLabel: null,
    family: "operational",
    variables: [...OPERATIONAL_WEBHOOK_VARIABLES, ...WEBHOOK_DISABLED_VARIABLES],
    defaultTemplate: {
      event_type: "#event_type",
      timestamp: "#timestamp",
      organization: { id: "#organization_id", name: "#organization_name" },
      webhook: { id: "#webhook_id", name: "#webhook_name", target_url: "#target_url" },
      disabled: { reason: "#disabled_reason", consecutive_failures: "#consecutive_failures" },
    },
    preset: {
      title: "Webhook disabled",
      headline: "#webhook_name: #disabled_reason",
      facts: [["Webhook", "webhook_name"], ["Target", "target_url"], ["Reason", "disabled_reason"]],
      themeColor: "FFB900",
    },
  },
];

/** Every event type, in the order of `EVENT_TYPE_KEYS`. */
export const EVENT_TYPES: readonly TEventType[] = [...PORTAL_SPECS, ...TICKET_SPECS, ...OPERATIONAL_SPECS].map(buildEventType);
