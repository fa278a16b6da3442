/**
 * Wakes delivery loops when ingestion creates messages: in this process at
 * once, and (on PostgreSQL) other processes through LISTEN/NOTIFY, which the
 * ingest transaction sends on commit.
 */
import { EventEmitter } from "node:events";
import { processSingleton } from "@/lib/process-singleton";

export const NOTIFY_CHANNEL = "hookyard_messages";
// One per process: an ingest route must wake the loop instrumentation.ts started (another bundle).
const emitter = processSingleton("wake", () => new EventEmitter().setMaxListeners(100));

export function wakeDeliveryLoops(): void {
  emitter.emit("wake");
}

export function onDeliveryWake(listener: () => void): () => void {
  emitter.on("wake", listener);
  return () => emitter.off("wake", listener);
}
