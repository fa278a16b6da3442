/**
 * Counters kept in this process's memory (everything else is read from the
 * database at scrape time, so every process reports the same numbers).
 * They only move where the engine calls them (see docs/deployment.md).
 */
import process from "node:process";

const counters = {
  eventsIngested: 0,
  messagesEnqueued: 0,
};
const startedAt = Date.now();

/** Call after an event was stored (not for a duplicate): lib/delivery/ingest.ts storeEvent. */
export function countIngestedEvent(opts: { messages: number }): void {
  counters.eventsIngested += 1;
  counters.messagesEnqueued += Math.max(0, opts.messages);
}

export function processCounters(): Readonly<typeof counters> & { startedAtSeconds: number; pid: number } {
  return { ...counters, startedAtSeconds: Math.floor(startedAt / 1000), pid: process.pid };
}

/** Tests. */
export function resetProcessCounters(): void {
  counters.eventsIngested = 0;
  counters.messagesEnqueued = 0;
}
