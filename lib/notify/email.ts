/**
 * E-mail for notifications when SMTP_URL is set. Notification rows are the
 * outbox: the recording transaction marks them emailPending, and the drivers
 * send them here, claimed with SKIP LOCKED so several processes never send
 * one twice at the same time. A failed send is retried up to 5 times.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";

const MAX_EMAIL_ATTEMPTS = 5;
let transport: Transporter | undefined;

function getTransport(url: string): Transporter {
  transport ??= nodemailer.createTransport(url);
  return transport;
}

/** Tests point the sender at their own SMTP server. */
export function resetEmailTransport(): void {
  transport?.close();
  transport = undefined;
}

type TPending = { id: string; title: string; body: string; link: string | null; email: string; name: string; organizationName: string };

export async function sendPendingNotificationEmails(opts: { limit?: number } = {}): Promise<{ sent: number; failed: number }> {
  const env = getEnv();
  if (!env.SMTP_URL) return { sent: 0, failed: 0 };
  const rows = await getDb().$queryRawUnsafe<TPending[]>(
    `WITH picked AS (
       SELECT n."id" FROM "Notification" n
        WHERE n."emailPending" AND n."emailAttempts" < $2
        ORDER BY n."createdAt" LIMIT $1
        FOR UPDATE SKIP LOCKED)
     UPDATE "Notification" n SET "emailAttempts" = n."emailAttempts" + 1
       FROM "User" u, "Organization" o
      WHERE n."id" IN (SELECT "id" FROM picked) AND u."id" = n."userId" AND o."id" = n."organizationId"
      RETURNING n."id", n."title", n."body", n."link", u."email", u."name", o."name" AS "organizationName"`,
    opts.limit ?? 20,
    MAX_EMAIL_ATTEMPTS,
  );
  let sent = 0;
  let failed = 0;
  for (const row of rows) {
    const link = row.link ? `${env.appUrl}${row.link}` : env.appUrl;
    try {
      await getTransport(env.SMTP_URL).sendMail({
        from: env.SMTP_FROM,
        to: `"${row.name.replace(/"/g, "")}" <${row.email}>`,
        subject: `[Hookyard | ${row.organizationName}] ${row.title}`,
        text: `${row.body}\n\n${link}\n`,
      });
      await getDb().notification.update({ where: { id: row.id }, data: { emailPending: false, emailedAt: new Date(), emailError: null } });
      sent += 1;
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      await getDb().notification.update({ where: { id: row.id }, data: { emailError: message.slice(0, 500) } });
      logger.warn({ notificationId: row.id, error: message }, "notification e-mail not sent; will retry");
    }
  }
  return { sent, failed };
}
