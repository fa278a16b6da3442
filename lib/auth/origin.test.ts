import { describe, expect, it } from "vitest";
import { isTrustedActionOrigin } from "./origin";

const base = { host: "hooks.acme.test", appUrl: "https://hooks.acme.test" };

describe("server action origin check", () => {
  it("accepts our own origin (host header, forwarded host or APP_URL)", () => {
    expect(isTrustedActionOrigin({ ...base, origin: "https://hooks.acme.test" })).toBe(true);
    expect(isTrustedActionOrigin({ origin: "http://localhost:3000", host: "localhost:3000", appUrl: "http://localhost:3000" })).toBe(true);
    expect(isTrustedActionOrigin({ origin: "https://public.acme.test", host: "10.0.0.5:3000", forwardedHost: "public.acme.test", appUrl: "http://x" })).toBe(true);
  });

  it("refuses a foreign origin, Origin: null, a missing origin and odd schemes", () => {
    for (const origin of ["https://evil.example", "null", null, "file://", "https://hooks.acme.test.evil.example", "javascript:alert(1)"]) {
      expect(isTrustedActionOrigin({ ...base, origin })).toBe(false);
    }
  });
});
