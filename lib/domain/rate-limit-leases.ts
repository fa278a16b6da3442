/**
 * Fixed-window rate limits shared by every process through one counter per
 * (key, window), without a database statement per request: a process
 * reserves a lease of requests from the shared counter and spends it locally.
 *
 * - The shared counter is only ever increased by what is reserved, and a
 *   reservation is granted only up to the limit, so all processes together
 *   never admit more than `limit` requests in a window.
 * - A process's lease grows with its demand (1, 2, 4, … up to `limit / 50`):
 *   a small limit (the Test button's 5 per minute) still reserves one request
 *   at a time, so it behaves exactly like a counter per request; a busy
 *   ingest key (30,000 per minute) reserves up to 600 at a time, one
 *   statement every few seconds at 200 requests/s.
 * - What a process reserved and did not spend is lost when the window ends:
 *   another process can be refused while at most `limit / 50` requests per
 *   process are still unspent (2 % of the limit each).
 * - A window the shared counter says is full is remembered: refusals cost no
 *   statement until the window ends.
 *
 * Pure: the shared counter is the `reserve` function given to it (the
 * database in lib/domain/rate-limit.ts, a plain counter in the unit tests).
 */

/** Adds `want` to the shared counter of (key, windowStart); returns how many of them fit under `limit` (0…want). */
export type TReserve = (opts: { key: string; windowStart: Date; want: number; limit: number }) => Promise<number>;

export type TLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

type TWindowState = {
  windowStart: number;
  /** Reserved and not spent yet. */
  left: number;
  /** The next reservation's size. */
  nextLease: number;
  /** The shared counter is at the limit: refuse until the window ends. */
  full: boolean;
  inflight: Promise<void> | null;
};

/** Largest lease a process takes at once: 2 % of the limit (at least 1). */
export function maxLeaseFor(limit: number): number {
  return Math.max(1, Math.floor(limit / 50));
}

/** States kept before windows that are over are swept. */
const SWEEP_AT = 10_000;

export function createLeasedRateLimiter(opts: { reserve: TReserve }) {
  const states = new Map<string, TWindowState>();

  function stateFor(key: string, windowStart: number, windowMs: number, now: number): TWindowState {
    let state = states.get(key);
    if (state?.windowStart === windowStart) return state;
    if (states.size >= SWEEP_AT) {
      for (const [k, s] of states) if (s.windowStart + windowMs <= now && !s.inflight) states.delete(k);
    }
    state = { windowStart, left: 0, nextLease: 1, full: false, inflight: null };
    states.set(key, state);
    return state;
  }

  async function reserveInto(state: TWindowState, key: string, limit: number): Promise<void> {
    const want = Math.min(state.nextLease, maxLeaseFor(limit));
    const granted = await opts.reserve({ key, windowStart: new Date(state.windowStart), want, limit });
    state.left += Math.max(0, Math.min(want, granted));
    if (granted < want) state.full = true;
    state.nextLease = Math.min(want * 2, maxLeaseFor(limit));
  }

  /** Spends one request of `key`'s current window, reserving from the shared counter when the local lease is spent. */
  async function consume(o: { key: string; limit: number; windowMs: number; now: Date }): Promise<TLimitDecision> {
    const now = o.now.getTime();
    const windowStart = Math.floor(now / o.windowMs) * o.windowMs;
    for (;;) {
      const state = stateFor(o.key, windowStart, o.windowMs, now);
      if (state.left > 0) {
        state.left -= 1;
        return { ok: true };
      }
      if (state.full) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + o.windowMs - now) / 1000)) };
      if (!state.inflight) {
        state.inflight = reserveInto(state, o.key, o.limit).finally(() => {
          state.inflight = null;
        });
      }
      await state.inflight;
    }
  }

  return { consume };
}
