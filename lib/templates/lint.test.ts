import { describe, expect, it } from "vitest";
import { MAX_TEMPLATE_BYTES, hasErrors, lintTemplate, type TDiagnostic } from "@/lib/templates";

function only(diagnostics: TDiagnostic[], code: TDiagnostic["code"]): TDiagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

describe("lintTemplate: invalid JSON at the parser's position", () => {
  it.each([
    // [template, line, column, endLine, endColumn, message]
    ['{\n  "a": "x"\n  "b": 1\n}', 3, 3, 3, 4, 'Invalid JSON: Expected "," or "}" after the value of "a"'],
    ['{\n  "a": 1,\n}', 3, 1, 3, 2, 'Invalid JSON: Trailing comma: remove the "," before }'],
    ['{"a": [1, 2,]}', 1, 13, 1, 14, 'Invalid JSON: Trailing comma: remove the "," before ]'],
    ["{'a': 1}", 1, 2, 1, 3, 'Invalid JSON: Expected a property name in double quotes, found "\'"'],
    ['{"a": \n "line\nbreak"}', 2, 7, 2, 8, 'Invalid JSON: Line break inside a string: write \\n, or close the string with "'],
    ['{"a": "\\x"}', 1, 8, 1, 10, 'Invalid JSON: Invalid escape sequence "\\x": use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX'],
    ['{"count": #total_errors}', 1, 11, 1, 24, 'Invalid JSON: Variables are only replaced inside strings: write "#total_errors" in double quotes'],
    ['{"a": 01}', 1, 7, 1, 9, 'Invalid JSON: Invalid number "01…": JSON numbers have no leading zeros, and need digits after "." and "e"'],
    ['{"a": tru}', 1, 7, 1, 10, 'Invalid JSON: Unexpected "tru": expected a value (object, array, "string", number, true, false or null)'],
    ['{"a": 1} x', 1, 10, 1, 11, 'Invalid JSON: Unexpected "x" after the end of the JSON value'],
    ['{"a": "b', 1, 7, 1, 9, 'Invalid JSON: Unterminated string: add the closing "'],
    ['{"a": ', 1, 7, 1, 7, "Invalid JSON: Unexpected end of template: expected a value"],
    ["  \n ", 1, 1, 1, 1, "Invalid JSON: The template is empty: expected a JSON value"],
  ])("%j → %i:%i", (template, line, column, endLine, endColumn, message) => {
    const [diagnostic] = only(lintTemplate(template, "alert.active"), "invalid_json");
    expect(diagnostic).toEqual({ severity: "error", code: "invalid_json", message, line, column, endLine, endColumn });
  });

  it("counts CRLF and CR as one line break, and columns in UTF-16 units like Monaco", () => {
    expect(only(lintTemplate('{\r\n"a": 1\r\n,,}', "alert.active"), "invalid_json")[0]).toMatchObject({ line: 3, column: 2 });
    expect(only(lintTemplate('{\r"a": 1\r,,}', "alert.active"), "invalid_json")[0]).toMatchObject({ line: 3, column: 2 });
    expect(only(lintTemplate('{"🚀": 1 2}', "alert.active"), "invalid_json")[0]).toMatchObject({ line: 1, column: 10 });
  });
});

describe("lintTemplate: variables", () => {
  const template = ['{', '  "a": "#alert_name on #workspace_name",', '  "b": "#alert_nme",', '  "c": "#total_errors",', '  "d": "#general #ff0000 #1 #"', '}'].join("\n");

  it("accepts variables of the event type", () => {
    expect(lintTemplate('{"a": "#alert_name on #workspace_name"}', "alert.active")).toEqual([]);
  });

  it("warns about #names outside the catalog (sent as written) with a suggestion, at their position", () => {
    expect(only(lintTemplate(template, "alert.active"), "unknown_variable").filter((d) => d.severity === "warning")).toEqual([
      {
        severity: "warning",
        code: "unknown_variable",
        message: "Unknown variable #alert_nme: it is sent as written. Did you mean #alert_name?",
        line: 3,
        column: 9,
        endLine: 3,
        endColumn: 19,
      },
      { severity: "warning", code: "unknown_variable", message: "Unknown variable #general: it is sent as written", line: 5, column: 9, endLine: 5, endColumn: 17 },
    ]);
  });

  it("errs on a catalog variable the selected type lacks (it would render as empty)", () => {
    expect(only(lintTemplate(template, "alert.active"), "unknown_variable").filter((d) => d.severity === "error")).toEqual([
      {
        severity: "error",
        code: "unknown_variable",
        message: "#total_errors is not a variable of alert.active: it would always render as an empty string",
        line: 4,
        column: 9,
        endLine: 4,
        endColumn: 22,
      },
    ]);
  });

  it("warns about variables not available for every selected event type", () => {
    const diagnostics = lintTemplate('{\n "d": "#ticket_details",\n "n": "#description"\n}', ["ticket.created", "ticket.note.added", "ticket.attachment.added"]);
    expect(diagnostics).toEqual([
      {
        severity: "warning",
        code: "variable_not_available",
        message: "#ticket_details is not available for ticket.note.added, ticket.attachment.added: it renders as an empty string for those events",
        line: 2,
        column: 8,
        endLine: 2,
        endColumn: 23,
      },
      {
        severity: "warning",
        code: "variable_not_available",
        message: "#description is not available for ticket.created, ticket.attachment.added: it renders as an empty string for those events",
        line: 3,
        column: 8,
        endLine: 3,
        endColumn: 20,
      },
    ]);
    expect(hasErrors(diagnostics)).toBe(false);
  });

  it("points out a variable followed by name characters (longest match reads it differently)", () => {
    expect(lintTemplate('{"a": "#operation_idx"}', "microservice.executed")).toEqual([
      {
        severity: "warning",
        code: "variable_followed_by_text",
        message: '#operation_idx is read as #operation_id followed by "x"',
        line: 1,
        column: 8,
        endLine: 1,
        endColumn: 22,
      },
    ]);
  });

  it("checks variables even while the JSON is broken", () => {
    const diagnostics = lintTemplate('{"a": "#alert_nam", ', "alert.active");
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["unknown_variable", "invalid_json"]);
  });

  it("checks against the whole catalog when no event type is selected", () => {
    expect(lintTemplate('{"a": "#alert_name #ticket_id"}', [])).toEqual([]);
  });

  it("throws on an unknown event type key", () => {
    expect(() => lintTemplate("{}", ["nope" as "alert.active"])).toThrow(/Unknown event type "nope"/);
  });
});

describe("lintTemplate: other checks", () => {
  it("warns about duplicate property names", () => {
    expect(lintTemplate('{"a": 1,\n "a": 2}', "alert.active")).toEqual([
      { severity: "warning", code: "duplicate_key", message: 'Duplicate property "a": most receivers keep only the last one', line: 2, column: 2, endLine: 2, endColumn: 5 },
    ]);
  });

  it("errs over 64 KiB of UTF-8, from the first byte past the limit", () => {
    const fits = `{"a": "${"x".repeat(MAX_TEMPLATE_BYTES - 9)}"}`;
    expect(fits.length).toBe(MAX_TEMPLATE_BYTES);
    expect(lintTemplate(fits, "alert.active")).toEqual([]);

    const tooLarge = `{"a": "${"é".repeat(MAX_TEMPLATE_BYTES / 2)}"}`; // 7 + 65536 + 2 bytes: é is 2 bytes
    const [diagnostic] = only(lintTemplate(tooLarge, "alert.active"), "template_too_large");
    expect(diagnostic).toEqual({
      severity: "error",
      code: "template_too_large",
      message: `The template is ${MAX_TEMPLATE_BYTES + 9} bytes; the limit is ${MAX_TEMPLATE_BYTES} bytes (64 KiB)`,
      line: 1,
      column: 7 + 32765, // 7 ASCII bytes, then the 32765th é ends at byte 65537
      endLine: 1,
      endColumn: tooLarge.length + 1,
    });
  });
});
