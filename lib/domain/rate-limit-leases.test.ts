import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createLeasedRateLimiter, maxLeaseFor, type TReserve } from "./rate-limit-leases";

/** A shared counter per (key, window), as the database keeps it: adds what is asked, grants what fits. */
function sharedCounter() {
  const counts = new Map<string, number>();
  let calls = 0;
  const reserve: TReserve = async ({ key, windowStart, want, limit }) => {
    calls += 1;
    await Promise.resolve();
    const k = `${key}@${windowStart.getTime()}`;
    const before = counts.get(k) ?? 0;
    counts.set(k, before + want);
    return Math.max(0, Math.min(want, limit - before));
  };
  return { reserve, calls: () => calls };
}

const MINUTE = 60_000;
const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 10, 0, 0) + ms);

describe("leased rate limits", () => {
  it("a small limit reserves one request at a time and refuses the next one with the time left in the window", async () => {
    const counter = sharedCounter();
    const limiter = createLeasedRateLimiter({ reserve: counter.reserve });
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await limiter.consume({ key: "test:u:w", limit: 5, windowMs: MINUTE, now: at(15_000) }));
    expect(decisions.map((d) => d.ok)).toEqual([true, true, true, true, true, false]);
    expect(decisions[5]).toEqual({ ok: false, retryAfterSeconds: 45 });
    expect(counter.calls()).toBe(6);
    // The window is known to be full: more refusals cost no reservation.
    expect((await limiter.consume({ key: "test:u:w", limit: 5, windowMs: MINUTE, now: at(16_000) })).ok).toBe(false);
    expect(counter.calls()).toBe(6);
    // The next window starts over.
    expect((await limiter.consume({ key: "test:u:w", limit: 5, windowMs: MINUTE, now: at(60_000) })).ok).toBe(true);
  });

  it("a busy key costs a reservation per growing lease, not one per request", async () => {
    const counter = sharedCounter();
    const limiter = createLeasedRateLimiter({ reserve: counter.reserve });
    for (let i = 0; i < 3_000; i++) expect((await limiter.consume({ key: "ingest:k", limit: 30_000, windowMs: MINUTE, now: at(i) })).ok).toBe(true);
    // Leases 1, 2, 4, …, 512, then 600 each: 10 + 3 reservations for 3,000 requests.
    expect(maxLeaseFor(30_000)).toBe(600);
    expect(counter.calls()).toBeLessThanOrEqual(14);
  });

  it("concurrent requests wait for one reservation instead of each making one", async () => {
    const counter = sharedCounter();
    const limiter = createLeasedRateLimiter({ reserve: counter.reserve });
    const decisions = await Promise.all(Array.from({ length: 100 }, () => limiter.consume({ key: "k", limit: 30_000, windowMs: MINUTE, now: at(0) })));
    expect(decisions.every((d) => d.ok)).toBe(true);
    // 1 + 2 + 4 + … + 64 = 127 ≥ 100: seven reservations, one at a time.
    expect(counter.calls()).toBe(7);
  });

  it("a failed reservation fails the request and the next request tries again", async () => {
    let fail = true;
    const counter = sharedCounter();
    const limiter = createLeasedRateLimiter({
      reserve: async (o) => {
        if (fail) throw new Error("database unavailable");
        return counter.reserve(o);
      },
    });
    await expect(limiter.consume({ key: "k", limit: 10, windowMs: MINUTE, now: at(0) })).rejects.toThrow("database unavailable");
    fail = false;
    expect(await limiter.consume({ key: "k", limit: 10, windowMs: MINUTE, now: at(1) })).toEqual({ ok: true });
  });

  it("processes sharing one counter never admit more than the limit together, and each loses at most its lease", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3_000 }),
        async (limit, processes, picks) => {
          const counter = sharedCounter();
          const limiters = Array.from({ length: processes }, () => createLeasedRateLimiter({ reserve: counter.reserve }));
          let admitted = 0;
          let refusedEarly = false;
          for (const pick of picks) {
            const d = await limiters[pick % processes]!.consume({ key: "k", limit, windowMs: MINUTE, now: at(0) });
            if (d.ok) admitted += 1;
            else if (admitted < limit - (processes - 1) * maxLeaseFor(limit)) refusedEarly = true;
          }
          expect(admitted).toBeLessThanOrEqual(limit);
          // A refusal only comes once the others hold no more than their largest leases unspent.
          expect(refusedEarly).toBe(false);
          if (processes === 1) expect(admitted).toBe(Math.min(limit, picks.length));
        },
      ),
      { numRuns: 200 },
    );
  });
});
