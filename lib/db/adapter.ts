/**
 * The driver adapter factory for the configured database: a PostgreSQL server
 * through `pg` when DATABASE_URL is set, otherwise embedded PGlite (file-backed
 * under DATA_DIR/pglite, or in memory for tests). One PGlite directory belongs
 * to one process.
 */
import path from "node:path";
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { statementNameOf } from "./statements";
import { PGliteWithPreparedStatements } from "./pglite-prepared";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { TEmbeddedSql } from "./thread-adapter";

export type TDatabaseTarget =
  /** preparedStatements: run statements marked with preparedSql() as named statements (default on). */
  | { kind: "postgres"; url: string; poolSize?: number; preparedStatements?: boolean }
  | { kind: "pglite"; dir: string | null };

export type TAdapterHandle = {
  factory: SqlMigrationAwareDriverAdapterFactory;
  target: TDatabaseTarget;
  /** Plain SQL to the embedded database (its PGlite, or the database thread's): vacuum and analyze. */
  embeddedSql?: TEmbeddedSql;
  close: () => Promise<void>;
};

export function databaseTarget(opts: {
  databaseUrl?: string;
  dataDir: string;
  memory?: boolean;
  preparedStatements?: boolean;
}): TDatabaseTarget {
  if (opts.databaseUrl) return { kind: "postgres", url: opts.databaseUrl, preparedStatements: opts.preparedStatements };
  return { kind: "pglite", dir: opts.memory ? null : path.join(opts.dataDir, "pglite") };
}

/**
 * A PGlite instance with the contrib extensions the migrations need: PGlite
 * loads an extension's code only when it is passed here, and the migration
 * perf_console runs `CREATE EXTENSION pg_trgm` (trigram indexes of the attempt
 * search). Every PGlite that runs migrations — the app's, the tests', the
 * shadow database of `db:migration:create` — must come from here. Statements
 * marked with preparedSql() run as named prepared statements on it, as on
 * PostgreSQL (lib/db/pglite-prepared.ts).
 */
export function createPGlite(dir: string | null): PGlite {
  const options = { extensions: { pg_trgm } };
  return dir ? new PGliteWithPreparedStatements(dir, options) : new PGliteWithPreparedStatements(options);
}

type TOnError = { onError: (error: unknown) => never };

/**
 * Migration scripts run whole, as one query: the schema engine hands a
 * migration.sql to `executeScript`, and the driver adapters shipped with
 * Prisma 7 get it wrong for scripts with function bodies. `@prisma/adapter-pg`
 * splits the script on every ";" (which cuts a `$$ … $$` PL/pgSQL body into
 * pieces, and runs each piece on any connection of the pool, each in its own
 * transaction); `pglite-prisma-adapter` does not await `exec`, so a failing
 * script would be recorded as applied. Sent as one simple-protocol query, the
 * script runs as ONE implicit transaction on one connection — what Prisma's
 * native engine does — so a migration applies entirely or not at all. Only the
 * schema engine calls executeScript (lib/db/migrate.ts); queries are unchanged.
 */
function runScriptsWhole<T extends SqlDriverAdapter>(adapter: T, run: (script: string) => Promise<unknown>): T {
  adapter.executeScript = async (script: string) => {
    try {
      await run(script);
    } catch (error) {
      // The adapter's own error mapping (DriverAdapterError), which the engine reports.
      (adapter as unknown as TOnError).onError(error);
    }
  };
  return adapter;
}

/**
 * PrismaPGlite with whole-script migrations (above) and a shadow database (used
 * by the schema engine to replay the migrations when creating a new one) that
 * has the same extensions: the adapter's own shadow is a bare PGlite, where
 * `CREATE EXTENSION pg_trgm` fails.
 */
export class PrismaPGliteWithExtensions extends PrismaPGlite {
  private readonly db: PGlite;

  constructor(db: PGlite) {
    super(db);
    this.db = db;
  }

  override async connect() {
    const db = this.db;
    return runScriptsWhole(await super.connect(), (script) => db.exec(script));
  }

  override async connectToShadowDb() {
    const shadow = createPGlite(null);
    const adapter = runScriptsWhole(await new PrismaPGlite(shadow).connect(), (script) => shadow.exec(script));
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await shadow.close();
    };
    return adapter;
  }
}

/** PrismaPg with whole-script migrations (see runScriptsWhole). */
class PrismaPgWholeScripts extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    return runScriptsWhole(adapter, (script) => adapter.underlyingDriver().query(script));
  }

  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    return runScriptsWhole(adapter, (script) => adapter.underlyingDriver().query(script));
  }
}

export function createAdapter(target: TDatabaseTarget): TAdapterHandle {
  if (target.kind === "postgres") {
    const factory = new PrismaPgWholeScripts(
      { connectionString: target.url, max: target.poolSize ?? 10 },
      // Typed as returning a string, but the name goes straight to pg's query config, where undefined means unnamed.
      target.preparedStatements === false ? {} : { statementNameGenerator: (query) => statementNameOf(query.sql) as string },
    );
    return { factory, target, close: async () => {} };
  }
  if (target.dir) fs.mkdirSync(target.dir, { recursive: true });
  const pglite = createPGlite(target.dir);
  const factory = new PrismaPGliteWithExtensions(pglite);
  return { factory, target, embeddedSql: pglite, close: () => pglite.close() };
}
