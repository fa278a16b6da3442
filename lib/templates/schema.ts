/**
 * JSON Schema (draft 2020-12) of the payload a template renders to — for Power Automate's "When a HTTP request
 * is received" trigger ("Request Body JSON Schema").
 *
 * The template fixes the payload's shape: objects list every property as required, literals keep their JSON
 * type, and every string literal is a string in the payload (variables render INSIDE strings, so a number or
 * json variable arrives as text: json ones are marked `contentMediaType: application/json`). A string that is
 * exactly one variable carries the variable's caption as description. No `format`/`pattern` is set: a variable
 * without a value renders as "", which such constraints would reject. Arrays get one `items` schema that
 * merges their elements. The root carries the sample payload under `examples`.
 */
import { ALL_VARIABLE_NAMES, getEventType, type TEventType, type TEventTypeKey, type TJsonValue } from "@/lib/catalog";
import { parseJson, type TJsonNode } from "./json-parser";
import { createLineIndex } from "./positions";
import { previewTemplate } from "./preview";
import { createNameMatcher } from "./scanner";

export type TJsonSchema = { readonly [keyword: string]: TJsonValue };

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** Thrown when a template is not valid JSON; `line`/`column` are 1-based. */
export class TemplateSyntaxError extends Error {
  override readonly name = "TemplateSyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

const CATALOG_MATCHER = createNameMatcher(ALL_VARIABLE_NAMES);

function describeStringLiteral(template: string, node: Extract<TJsonNode, { kind: "string" }>, eventType: TEventType): TJsonSchema {
  const raw = template.slice(node.start + 1, node.end - 1);
  const name = raw.startsWith("#") ? CATALOG_MATCHER(raw, 1) : undefined;
  const variable = name !== undefined && raw.length === name.length + 1 ? eventType.variables.find((candidate) => candidate.name === name) : undefined;
  if (!variable) return { type: "string" };
  switch (variable.type) {
    case "json":
      return { type: "string", description: variable.caption, contentMediaType: "application/json" };
    case "number":
      return { type: "string", description: `${variable.caption} (a number, as text)` };
    default:
      return { type: "string", description: variable.caption };
  }
}

function isSameSchema(a: TJsonSchema, b: TJsonSchema): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function readProperties(schema: TJsonSchema): Record<string, TJsonSchema> {
  const properties = schema["properties"];
  return typeof properties === "object" && properties !== null && !Array.isArray(properties) ? (properties as Record<string, TJsonSchema>) : {};
}

function readRequired(schema: TJsonSchema): string[] {
  const required = schema["required"];
  return Array.isArray(required) ? required.filter((entry): entry is string => typeof entry === "string") : [];
}

/** One schema that accepts what either accepts (objects merge their properties; equal types drop differing keywords). */
export function mergeSchemas(a: TJsonSchema, b: TJsonSchema): TJsonSchema {
  if (isSameSchema(a, b)) return a;
  if (a["type"] === "object" && b["type"] === "object") {
    const left = readProperties(a);
    const right = readProperties(b);
    const properties: Record<string, TJsonSchema> = { ...left };
    for (const [key, schema] of Object.entries(right)) {
      const existing = properties[key];
      properties[key] = existing === undefined ? schema : mergeSchemas(existing, schema);
    }
    const rightRequired = new Set(readRequired(b));
    return { type: "object", properties, required: readRequired(a).filter((key) => rightRequired.has(key)) };
  }
  if (a["type"] === "array" && b["type"] === "array") {
    const left = a["items"] as TJsonSchema | undefined;
    const right = b["items"] as TJsonSchema | undefined;
    if (left === undefined) return b;
    if (right === undefined) return a;
    return { type: "array", items: mergeSchemas(left, right) };
  }
  if (a["type"] !== undefined && a["type"] === b["type"]) {
    return Object.fromEntries(Object.entries(a).filter(([keyword, value]) => JSON.stringify(b[keyword]) === JSON.stringify(value)));
  }
  const options = [...((a["anyOf"] as TJsonSchema[] | undefined) ?? [a]), ...((b["anyOf"] as TJsonSchema[] | undefined) ?? [b])];
  return { anyOf: options.filter((option, index) => options.findIndex((other) => isSameSchema(other, option)) === index) };
}

function describeNode(template: string, node: TJsonNode, eventType: TEventType): TJsonSchema {
  switch (node.kind) {
    case "object": {
      const properties: Record<string, TJsonSchema> = {};
      for (const member of node.members) {
        const schema = describeNode(template, member.value, eventType);
        const existing = properties[member.key.value];
        properties[member.key.value] = existing === undefined ? schema : mergeSchemas(existing, schema);
      }
      return { type: "object", properties, required: Object.keys(properties) };
    }
    case "array": {
      if (node.items.length === 0) return { type: "array" };
      const schemas = node.items.map((item) => describeNode(template, item, eventType));
      return { type: "array", items: schemas.reduce((merged, schema) => mergeSchemas(merged, schema)) };
    }
    case "string":
      return describeStringLiteral(template, node, eventType);
    case "number":
      return { type: /^-?\d+$/.test(node.raw) ? "integer" : "number" };
    case "boolean":
      return { type: "boolean" };
    case "null":
      return { type: "null" };
  }
}

/**
 * The JSON Schema of the payload `template` renders to for `eventType`. Throws `TemplateSyntaxError` when the
 * template is not valid JSON (lint first to show all diagnostics).
 */
export function payloadJsonSchema(template: string, eventType: TEventTypeKey): TJsonSchema {
  const type = getEventType(eventType);
  const result = parseJson(template);
  if (!result.ok) {
    const position = createLineIndex(template).toPosition(result.error.start);
    throw new TemplateSyntaxError(`Invalid JSON: ${result.error.message}`, position.line, position.column);
  }
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: `${type.label} webhook payload`,
    ...describeNode(template, result.node, type),
    examples: [JSON.parse(previewTemplate(template, eventType)) as TJsonValue],
  };
}
