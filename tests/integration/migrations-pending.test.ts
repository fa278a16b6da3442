/**
 * pendingMigrations: the plain-SQL check that lets the worker skip loading the
 * wasm schema engine when the database is up to date.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { applyMigrations, migrationStatus, pendingMigrations, PRISMA_DIR, readMigrationList } from "@/lib/db/migrate";
import { createEmptyTarget, TEST_DB_KIND } from "./helpers/db";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

describe(`pending migrations without the schema engine (${TEST_DB_KIND})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("all on an empty database, none once applied, and a failed, rolled back or missing row is pending again", async () => {
    const { target, drop } = await createEmptyTarget();
    const { db, handle } = createDb(target);
    cleanups.push(drop, handle.close, () => db.$disconnect());
    const all = readMigrationList(path.join(PRISMA_DIR, "migrations")).migrationDirectories.map((d) => d.path);
    expect(all.length).toBeGreaterThan(1);

    expect(await pendingMigrations({ db })).toEqual(all);
    await applyMigrations({ factory: handle.factory });
    expect(await pendingMigrations({ db })).toEqual([]);

    // Each state as the engine sees it too (migrationStatus, where checked): failed, missing.
    const last = all[all.length - 1]!;
    const first = all[0]!;
    await db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "rolled_back_at" = now() WHERE "migration_name" = $1`, last);
    expect(await pendingMigrations({ db })).toEqual([last]);
    await db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "rolled_back_at" = NULL, "finished_at" = NULL WHERE "migration_name" = $1`, last);
    expect(await pendingMigrations({ db })).toEqual([last]);
    expect((await migrationStatus({ factory: handle.factory })).failed).toEqual([last]);
    await db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "finished_at" = now() WHERE "migration_name" = $1`, last);
    await db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE "migration_name" = $1`, first);
    expect(await pendingMigrations({ db })).toEqual([first]);
    expect((await migrationStatus({ factory: handle.factory })).pending).toContain(first);
    await db.$executeRawUnsafe(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count") VALUES (gen_random_uuid()::text, '', now(), $1, now(), 1)`,
      first,
    );
    expect(await pendingMigrations({ db })).toEqual([]);

    // A folder the database has not seen is pending; a folder without migration.sql is not a migration (as for the engine).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hy-prisma-"));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    fs.cpSync(path.join(PRISMA_DIR, "migrations"), path.join(dir, "migrations"), { recursive: true });
    fs.mkdirSync(path.join(dir, "migrations", "29990101000000_later"));
    fs.writeFileSync(path.join(dir, "migrations", "29990101000000_later", "migration.sql"), "SELECT 1;\n");
    fs.mkdirSync(path.join(dir, "migrations", "not_a_migration"));
    expect(await pendingMigrations({ db, prismaDir: dir })).toEqual(["29990101000000_later"]);
  });
});
