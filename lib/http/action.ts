/**
 * Server action plumbing: authenticate the session, parse with the shared zod
 * schema, run a domain function, and return a serialisable result that a form
 * can show next to its fields. Expected errors keep their message; anything
 * else is logged and reported generically.
 */
import { z } from "zod";
import { requireSessionActor } from "@/lib/auth/session";
import { AppError, RateLimited } from "@/lib/errors";
import type { TActor } from "@/lib/auth/actor";
import { logger } from "@/lib/log";

export type TActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fieldErrors?: Record<string, string>; retryAfterSeconds?: number } };

export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  fn: (args: { actor: TActor; input: z.infer<S> }) => Promise<T>,
): Promise<TActionResult<T>> {
  try {
    const actor = await requireSessionActor();
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".") || "form"] ??= issue.message;
      return { ok: false, error: { code: "invalid", message: "Please correct the highlighted fields.", fieldErrors } };
    }
    return { ok: true, data: await fn({ actor, input: parsed.data }) };
  } catch (error) {
    if (error instanceof AppError) {
      const fieldErrors = error.issues ? Object.fromEntries(error.issues.map((i) => [i.path, i.message])) : undefined;
      const retry = error instanceof RateLimited ? { retryAfterSeconds: error.retryAfterSeconds } : {};
      return { ok: false, error: { code: error.code, message: error.message, ...(fieldErrors ? { fieldErrors } : {}), ...retry } };
    }
    logger.error({ err: error }, "unexpected error in server action");
    return { ok: false, error: { code: "internal", message: "Something went wrong on our side. Please try again." } };
  }
}
