/**
 * Migrations without the Prisma CLI's native engine: Prisma's schema engine
 * compiled to WebAssembly (@prisma/schema-engine-wasm, pinned exactly in
 * package.json) driven through our driver adapter. It keeps Prisma's layout —
 * prisma/migrations/<name>/migration.sql, migration_lock.toml and the
 * `_prisma_migrations` table — so `prisma migrate deploy` works on the same
 * folder wherever the real CLI can run.
 *
 * This wraps an internal Prisma API: keep every use of it in this module.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type {
  SchemaEngine,
  MigrationList,
  MigrationDirectory,
} from "@prisma/schema-engine-wasm";

export const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
const SCHEMA_FILE = "schema.prisma";
const LOCKFILE = "migration_lock.toml";
const NO_FILTERS = { externalTables: [], externalEnums: [] };

export type TMigrationPaths = { prismaDir?: string };

type TGlue = Record<string, unknown> & {
  __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
  SchemaEngine: { new: (opts: unknown, log: (msg: string) => void, adapter: object) => Promise<SchemaEngine> };
};

let gluePromise: Promise<TGlue> | undefined;

/** Whether this process has loaded the wasm schema engine (it stays resident once loaded). */
export function schemaEngineLoaded(): boolean {
  return gluePromise !== undefined;
}

/** Loads the wasm engine once per process (the package root cannot be imported in Node). */
function loadEngineGlue(): Promise<TGlue> {
  gluePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import(/* webpackIgnore: true */ gluePath)) as TGlue;
    const bytes = fs.readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return gluePromise;
}

function paths(opts: TMigrationPaths) {
  const prismaDir = opts.prismaDir ?? PRISMA_DIR;
  return {
    prismaDir,
    schemaPath: path.join(prismaDir, SCHEMA_FILE),
    migrationsDir: path.join(prismaDir, "migrations"),
  };
}

type TEngineSession = { engine: SchemaEngine; close: () => Promise<void> };

/**
 * Opens the engine on connections of its own. They are disposed on close():
 * the engine holds Prisma's migration advisory lock for as long as its
 * connection lives, so a long-lived process (a worker) that migrated at start
 * must not keep it, or the next process's migration would wait for the lock.
 */
async function openEngine(factory: SqlMigrationAwareDriverAdapterFactory, schemaPath: string): Promise<TEngineSession> {
  const glue = await loadEngineGlue();
  const schema = fs.readFileSync(schemaPath, "utf8");
  const opened: { dispose: () => Promise<void> }[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const engine = await glue.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, bindMigrationAwareSqlAdapterFactory(tracked));
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.allSettled(opened.map((a) => a.dispose()));
    },
  };
}

/** The migration folders (those holding a migration.sql), sorted by name, as the engine orders them. */
function migrationFolders(migrationsDir: string): string[] {
  if (!fs.existsSync(migrationsDir)) return [];
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(migrationsDir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

/** Reads prisma/migrations as the engine wants it (sorted by folder name). */
export function readMigrationList(migrationsDir: string): MigrationList {
  const lockPath = path.join(migrationsDir, LOCKFILE);
  const dirs: MigrationDirectory[] = migrationFolders(migrationsDir).map((name) => ({
    path: name,
    migrationFile: {
      path: "migration.sql",
      content: { tag: "ok" as const, value: fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8") },
    },
  }));
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs,
  };
}

/** Anything that runs raw SQL on the database: the process-wide Prisma client (through its driver adapter). */
export type TRawQuery = { $queryRawUnsafe: <T = unknown>(query: string, ...values: unknown[]) => PromiseLike<T> };

/**
 * The migration folders the database has not finished applying, found with
 * plain SQL — without the schema engine, whose WebAssembly instance costs a
 * long-lived process (the worker) 55–70 MB of RSS for as long as it runs
 * (docs/performance.md, Memory). A migration counts as applied when
 * `_prisma_migrations` has a finished, not rolled back row for it; anything
 * else (no table yet, a failed or rolled back row) is pending, so the caller
 * runs applyMigrations, which applies it or reports the failure as before.
 * It does not diagnose edited or unknown migrations: migrationStatus does.
 */
export async function pendingMigrations(opts: TMigrationPaths & { db: TRawQuery }): Promise<string[]> {
  const wanted = migrationFolders(paths(opts).migrationsDir);
  // to_regclass follows the search path, as the engine and the client do: no error (and no
  // aborted transaction) when the database is empty.
  const [table] = await opts.db.$queryRawUnsafe<{ exists: boolean }[]>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`);
  if (!table?.exists) return wanted;
  const rows = await opts.db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT "migration_name" AS "name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
  );
  const done = new Set(rows.map((r) => r.name));
  return wanted.filter((name) => !done.has(name));
}

/** Applies every pending migration; returns the names applied now (none when up to date). */
export async function applyMigrations(
  opts: TMigrationPaths & { factory: SqlMigrationAwareDriverAdapterFactory },
): Promise<string[]> {
  const { schemaPath, migrationsDir } = paths(opts);
  const { engine, close } = await openEngine(opts.factory, schemaPath);
  try {
    const out = await engine.applyMigrations({ migrationsList: readMigrationList(migrationsDir), filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

export type TMigrationStatus = {
  applied: string[];
  pending: string[];
  failed: string[];
  edited: string[];
  upToDate: boolean;
};

/** Compares prisma/migrations with the database's _prisma_migrations table. */
export async function migrationStatus(
  opts: TMigrationPaths & { factory: SqlMigrationAwareDriverAdapterFactory },
): Promise<TMigrationStatus> {
  const { schemaPath, migrationsDir } = paths(opts);
  const list = readMigrationList(migrationsDir);
  const { engine, close } = await openEngine(opts.factory, schemaPath);
  try {
    const out = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS });
    const all = list.migrationDirectories.map((d) => d.path);
    const pending =
      out.history?.diagnostic === "databaseIsBehind" || out.history?.diagnostic === "historiesDiverge"
        ? out.history.unappliedMigrationNames
        : out.hasMigrationsTable
          ? []
          : all;
    return {
      applied: all.filter((n) => !pending.includes(n)),
      pending,
      failed: out.failedMigrationNames,
      edited: out.editedMigrationNames,
      upToDate: pending.length === 0 && out.failedMigrationNames.length === 0 && out.history === null,
    };
  } finally {
    await close();
  }
}

/**
 * Writes a new migration folder with the SQL that takes the existing
 * migrations to the current schema. `factory` is a scratch database the engine
 * may use as its shadow (an in-memory PGlite is enough). Returns null when the
 * schema has no change.
 */
export async function createMigration(
  opts: TMigrationPaths & { name: string; factory: SqlMigrationAwareDriverAdapterFactory; now?: Date },
): Promise<{ name: string; sql: string } | null> {
  if (!/^[a-z0-9_]+$/.test(opts.name)) throw new Error("Migration name: use lower-case letters, digits and _ only");
  const { schemaPath, migrationsDir } = paths(opts);
  const list = readMigrationList(migrationsDir);
  const { engine, close } = await openEngine(opts.factory, schemaPath);
  let sql: string;
  try {
    const result = await engine.diff({
      from: list.migrationDirectories.length ? { tag: "migrations", ...list } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: fs.readFileSync(schemaPath, "utf8") }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    sql = (result as { stdout?: string }).stdout ?? "";
  } finally {
    await close();
  }
  if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) return null;
  const stamp = (opts.now ?? new Date()).toISOString().replace(/\D/g, "").slice(0, 14);
  const name = `${stamp}_${opts.name}`;
  fs.mkdirSync(path.join(migrationsDir, name), { recursive: true });
  fs.writeFileSync(path.join(migrationsDir, name, "migration.sql"), sql);
  const lockPath = path.join(migrationsDir, LOCKFILE);
  if (!fs.existsSync(lockPath)) {
    fs.writeFileSync(
      lockPath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return { name, sql };
}
