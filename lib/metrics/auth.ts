import { getEnv } from "@/lib/env";
import { constantTimeEqual } from "@/lib/crypto/tokens";
import { NotFound, Unauthorized } from "@/lib/errors";

/** Bearer $METRICS_TOKEN, compared in constant time; without a token the route does not exist. */
export function authorizeMetrics(header: string | null): void {
  const token = getEnv().METRICS_TOKEN;
  if (!token) throw new NotFound("Metrics (set METRICS_TOKEN to enable them)");
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1] ?? "";
  if (!constantTimeEqual(presented, token)) throw new Unauthorized("Missing or wrong metrics token.");
}
