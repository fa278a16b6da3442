import { describe, expect, it } from "vitest";
import { preparedSql, statementNameOf } from "./statements";

describe("named statements", () => {
  it("names only marked statements, by their name and text", () => {
    const a = preparedSql("ingest_write", "SELECT $1::int");
    const b = preparedSql("ingest_write", "SELECT $1::int, 2");
    expect(statementNameOf(a)).toMatch(/^hy_ingest_write_[0-9a-f]{16}$/);
    expect(statementNameOf(a)).toBe(statementNameOf(a));
    // A variant of the same statement is a different statement on the connection.
    expect(statementNameOf(b)).not.toBe(statementNameOf(a));
    // Prisma's own SQL, and text that merely contains the mark, stay unnamed.
    expect(statementNameOf(`SELECT "id" FROM "Webhook" WHERE "id" = $1`)).toBeUndefined();
    expect(statementNameOf(`SELECT 1 /* prepare:x */`)).toBeUndefined();
  });

  it("keeps names within PostgreSQL's 63 bytes and refuses names that are not identifiers", () => {
    expect(statementNameOf(preparedSql("a".repeat(31), "SELECT 1"))!.length).toBeLessThanOrEqual(63);
    expect(() => preparedSql("Ingest-Write", "SELECT 1")).toThrow(/Invalid prepared statement name/);
    expect(() => preparedSql("a".repeat(32), "SELECT 1")).toThrow(/Invalid prepared statement name/);
  });
});
