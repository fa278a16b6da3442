import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  EVENT_TYPES,
  EVENT_TYPE_KEYS,
  PER_WORKSPACE_VARIABLE_NAMES,
  TICKET_EVENT_TYPE_KEYS,
  ZEventTypeSelection,
  buildWorkspaceEventValues,
  canCombineEventTypes,
  catalogAsJson,
  explainEventTypeSelection,
  findEventType,
  getEventType,
  isEventTypeKey,
  sampleValues,
  valuesSchemaFor,
  variableTypeOf,
  type TEventTypeKey,
} from "@/lib/catalog";

// ---------------------------------------------------------------------------------------------------------------
// Written from seed 003, "Available variables for the message": [variable, caption] exactly as in its tables.

const ALL_EVENT_TYPES_TABLE = [
  ["#event_type", "Event Type"],
  ["#organization_id", "Organization Id"],
  ["#organization_name", "Organization/Tenant name"],
  ["#timestamp", "Event date and time (ISO 8601)"],
] as const;

const WORKSPACE_ROWS = [
  ["#workspace_id", "Device ID"],
  ["#workspace_name", "Device Name"],
  ["#workspace_last_user", "Last user who used the device"],
  ["#workspace_reporting_group_id", "Reporting group Id"],
  ["#workspace_reporting_group_name", "Name of the reporting group"],
] as const;

const SEED_003_TABLES: Record<string, readonly (readonly [string, string])[]> = {
  "alert.active": [
    ["#alert_name", "Alert name"],
    ["#alert_information", "Additional alert information"],
    ["#alert_start", "Alert start date and time (ISO 8601)"],
    ["#alert_element", "Element that triggered the alert"],
    ...WORKSPACE_ROWS,
  ],
  "microservice.executed": [
    ["#operation_id", "Executed operation Id"],
    ["#microservice_id", "Microservice ID"],
    ["#microservice_name", "Microservice name"],
    ["#operation_startdate", "Operation start date and time (ISO 8601)"],
    ["#operation_enddate", "Operation end date and time (ISO 8601)"],
    ["#operation_result", "Operation result (Completed, Error, Timeout, or Cancelled)"],
    ...WORKSPACE_ROWS,
  ],
  "object.*": [
    ["#event_type", "Event Type"],
    ["#organization_id", "Organization Id"],
    ["#organization_name", "Organization/Tenant name"],
    ["#timestamp", "Event date and time (ISO 8601)"],
    ["#entity_type", "Entity type"],
    ["#entity_name", "Entity name"],
    ["#entity_id", "Entity ID"],
    ["#action", "Action performed (Creation, Modification, or Deletion)"],
    ["#triggered_by_name", "Name of the user who triggered the event"],
    ["#triggered_by_email", "Email address of the user who triggered the event"],
    ["#triggered_by_id", "ID of the user who triggered the event"],
  ],
  "operation.executed": [
    ["#event_type", "Event Type"],
    ["#timestamp", "Event date and time (ISO 8601)"],
    ["#organization_id", "Organization Id"],
    ["#organization_name", "Organization/Tenant name"],
    ["#operation_type", "Operation Type"],
    ["#description", "Operation description"],
    ["#status", "Current execution status of the operation"],
    ["#summary", "Operation summary (JSON)"],
    ["#started_by", "User who started the operation"],
    ["#created_at", "Date and time of operation creation (ISO 8601)"],
    ["#started_at", "Operation start date and time (ISO 8601)"],
    ["#finished_at", "Operation end date and time (ISO 8601)"],
    ["#total_workspaces", "Total number of devices processed"],
    ["#total_warnings", "Total number of executions with warnings during the operation"],
    ["#total_errors", "Total number of executions with errors during the operation"],
    ["#flow_id", "Associated flow ID"],
    ["#microservice_id", "Associated microservice ID"],
    ["#fra_type", "Flexxible Remote Assistance (FRA) Type"],
    ["#fra_start", "Flexxible Remote Assistance (FRA) start date and time (ISO 8601)"],
    ["#fra_end", "Flexxible Remote Assistance (FRA) end date and time (ISO 8601)"],
  ],
  "operation.workspace_executed": [
    ["#event_type", "Event Type"],
    ["#timestamp", "Event date and time (ISO 8601)"],
    ["#organization_id", "Organization Id"],
    ["#organization_name", "Organization/Tenant name"],
    ["#operation_type", "Operation Type"],
    ["#description", "Operation description"],
    ["#operation_status", "Operation status"],
    ["#started_by", "User who started the operation"],
    ["#created_at", "Date and time of operation creation (ISO 8601)"],
    ["#started_at", "Operation start date and time (ISO 8601)"],
    ["#finished_at", "Operation end date and time (ISO 8601)"],
    ["#operation_flow_id", "Operation-associated flow ID"],
    ["#operation_microservice_id", "Operation-associated microservice ID"],
    ["#operation_fra_type", "Flexxible Remote Assistance (FRA) Type"],
    ["#operation_fra_start", "Flexxible Remote Assistance (FRA) start date and time (ISO 8601)"],
    ["#operation_fra_end", "Flexxible Remote Assistance (FRA) end date and time (ISO 8601)"],
    ...WORKSPACE_ROWS,
    ["#workspace_operation_result", "Operation result on the device"],
    ["#workspace_operation_startdate", "Operation start date and time in the workspace (ISO 8601)"],
    ["#workspace_operation_enddate", "Operation end date and time in the workspace (ISO 8601)"],
  ],
};

const TABLE_OF_TYPE: Record<string, string> = {
  "alert.active": "alert.active",
  "microservice.executed": "microservice.executed",
  "object.created": "object.*",
  "object.modified": "object.*",
  "object.deleted": "object.*",
  "operation.executed": "operation.executed",
  "operation.workspace_executed": "operation.workspace_executed",
};

/** The seed's rows for a type: its own table plus "All event types" (merged; tables that repeat them agree). */
function expectedRows(key: string): Map<string, string> {
  const table = SEED_003_TABLES[TABLE_OF_TYPE[key] ?? ""] ?? [];
  return new Map([...ALL_EVENT_TYPES_TABLE, ...table]);
}

const PORTAL_KEYS = Object.keys(TABLE_OF_TYPE) as TEventTypeKey[];

describe("003 event types: variables and captions exactly as in the seed tables", () => {
  const rows = PORTAL_KEYS.flatMap((key) => [...expectedRows(key)].map(([token, caption]) => ({ key, token, caption })));

  it.each(rows)("$key has $token captioned \"$caption\"", ({ key, token, caption }) => {
    const variable = getEventType(key).variables.find((candidate) => candidate.token === token);
    expect(variable, `${token} missing from ${key}`).toBeDefined();
    expect(variable?.caption).toBe(caption);
  });

  it.each(PORTAL_KEYS)("%s has no variable beyond the seed's tables", (key) => {
    const tokens = getEventType(key).variables.map((variable) => variable.token).sort();
    expect(tokens).toEqual([...expectedRows(key).keys()].sort());
  });

  it.each(EVENT_TYPES.map((eventType) => eventType.key))("%s carries the four common variables", (key) => {
    const names = getEventType(key).variables.map((variable) => variable.name);
    expect(names).toEqual(expect.arrayContaining(["event_type", "organization_id", "organization_name", "timestamp"]));
  });
});

// The seed's example templates, as JSON values (formatting differs: the catalog re-indents them).
const SEED_EXAMPLES: Record<string, unknown> = {
  "alert.active": {
    message: {
      event_type: "#event_type", organization_id: "#organization_id", organization_name: "#organization_name",
      workspace_id: "#workspace_id", workspace_name: "#workspace_name", workspace_last_user: "#workspace_last_user",
      reporting_group_id: "#workspace_reporting_group_id", reporting_group_name: "#workspace_reporting_group_name",
      alert_name: "#alert_name", alert_information: "#alert_information", alert_start: "#alert_start",
      alert_element: "#alert_element", timestamp: "#timestamp",
    },
  },
  "object.*": {
    message: {
      "event-type": "#event_type",
      organization: { id: "#organization_id", name: "#organization_name" },
      entity: { "entity-type": "#entity_type", "object-name": "#entity_name", "object-id": "#entity_id" },
      metadata: { action: "#action", timestamp: "#timestamp", "user-name": "#triggered_by_name", useremail: "#triggered_by_email", "user-id": "#triggered_by_id" },
    },
  },
};

describe("003 example templates are the default templates", () => {
  it.each(["alert.active", "object.created", "object.modified", "object.deleted"] as const)("%s (transcribed)", (key) => {
    const example = SEED_EXAMPLES[key] ?? SEED_EXAMPLES[TABLE_OF_TYPE[key] ?? ""];
    expect(JSON.parse(getEventType(key).defaultTemplate)).toEqual(example);
  });

  it("keeps the seed's key order", () => {
    expect(getEventType("alert.active").defaultTemplate.indexOf('"timestamp"')).toBeGreaterThan(
      getEventType("alert.active").defaultTemplate.indexOf('"alert_element"'),
    );
  });
});

// When the shared seeds are next to the project (as in the team's workspace), check the transcription itself.
const SEED_DIRECTORY = path.resolve(import.meta.dirname, "../../../shared/seeds");
const SEED_FILE = existsSync(SEED_DIRECTORY) ? readdirSync(SEED_DIRECTORY).find((name) => name.startsWith("003_")) : undefined;

function readSeedSections(text: string): Map<string, { rows: [string, string][]; example?: unknown }> {
  const sections = new Map<string, { rows: [string, string][]; example?: unknown }>();
  const lines = text.slice(text.indexOf("Available variables for the message")).split("\n");
  let current: { rows: [string, string][]; example?: unknown } | undefined;
  lines.forEach((line, index) => {
    if (lines[index + 1]?.startsWith("| Variables | Caption |")) {
      current = { rows: [] };
      sections.set(line.trim(), current);
    }
    const row = /^\| (#\w+) \| (.+) \|$/.exec(line);
    if (row && current) current.rows.push([row[1] ?? "", row[2] ?? ""]);
    if (line.trim() === "Example template" && current) {
      const rest = lines.slice(index + 1).join("\n");
      let depth = 0;
      let end = 0;
      for (let position = 0; position < rest.length; position += 1) {
        if (rest[position] === "{") depth += 1;
        if (rest[position] === "}") depth -= 1;
        if (depth === 0 && rest[position] === "}") {
          end = position + 1;
          break;
        }
      }
      current.example = JSON.parse(rest.slice(rest.indexOf("{"), end));
    }
  });
  return sections;
}

describe.skipIf(SEED_FILE === undefined)("the catalog against the seed file itself (003)", () => {
  // skipIf still runs this body to collect the tests: read only when the file is there (not in a bare CI clone).
  const sections = SEED_FILE === undefined ? new Map<string, { rows: [string, string][]; example?: unknown }>() : readSeedSections(readFileSync(path.join(SEED_DIRECTORY, SEED_FILE), "utf8"));
  const SECTION_OF_TYPE: Record<string, string> = {
    "alert.active": "Active alert",
    "microservice.executed": "Executed microservice",
    "object.created": "Object created, modified, or deleted",
    "object.modified": "Object created, modified, or deleted",
    "object.deleted": "Object created, modified, or deleted",
    "operation.executed": "Operation executed",
    "operation.workspace_executed": "Operation executed in a workspace",
  };

  it("finds the six tables and five example templates", () => {
    expect([...sections.keys()]).toEqual(["All event types", ...new Set(Object.values(SECTION_OF_TYPE))]);
  });

  it.each(PORTAL_KEYS)("%s: variables, captions and default template match the seed", (key) => {
    const section = sections.get(SECTION_OF_TYPE[key] ?? "");
    const common = sections.get("All event types")?.rows ?? [];
    const seedRows = new Map([...common, ...(section?.rows ?? [])]);
    const catalogRows = new Map(getEventType(key).variables.map((variable) => [variable.token, variable.caption]));
    expect(catalogRows).toEqual(seedRows);
    expect(expectedRows(key)).toEqual(seedRows); // the transcription above is faithful
    expect(JSON.parse(getEventType(key).defaultTemplate)).toEqual(section?.example);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("catalog structure", () => {
  it("has the 18 product keys plus Hookyard's 2 operational keys, in order, each once", () => {
    expect(EVENT_TYPES.map((eventType) => eventType.key)).toEqual([...EVENT_TYPE_KEYS]);
    expect(EVENT_TYPES).toHaveLength(20);
    expect(EVENT_TYPES.filter((eventType) => eventType.family !== "operational")).toHaveLength(18);
    expect(EVENT_TYPES.filter((eventType) => eventType.family === "operational").map((eventType) => eventType.key)).toEqual(["hookyard.message_failed", "hookyard.webhook_disabled"]);
  });

  it("maps resource kinds as the issue says", () => {
    const kinds = Object.fromEntries(EVENT_TYPES.map((eventType) => [eventType.key, eventType.resourceKind]));
    expect(kinds).toMatchObject({
      "alert.active": "alert",
      "microservice.executed": "microservice",
      "object.created": "entity_type",
      "object.modified": "entity_type",
      "object.deleted": "entity_type",
      "operation.executed": "operation",
      "operation.workspace_executed": "operation",
    });
    for (const key of TICKET_EVENT_TYPE_KEYS) expect(kinds[key]).toBe("board");
  });

  it("words the wizard's select-all option as 003 does", () => {
    expect(getEventType("alert.active").allResourcesLabel).toBe("Send webhook for all alerts");
    expect(getEventType("microservice.executed").allResourcesLabel).toBe("Send webhook for all microservices");
    expect(getEventType("object.modified").allResourcesLabel).toBe("Send webhook for all objects");
    expect(getEventType("operation.executed").allResourcesLabel).toBe("Send webhook for all operations");
    expect(getEventType("operation.workspace_executed").allResourcesLabel).toBe(
      "Send webhooks for all operations executed in each workspace",
    );
  });

  it.each(EVENT_TYPES.map((eventType) => eventType.key))("%s: unique variables, tokens = #name, sample event_type = key", (key) => {
    const { variables } = getEventType(key);
    expect(new Set(variables.map((variable) => variable.name)).size).toBe(variables.length);
    for (const variable of variables) expect(variable.token).toBe(`#${variable.name}`);
    expect(sampleValues(key)["event_type"]).toBe(key);
  });

  it("samples fit their types (timestamps are ISO 8601 UTC)", () => {
    for (const eventType of EVENT_TYPES) {
      for (const variable of eventType.variables) {
        if (variable.type === "datetime") expect(variable.sample).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        if (variable.type === "number") expect(typeof variable.sample).toBe("number");
        if (variable.type === "string") expect(typeof variable.sample).toBe("string");
      }
      expect(valuesSchemaFor(eventType.key).safeParse(sampleValues(eventType.key)).success).toBe(true);
    }
  });

  it("gives each variable name a single type across the catalog", () => {
    expect(variableTypeOf("#timestamp")).toBe("datetime");
    expect(variableTypeOf("summary")).toBe("json");
    expect(variableTypeOf("total_errors")).toBe("number");
    expect(variableTypeOf("additional_fields")).toBe("json");
    expect(variableTypeOf("nope")).toBeUndefined();
  });

  it("looks keys up safely", () => {
    expect(isEventTypeKey("ticket.note.added")).toBe(true);
    expect(isEventTypeKey("ticket.attachment.updated")).toBe(false); // 001: attachments have no updated event
    expect(isEventTypeKey(42)).toBe(false);
    expect(findEventType("nope")).toBeUndefined();
    expect(() => getEventType("nope" as TEventTypeKey)).toThrow(/Unknown event type "nope"/);
  });

  it("serialises to JSON for GET /api/v1/event-types", () => {
    const json = catalogAsJson();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json).toHaveLength(20);
    const alert = json[0];
    expect(Object.keys(alert ?? {})).toEqual(expect.arrayContaining(["key", "label", "resourceKind", "variables", "defaultTemplate", "presets"]));
    expect(alert?.variables[0]).toEqual({ name: "event_type", token: "#event_type", caption: "Event Type", type: "string", sample: "alert.active" });
    expect(alert?.presets.map((preset) => preset.id)).toEqual(["slack", "teams"]);
  });
});

describe("ticket events (001)", () => {
  const names = (key: TEventTypeKey) => getEventType(key).variables.map((variable) => variable.name);

  it("are the eleven events of 001", () => {
    expect(TICKET_EVENT_TYPE_KEYS).toEqual([
      "ticket.created", "ticket.updated", "ticket.deleted",
      "ticket.note.added", "ticket.note.updated", "ticket.note.deleted",
      "ticket.response.added", "ticket.response.updated", "ticket.response.deleted",
      "ticket.attachment.added", "ticket.attachment.deleted",
    ]);
    expect(getEventType("ticket.note.added").label).toBe("Ticket note added");
  });

  it.each(TICKET_EVENT_TYPE_KEYS)("%s carries the ticket summary, entity id, ticket id and additional fields", (key) => {
    expect(names(key)).toEqual(
      expect.arrayContaining([
        "ticket_id", "ticket_number", "ticket_subject", "ticket_status", "ticket_priority", "ticket_board",
        "ticket_external_url", "company_id", "company_name", "company_external_id", "submitted_by_name",
        "submitted_by_email", "entity_id", "additional_fields",
      ]),
    );
    expect(variableTypeOf("additional_fields")).toBe("json");
  });

  it("puts Details only on ticket events, Description only on note/response events, neither on attachments", () => {
    for (const key of TICKET_EVENT_TYPE_KEYS) {
      const child = key.split(".")[1];
      const isTicket = ["created", "updated", "deleted"].includes(child ?? "");
      expect(names(key).includes("ticket_details"), key).toBe(isTicket);
      expect(names(key).includes("description"), key).toBe(child === "note" || child === "response");
      expect(names(key).includes("attachment_file_name"), key).toBe(child === "attachment");
    }
  });

  it("uses the ticket id as entity id for ticket events and the child id otherwise", () => {
    expect(sampleValues("ticket.updated")["entity_id"]).toBe(sampleValues("ticket.updated")["ticket_id"]);
    expect(sampleValues("ticket.note.added")["entity_id"]).not.toBe(sampleValues("ticket.note.added")["ticket_id"]);
    expect(getEventType("ticket.attachment.added").variables.find((variable) => variable.name === "entity_id")?.caption).toBe(
      "Entity ID: the attachment ID",
    );
  });

  it("samples embed base64 images in the HTML details/description", () => {
    expect(sampleValues("ticket.created")["ticket_details"]).toMatch(/<img src="data:image\/png;base64,/);
    expect(sampleValues("ticket.response.added")["description"]).toMatch(/data:image\/png;base64,/);
  });
});

describe("which event types may share a webhook", () => {
  it("allows one type, or several of the ticket family", () => {
    expect(canCombineEventTypes(["alert.active"])).toBe(true);
    expect(canCombineEventTypes(["ticket.created", "ticket.note.added", "ticket.attachment.deleted"])).toBe(true);
    expect(canCombineEventTypes(["object.created", "object.deleted"])).toBe(false);
    expect(canCombineEventTypes(["ticket.created", "alert.active"])).toBe(false);
    expect(explainEventTypeSelection([])).toBe("Select an event type");
    expect(explainEventTypeSelection(["ticket.created", "ticket.created"])).toMatch(/more than once/);
    expect(explainEventTypeSelection(["alert.active", "microservice.executed"])).toMatch(/Only ticket events can be combined/);
  });

  it("validates with zod, naming the problem", () => {
    expect(ZEventTypeSelection.safeParse(["ticket.created", "ticket.updated"]).success).toBe(true);
    const unknown = ZEventTypeSelection.safeParse(["ticket.exploded"]);
    expect(unknown.error?.issues[0]?.message).toBe('Unknown event type "ticket.exploded"');
    const mixed = ZEventTypeSelection.safeParse(["ticket.created", "alert.active"]);
    expect(mixed.error?.issues[0]?.message).toMatch(/Only ticket events/);
  });
});

describe("Operation executed in a workspace: one message per device", () => {
  it("declares the per-device variables", () => {
    expect(getEventType("operation.workspace_executed").workspaceFanOut).toEqual({
      sourceEventType: "operation.executed",
      perWorkspaceVariables: PER_WORKSPACE_VARIABLE_NAMES,
    });
    expect(PER_WORKSPACE_VARIABLE_NAMES).toEqual([
      "workspace_id", "workspace_name", "workspace_last_user", "workspace_reporting_group_id",
      "workspace_reporting_group_name", "workspace_operation_result", "workspace_operation_startdate",
      "workspace_operation_enddate",
    ]);
    expect(getEventType("operation.executed").workspaceFanOut).toBeNull();
  });

  it("builds a device's values from the operation's (003 renames status, flow, microservice and FRA)", () => {
    const operation = sampleValues("operation.executed");
    const devices = [
      { workspace_id: "w1", workspace_name: "PC-1", workspace_operation_result: "Completed" },
      { "#workspace_id": "w2", workspace_name: "PC-2", workspace_operation_result: "Error", alert_name: "ignored" },
    ];
    const messages = devices.map((device) => buildWorkspaceEventValues(operation, device));
    expect(messages[0]).toMatchObject({
      event_type: "operation.workspace_executed",
      operation_status: operation["status"],
      operation_flow_id: operation["flow_id"],
      operation_microservice_id: operation["microservice_id"],
      operation_fra_start: operation["fra_start"],
      started_by: operation["started_by"],
      workspace_id: "w1",
      workspace_operation_result: "Completed",
    });
    expect(messages[1]).toMatchObject({ workspace_id: "w2", workspace_operation_result: "Error" });
    expect(messages[1]).not.toHaveProperty("alert_name");
    expect(messages[1]).not.toHaveProperty("summary"); // not a variable of the per-device type
    expect(valuesSchemaFor("operation.workspace_executed").safeParse(messages[0]).success).toBe(true);
  });
});

describe("valuesSchemaFor (event values at ingest)", () => {
  const schema = valuesSchemaFor("operation.executed");

  it("builds each type's schema once (ingest parses every event with it)", () => {
    expect(valuesSchemaFor("operation.executed")).toBe(schema);
    expect(valuesSchemaFor("alert.active")).not.toBe(schema);
  });

  it("accepts Date or ISO datetimes, numbers, JSON; null means absent", () => {
    expect(schema.safeParse({ started_at: new Date(), created_at: "2025-03-14T10:00:00+02:00", total_errors: 2, summary: { a: [1] }, fra_end: null }).success).toBe(true);
  });

  it("names the variable in its messages", () => {
    const result = schema.safeParse({ started_at: "yesterday", total_errors: "2", event_type: "alert.active", bogus: 1 });
    const messages = result.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        "#started_at must be a date-time (Date or ISO 8601 string)",
        "#total_errors must be a finite number",
        '#event_type must be "operation.executed"',
        "Unknown variable for operation.executed: #bogus",
      ]),
    );
  });
});
