import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { apiKeyParts, constantTimeEqual, generateApiKey, hashToken } from "./tokens";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored.startsWith("scrypt$32768$8$1$")).toBe(true);
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("refuses malformed stored hashes", async () => {
    expect(await verifyPassword("x", "plain")).toBe(false);
  });
});

describe("tokens", () => {
  it("API keys keep only a prefix and a hash", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^hy_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix).toHaveLength(11);
    expect(hash).toBe(hashToken(key));
    expect(hash).not.toContain(key.slice(3, 20));
    expect(apiKeyParts(key)).toEqual({ prefix, hash });
  });

  it("compares secrets in constant time", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});
