import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, applyJitter, nextAttemptAt, parseRetryAfter } from "./schedule";

const NOW = new Date("2025-03-01T12:00:00.000Z");
const S = 1000;
const M = 60 * S;
const H = 60 * M;

const EXPECTED_DELAYS = [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H];

function delayAfter(attemptNumber: number, extra: Partial<Parameters<typeof nextAttemptAt>[0]> = {}): number | null {
  const next = nextAttemptAt({ attemptNumber, now: NOW, ...extra });
  return next === null ? null : next.getTime() - NOW.getTime();
}

const MIDDLE = () => 0.5; // no jitter
const LOWEST = () => 0;
const HIGHEST = () => 0.999999999;

describe("schedule constants", () => {
  it("has 8 attempts: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h", () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(RETRY_DELAYS_MS).toEqual([0, ...EXPECTED_DELAYS]);
    expect(RETRY_DELAYS_MS).toHaveLength(MAX_ATTEMPTS);
  });
});

describe("nextAttemptAt", () => {
  it.each(EXPECTED_DELAYS.map((delay, i) => [i + 1, delay] as const))(
    "after attempt %i fails waits %i ms ±10 %%",
    (attemptNumber, delay) => {
      expect(delayAfter(attemptNumber, { random: MIDDLE })).toBe(delay);
      expect(delayAfter(attemptNumber, { random: LOWEST })).toBe(Math.round(delay * 0.9));
      const high = delayAfter(attemptNumber, { random: HIGHEST }) ?? 0;
      expect(high).toBeLessThanOrEqual(Math.round(delay * 1.1));
      expect(high).toBeGreaterThan(delay * 1.09);
    },
  );

  it("gives up after the last attempt", () => {
    expect(nextAttemptAt({ attemptNumber: MAX_ATTEMPTS, now: NOW })).toBeNull();
    expect(nextAttemptAt({ attemptNumber: MAX_ATTEMPTS + 3, now: NOW })).toBeNull();
    expect(nextAttemptAt({ attemptNumber: MAX_ATTEMPTS - 1, now: NOW })).not.toBeNull();
  });

  it("stops at once on 410 Gone", () => {
    expect(nextAttemptAt({ attemptNumber: 1, now: NOW, statusCode: 410 })).toBeNull();
  });

  it("keeps retrying on other errors (500, 404, network)", () => {
    for (const statusCode of [500, 404, 400, undefined]) {
      expect(delayAfter(1, { statusCode, random: MIDDLE })).toBe(5 * S);
    }
  });

  it("rejects a non-positive or fractional attempt number", () => {
    expect(() => nextAttemptAt({ attemptNumber: 0, now: NOW })).toThrow(RangeError);
    expect(() => nextAttemptAt({ attemptNumber: 1.5, now: NOW })).toThrow(RangeError);
  });

  it("property: jitter stays within ±10 % of every step", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_ATTEMPTS - 1 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attemptNumber, r) => {
          const base = RETRY_DELAYS_MS[attemptNumber] ?? 0;
          const delay = delayAfter(attemptNumber, { random: () => r }) ?? -1;
          expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
          expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.1));
        },
      ),
    );
  });
});

describe("Retry-After", () => {
  it.each([429, 503])("on %i: seconds within [scheduled, 2×scheduled] are honoured", (statusCode) => {
    // attempt 2 failed → scheduled 5 min
    expect(delayAfter(2, { statusCode, retryAfter: "420", random: MIDDLE })).toBe(420 * S);
  });

  it("is clamped up to the scheduled delay and down to twice it", () => {
    expect(delayAfter(2, { statusCode: 429, retryAfter: "1", random: MIDDLE })).toBe(5 * M);
    expect(delayAfter(2, { statusCode: 429, retryAfter: "0", random: MIDDLE })).toBe(5 * M);
    expect(delayAfter(2, { statusCode: 429, retryAfter: "86400", random: MIDDLE })).toBe(10 * M);
  });

  it("clamps against the jittered delay", () => {
    expect(delayAfter(2, { statusCode: 503, retryAfter: "99999", random: LOWEST })).toBe(2 * 0.9 * 5 * M);
    expect(delayAfter(2, { statusCode: 503, retryAfter: "1", random: LOWEST })).toBe(0.9 * 5 * M);
  });

  it("accepts an HTTP-date, clamped both ways", () => {
    const inSevenMinutes = new Date(NOW.getTime() + 7 * M).toUTCString();
    expect(delayAfter(2, { statusCode: 503, retryAfter: inSevenMinutes, random: MIDDLE })).toBe(7 * M);
    const tomorrow = new Date(NOW.getTime() + 24 * H).toUTCString();
    expect(delayAfter(2, { statusCode: 503, retryAfter: tomorrow, random: MIDDLE })).toBe(10 * M);
    const past = new Date(NOW.getTime() - H).toUTCString();
    expect(delayAfter(2, { statusCode: 503, retryAfter: past, random: MIDDLE })).toBe(5 * M);
  });

  it("is ignored for other statuses and when unparseable", () => {
    expect(delayAfter(2, { statusCode: 500, retryAfter: "420", random: MIDDLE })).toBe(5 * M);
    expect(delayAfter(2, { retryAfter: "420", random: MIDDLE })).toBe(5 * M);
    for (const retryAfter of ["soon", "", "-5", "1.5", "4 20"]) {
      expect(delayAfter(2, { statusCode: 429, retryAfter, random: MIDDLE }), retryAfter).toBe(5 * M);
    }
  });

  it("does not revive a message after the last attempt", () => {
    expect(nextAttemptAt({ attemptNumber: MAX_ATTEMPTS, now: NOW, statusCode: 429, retryAfter: "10" })).toBeNull();
  });

  it("property: the result is always within [scheduled, 2×scheduled]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ATTEMPTS - 1 }), fc.nat({ max: 10 ** 7 }), (attemptNumber, seconds) => {
        const base = RETRY_DELAYS_MS[attemptNumber] ?? 0;
        const delay = delayAfter(attemptNumber, { statusCode: 429, retryAfter: String(seconds), random: MIDDLE }) ?? -1;
        expect(delay).toBe(Math.min(Math.max(seconds * S, base), 2 * base));
      }),
    );
  });
});

describe("helpers", () => {
  it("parseRetryAfter handles both forms", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120 * S);
    expect(parseRetryAfter(" 3 ", NOW)).toBe(3 * S);
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:01:00 GMT", NOW)).toBe(M);
    expect(parseRetryAfter("garbage", NOW)).toBeNull();
  });

  it("applyJitter clamps an out-of-range random source", () => {
    expect(applyJitter(1000, () => 5)).toBe(1100);
    expect(applyJitter(1000, () => -1)).toBe(900);
  });
});
