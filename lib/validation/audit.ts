/**
 * The audit log's query and its vocabulary (pure: used by the route, the
 * domain function and the audit page).
 */
import { z } from "zod";

/** Every action the domain records, with the wording the audit page shows. */
export const AUDIT_ACTIONS = {
  "webhook.created": "Created webhook",
  "webhook.updated": "Changed webhook",
  "webhook.enabled": "Enabled webhook",
  "webhook.disabled": "Disabled webhook",
  "webhook.auto_disabled": "Webhook disabled automatically",
  "webhook.deleted": "Deleted webhook",
  "webhook.tested": "Tested webhook",
  "webhook.recovered": "Recovered failed messages",
  "webhook.secret_rotated": "Rotated signing secret",
  "webhook.secret_revealed": "Revealed signing secret",
  "webhooks.exported": "Exported webhooks",
  "webhooks.imported": "Imported webhooks",
  "message.retried": "Retried message",
  "api_key.created": "Created API key",
  "api_key.revoked": "Revoked API key",
  "member.invited": "Invited member",
  "member.joined": "Member joined",
  "member.role_changed": "Changed member role",
  "member.removed": "Removed member",
} as const satisfies Record<string, string>;

export type TAuditAction = keyof typeof AUDIT_ACTIONS;

export function auditActionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}

const ZUuid = (what: string) => z.string().uuid(`${what} must be a UUID`);
const ZDate = (what: string) => z.coerce.date({ error: () => `${what} must be an ISO 8601 date-time` });

/** Query of GET /api/v1/audit. */
export const ZAuditQuery = z.strictObject({
  /** Entries by this member. */
  userId: ZUuid("userId").optional(),
  /** Entries by this API key. */
  apiKeyId: ZUuid("apiKeyId").optional(),
  /** Entries about this webhook (and the retries of its messages). */
  webhookId: ZUuid("webhookId").optional(),
  /** One action, e.g. webhook.updated, or a prefix ending with a dot, e.g. webhook. */
  action: z.string().trim().max(100).regex(/^[a-z_]+(\.[a-z_]*)?$/, "action must look like webhook.updated or webhook.").optional(),
  from: ZDate("from").optional(),
  to: ZDate("to").optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1, "limit must be 1 to 200").max(200, "limit must be 1 to 200").default(50),
});
export type TAuditQuery = z.output<typeof ZAuditQuery>;
