import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decryptSecret, encryptSecret, generateKeySpec, keyIdOf, maskSecret, parseKeyring, SecretDecryptError } from "./secrets";

const ctx = { organizationId: "org-1", ownerId: "wh-1", field: "signing" };

describe("secrets at rest", () => {
  const keyring = parseKeyring(`${generateKeySpec("a")},${generateKeySpec("b")}`);

  it("round-trips any text and never contains the plaintext", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), (plain) => {
        const sealed = encryptSecret(keyring, plain, ctx);
        expect(decryptSecret(keyring, sealed, ctx)).toBe(plain);
        if (plain.length >= 6) expect(sealed.includes(plain)).toBe(false);
      }),
    );
  });

  it("uses a fresh nonce every time", () => {
    expect(encryptSecret(keyring, "same", ctx)).not.toBe(encryptSecret(keyring, "same", ctx));
  });

  it("refuses a ciphertext moved to another organization, owner or field", () => {
    const sealed = encryptSecret(keyring, "whsec_abc", ctx);
    for (const other of [{ ...ctx, organizationId: "org-2" }, { ...ctx, ownerId: "wh-2" }, { ...ctx, field: "bearer" }]) {
      expect(() => decryptSecret(keyring, sealed, other)).toThrow(SecretDecryptError);
    }
  });

  it("refuses tampering", () => {
    const sealed = encryptSecret(keyring, "token-value", ctx);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => decryptSecret(keyring, [parts[0], parts[1], parts[2], body.toString("base64url")].join("."), ctx)).toThrow(SecretDecryptError);
  });

  it("seals with the first key and opens with any key of the ring", () => {
    const sealed = encryptSecret(keyring, "x", ctx);
    expect(keyIdOf(sealed)).toBe("a");
    const rotated = parseKeyring(`${generateKeySpec("c")},${[...keyring.keys].map(([id, k]) => `${id}:${k.toString("base64")}`).join(",")}`);
    expect(decryptSecret(rotated, sealed, ctx)).toBe("x");
    expect(keyIdOf(encryptSecret(rotated, "x", ctx))).toBe("c");
    const withoutA = parseKeyring(generateKeySpec("c"));
    expect(() => decryptSecret(withoutA, sealed, ctx)).toThrow(/unknown key "a"/);
  });

  it("validates the keyring text with clear messages", () => {
    expect(() => parseKeyring("")).toThrow(/no key/);
    expect(() => parseKeyring("a:short")).toThrow(/32 bytes/);
    expect(() => parseKeyring("nocolon")).toThrow(/id:base64key/);
  });

  it("masks to the last 4 characters at most", () => {
    expect(maskSecret("whsec_abcdefghijkl")).toBe("••••ijkl");
    expect(maskSecret("short")).toBe("••••");
  });
});
