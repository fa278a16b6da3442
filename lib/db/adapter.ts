/**
 * The driver adapter factory for the configured database: a PostgreSQL server
 * through `pg` when DATABASE_URL is set, otherwise embedded PGlite (file-backed
 * under DATA_DIR/pglite, or in memory for tests). One PGlite directory belongs
 * to one process.
 */
import path from "node:path";
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

export type TDatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dir: string | null };

export type TAdapterHandle = {
  factory: SqlMigrationAwareDriverAdapterFactory;
  target: TDatabaseTarget;
  /** The PGlite instance when embedded (closed by close()). */
  pglite?: PGlite;
  close: () => Promise<void>;
};

export function databaseTarget(opts: {
  databaseUrl?: string;
  dataDir: string;
  memory?: boolean;
}): TDatabaseTarget {
  if (opts.databaseUrl) return { kind: "postgres", url: opts.databaseUrl };
  return { kind: "pglite", dir: opts.memory ? null : path.join(opts.dataDir, "pglite") };
}

export function createAdapter(target: TDatabaseTarget): TAdapterHandle {
  if (target.kind === "postgres") {
    const factory = new PrismaPg({ connectionString: target.url, max: target.poolSize ?? 10 });
    return { factory, target, close: async () => {} };
  }
  if (target.dir) fs.mkdirSync(target.dir, { recursive: true });
  const pglite = target.dir ? new PGlite(target.dir) : new PGlite();
  const factory = new PrismaPGlite(pglite);
  return { factory, target, pglite, close: () => pglite.close() };
}
