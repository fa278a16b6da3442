/**
 * One Prisma client per process, on the configured driver adapter.
 */
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";
import { createAdapter, databaseTarget, type TAdapterHandle, type TDatabaseTarget } from "./adapter";
import type { TThreadAdapter } from "./thread-adapter";

export type TDb = PrismaClient;

type TDbHolder = { db: PrismaClient; handle: TAdapterHandle };
const globalForDb = globalThis as unknown as { __hookyardDb?: TDbHolder };

export function createDb(target: TDatabaseTarget): TDbHolder {
  const handle = createAdapter(target);
  const db = new PrismaClient({ adapter: handle.factory });
  return { db, handle };
}

export function configuredTarget(): TDatabaseTarget {
  const env = getEnv();
  return databaseTarget({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.dataDir,
    memory: env.PGLITE_MODE === "memory",
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
  });
}

/** The process-wide client (created on first use). */
export function getDb(): PrismaClient {
  globalForDb.__hookyardDb ??= createDb(configuredTarget());
  return globalForDb.__hookyardDb.db;
}

/** The adapter handle of the process-wide client (migrations reuse it). */
export function getDbHandle(): TAdapterHandle {
  getDb();
  return globalForDb.__hookyardDb!.handle;
}

/**
 * Makes the process-wide client reach the configured database through
 * another thread that holds it (the server's embedded database thread,
 * lib/delivery/drivers.ts). Must run before anything in this process opened
 * the database: a PGlite directory belongs to one thread.
 */
export function useDatabaseThread(remote: TThreadAdapter): void {
  if (globalForDb.__hookyardDb) throw new Error("The database was opened in this thread before its database thread started.");
  const handle: TAdapterHandle = { factory: remote.factory, target: configuredTarget(), embeddedSql: remote.sql, close: async () => {} };
  globalForDb.__hookyardDb = { db: new PrismaClient({ adapter: remote.factory }), handle };
}

/** Replaces the process-wide client (tests). */
export function setDb(holder: TDbHolder | undefined): void {
  globalForDb.__hookyardDb = holder;
}

export async function closeDb(): Promise<void> {
  const holder = globalForDb.__hookyardDb;
  globalForDb.__hookyardDb = undefined;
  if (!holder) return;
  await holder.db.$disconnect();
  await holder.handle.close();
}
