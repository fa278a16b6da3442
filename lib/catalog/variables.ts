/**
 * Variable definitions. Names and captions of the first seven event types are copied from the tables of
 * seed 003 ("Available variables for the message"); the ticket variables are designed from seeds 000/001.
 * Samples are realistic values used by previews, the JSON Schema examples and tests.
 */
import type { TJsonValue, TVariable, TVariableType } from "./types";

export function defineVariable(name: string, caption: string, type: TVariableType, sample: TJsonValue): TVariable {
  return { name, token: `#${name}`, caption, type, sample };
}

/** Same variable with another caption and/or sample (e.g. `#entity_id` of a note event). */
export function adaptVariable(variable: TVariable, changes: { caption?: string; sample?: TJsonValue }): TVariable {
  return defineVariable(variable.name, changes.caption ?? variable.caption, variable.type, changes.sample ?? variable.sample);
}

// ---------------------------------------------------------------------------------------------------------------
// All event types (003). `#event_type`'s sample is replaced by the type's key when a type is built.

export const COMMON_VARIABLES: readonly TVariable[] = [
  defineVariable("event_type", "Event Type", "string", "alert.active"),
  defineVariable("organization_id", "Organization Id", "string", "6f1c2a4e-93b7-4d8a-b2c1-5e7f9a0d3b42"),
  defineVariable("organization_name", "Organization/Tenant name", "string", "Contoso Ltd."),
  defineVariable("timestamp", "Event date and time (ISO 8601)", "datetime", "2025-03-14T09:26:53.000Z"),
];

// Device variables shared by alerts, microservices and operations in a workspace (003).
export const WORKSPACE_VARIABLES: readonly TVariable[] = [
  defineVariable("workspace_id", "Device ID", "string", "a3d9e8f2-1b4c-4e6a-9f7d-2c5b8e1a0f63"),
  defineVariable("workspace_name", "Device Name", "string", "CONTOSO-LT-0142"),
  defineVariable("workspace_last_user", "Last user who used the device", "string", "CONTOSO\\jdoe"),
  defineVariable("workspace_reporting_group_id", "Reporting group Id", "string", "rg-7c2e91"),
  defineVariable("workspace_reporting_group_name", "Name of the reporting group", "string", "Barcelona Office"),
];

export const ALERT_VARIABLES: readonly TVariable[] = [
  defineVariable("alert_name", "Alert name", "string", "High CPU usage"),
  defineVariable("alert_information", "Additional alert information", "string", "CPU usage above 90% for more than 5 minutes"),
  defineVariable("alert_start", "Alert start date and time (ISO 8601)", "datetime", "2025-03-14T09:21:40.000Z"),
  defineVariable("alert_element", "Element that triggered the alert", "string", "Processor(_Total)"),
];

export const MICROSERVICE_VARIABLES: readonly TVariable[] = [
  defineVariable("operation_id", "Executed operation Id", "string", "op-5d8e2f71"),
  defineVariable("microservice_id", "Microservice ID", "string", "ms-1a2b3c4d"),
  defineVariable("microservice_name", "Microservice name", "string", "Clear temporary files"),
  defineVariable("operation_startdate", "Operation start date and time (ISO 8601)", "datetime", "2025-03-14T09:25:10.000Z"),
  defineVariable("operation_enddate", "Operation end date and time (ISO 8601)", "datetime", "2025-03-14T09:26:48.000Z"),
  defineVariable("operation_result", "Operation result (Completed, Error, Timeout, or Cancelled)", "string", "Completed"),
];

// Object created / modified / deleted (003); `#action` gets its sample per event type.
export const OBJECT_VARIABLES: readonly TVariable[] = [
  defineVariable("entity_type", "Entity type", "string", "Reporting group"),
  defineVariable("entity_name", "Entity name", "string", "Barcelona Office"),
  defineVariable("entity_id", "Entity ID", "string", "rg-7c2e91"),
  defineVariable("action", "Action performed (Creation, Modification, or Deletion)", "string", "Creation"),
  defineVariable("triggered_by_name", "Name of the user who triggered the event", "string", "Jane Doe"),
  defineVariable("triggered_by_email", "Email address of the user who triggered the event", "string", "jane.doe@contoso.com"),
  defineVariable("triggered_by_id", "ID of the user who triggered the event", "string", "usr-8e4f2a10"),
];

// Shared by both operation types (same names and captions in both tables of 003).
const OPERATION_HEAD_VARIABLES: readonly TVariable[] = [
  defineVariable("operation_type", "Operation Type", "string", "Restart"),
  defineVariable("description", "Operation description", "string", "Restart devices after the March patch deployment"),
];
const OPERATION_DATES_VARIABLES: readonly TVariable[] = [
  defineVariable("started_by", "User who started the operation", "string", "Jane Doe"),
  defineVariable("created_at", "Date and time of operation creation (ISO 8601)", "datetime", "2025-03-14T09:20:00.000Z"),
  defineVariable("started_at", "Operation start date and time (ISO 8601)", "datetime", "2025-03-14T09:20:05.000Z"),
  defineVariable("finished_at", "Operation end date and time (ISO 8601)", "datetime", "2025-03-14T09:26:50.000Z"),
];

export const OPERATION_VARIABLES: readonly TVariable[] = [
  ...OPERATION_HEAD_VARIABLES,
  defineVariable("status", "Current execution status of the operation", "string", "Finished"),
  defineVariable("summary", "Operation summary (JSON)", "json", { total: 3, succeeded: 2, warnings: 0, errors: 1 }),
  ...OPERATION_DATES_VARIABLES,
  defineVariable("total_workspaces", "Total number of devices processed", "number", 3),
  defineVariable("total_warnings", "Total number of executions with warnings during the operation", "number", 0),
  defineVariable("total_errors", "Total number of executions with errors during the operation", "number", 1),
  defineVariable("flow_id", "Associated flow ID", "string", "flow-3e7a9c21"),
  defineVariable("microservice_id", "Associated microservice ID", "string", "ms-1a2b3c4d"),
  defineVariable("fra_type", "Flexxible Remote Assistance (FRA) Type", "string", "Unattended"),
  defineVariable("fra_start", "Flexxible Remote Assistance (FRA) start date and time (ISO 8601)", "datetime", "2025-03-14T09:20:10.000Z"),
  defineVariable("fra_end", "Flexxible Remote Assistance (FRA) end date and time (ISO 8601)", "datetime", "2025-03-14T09:26:40.000Z"),
];

/** The per-device variables of "Operation executed in a workspace": one message per device carries these. */
export const WORKSPACE_OPERATION_VARIABLES: readonly TVariable[] = [
  defineVariable("workspace_operation_result", "Operation result on the device", "string", "Completed"),
  defineVariable("workspace_operation_startdate", "Operation start date and time in the workspace (ISO 8601)", "datetime", "2025-03-14T09:20:07.000Z"),
  defineVariable("workspace_operation_enddate", "Operation end date and time in the workspace (ISO 8601)", "datetime", "2025-03-14T09:23:31.000Z"),
];

export const OPERATION_IN_WORKSPACE_VARIABLES: readonly TVariable[] = [
  ...OPERATION_HEAD_VARIABLES,
  defineVariable("operation_status", "Operation status", "string", "Finished"),
  ...OPERATION_DATES_VARIABLES,
  defineVariable("operation_flow_id", "Operation-associated flow ID", "string", "flow-3e7a9c21"),
  defineVariable("operation_microservice_id", "Operation-associated microservice ID", "string", "ms-1a2b3c4d"),
  defineVariable("operation_fra_type", "Flexxible Remote Assistance (FRA) Type", "string", "Unattended"),
  defineVariable("operation_fra_start", "Flexxible Remote Assistance (FRA) start date and time (ISO 8601)", "datetime", "2025-03-14T09:20:10.000Z"),
  defineVariable("operation_fra_end", "Flexxible Remote Assistance (FRA) end date and time (ISO 8601)", "datetime", "2025-03-14T09:26:40.000Z"),
  ...WORKSPACE_VARIABLES,
  ...WORKSPACE_OPERATION_VARIABLES,
];

// ---------------------------------------------------------------------------------------------------------------
// Ticket events (designed from 000/001). Every ticket event carries the ticket summary and its company/submitter.

/** A 1×1 PNG: ticket details and note/response descriptions embed images as base64 (001). */
const SAMPLE_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

export const TICKET_SAMPLE_ID = "48213";

export const TICKET_SUMMARY_VARIABLES: readonly TVariable[] = [
  defineVariable("ticket_id", "Ticket ID", "string", TICKET_SAMPLE_ID),
  defineVariable("ticket_number", "Ticket number", "string", "T-20417"),
  defineVariable("ticket_subject", "Ticket subject", "string", "Printer on the 2nd floor is jammed"),
  defineVariable("ticket_status", "Ticket status", "string", "New"),
  defineVariable("ticket_priority", "Ticket priority", "string", "High"),
  defineVariable("ticket_board", "Board the ticket belongs to", "string", "Service Desk"),
  defineVariable("ticket_external_url", "URL of the ticket in the PSA", "string", "https://psa.contoso.com/tickets/48213"),
  defineVariable("company_id", "Company ID", "string", "cmp-1042"),
  defineVariable("company_name", "Company name", "string", "Fabrikam Inc."),
  defineVariable("company_external_id", "Company ID in the PSA", "string", "19876"),
  defineVariable("submitted_by_name", "Name of the user who submitted the ticket", "string", "John Smith"),
  defineVariable("submitted_by_email", "Email address of the user who submitted the ticket", "string", "john.smith@fabrikam.com"),
];

export const TICKET_DETAILS_VARIABLE = defineVariable(
  "ticket_details",
  "Full ticket body (HTML; may embed base64 images)",
  "string",
  `<p>The printer on the 2nd floor shows "Paper jam in tray 2".</p><p><img src="data:image/png;base64,${SAMPLE_PNG_BASE64}" alt="error screen"></p>`,
);

export const TICKET_ENTITY_ID_VARIABLE = defineVariable("entity_id", "Entity ID: the ticket ID", "string", TICKET_SAMPLE_ID);

export const TICKET_DESCRIPTION_VARIABLE = defineVariable(
  "description",
  "Content (HTML; may embed base64 images)",
  "string",
  `<p>Replaced the pickup roller; printing works again.</p><p><img src="data:image/png;base64,${SAMPLE_PNG_BASE64}" alt="test page"></p>`,
);

export const ATTACHMENT_FILE_NAME_VARIABLE = defineVariable("attachment_file_name", "Attachment file name", "string", "printer-error.png");

export const ADDITIONAL_FIELDS_VARIABLE = defineVariable("additional_fields", "Additional fields (JSON array)", "json", [
  { name: "Asset tag", value: "LT-0042" },
  { name: "Floor", value: "2" },
]);

// Hookyard's own operational events (an organization's "operational webhook" subscribes to them).
export const OPERATIONAL_WEBHOOK_VARIABLES: readonly TVariable[] = [
  defineVariable("webhook_id", "ID of the webhook concerned", "string", "3f0c9a52-8d1e-4b7a-9f1e-2a6c0d4e5b71"),
  defineVariable("webhook_name", "Name of the webhook concerned", "string", "ITSM: active alerts"),
  defineVariable("target_url", "Target URL of the webhook concerned", "string", "https://itsm.example.com/hooks/alerts"),
];

export const MESSAGE_FAILED_VARIABLES: readonly TVariable[] = [
  defineVariable("message_id", "ID of the message that failed (the webhook-id it was sent with)", "string", "9b2d7c40-1f6e-4a3b-8c5d-7e9f0a1b2c3d"),
  defineVariable("source_event_id", "ID of the event the message was for", "string", "c1a2b3d4-e5f6-4789-9abc-def012345678"),
  defineVariable("attempts", "Attempts made", "number", 8),
  defineVariable("last_status_code", "HTTP status of the last attempt (0 when no response)", "number", 503),
  defineVariable("last_error", "Error of the last attempt", "string", "HTTP 503"),
];

export const WEBHOOK_DISABLED_VARIABLES: readonly TVariable[] = [
  defineVariable("disabled_reason", "Why the webhook was disabled", "string", "Auto-disabled after 10 consecutive failed messages"),
  defineVariable("consecutive_failures", "Consecutive failed messages", "number", 10),
];
