/**
 * Structured JSON logs (pino). Secret-bearing paths are redacted.
 */
import pino from "pino";
import { getEnv } from "@/lib/env";

export const logger = pino({
  level: getEnv().LOG_LEVEL,
  base: { app: "hookyard" },
  redact: {
    paths: [
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
    ],
    censor: "[redacted]",
  },
});
