/**
 * What follows a message's final outcome: the webhook's consecutive-failure
 * streak, auto-disable after N failed messages, and in-app notifications for
 * the organization's admins. Runs inside the recording transaction.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { OPERATIONAL_EVENT_TYPE_KEYS } from "@/lib/catalog";
import { storeEvent } from "./ingest";
import { getEnv } from "@/lib/env";

type TTx = Prisma.TransactionClient;

/** A failure notice per webhook at most this often (unread ones collapse repeats). */
const FAILURE_NOTICE_INTERVAL_MS = 60 * 60 * 1000;

export async function notifyAdmins(opts: {
  tx: TTx;
  organizationId: string;
  kind: string;
  title: string;
  body: string;
  link?: string;
}): Promise<number> {
  const admins = await opts.tx.membership.findMany({ where: { organizationId: opts.organizationId, role: "ADMIN" }, select: { userId: true } });
  if (!admins.length) return 0;
  await opts.tx.notification.createMany({
    data: admins.map((a) => ({
      organizationId: opts.organizationId,
      userId: a.userId,
      kind: opts.kind,
      title: opts.title,
      body: opts.body,
      link: opts.link ?? null,
      emailPending: Boolean(getEnv().SMTP_URL),
    })),
  });
  return admins.length;
}

export async function onMessageSettled(opts: {
  tx: TTx;
  organizationId: string;
  webhookId: string;
  messageId: string;
  succeeded: boolean;
  now: Date;
}): Promise<void> {
  const { tx } = opts;
  if (opts.succeeded) {
    await tx.webhook.updateMany({ where: { id: opts.webhookId, organizationId: opts.organizationId, consecutiveFailures: { gt: 0 } }, data: { consecutiveFailures: 0 } });
    return;
  }
  const webhook = await tx.webhook.update({
    where: { id: opts.webhookId },
    data: { consecutiveFailures: { increment: 1 } },
    select: { id: true, name: true, targetUrl: true, eventTypes: true, enabled: true, autoDisableAfter: true, consecutiveFailures: true, notifyOnFailure: true },
  });
  // An operational webhook's own failures are not reported to operational webhooks: no loops.
  const operational = webhook.eventTypes.some((t) => (OPERATIONAL_EVENT_TYPE_KEYS as readonly string[]).includes(t));
  const about = { webhook_id: webhook.id, webhook_name: webhook.name, target_url: webhook.targetUrl };
  if (!operational) {
    const m = await tx.message.findUnique({ where: { id: opts.messageId }, select: { eventId: true, attemptCount: true, lastStatusCode: true, lastError: true } });
    await storeEvent({
      tx,
      organizationId: opts.organizationId,
      now: opts.now,
      excludeWebhookIds: [webhook.id],
      input: {
        type: "hookyard.message_failed",
        data: { ...about, message_id: opts.messageId, source_event_id: m?.eventId ?? null, attempts: m?.attemptCount ?? 0, last_status_code: m?.lastStatusCode ?? 0, last_error: m?.lastError ?? null },
      },
    });
  }
  const link = `/webhooks/${webhook.id}`;
  if (webhook.notifyOnFailure) {
    const recent = await tx.notification.findFirst({
      where: { organizationId: opts.organizationId, kind: "message.failed", link, createdAt: { gt: new Date(opts.now.getTime() - FAILURE_NOTICE_INTERVAL_MS) } },
      select: { id: true },
    });
    if (!recent) {
      await notifyAdmins({
        tx,
        organizationId: opts.organizationId,
        kind: "message.failed",
        title: `Delivery failed: ${webhook.name}`,
        body: `A message could not be delivered after all its attempts (message ${opts.messageId}).`,
        link,
      });
    }
  }
  if (webhook.enabled && webhook.autoDisableAfter > 0 && webhook.consecutiveFailures >= webhook.autoDisableAfter) {
    const reason = `Auto-disabled after ${webhook.consecutiveFailures} consecutive failed messages`;
    await tx.webhook.update({ where: { id: webhook.id }, data: { enabled: false, disabledReason: reason, disabledAt: opts.now } });
    await tx.auditEntry.create({
      data: { organizationId: opts.organizationId, actorLabel: "Hookyard", action: "webhook.auto_disabled", targetType: "Webhook", targetId: webhook.id, changes: { enabled: { before: true, after: false }, reason } },
    });
    await notifyAdmins({ tx, organizationId: opts.organizationId, kind: "webhook.disabled", title: `Webhook disabled: ${webhook.name}`, body: `${reason}. Fix the endpoint, enable the webhook, then recover the failed messages.`, link });
    if (!operational) {
      await storeEvent({
        tx,
        organizationId: opts.organizationId,
        now: opts.now,
        excludeWebhookIds: [webhook.id],
        input: { type: "hookyard.webhook_disabled", data: { ...about, disabled_reason: reason, consecutive_failures: webhook.consecutiveFailures } },
      });
    }
  }
}
