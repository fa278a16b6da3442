/**
 * Wakes delivery loops when ingestion creates messages: in this process at
 * once, and (on PostgreSQL) other processes through LISTEN/NOTIFY, which the
 * ingest transaction sends on commit.
 */
import { EventEmitter } from "node:events";

export const NOTIFY_CHANNEL = "hookyard_messages";
// On globalThis: Next.js may load this module once per route bundle and once more for instrumentation.ts, and an
// ingest route must wake the loop instrumentation started.
const holder = globalThis as unknown as { __hookyardWake?: EventEmitter };
const emitter = (holder.__hookyardWake ??= new EventEmitter().setMaxListeners(100));

export function wakeDeliveryLoops(): void {
  emitter.emit("wake");
}

export function onDeliveryWake(listener: () => void): () => void {
  emitter.on("wake", listener);
  return () => emitter.off("wake", listener);
}
