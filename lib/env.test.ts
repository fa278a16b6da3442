import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv, readOrCreateSecretFile } from "./env";

describe("configuration", () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "hy-env-"));

  it("generates secrets on first start into the data directory with mode 0600, then reuses them", () => {
    const d = dir();
    const a = readOrCreateSecretFile(d, "auth-secret", () => "first");
    const b = readOrCreateSecretFile(d, "auth-secret", () => "second");
    expect([a, b]).toEqual(["first", "first"]);
    expect(fs.statSync(path.join(d, "auth-secret")).mode & 0o777).toBe(0o600);
  });

  it("needs nothing on the embedded default", () => {
    const env = parseEnv({ DATA_DIR: dir() });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).toMatchObject({ PORT: 3000, appUrl: "http://localhost:3000", DELIVERY_LOOP: true });
    expect(env.authSecret.length).toBeGreaterThanOrEqual(32);
  });

  it("refuses bad values naming the variable", () => {
    expect(() => parseEnv({ DATA_DIR: dir(), DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: DATABASE_URL must start with postgres/);
    expect(() => parseEnv({ DATA_DIR: dir(), PORT: "99999" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATA_DIR: dir(), DELIVERY_LEASE_MS: "1000", DELIVERY_TIMEOUT_MS: "2000" })).toThrow(/DELIVERY_LEASE_MS: must be longer/);
    expect(() => parseEnv({ DATA_DIR: dir(), SMTP_URL: "http://mail" })).toThrow(/SMTP_URL/);
  });
});
