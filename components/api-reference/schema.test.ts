import { describe, expect, it } from "vitest";
import { constraintsOf, curlExample, resolveSchema, shellQuote, typeLabel, unwrapNullable } from "./schema";

const schemas = { Webhook: { type: "object", properties: { id: { type: "string", format: "uuid" } } } };

describe("API reference schema helpers", () => {
  it("labels types, nullables, arrays and refs", () => {
    expect(typeLabel({ type: "string", format: "uuid" }, schemas)).toBe("string (uuid)");
    expect(typeLabel({ anyOf: [{ type: "string" }, { type: "null" }] }, schemas)).toBe("string | null");
    expect(typeLabel({ type: "array", items: { $ref: "#/components/schemas/Webhook" } }, schemas)).toBe("array of Webhook");
    expect(unwrapNullable({ anyOf: [{ type: "integer" }, { type: "null" }], default: null })).toMatchObject({ nullable: true, schema: { type: "integer", default: null } });
    expect(resolveSchema({ $ref: "#/components/schemas/Webhook", default: {} }, schemas)).toMatchObject({ type: "object", default: {} });
  });

  it("lists constraints", () => {
    expect(constraintsOf({ type: "integer", minimum: 1, maximum: 200, default: 50 })).toEqual(["1–200", "default 50"]);
    expect(constraintsOf({ type: "string", enum: ["a", "b"] })).toEqual(['one of: "a", "b"']);
  });

  it("writes a shell-safe curl", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const curl = curlExample({ baseUrl: "http://localhost:3000", method: "post", path: "/api/v1/webhooks/{id}/test", params: { id: "abc" }, query: { id: ["1", "2"] }, body: { mode: "sample" }, auth: "bearer" });
    expect(curl).toContain("curl -X POST 'http://localhost:3000/api/v1/webhooks/abc/test?id=1&id=2'");
    expect(curl).toContain('Authorization: Bearer $HOOKYARD_API_KEY');
    expect(curl).toContain(`-d '{\n  "mode": "sample"\n}'`);
  });
});
