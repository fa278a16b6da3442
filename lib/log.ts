/**
 * Structured JSON logs (pino). Secret-bearing paths are redacted; error
 * messages and stacks are scrubbed of credentials in URLs, API keys and
 * signing secrets (an error may quote a connection string or a request).
 */
import pino from "pino";
import { getEnv } from "@/lib/env";

export const LOG_CENSOR = "[redacted]";

/** Paths whose values never reach a log line (pino `redact`; `*` is one level). */
export const LOG_REDACT_PATHS = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "key",
  "*.key",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.cookie",
  // Added with issue 10 (operations).
  "cookie",
  "*.cookie",
  "headers.cookie",
  "*.headers.cookie",
  'headers["x-api-key"]',
  'headers["proxy-authorization"]',
  "signingSecret",
  "*.signingSecret",
  "secrets",
  "*.secrets",
  "apiKey.key",
  "auth.password",
  "auth.token",
  "auth.value",
  "auth.key",
  "*.auth.password",
  "*.auth.token",
  "*.auth.value",
  "*.auth.key",
  "input.auth.password",
  "input.auth.token",
  "input.auth.value",
  "input.auth.key",
  "env.AUTH_SECRET",
  "env.authSecret",
  "env.CRON_SECRET",
  "env.METRICS_TOKEN",
  "env.ENCRYPTION_KEYS",
  "env.DATABASE_URL",
  "env.SEED_API_KEY",
  "env.SMTP_URL",
  "env.SEED_ADMIN_PASSWORD",
  "env.SEED_AUTHOR_PASSWORD",
  "env.SEED_SUPPORT_PASSWORD",
  "authSecret",
  "databaseUrl",
  "DATABASE_URL",
  "ciphertext",
  "*.ciphertext",
];

/** Credentials inside free text: user:password@ in URLs, Hookyard API keys, signing secrets, bearer tokens. */
const TEXT_SECRETS: [RegExp, string][] = [
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${LOG_CENSOR}@`],
  [/\bhy_[A-Za-z0-9_-]{8,}/g, LOG_CENSOR],
  [/\bwhsec_[A-Za-z0-9+/=]{8,}/g, LOG_CENSOR],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${LOG_CENSOR}`],
];

export function scrubText(text: string): string {
  return TEXT_SECRETS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

function errSerializer(error: unknown) {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (!serialized || typeof serialized !== "object") return serialized;
  for (const field of ["message", "stack"] as const) {
    if (typeof serialized[field] === "string") serialized[field] = scrubText(serialized[field] as string);
  }
  return serialized;
}

/** The logger's options (tests build a logger on a captured stream with them). */
export function loggerOptions(level: string = getEnv().LOG_LEVEL): pino.LoggerOptions {
  return {
    level,
    base: { app: "hookyard" },
    redact: { paths: LOG_REDACT_PATHS, censor: LOG_CENSOR },
    serializers: { err: errSerializer, error: errSerializer },
  };
}

export function createLogger(destination?: pino.DestinationStream, level?: string): pino.Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

export const logger = createLogger();
