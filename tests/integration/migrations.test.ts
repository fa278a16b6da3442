import { afterAll, describe, expect, it } from "vitest";
import { createAdapter } from "@/lib/db/adapter";
import { applyMigrations, migrationStatus, readMigrationList, PRISMA_DIR } from "@/lib/db/migrate";
import { createEmptyTarget, TEST_DB_KIND } from "./helpers/db";
import path from "node:path";

const EXPECTED_TABLES = [
  "ApiKey", "Attempt", "AuditEntry", "Event", "Invitation", "Membership", "Message", "Notification",
  "Organization", "Resource", "User", "Webhook", "WebhookResource", "WebhookSecret", "_prisma_migrations",
];

describe(`migrations on an empty ${TEST_DB_KIND} database`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("apply every migration, create the tables, and are a no-op the second time", async () => {
    const { target, drop } = await createEmptyTarget();
    const handle = createAdapter(target);
    cleanups.push(drop, handle.close);
    const all = readMigrationList(path.join(PRISMA_DIR, "migrations")).migrationDirectories.map((d) => d.path);
    expect(all.length).toBeGreaterThan(0);

    const before = await migrationStatus({ factory: handle.factory });
    expect(before.pending).toEqual(all);
    expect(before.upToDate).toBe(false);

    expect(await applyMigrations({ factory: handle.factory })).toEqual(all);
    expect(await applyMigrations({ factory: handle.factory })).toEqual([]);

    const after = await migrationStatus({ factory: handle.factory });
    expect(after).toMatchObject({ applied: all, pending: [], failed: [], upToDate: true });

    const adapter = await handle.factory.connect();
    const tables = await adapter.queryRaw({
      sql: "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      args: [],
      argTypes: [],
    });
    const names = tables.rows.map((r) => String(r[0]));
    expect(names).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    const recorded = await adapter.queryRaw({
      sql: 'SELECT migration_name, finished_at IS NOT NULL FROM "_prisma_migrations" ORDER BY migration_name',
      args: [],
      argTypes: [],
    });
    expect(recorded.rows.map((r) => r[0])).toEqual(all);
    expect(recorded.rows.every((r) => r[1] === true)).toBe(true);
    if (TEST_DB_KIND === "postgres") {
      // The migration's advisory lock went with the engine's own connections: a long-lived
      // process that migrated at start (a worker) does not block the next one's migration.
      const locks = await adapter.queryRaw({ sql: "SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory'", args: [], argTypes: [] });
      expect(locks.rows[0]![0]).toBe(0);
      const other = createAdapter(target);
      cleanups.push(other.close);
      const started = Date.now();
      expect(await applyMigrations({ factory: other.factory })).toEqual([]);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    await adapter.dispose();
  });
});
