import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJson, type TJsonNode } from "@/lib/templates";
import { MAX_DEPTH } from "./json-parser";

function acceptsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function toValue(node: TJsonNode): unknown {
  switch (node.kind) {
    case "object":
      return Object.fromEntries(node.members.map((member) => [member.key.value, toValue(member.value)]));
    case "array":
      return node.items.map(toValue);
    case "number":
      return Number(node.raw);
    case "null":
      return null;
    default:
      return node.value;
  }
}

const JSONISH = fc.string({
  unit: fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "u", "0", "1", "-", "+", ".", "e", "E", " ", "\n", "\t", "\r", "\u0000", "\ufeff", "a", "t", "r", "e", "f", "n", "l", "s", "true", "false", "null", '"a"', "#", "/", "é"),
  maxLength: 25,
});

describe("parseJson agrees with JSON.parse", () => {
  it("accepts every JSON text and decodes the same value", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const result = parseJson(text);
        expect(result.ok).toBe(true);
        if (result.ok) expect(toValue(result.node)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("accepts exactly what JSON.parse accepts on JSON-like noise", () => {
    fc.assert(
      fc.property(JSONISH, (text) => {
        expect(parseJson(text).ok).toBe(acceptsJson(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps string literal offsets as written", () => {
    const text = ' { "k" : "v\\n" } ';
    const result = parseJson(text);
    if (!result.ok || result.node.kind !== "object") throw new Error("expected an object");
    const member = result.node.members[0];
    expect(member && text.slice(member.key.start, member.key.end)).toBe('"k"');
    expect(member && text.slice(member.value.start, member.value.end)).toBe('"v\\n"');
  });

  it("refuses nesting deeper than MAX_DEPTH with a clear message instead of overflowing the stack", () => {
    const deep = "[".repeat(MAX_DEPTH + 2) + "]".repeat(MAX_DEPTH + 2);
    const result = parseJson(deep);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe(`Nested too deeply (more than ${MAX_DEPTH} levels)`);
  });
});
