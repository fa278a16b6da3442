import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { getQueueStats } from "@/lib/metrics/queue";
import { getServerDelivery, type TServerDelivery } from "@/lib/delivery/server-delivery";

export type THealth = {
  status: "ok" | "error";
  database: { status: "ok" | "error"; kind: "postgres" | "pglite"; latencyMs?: number; error?: string };
  /** The delivery queue: lag = age of the oldest due PENDING message (0 when nothing is due). */
  delivery?: { lagSeconds: number; due: number; inProgress: number; oldestDueAt: string | null };
  /** This server process's own delivery loop. */
  loop: TServerDelivery;
};

export async function checkHealth(opts: { now?: Date } = {}): Promise<THealth> {
  const kind: THealth["database"]["kind"] = getEnv().DATABASE_URL ? "postgres" : "pglite";
  const loop = getServerDelivery();
  const started = performance.now();
  try {
    await getDb().$queryRawUnsafe("SELECT 1");
  } catch {
    return { status: "error", database: { status: "error", kind, error: "database unreachable" }, loop };
  }
  const database = { status: "ok" as const, kind, latencyMs: Math.round(performance.now() - started) };
  try {
    const queue = await getQueueStats({ now: opts.now });
    return {
      status: "ok",
      database,
      loop,
      delivery: { lagSeconds: Math.round(queue.lagSeconds * 10) / 10, due: queue.due, inProgress: queue.inProgress, oldestDueAt: queue.oldestDueAt?.toISOString() ?? null },
    };
  } catch {
    // Before the first migration the tables may not exist yet: the database itself is up.
    return { status: "ok", database, loop };
  }
}
