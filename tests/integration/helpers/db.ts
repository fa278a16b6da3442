/**
 * A fresh, migrated database for one test file, installed as the process-wide
 * Prisma client. TEST_DB=pglite (default): in-memory PGlite. TEST_DB=postgres:
 * a new database on the server at TEST_PG_URL (started by scripts/test.ts).
 */
import crypto from "node:crypto";
import pg from "pg";
import { createDb, setDb, closeDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import type { TDatabaseTarget } from "@/lib/db/adapter";
import { setKeyring } from "@/lib/crypto/keyring";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/secrets";

/** The keyring of this test file; child processes get it as ENCRYPTION_KEYS. */
export const TEST_ENCRYPTION_KEYS = generateKeySpec("test");

export type TTestDb = Awaited<ReturnType<typeof createTestDb>>;

export const TEST_DB_KIND = (process.env.TEST_DB ?? "pglite") as "pglite" | "postgres";

function serverUrl(): string {
  const url = process.env.TEST_PG_URL;
  if (!url) throw new Error("TEST_DB=postgres needs TEST_PG_URL (npm test starts a server and sets it)");
  return url;
}

/** Creates an empty database and returns its target (not migrated). */
export async function createEmptyTarget(): Promise<{ target: TDatabaseTarget; drop: () => Promise<void> }> {
  if (TEST_DB_KIND === "pglite") return { target: { kind: "pglite", dir: null }, drop: async () => {} };
  const name = `hy_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString(), poolSize: 5 },
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDb() {
  const { target, drop } = await createEmptyTarget();
  setKeyring(parseKeyring(TEST_ENCRYPTION_KEYS));
  const holder = createDb(target);
  await applyMigrations({ factory: holder.handle.factory });
  setDb(holder);
  return {
    db: holder.db,
    handle: holder.handle,
    target,
    async close() {
      await closeDb();
      await drop();
    },
  };
}
