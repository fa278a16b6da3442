import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import {
  buildSignatureHeaders,
  decodeSigningSecret,
  generateSigningSecret,
  signBase64,
  signHex,
  signStandard,
} from "./signing";

/** Published Standard Webhooks test vector (standard-webhooks/standard-webhooks). */
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  // hex/base64 forms: computed independently with `openssl dgst -sha256 -hmac '<secret text>'`.
  hex: "sha256=80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c",
  base64: "gOyKic480iEzoQZsrstNBP6nRnZXyFFNcX7ELDilyUw=",
};

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function independentHmac(secret: string, content: string): Buffer {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return createHmac("sha256", key).update(Buffer.from(content, "utf8")).digest();
}

describe("generateSigningSecret", () => {
  it("returns whsec_ + base64 of 32 random bytes", () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(decodeSigningSecret(secret)).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(secret);
  });

  it("is accepted by the standardwebhooks library", () => {
    expect(() => new Webhook(generateSigningSecret())).not.toThrow();
  });
});

describe("decodeSigningSecret", () => {
  it("rejects secrets that are not base64", () => {
    for (const bad of ["", "whsec_", "whsec_not base64!", "whsec_abc"]) {
      expect(() => decodeSigningSecret(bad), bad).toThrow(/whsec_ followed by base64/);
    }
  });
});

describe("signStandard", () => {
  it("matches the published test vector", () => {
    expect(signStandard({ ...VECTOR, secrets: [VECTOR.secret] })).toBe(VECTOR.signature);
  });

  it("emits one space-separated v1 signature per secret, in order", () => {
    const second = generateSigningSecret();
    const value = signStandard({ ...VECTOR, secrets: [VECTOR.secret, second] });
    const [first, other] = value.split(" ");
    expect(first).toBe(VECTOR.signature);
    const content = `${VECTOR.msgId}.${VECTOR.timestamp}.${VECTOR.body}`;
    expect(other).toBe(`v1,${independentHmac(second, content).toString("base64")}`);
  });

  it("rejects bad input", () => {
    expect(() => signStandard({ ...VECTOR, secrets: [] })).toThrow(/at least one signing secret/);
    expect(() => signStandard({ ...VECTOR, timestamp: 1.5, secrets: [VECTOR.secret] })).toThrow(/whole seconds/);
    expect(() => signStandard({ ...VECTOR, timestamp: -1, secrets: [VECTOR.secret] })).toThrow(/whole seconds/);
  });
});

describe("buildSignatureHeaders verified by the standardwebhooks library", () => {
  it("verifies with a single secret", () => {
    const secret = generateSigningSecret();
    const body = JSON.stringify({ event: "alert.fired", text: "Grüße ✓ 🚀" });
    const headers = buildSignatureHeaders({ msgId: "msg_1", timestamp: nowSeconds(), body, secrets: [secret], forms: { standard: true } });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("verifies with each of two secrets during rotation, and fails with an unrelated one", () => {
    const newer = generateSigningSecret();
    const older = generateSigningSecret();
    const body = '{"id":42}';
    const headers = buildSignatureHeaders({ msgId: "msg_rot", timestamp: nowSeconds(), body, secrets: [newer, older], forms: { standard: true } });
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(newer).verify(body, headers)).toEqual({ id: 42 });
    expect(new Webhook(older).verify(body, headers)).toEqual({ id: 42 });
    expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it("fails verification when the body is altered", () => {
    const secret = generateSigningSecret();
    const headers = buildSignatureHeaders({ msgId: "m", timestamp: nowSeconds(), body: '{"a":1}', secrets: [secret], forms: { standard: true } });
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow(WebhookVerificationError);
  });

  it("property: arbitrary bodies and ids verify", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), (text, msgId) => {
        const secret = generateSigningSecret();
        const body = JSON.stringify({ text });
        const headers = buildSignatureHeaders({ msgId, timestamp: nowSeconds(), body, secrets: [secret], forms: { standard: true } });
        expect(new Webhook(secret).verify(body, headers)).toEqual({ text });
      }),
      { numRuns: 100 },
    );
  });
});

describe("hex and base64 forms", () => {
  it("match the fixed vector computed by openssl", () => {
    expect(signHex(VECTOR.secret, VECTOR.body)).toBe(VECTOR.hex);
    expect(signBase64(VECTOR.secret, VECTOR.body)).toBe(VECTOR.base64);
  });

  it("property: match an independent HMAC keyed by the secret text", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.string({ unit: "grapheme" }), (keyBytes, body) => {
        const secret = `whsec_${Buffer.from(keyBytes).toString("base64")}`;
        const digest = createHmac("sha256", secret).update(body, "utf8").digest();
        expect(signHex(secret, body)).toBe(`sha256=${digest.toString("hex")}`);
        expect(signBase64(secret, body)).toBe(digest.toString("base64"));
      }),
    );
  });

  it("buildSignatureHeaders emits every requested form, signing hex/base64 with the primary secret", () => {
    const older = generateSigningSecret();
    const headers = buildSignatureHeaders({
      msgId: VECTOR.msgId,
      timestamp: VECTOR.timestamp,
      body: VECTOR.body,
      secrets: [VECTOR.secret, older],
      forms: { standard: true, hex: { header: "X-Hookyard-Signature" }, base64: true },
    });
    expect(headers).toEqual({
      "webhook-id": VECTOR.msgId,
      "webhook-timestamp": String(VECTOR.timestamp),
      "webhook-signature": `${VECTOR.signature} v1,${independentHmac(older, `${VECTOR.msgId}.${VECTOR.timestamp}.${VECTOR.body}`).toString("base64")}`,
      "X-Hookyard-Signature": VECTOR.hex,
      "X-Webhook-Signature": VECTOR.base64,
    });
  });

  it("uses a custom hex header name, defaults it, and can omit the standard form", () => {
    const base = { msgId: "m", timestamp: 1, body: "{}", secrets: [VECTOR.secret] };
    const custom = buildSignatureHeaders({ ...base, forms: { standard: false, hex: { header: "X-MSPortal-Signature" } } });
    expect(Object.keys(custom).sort()).toEqual(["X-MSPortal-Signature", "webhook-id", "webhook-timestamp"]);
    const defaulted = buildSignatureHeaders({ ...base, forms: { standard: false, hex: { header: "" } } });
    expect(defaulted["X-Hookyard-Signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    const none = buildSignatureHeaders({ ...base, forms: { standard: false, hex: null, base64: false } });
    expect(none).toEqual({ "webhook-id": "m", "webhook-timestamp": "1" });
  });

  it("refuses invalid or clashing hex header names", () => {
    const base = { msgId: "m", timestamp: 1, body: "{}", secrets: [VECTOR.secret] };
    expect(() => buildSignatureHeaders({ ...base, forms: { hex: { header: "Bad Header" } } })).toThrow(/not a valid HTTP header name/);
    expect(() => buildSignatureHeaders({ ...base, forms: { hex: { header: "X-Sig\r\nInjected: 1" } } })).toThrow(/not a valid/);
    expect(() => buildSignatureHeaders({ ...base, forms: { hex: { header: "Webhook-Signature" } } })).toThrow(/already used/);
  });
});
