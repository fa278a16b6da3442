/**
 * Wakes delivery loops when messages become due: in this process at once,
 * and (on PostgreSQL) every process's loop — a worker process, the server's
 * delivery thread — through LISTEN/NOTIFY, sent when the transaction that
 * made them due commits (ingestion's statement, `notifyDeliveryLoops`).
 */
import { EventEmitter } from "node:events";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";
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

/**
 * On PostgreSQL, queues a NOTIFY in `tx`: delivery loops listening in other
 * processes and threads wake when it commits (nothing if it rolls back).
 */
export async function notifyDeliveryLoops(opts: { tx: Prisma.TransactionClient }): Promise<void> {
  if (getEnv().DATABASE_URL) await opts.tx.$executeRawUnsafe(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`);
}
