import { describe, expect, it } from "vitest";
import {
  CONDITION_OPERATORS,
  CONDITION_OPERATORS_BY_TYPE,
  ConditionError,
  ZCondition,
  ZConditions,
  conditionsSchemaFor,
  matchesConditions,
  type TCondition,
  type TConditionInput,
} from "@/lib/catalog";

const operation = {
  event_type: "operation.executed",
  operation_type: "Restart",
  status: "Finished",
  description: "Restart after patch",
  total_errors: 2,
  total_warnings: 0,
  started_at: "2025-03-14T09:20:05Z",
  finished_at: new Date("2025-03-14T09:26:50Z"),
  summary: { total: 3, errors: 2 },
};

function condition(input: TConditionInput): TCondition {
  return ZCondition.parse(input);
}

function matches(input: TConditionInput, values: Record<string, unknown> = operation): boolean {
  return matchesConditions([condition(input)], values);
}

describe("operators", () => {
  it("equals / not_equals on text is exact and case-sensitive", () => {
    expect(matches({ variable: "status", operator: "equals", value: "Finished" })).toBe(true);
    expect(matches({ variable: "status", operator: "equals", value: "finished" })).toBe(false);
    expect(matches({ variable: "status", operator: "not_equals", value: "Error" })).toBe(true);
  });

  it("equals / not_equals on numbers and datetimes compares values, not text", () => {
    expect(matches({ variable: "total_errors", operator: "equals", value: 2 })).toBe(true);
    expect(matches({ variable: "total_errors", operator: "not_equals", value: 2 })).toBe(false);
    expect(matches({ variable: "started_at", operator: "equals", value: "2025-03-14T10:20:05+01:00" })).toBe(true);
  });

  it("contains / not_contains / starts_with", () => {
    expect(matches({ variable: "description", operator: "contains", value: "patch" })).toBe(true);
    expect(matches({ variable: "description", operator: "not_contains", value: "patch" })).toBe(false);
    expect(matches({ variable: "operation_type", operator: "starts_with", value: "Re" })).toBe(true);
    expect(matches({ variable: "operation_type", operator: "starts_with", value: "start" })).toBe(false);
  });

  it("contains on json looks into its JSON text", () => {
    expect(matches({ variable: "summary", operator: "contains", value: '"errors":2' })).toBe(true);
    expect(matches({ variable: "summary", operator: "not_contains", value: "warnings" })).toBe(true);
  });

  it("in", () => {
    expect(matches({ variable: "status", operator: "in", value: ["Error", "Finished"] })).toBe(true);
    expect(matches({ variable: "status", operator: "in", value: ["Error", "Cancelled"] })).toBe(false);
    expect(matches({ variable: "total_errors", operator: "in", value: [1, 2, 3] })).toBe(true);
  });

  it("exists (and exists: false)", () => {
    expect(matches({ variable: "status", operator: "exists" })).toBe(true);
    expect(matches({ variable: "fra_type", operator: "exists" })).toBe(false);
    expect(matches({ variable: "fra_type", operator: "exists", value: false })).toBe(true);
    expect(matches({ variable: "fra_type", operator: "exists" }, { fra_type: null })).toBe(false);
  });

  it("gt / lt on numbers", () => {
    expect(matches({ variable: "total_errors", operator: "gt", value: 0 })).toBe(true);
    expect(matches({ variable: "total_errors", operator: "gt", value: 2 })).toBe(false);
    expect(matches({ variable: "total_errors", operator: "lt", value: 3 })).toBe(true);
    expect(matches({ variable: "total_errors", operator: "gt", value: 1 }, { total_errors: "2" })).toBe(true); // numeric text from JSON
  });

  it("gt / lt on datetimes compares instants across offsets (Date or ISO string)", () => {
    expect(matches({ variable: "started_at", operator: "gt", value: "2025-03-14T09:20:04.999Z" })).toBe(true);
    expect(matches({ variable: "started_at", operator: "gt", value: "2025-03-14T10:00:00+01:00" })).toBe(true); // 09:00Z
    expect(matches({ variable: "started_at", operator: "lt", value: "2025-03-14T10:30:00+01:00" })).toBe(true);
    expect(matches({ variable: "finished_at", operator: "gt", value: "2025-03-14" })).toBe(true);
  });

  it("treats absent values: exists false, negations true, everything else false", () => {
    const absent = {};
    expect(matches({ variable: "status", operator: "equals", value: "x" }, absent)).toBe(false);
    expect(matches({ variable: "status", operator: "not_equals", value: "x" }, absent)).toBe(true);
    expect(matches({ variable: "status", operator: "not_contains", value: "x" }, absent)).toBe(true);
    expect(matches({ variable: "total_errors", operator: "gt", value: 0 }, { total_errors: "" })).toBe(false);
  });

  it("combines with AND; an empty list matches", () => {
    const conditions = ZConditions.parse([
      { variable: "#status", operator: "equals", value: "Finished" },
      { variable: "total_errors", operator: "gt", value: 0 },
    ]);
    expect(conditions[0]?.variable).toBe("status"); // `#` stripped: the canonical name
    expect(matchesConditions(conditions, operation)).toBe(true);
    expect(matchesConditions(conditions, { ...operation, total_errors: 0 })).toBe(false);
    expect(matchesConditions([], {})).toBe(true);
  });

  it("reads values keyed with # as well", () => {
    expect(matches({ variable: "status", operator: "equals", value: "Finished" }, { "#status": "Finished" })).toBe(true);
  });

  it("offers an operator list per type that covers every operator", () => {
    expect(new Set(Object.values(CONDITION_OPERATORS_BY_TYPE).flat())).toEqual(new Set(CONDITION_OPERATORS));
  });
});

describe("type mismatches throw ConditionError with a clear message (never a silent false)", () => {
  it("gt on an event value that is not a number", () => {
    const run = () => matches({ variable: "total_errors", operator: "gt", value: 1 }, { total_errors: "many" });
    expect(run).toThrow(ConditionError);
    expect(run).toThrow('Condition "#total_errors gt": #total_errors should be a number, got "many"');
  });

  it("gt on an event value that is not a datetime", () => {
    expect(() => matches({ variable: "started_at", operator: "gt", value: "2025-01-01" }, { started_at: "last Tuesday" })).toThrow(
      /#started_at should be a date-time \(Date or ISO 8601\), got "last Tuesday"/,
    );
    expect(() => matches({ variable: "started_at", operator: "gt", value: "2025-01-01" }, { started_at: new Date("x") })).toThrow(
      /got an invalid Date/,
    );
  });

  it("gt on a text variable (the operator does not suit the type)", () => {
    expect(() => matches({ variable: "status", operator: "gt", value: 3 })).toThrow(
      /Operator gt does not apply to #status, which is text; use one of: equals, not_equals, contains/,
    );
  });

  it("a number condition value for a datetime variable, and text for a number variable", () => {
    expect(() => matches({ variable: "started_at", operator: "gt", value: 5 })).toThrow(
      /#started_at is a datetime: the value of gt must be an ISO 8601 date-time, got 5/,
    );
    expect(() => matches({ variable: "total_errors", operator: "equals", value: "2" })).toThrow(
      /#total_errors is a number: the value of equals must be a number, got "2"/,
    );
  });

  it("contains on a number variable; text comparison with an object value", () => {
    expect(() => matches({ variable: "total_errors", operator: "contains", value: "2" })).toThrow(/Operator contains does not apply to #total_errors/);
    expect(() => matches({ variable: "status", operator: "equals", value: "x" }, { status: { nested: true } })).toThrow(
      /#status should be text, got an object/,
    );
  });

  it("reports an error even when an earlier condition is false", () => {
    const conditions = ZConditions.parse([
      { variable: "status", operator: "equals", value: "nope" },
      { variable: "total_errors", operator: "gt", value: 0 },
    ]);
    expect(() => matchesConditions(conditions, { status: "x", total_errors: "?" })).toThrow(ConditionError);
  });

  it("carries the variable and operator", () => {
    try {
      matches({ variable: "total_errors", operator: "lt", value: 1 }, { total_errors: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConditionError);
      expect(error).toMatchObject({ variable: "total_errors", operator: "lt" });
    }
  });

  it("infers the type of variables outside the catalog and still refuses mismatches", () => {
    expect(matches({ variable: "custom_score", operator: "gt", value: 5 }, { custom_score: 7 })).toBe(true);
    expect(() => matches({ variable: "custom_score", operator: "gt", value: 5 }, { custom_score: "high" })).toThrow(/should be a number/);
  });
});

describe("ZCondition / ZConditions", () => {
  it("rejects unknown operators, empty text, empty lists, and malformed variables", () => {
    expect(ZCondition.safeParse({ variable: "status", operator: "matches", value: "x" }).error?.issues[0]?.message).toMatch(
      /Operator must be one of: equals, not_equals/,
    );
    expect(ZCondition.safeParse({ variable: "status", operator: "contains", value: "" }).error?.issues[0]?.message).toBe("Value must not be empty");
    expect(ZCondition.safeParse({ variable: "status", operator: "in", value: [] }).error?.issues[0]?.message).toBe("List at least one value");
    expect(ZCondition.safeParse({ variable: "a b", operator: "exists" }).error?.issues[0]?.message).toMatch(/Variable must be a name/);
    expect(ZCondition.safeParse({ variable: "x", operator: "gt", value: "soon" }).error?.issues[0]?.message).toBe(
      "Value must be a number or an ISO 8601 date-time",
    );
  });

  it("caps the list", () => {
    const many = Array.from({ length: 21 }, () => ({ variable: "status", operator: "exists" }));
    expect(ZConditions.safeParse(many).error?.issues[0]?.message).toBe("At most 20 conditions");
  });
});

describe("conditionsSchemaFor(eventTypeKeys)", () => {
  it("accepts variables of the selected type", () => {
    const schema = conditionsSchemaFor(["operation.executed"]);
    expect(schema.safeParse([{ variable: "#total_errors", operator: "gt", value: 0 }]).success).toBe(true);
  });

  it("rejects a variable the event type lacks, at [index, 'variable']", () => {
    const result = conditionsSchemaFor(["alert.active"]).safeParse([
      { variable: "alert_name", operator: "equals", value: "CPU" },
      { variable: "total_errors", operator: "gt", value: 0 },
    ]);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: [1, "variable"], message: "#total_errors is not a variable of alert.active" }),
    ]);
  });

  it("rejects a variable that not every selected ticket event has", () => {
    const result = conditionsSchemaFor(["ticket.note.added", "ticket.attachment.added"]).safeParse([
      { variable: "description", operator: "contains", value: "urgent" },
    ]);
    expect(result.error?.issues[0]?.message).toBe(
      "#description is not available for ticket.attachment.added; a condition needs a variable of every selected event type",
    );
    expect(
      conditionsSchemaFor(["ticket.note.added", "ticket.attachment.added"]).safeParse([
        { variable: "ticket_priority", operator: "in", value: ["High", "Critical"] },
      ]).success,
    ).toBe(true);
  });

  it("rejects an operator or value that does not suit the variable's type", () => {
    const schema = conditionsSchemaFor(["operation.executed"]);
    expect(schema.safeParse([{ variable: "status", operator: "gt", value: 1 }]).error?.issues[0]).toMatchObject({
      path: [0, "operator"],
      message: expect.stringMatching(/Operator gt does not apply to #status, which is text/),
    });
    expect(schema.safeParse([{ variable: "started_at", operator: "lt", value: 12 }]).error?.issues[0]).toMatchObject({
      path: [0, "value"],
      message: expect.stringMatching(/#started_at is a datetime/),
    });
    expect(schema.safeParse([{ variable: "total_errors", operator: "in", value: [1, "2"] }]).error?.issues[0]?.message).toMatch(
      /#total_errors is a number: the value of in must be a number, got "2"/,
    );
    expect(schema.safeParse([{ variable: "summary", operator: "equals", value: "{}" }]).error?.issues[0]?.message).toMatch(
      /Operator equals does not apply to #summary, which is JSON/,
    );
  });
});
