/**
 * Route handler plumbing for the REST API: authenticate (API key or session),
 * parse with zod, map typed errors to `{ error: { code, message, issues? } }`.
 */
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { authenticateApiKey } from "@/lib/domain/api-keys";
import { getSessionContext } from "@/lib/auth/session";
import { AppError, Invalid, RateLimited, Unauthorized, type TFieldIssue } from "@/lib/errors";
import type { TActor } from "@/lib/auth/actor";
import { logger } from "@/lib/log";
import { zodIssuesOf } from "@/lib/validation/issues";

export const zodIssues = (error: z.ZodError): TFieldIssue[] => zodIssuesOf(error);

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what = "Request"): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = zodIssues(result.error);
    const first = issues[0];
    throw new Invalid(first ? `${what} is invalid: ${first.path}: ${first.message}` : `${what} is invalid`, issues);
  }
  return result.data;
}

export async function readJson(req: Request, maxBytes = 256 * 1024): Promise<unknown> {
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new Invalid(`Request body is larger than ${maxBytes / 1024} KiB.`, [{ path: "(body)", message: "Too large" }]);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Invalid("Request body is not valid JSON.", [{ path: "(body)", message: "Not valid JSON" }]);
  }
}

export async function authenticateRequest(req: Request): Promise<TActor> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match?.[1] ? await authenticateApiKey({ key: match[1] }) : null;
    if (!actor) throw new Unauthorized("The API key is missing, malformed, unknown or revoked.");
    return actor;
  }
  const ctx = await getSessionContext();
  if (!ctx) throw new Unauthorized();
  return ctx.actor;
}

export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="hookyard"';
    if (error instanceof RateLimited) headers["Retry-After"] = String(error.retryAfterSeconds);
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } },
      { status: error.status, headers },
    );
  }
  if (error instanceof z.ZodError) {
    return errorResponse(new Invalid("Request is invalid", zodIssues(error)));
  }
  logger.error({ err: error }, "unexpected error in API route");
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500 });
}

type TRouteContext<P> = { params: Promise<P> };

/** Wraps an authenticated API route handler. */
export function apiRoute<P = Record<string, string>>(
  handler: (args: { req: NextRequest; actor: TActor; params: P }) => Promise<Response | unknown>,
) {
  return async (req: NextRequest, ctx: TRouteContext<P>): Promise<Response> => {
    try {
      const actor = await authenticateRequest(req);
      const result = await handler({ req, actor, params: await ctx.params });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
