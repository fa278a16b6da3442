import { getEnv } from "@/lib/env";
import { constantTimeEqual } from "@/lib/crypto/tokens";
import { Unauthorized, NotFound } from "@/lib/errors";
import { runDeliveryPass, type TPassSummary } from "./engine";
import { purgeExpiredDeliveries, vacuumEmbeddedDatabase } from "./retention";
import { sendPendingNotificationEmails } from "@/lib/notify/email";

/** Bearer $CRON_SECRET, compared in constant time; the route does not exist without a secret. */
export function authorizeCron(header: string | null): void {
  const secret = getEnv().CRON_SECRET;
  if (!secret) throw new NotFound("Cron delivery (set CRON_SECRET to enable it)");
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1] ?? "";
  if (!constantTimeEqual(presented, secret)) throw new Unauthorized("Missing or wrong cron secret.");
}

export async function runCronDelivery(): Promise<
  TPassSummary & {
    purged: { attempts: number; messages: number };
    emails: { sent: number; failed: number };
    /** The embedded database's tables vacuumed and analyzed (null on PostgreSQL, which vacuums itself). */
    embeddedVacuum: { vacuumed: string[]; analyzed: string[] } | null;
  }
> {
  // Bounded so the pass ends well within a platform's request limit.
  const env = getEnv();
  const summary = await runDeliveryPass({ maxMessages: 200, concurrency: env.DELIVERY_CONCURRENCY, sendTimeoutMs: env.DELIVERY_TIMEOUT_MS, leaseMs: env.DELIVERY_LEASE_MS });
  const purged = await purgeExpiredDeliveries();
  const emails = await sendPendingNotificationEmails();
  // Without a loop nothing else vacuums the embedded database (it has no autovacuum).
  const embeddedVacuum = await vacuumEmbeddedDatabase();
  return { ...summary, purged, emails, embeddedVacuum };
}
