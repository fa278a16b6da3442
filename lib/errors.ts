/**
 * The few typed errors the domain throws. Expected ones reach the user with
 * their message; anything else is logged and shown generically.
 */
export type TFieldIssue = { path: string; message: string };

export class AppError extends Error {
  constructor(
    readonly code: "unauthorized" | "forbidden" | "not_found" | "invalid" | "conflict" | "rate_limited",
    readonly status: number,
    message: string,
    readonly issues?: TFieldIssue[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Unauthorized extends AppError {
  constructor(message = "Sign in or send a valid API key.") {
    super("unauthorized", 401, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = "Your role does not allow this.") {
    super("forbidden", 403, message);
  }
}

export class NotFound extends AppError {
  constructor(what = "Resource") {
    super("not_found", 404, `${what} not found.`);
  }
}

export class Invalid extends AppError {
  constructor(message: string, issues?: TFieldIssue[]) {
    super("invalid", 400, message, issues);
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super("conflict", 409, message);
  }
}

export class RateLimited extends AppError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super("rate_limited", 429, message);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
