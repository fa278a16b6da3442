import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

export type THealth = {
  status: "ok" | "error";
  database: { status: "ok" | "error"; kind: "postgres" | "pglite"; latencyMs?: number; error?: string };
};

export async function checkHealth(): Promise<THealth> {
  const kind = getEnv().DATABASE_URL ? "postgres" : "pglite";
  const started = performance.now();
  try {
    await getDb().$queryRawUnsafe("SELECT 1");
    return { status: "ok", database: { status: "ok", kind, latencyMs: Math.round(performance.now() - started) } };
  } catch {
    return { status: "error", database: { status: "error", kind, error: "database unreachable" } };
  }
}
