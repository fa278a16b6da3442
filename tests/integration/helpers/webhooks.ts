import { createWebhook } from "@/lib/domain/webhooks";
import { getEventType, type TEventTypeKey } from "@/lib/catalog";
import type { TActor } from "@/lib/auth/actor";
import type { TWebhookCreateInput } from "@/lib/validation/webhook";

/** Creates an enabled webhook with the event type's default template. */
export async function makeWebhook(actor: TActor, url: string, overrides: Partial<TWebhookCreateInput> = {}) {
  const type = (overrides.eventTypes?.[0] ?? "alert.active") as TEventTypeKey;
  return createWebhook({
    actor,
    input: { name: `Hook ${Math.random().toString(36).slice(2, 7)}`, eventTypes: [type], targetUrl: url, template: getEventType(type).defaultTemplate, enabled: true, ...overrides },
  });
}
