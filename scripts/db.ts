/**
 * Database commands (npm run db:migrate | db:migration:create NAME | db:status | db:seed | db:reset).
 * They run on the configured database (DATABASE_URL, or the embedded PGlite
 * under DATA_DIR, which must not be open in a running app at the same time).
 */
import fs from "node:fs";
import { createPGlite, PrismaPGliteWithExtensions } from "@/lib/db/adapter";
import { getEnv } from "@/lib/env";
import { closeDb, getDb, getDbHandle } from "@/lib/db/client";
import { createMigration, migrationStatus } from "@/lib/db/migrate";
import { describeSeed, migrateDatabase, seedDatabase } from "@/lib/db/setup";
import { writeDemoCredentials } from "./lib/demo-credentials";

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  const env = getEnv();
  switch (command) {
    case "migrate": {
      const applied = await migrateDatabase();
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
      break;
    }
    case "create": {
      if (!arg) throw new Error("Usage: npm run db:migration:create -- <name>");
      // The shadow database replays every migration: it needs the same extensions as the app's.
      const scratch = createPGlite(null);
      const result = await createMigration({ name: arg, factory: new PrismaPGliteWithExtensions(scratch) });
      await scratch.close();
      console.log(result ? `Created prisma/migrations/${result.name}/migration.sql` : "No schema change: nothing to create.");
      return;
    }
    case "status": {
      const status = await migrationStatus({ factory: getDbHandle().factory });
      console.log(JSON.stringify(status, null, 2));
      break;
    }
    case "seed": {
      await migrateDatabase();
      const result = await seedDatabase();
      writeDemoCredentials(env, result);
      console.log(describeSeed(result, env.appUrl));
      break;
    }
    case "reset": {
      if (env.DATABASE_URL) {
        await getDb().$executeRawUnsafe('DROP SCHEMA IF EXISTS "public" CASCADE');
        await getDb().$executeRawUnsafe('CREATE SCHEMA "public"');
      } else {
        await closeDb();
        fs.rmSync(`${env.dataDir}/pglite`, { recursive: true, force: true });
        fs.rmSync(`${env.dataDir}/demo-credentials.txt`, { force: true });
      }
      const applied = await migrateDatabase();
      const result = await seedDatabase();
      writeDemoCredentials(env, result);
      console.log(`Reset: applied ${applied.length} migration(s).\n${describeSeed(result, env.appUrl)}`);
      break;
    }
    default:
      throw new Error("Usage: scripts/db.ts migrate | create <name> | status | seed | reset");
  }
  await closeDb();
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDb().catch(() => {});
  process.exit(1);
});
