/**
 * Named prepared statements on the embedded database
 * (lib/db/pglite-prepared.ts): statements marked with preparedSql() are
 * parsed once and then only bound and executed, give the results PGlite
 * gives the same text unmarked, report errors as PGlite does, and keep
 * PGlite's locking (outside a transaction they wait for it; inside, they run
 * in it). PGlite pass only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@electric-sql/pglite";
import { createPGlite } from "@/lib/db/adapter";
import { preparedSql } from "@/lib/db/statements";
import { createTestDb, TEST_DB_KIND, type TTestDb } from "./helpers/db";

const pglite = TEST_DB_KIND === "pglite";
let db: ReturnType<typeof createPGlite>;
let t: TTestDb;

const INSERT = preparedSql("probe_insert", `INSERT INTO "Probe" ("id", "name", "at", "tags", "data") VALUES ($1, $2, $3, $4, $5) RETURNING *`);
const SELECT = preparedSql("probe_select", `SELECT * FROM "Probe" WHERE "id" >= $1 ORDER BY "id"`);
const COUNT = preparedSql("probe_count", `SELECT count(*)::int AS "n" FROM "Probe"`);
const unmarked = (sql: string) => sql.replace(/^\/\* prepare:\w+ \*\/ /, "");
const preparedNames = async () => (await db.query<{ name: string }>(`SELECT name FROM pg_prepared_statements ORDER BY name`)).rows.map((r) => r.name.replace(/_[0-9a-f]{16}$/, ""));

beforeAll(async () => {
  if (!pglite) return;
  db = createPGlite(null);
  await db.exec(`CREATE TABLE "Probe" ("id" int PRIMARY KEY, "name" text NOT NULL, "at" timestamp(3), "tags" text[], "data" jsonb)`);
  t = await createTestDb();
});
afterAll(async () => {
  await db?.close();
  await t?.close();
});

describe.skipIf(!pglite)("prepared statements on PGlite", () => {
  it("runs a marked statement by name, parsed once, with the results PGlite gives the same text unmarked", async () => {
    const at = new Date("2026-11-30T12:34:56.789Z");
    const inserted = await db.query(INSERT, [1, "one", at, ["a", "b"], { k: [1, "x"] }]);
    expect(inserted.rows).toEqual([{ id: 1, name: "one", at, tags: ["a", "b"], data: { k: [1, "x"] } }]);
    expect(inserted.affectedRows).toBe(1);
    await db.query(INSERT, [2, "two", null, null, null]);
    for (const options of [undefined, { rowMode: "array" as const }]) {
      const marked = await db.query(SELECT, [1], options);
      const plain = await db.query(unmarked(SELECT), [1], options);
      expect(marked.rows).toEqual(plain.rows);
      expect(marked.fields).toEqual(plain.fields);
    }
    expect(await preparedNames()).toEqual(["hy_probe_insert", "hy_probe_select"]);
  });

  it("reports a failure as PGlite's DatabaseError and leaves the session usable, in and out of a transaction", async () => {
    const duplicate = await db.query(INSERT, [1, "again", null, null, null]).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(messages.DatabaseError);
    expect((duplicate as messages.DatabaseError).code).toBe("23505");
    expect((await db.query<{ n: number }>(COUNT)).rows).toEqual([{ n: 2 }]);

    const failed = await db
      .transaction(async (tx) => {
        await tx.query(INSERT, [3, "three", null, null, null]);
        expect((await tx.query<{ n: number }>(COUNT)).rows).toEqual([{ n: 3 }]);
        await tx.query(INSERT, [1, "again", null, null, null]);
      })
      .catch((e: unknown) => e);
    expect((failed as messages.DatabaseError).code).toBe("23505");
    // The whole transaction rolled back, and the next statement runs.
    expect((await db.query<{ n: number }>(COUNT)).rows).toEqual([{ n: 2 }]);
  });

  it("outside a transaction waits for the open one; inside, runs in it", async () => {
    let outside: Promise<{ rows: { n: number }[] }> | null = null;
    let outsideDone = false;
    await db.transaction(async (tx) => {
      await tx.query(INSERT, [4, "four", null, null, null]);
      outside = db.query<{ n: number }>(COUNT);
      void outside.then(() => (outsideDone = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(outsideDone).toBe(false);
      expect((await tx.query<{ n: number }>(COUNT)).rows).toEqual([{ n: 3 }]);
    });
    expect((await outside!).rows).toEqual([{ n: 3 }]);
  });

  it("is what Prisma's adapter runs for marked raw SQL", async () => {
    const rows = await t.db.$queryRawUnsafe<{ n: number }[]>(preparedSql("probe_prisma", `SELECT $1::int + 1 AS "n"`), 41);
    expect(rows).toEqual([{ n: 42 }]);
    const names = (await t.handle.embeddedSql!.query<{ name: string }>(`SELECT name FROM pg_prepared_statements`)).rows.map((r) => r.name);
    expect(names.some((n) => n.startsWith("hy_probe_prisma_"))).toBe(true);
  });
});
