import { describe, expect, it } from "vitest";
import { TemplateValueError, renderTemplate } from "@/lib/templates";

describe("renderTemplate: substitution inside JSON strings", () => {
  it("keeps the template byte for byte outside the variables", () => {
    const template = '{\r\n  "name" :"#alert_name",\t"n": 5, "ok": true }';
    expect(renderTemplate(template, { alert_name: "CPU" })).toBe('{\r\n  "name" :"CPU",\t"n": 5, "ok": true }');
  });

  it("replaces inside longer text and property names, never outside strings", () => {
    const template = '{"#alert_name": "Alert: #alert_name on #workspace_name.", "raw": #alert_name}';
    expect(renderTemplate(template, { alert_name: "CPU", workspace_name: "PC-1" })).toBe(
      '{"CPU": "Alert: CPU on PC-1.", "raw": #alert_name}',
    );
  });

  it("follows escapes: an escaped quote does not end the string, an escaped backslash does not hide a #", () => {
    const template = String.raw`{"a": "say \"#alert_name\"", "b": "C:\\#alert_name", "c": "\u0023alert_name"}`;
    const rendered = renderTemplate(template, { alert_name: "CPU" });
    expect(JSON.parse(rendered)).toEqual({ a: 'say "CPU"', b: "C:\\CPU", c: "#alert_name" });
  });

  it("JSON-escapes values: quotes, backslashes, newlines, control characters, unicode, lone surrogates", () => {
    const nasty = 'He said "hi"\\ \n\r\t\u0000\u001f\u2028 ünïcødé 🚀 \ud800 end';
    const rendered = renderTemplate('{"v": "#alert_name"}', { alert_name: nasty });
    expect(rendered).toBe(`{"v": ${JSON.stringify(nasty)}}`);
    expect(JSON.parse(rendered)).toEqual({ v: nasty });
  });

  it("leaves #text that is no variable as written (hashtags, channels, colours)", () => {
    expect(renderTemplate('{"t": "#general #ff0000 #1 # #"}', {})).toBe('{"t": "#general #ff0000 #1 # #"}');
  });
});

describe("renderTemplate: the longest variable name wins", () => {
  it("#operation_id vs #operation (both given as values)", () => {
    const rendered = renderTemplate('{"a": "#operation_id|#operation|#operation_idx"}', { operation: "OP", operation_id: "ID" });
    expect(JSON.parse(rendered)).toEqual({ a: "ID|OP|IDx" });
  });

  it("#workspace_operation_result vs #workspace_id, #started_by vs #started_at", () => {
    const values = { workspace_operation_result: "Completed", workspace_id: "W1", started_by: "Jane", started_at: "2025-03-14T09:20:05Z" };
    const rendered = renderTemplate('{"a": "#workspace_operation_result #workspace_id", "b": "#started_by@#started_at"}', values);
    expect(JSON.parse(rendered)).toEqual({ a: "Completed W1", b: "Jane@2025-03-14T09:20:05.000Z" });
  });

  it("does not let a shorter catalog name eat a longer value key", () => {
    expect(JSON.parse(renderTemplate('{"a": "#status_detail"}', { status: "S", status_detail: "D" }))).toEqual({ a: "D" });
  });
});

describe("renderTemplate: one pass", () => {
  it("never replaces text that a value brings in", () => {
    const values = { alert_name: "#timestamp and #alert_name", timestamp: "2025-03-14T09:26:53Z" };
    expect(JSON.parse(renderTemplate('{"a": "#alert_name", "t": "#timestamp"}', values))).toEqual({
      a: "#timestamp and #alert_name",
      t: "2025-03-14T09:26:53.000Z",
    });
  });
});

describe("renderTemplate: absent values and raw mode", () => {
  const template = '{"a": "#alert_name", "b": "[#workspace_name]", "c": "#alert_start"}';

  it("renders absent, undefined and null values as empty strings", () => {
    expect(renderTemplate(template, { workspace_name: undefined, alert_start: null })).toBe('{"a": "", "b": "[]", "c": ""}');
  });

  it("raw mode (003's Test) sends the template with variables left as written", () => {
    expect(renderTemplate(template, {}, { mode: "raw" })).toBe(template);
  });

  it("raw mode still replaces the variables that have values", () => {
    expect(renderTemplate(template, { alert_name: "CPU" }, { mode: "raw" })).toBe('{"a": "CPU", "b": "[#workspace_name]", "c": "#alert_start"}');
  });
});

describe("renderTemplate: value formatting", () => {
  it("renders datetimes as ISO 8601 UTC, from Date or ISO string", () => {
    const template = '{"a": "#timestamp", "b": "#alert_start"}';
    const rendered = renderTemplate(template, { timestamp: new Date(Date.UTC(2025, 2, 14, 9, 26, 53)), alert_start: "2025-03-14T11:21:40+02:00" });
    expect(JSON.parse(rendered)).toEqual({ a: "2025-03-14T09:26:53.000Z", b: "2025-03-14T09:21:40.000Z" });
  });

  it("renders #event_type as the type's key when the event type is given", () => {
    expect(renderTemplate('{"e": "#event_type"}', { event_type: "something else" }, { eventType: "ticket.note.added" })).toBe('{"e": "ticket.note.added"}');
    expect(renderTemplate('{"e": "#event_type"}', { event_type: "alert.active" })).toBe('{"e": "alert.active"}');
  });

  it("renders numbers as decimal text inside the string", () => {
    const rendered = renderTemplate('{"a": "#total_errors", "b": "#total_warnings", "c": "#total_workspaces"}', {
      total_errors: 3,
      total_warnings: -0,
      total_workspaces: 2.5,
    });
    expect(rendered).toBe('{"a": "3", "b": "0", "c": "2.5"}');
  });

  it("renders json values as their JSON text inside the string", () => {
    const summary = { total: 3, note: 'say "hi"' };
    const rendered = renderTemplate('{"s": "#summary", "f": "#additional_fields"}', { summary, additional_fields: [{ name: "a" }] });
    const parsed = JSON.parse(rendered) as { s: string; f: string };
    expect(parsed.s).toBe(JSON.stringify(summary));
    expect(JSON.parse(parsed.s)).toEqual(summary);
    expect(parsed.f).toBe('[{"name":"a"}]');
  });

  it("treats a string given for a json variable as a JSON string value, not as pre-serialised text", () => {
    const parsed = JSON.parse(renderTemplate('{"s": "#summary"}', { summary: '{"a":1}' })) as { s: string };
    expect(JSON.parse(parsed.s)).toBe('{"a":1}');
  });

  it("renders non-text values of text variables readably", () => {
    expect(renderTemplate('{"a": "#alert_name #workspace_name #alert_element"}', { alert_name: 42, workspace_name: true, alert_element: { x: 1 } })).toBe(
      '{"a": "42 true {\\"x\\":1}"}',
    );
  });

  it("accepts #-prefixed keys; the canonical key wins when both are given", () => {
    expect(renderTemplate('{"a": "#alert_name"}', { "#alert_name": "hash" })).toBe('{"a": "hash"}');
    expect(renderTemplate('{"a": "#alert_name"}', { "#alert_name": "hash", alert_name: "plain" })).toBe('{"a": "plain"}');
  });

  it.each([
    ["a non-ISO datetime", { timestamp: "yesterday" }, '#timestamp must be a date-time (Date or ISO 8601 string), got "yesterday"'],
    ["an invalid Date", { timestamp: new Date(Number.NaN) }, "#timestamp must be a date-time (Date or ISO 8601 string), got an invalid Date"],
    ["NaN", { total_errors: Number.NaN }, "#total_errors must be a finite number, got number NaN"],
    ["a non-numeric text for a number", { total_errors: "three" }, '#total_errors must be a finite number, got "three"'],
    ["a json value JSON cannot write", { summary: { big: 1n } }, "#summary cannot be written as JSON (an object)"],
  ])("throws TemplateValueError naming the variable for %s", (_label, values, message) => {
    const template = '{"a": "#timestamp #total_errors #summary"}';
    expect(() => renderTemplate(template, values)).toThrow(TemplateValueError);
    expect(() => renderTemplate(template, values)).toThrow(message);
  });

  it("does not touch values of variables the template does not use", () => {
    expect(renderTemplate('{"a": 1}', { timestamp: "not a date" })).toBe('{"a": 1}');
  });
});
