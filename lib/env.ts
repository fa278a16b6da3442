/**
 * Configuration, read from the environment and validated ONCE. Nothing else in
 * the project reads process.env (scripts pass what they need through here).
 *
 * On the embedded default (no DATABASE_URL) everything works with no
 * configuration: the data directory holds the PGlite database and the secrets
 * generated on first start (0600).
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";

const flag = z
  .enum(["1", "0", "true", "false", "on", "off", "yes", "no", ""])
  .transform((v) => ["1", "true", "on", "yes"].includes(v));

/** The configuration schema (exported for scripts/env-table.ts, which documents it in docs/deployment.md). */
export const ZEnv = z.object({
  /** Node.js environment; `npm start` serves the production build. */
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** postgres://… — a PostgreSQL server; unset: embedded PGlite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  /**
   * PostgreSQL: run the hot statements (ingest, recording attempts, rate-limit reservations) as named prepared statements. Set 0 behind a pooler
   * in transaction mode that does not support them (PgBouncer before 1.21, or without max_prepared_statements).
   */
  DATABASE_PREPARED_STATEMENTS: flag.default(true),
  /** Where the embedded database and generated secrets live. */
  DATA_DIR: z.string().default(".data"),
  /** "memory" keeps the embedded database in memory (tests). */
  PGLITE_MODE: z.enum(["file", "memory"]).default("file"),
  /** HTTP port of the app. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public base URL of the app (sign-in callbacks, invitation links); http://localhost:$PORT when unset. */
  APP_URL: z.string().url().optional(),
  /** Secret for session tokens; generated into DATA_DIR when unset. */
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /** Bearer secret for GET /api/cron/deliver; the route is off when unset. */
  CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
  /** Bearer token for GET /api/metrics (Prometheus); the route is off (404) when unset. */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  /** Keyring for secrets at rest: "id1:base64key,id2:base64key"; the first is active. Generated into DATA_DIR when unset (one host only). */
  ENCRYPTION_KEYS: z.string().optional(),
  /** Delivery to private/loopback targets: "1" for all, or a comma list of CIDRs. */
  DELIVERY_ALLOW_PRIVATE: z.string().default(""),
  /**
   * Delivery started with the server: `next start` (`npm run serve`) runs the loop in a worker thread of the server
   * process (on the embedded database, the thread that holds PGlite); `npm start` on PostgreSQL runs a worker
   * process beside the server instead. 0 = none of these (workers or the cron route deliver).
   */
  DELIVERY_LOOP: flag.default(true),
  /** Sends in flight per process, and per endpoint. */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  /** Sends in flight per endpoint (target host) per process. */
  DELIVERY_PER_ENDPOINT: z.coerce.number().int().min(1).max(1000).default(8),
  /** Total deadline of one send (connect, headers, body). */
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** How long a claimed message stays leased; must exceed DELIVERY_TIMEOUT_MS. */
  DELIVERY_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  /** Tests per member and webhook per minute (Test button and POST …/test). */
  RATE_LIMIT_TESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Events per API key per minute through POST /api/v1/events (default 500/s); 0 = unlimited. */
  // 30,000/min leaves room above the 200 events/s latency goal (docs/performance.md): 6,000 capped one key at 100/s.
  RATE_LIMIT_INGEST_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(30_000),
  /**
   * Seconds an authenticated API key is remembered per process (0 = look it up on every request). A key revoked in
   * the console stops working at once in that process, and within this time in other app processes.
   */
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** smtp://user:pass@host:587 or smtps://…: notifications are also e-mailed to admins. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://").optional(),
  /** Sender address of notification e-mails. */
  SMTP_FROM: z.string().default("Hookyard <hookyard@localhost>"),
  /** pino log level (JSON lines on stdout). */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Demo organization created by the seed. */
  SEED_ORG_NAME: z.string().default("Acme MSP"),
  /** Demo users' e-mail addresses. */
  SEED_ADMIN_EMAIL: z.string().email().default("admin@acme.test"),
  SEED_AUTHOR_EMAIL: z.string().email().default("author@acme.test"),
  SEED_SUPPORT_EMAIL: z.string().email().default("support@acme.test"),
  /** Demo users' passwords; generated and printed once when unset. */
  SEED_ADMIN_PASSWORD: z.string().min(8, "SEED_ADMIN_PASSWORD must be at least 8 characters").optional(),
  SEED_AUTHOR_PASSWORD: z.string().min(8, "SEED_AUTHOR_PASSWORD must be at least 8 characters").optional(),
  SEED_SUPPORT_PASSWORD: z.string().min(8, "SEED_SUPPORT_PASSWORD must be at least 8 characters").optional(),
  /** Demo API key; generated and printed once when unset. */
  SEED_API_KEY: z
    .string()
    .regex(/^hy_[A-Za-z0-9_-]{20,}$/, "SEED_API_KEY must look like hy_ followed by at least 20 URL-safe characters")
    .optional(),
});

export type TEnv = z.infer<typeof ZEnv> & {
  /** Absolute data directory. */
  dataDir: string;
  /** The session secret in force (from AUTH_SECRET or DATA_DIR/auth-secret). */
  authSecret: string;
  appUrl: string;
};

let cached: TEnv | undefined;

/** Reads a secret file from the data directory, creating it (0600) when missing. */
export function readOrCreateSecretFile(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const value = make();
  try {
    fs.writeFileSync(file, value + "\n", { mode: 0o600, flag: "wx" });
    return value;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = ZEnv.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if (env.DELIVERY_LEASE_MS <= env.DELIVERY_TIMEOUT_MS) {
    throw new Error("Invalid configuration:\n  DELIVERY_LEASE_MS: must be longer than DELIVERY_TIMEOUT_MS");
  }
  const dataDir = path.resolve(env.DATA_DIR);
  const authSecret =
    env.AUTH_SECRET ?? readOrCreateSecretFile(dataDir, "auth-secret", () => crypto.randomBytes(32).toString("base64url"));
  const appUrl = (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  return { ...env, dataDir, authSecret, appUrl };
}

/** The validated configuration of this process. */
export function getEnv(): TEnv {
  if (!cached) {
    cached = parseEnv(process.env);
    // next-auth v4 reads these two from the environment itself.
    process.env.NEXTAUTH_SECRET ??= cached.authSecret;
    process.env.NEXTAUTH_URL ??= cached.appUrl;
  }
  return cached;
}
