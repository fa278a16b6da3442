import { describe, expect, it } from "vitest";
import { EVENT_TYPES, type TJsonValue } from "@/lib/catalog";
import { TemplateSyntaxError, payloadJsonSchema, previewTemplate, renderTemplate, type TJsonSchema } from "@/lib/templates";

/** A tiny validator for the keywords payloadJsonSchema emits (type, properties, required, items, anyOf). */
function validate(schema: TJsonSchema, value: unknown, at = "$"): string[] {
  const anyOf = schema["anyOf"];
  if (Array.isArray(anyOf)) {
    return anyOf.some((option) => validate(option as TJsonSchema, value, at).length === 0) ? [] : [`${at}: matches no anyOf option`];
  }
  const type = schema["type"];
  const actual = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (type !== undefined) {
    const ok = type === actual || (type === "integer" && Number.isInteger(value)) || (type === "number" && actual === "number");
    if (!ok) return [`${at}: expected ${String(type)}, got ${actual}`];
  }
  const errors: string[] = [];
  if (actual === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of (schema["required"] as string[] | undefined) ?? []) if (!(key in record)) errors.push(`${at}.${key}: required`);
    const properties = (schema["properties"] ?? {}) as Record<string, TJsonSchema>;
    for (const [key, child] of Object.entries(properties)) if (key in record) errors.push(...validate(child, record[key], `${at}.${key}`));
  }
  if (Array.isArray(value) && schema["items"]) value.forEach((item, index) => errors.push(...validate(schema["items"] as TJsonSchema, item, `${at}[${index}]`)));
  return errors;
}

const TEMPLATES = EVENT_TYPES.flatMap((eventType) => [
  { key: eventType.key, name: `${eventType.key} default`, template: eventType.defaultTemplate },
  ...eventType.presets.map((preset) => ({ key: eventType.key, name: `${eventType.key} ${preset.id}`, template: preset.template })),
]);

describe("payloadJsonSchema", () => {
  it.each(TEMPLATES)("$name: the sample payload and an all-empty payload validate against the schema", ({ key, template }) => {
    const schema = payloadJsonSchema(template, key);
    expect(schema["$schema"]).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(validate(schema, JSON.parse(previewTemplate(template, key)))).toEqual([]);
    expect(validate(schema, JSON.parse(renderTemplate(template, {})))).toEqual([]);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema); // plain JSON for Power Automate
  });

  it("describes the operation.executed default: strings with captions, numbers and json as text", () => {
    const schema = payloadJsonSchema(EVENT_TYPES.find((eventType) => eventType.key === "operation.executed")?.defaultTemplate ?? "", "operation.executed");
    expect(schema["title"]).toBe("Operation executed webhook payload");
    const message = (schema["properties"] as Record<string, TJsonSchema>)["message"] as TJsonSchema;
    const properties = message["properties"] as Record<string, Record<string, TJsonSchema>>;
    expect(message["required"]).toEqual(["event_type", "timestamp", "organization", "operation", "results", "context"]);
    expect(properties["operation"]?.["properties"]).toMatchObject({
      summary: { type: "string", description: "Operation summary (JSON)", contentMediaType: "application/json" },
      started_at: { type: "string", description: "Operation start date and time (ISO 8601)" },
    });
    expect(properties["results"]?.["properties"]).toMatchObject({
      total_errors: { type: "string", description: "Total number of executions with errors during the operation (a number, as text)" },
    });
    const example = (schema["examples"] as TJsonValue[])[0] as { message: { event_type: string } };
    expect(example.message.event_type).toBe("operation.executed");
  });

  it("keeps literal types, merges array items, and leaves mixed text undescribed", () => {
    const template = '{"n": 1, "x": 1.5, "b": true, "z": null, "t": "CPU: #alert_name", "e": [], "list": [{"a": "#alert_name", "k": 1}, {"a": "#workspace_name"}], "mixed": [1, "a"]}';
    const schema = payloadJsonSchema(template, "alert.active");
    expect(schema["properties"]).toEqual({
      n: { type: "integer" },
      x: { type: "number" },
      b: { type: "boolean" },
      z: { type: "null" },
      t: { type: "string" },
      e: { type: "array" },
      list: { type: "array", items: { type: "object", properties: { a: { type: "string" }, k: { type: "integer" } }, required: ["a"] } },
      mixed: { type: "array", items: { anyOf: [{ type: "integer" }, { type: "string" }] } },
    });
  });

  it("throws TemplateSyntaxError with the position for invalid JSON", () => {
    expect(() => payloadJsonSchema('{\n  "a": }', "alert.active")).toThrow(TemplateSyntaxError);
    expect(() => payloadJsonSchema('{\n  "a": }', "alert.active")).toThrow('Invalid JSON: Unexpected "}": expected a value (line 2, column 8)');
  });
});
