/**
 * Databases and fixtures of the benchmark, the way the integration tests make
 * them (tests/integration/helpers/db.ts): a migrated database installed as the
 * process-wide Prisma client, an organization, an admin actor, webhooks.
 */
import crypto from "node:crypto";
import pg from "pg";
import { createDb, setDb, closeDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import type { TDatabaseTarget } from "@/lib/db/adapter";
import { getDb } from "@/lib/db/client";
import { setKeyring } from "@/lib/crypto/keyring";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/secrets";
import { generateApiKey } from "@/lib/crypto/tokens";
import { createWebhook } from "@/lib/domain/webhooks";
import { getEventType } from "@/lib/catalog";
import type { TActor } from "@/lib/auth/actor";

/** The keyring the bench encrypts webhook secrets with; workers get it as ENCRYPTION_KEYS. */
export const BENCH_ENCRYPTION_KEYS = generateKeySpec("bench");
setKeyring(parseKeyring(BENCH_ENCRYPTION_KEYS));

export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Migrates the target and installs it as the process-wide client. */
export async function openDb(target: TDatabaseTarget) {
  await closeDb();
  const holder = createDb(target);
  await applyMigrations({ factory: holder.handle.factory });
  setDb(holder);
  return holder;
}

export async function createOrgActor(name: string): Promise<TActor> {
  const org = await getDb().organization.create({ data: { name, slug: `${name.toLowerCase().replace(/\W+/g, "-")}-${crypto.randomBytes(3).toString("hex")}` } });
  return { organizationId: org.id, role: "ADMIN", label: "bench@hookyard.test" };
}

/** An enabled webhook through the domain function (signing secret encrypted at rest, as in production). */
export async function createBenchWebhook(actor: TActor, url: string, name = `Bench ${crypto.randomBytes(3).toString("hex")}`) {
  const { webhook } = await createWebhook({
    actor,
    input: { name, eventTypes: ["alert.active"], targetUrl: url, template: getEventType("alert.active").defaultTemplate, enabled: true },
  });
  return webhook;
}

export async function createApiKey(organizationId: string): Promise<string> {
  const { key, prefix, hash } = generateApiKey();
  await getDb().apiKey.create({ data: { organizationId, name: "bench", prefix, hash, role: "ADMIN" } });
  return key;
}

/** The data of a typical alert event. */
export function alertData(n: number) {
  return {
    alert_name: `CPU usage above 90% on srv-${n % 500}`,
    alert_information: "The processor has been above the threshold for 5 minutes; check the running processes.",
    alert_start: new Date(Date.UTC(2026, 10, 1, 9, 20, 0) + n * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    alert_element: `srv-${n % 500}.example.net`,
  };
}

/** A raw SQL client on the same database, for bulk inserts, counts and EXPLAIN. */
export async function sqlClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}
