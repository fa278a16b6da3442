/**
 * Fuzz pass over event ingestion's validation and the renderer it feeds:
 * arbitrary bodies are either accepted or refused with a field-naming 400 —
 * never a crash — and accepted events render every template of their type
 * to valid JSON.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseEventInput } from "./ingest";
import { AppError } from "@/lib/errors";
import { EVENT_TYPES, EVENT_TYPE_KEYS, OPERATIONAL_EVENT_TYPE_KEYS } from "@/lib/catalog";
import { renderTemplate } from "@/lib/templates";

const INPUT_TYPES = EVENT_TYPE_KEYS.filter((k) => !OPERATIONAL_EVENT_TYPE_KEYS.includes(k));

/** A body that is sometimes valid: real types and variable names mixed with junk. */
const arbitraryBody = fc.oneof(
  fc.anything(),
  fc.record(
    {
      id: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
      type: fc.oneof(fc.constantFrom(...INPUT_TYPES), fc.string()),
      resource: fc.oneof(fc.string(), fc.constant(undefined), fc.constant(null)),
      occurredAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), fc.constant(undefined)),
      data: fc.oneof(
        fc.dictionary(fc.constantFrom("alert_name", "workspace_name", "ticket_number", "summary", "alert_start", "total_errors", "nope", "#alert_name"), fc.jsonValue()),
        fc.anything(),
      ),
      workspaces: fc.oneof(fc.constant(undefined), fc.array(fc.dictionary(fc.constantFrom("workspace_name", "workspace_id", "bad"), fc.jsonValue()), { maxLength: 3 })),
    },
    { requiredKeys: [] },
  ),
);

describe("event ingestion validation (fuzz)", () => {
  it("accepts or refuses with a field-naming error, never crashes", () => {
    fc.assert(
      fc.property(arbitraryBody, (body) => {
        try {
          const input = parseEventInput(body);
          expect(INPUT_TYPES).toContain(input.type);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          const e = error as AppError;
          expect(e.status).toBe(400);
          expect(e.issues?.length).toBeGreaterThan(0);
          for (const issue of e.issues ?? []) {
            expect(issue.path).toMatch(/\S/);
            expect(issue.message).toMatch(/\S/);
          }
        }
      }),
      { numRuns: 1500 },
    );
  }, 60_000);

  it("renders every template of an accepted event to valid JSON, whatever the string values", () => {
    const stringValues = fc.dictionary(fc.constantFrom("alert_name", "workspace_name", "alert_information", "ticket_subject", "description", "entity_name"), fc.string({ unit: "binary" }));
    fc.assert(
      fc.property(fc.constantFrom(...INPUT_TYPES), stringValues, (type, values) => {
        const eventType = EVENT_TYPES.find((e) => e.key === type)!;
        const names = new Set(eventType.variables.map((v) => v.name));
        const data = Object.fromEntries(Object.entries(values).filter(([k]) => names.has(k)));
        const input = parseEventInput({ type, data });
        for (const template of [eventType.defaultTemplate, ...eventType.presets.map((p) => p.template)]) {
          const body = renderTemplate(template, { ...input.data, event_type: type });
          expect(() => JSON.parse(body)).not.toThrow();
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
