/**
 * Retry schedule (pure).
 *
 * Attempt 1 is sent immediately; after each failure the next attempt waits
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — 8 attempts in all. Each interval
 * starts from the failure of the previous attempt (`now`).
 *
 * - Jitter: the delay is multiplied by a factor in [0.9, 1.1).
 * - `Retry-After` (delta-seconds or HTTP-date) on 429 / 503 is honoured but
 *   clamped to [scheduled, 2 × scheduled], where `scheduled` is the jittered
 *   delay: a receiver can slow us down, never speed us up nor park a message
 *   indefinitely. Other statuses ignore it.
 * - 410 Gone stops retrying; so does failing the last attempt.
 */

export const MAX_ATTEMPTS = 8;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * `RETRY_DELAYS_MS[i]` is the delay before attempt i + 1, measured from the
 * failure of attempt i. Index 0 (the first attempt) is 0: sent at once.
 */
export const RETRY_DELAYS_MS: readonly number[] = Object.freeze([
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
]);

export const JITTER_RATIO = 0.1;

export interface NextAttemptInput {
  /** 1-based number of the attempt that just failed. */
  attemptNumber: number;
  /** When it failed. */
  now: Date;
  /** HTTP status of the failed attempt, if a response arrived. */
  statusCode?: number;
  /** Raw `Retry-After` response header, if any. */
  retryAfter?: string;
  /** Returns a number in [0, 1); defaults to Math.random. */
  random?: () => number;
}

const RETRY_AFTER_STATUSES = new Set([429, 503]);
const DELTA_SECONDS = /^\d+$/;

/** Applies ±10 % jitter; `random` is expected in [0, 1). */
export function applyJitter(delayMs: number, random: () => number): number {
  const unit = Math.min(Math.max(random(), 0), 1);
  return Math.round(delayMs * (1 + (unit * 2 - 1) * JITTER_RATIO));
}

/**
 * Parses `Retry-After` into milliseconds from `now`; null if unparseable.
 * A date in the past yields 0.
 */
export function parseRetryAfter(value: string, now: Date): number | null {
  const text = value.trim();
  if (DELTA_SECONDS.test(text)) return Number(text) * SECOND;
  if (!/[a-z]/i.test(text)) return null; // bare numbers like "-5" or "1.5" are invalid
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function assertAttemptNumber(attemptNumber: number): void {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError(`attemptNumber must be a positive integer, got ${attemptNumber}`);
  }
}

/** When to send the next attempt after `attemptNumber` failed; null = give up. */
export function nextAttemptAt(input: NextAttemptInput): Date | null {
  assertAttemptNumber(input.attemptNumber);
  if (input.statusCode === 410) return null;
  const baseDelay = RETRY_DELAYS_MS[input.attemptNumber];
  if (baseDelay === undefined) return null;

  const scheduled = applyJitter(baseDelay, input.random ?? Math.random);
  let delay = scheduled;
  if (input.retryAfter !== undefined && input.statusCode !== undefined && RETRY_AFTER_STATUSES.has(input.statusCode)) {
    const requested = parseRetryAfter(input.retryAfter, input.now);
    if (requested !== null) delay = clamp(requested, scheduled, 2 * scheduled);
  }
  return new Date(input.now.getTime() + delay);
}
