"use server";
/**
 * Server actions of the webhook UI. Each validates with the shared schemas
 * (inside the domain functions) and calls the same domain functions as the
 * REST API.
 */
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { createWebhook, deleteWebhook, findOverlappingWebhooks, revealSigningSecret, rotateSigningSecret, setWebhookEnabled, updateWebhook } from "@/lib/domain/webhooks";
import { recoverFailedMessages, retryMessage, testWebhook } from "@/lib/domain/deliveries";
import { ZRecover, ZTestWebhook } from "@/lib/validation/webhook";
import { checkTargetUrl } from "@/lib/delivery/url-policy";
import { deliveryAllowPrivate } from "@/lib/delivery/config";

const ZId = z.object({ id: z.string().min(1, "Unknown webhook") });
const ZAny = z.unknown();

export async function createWebhookAction(input: unknown) {
  return runAction(ZAny, input, async ({ actor, input }) => {
    const { webhook, signingSecret } = await createWebhook({ actor, input });
    revalidatePath("/webhooks");
    return { id: webhook.id, signingSecret };
  });
}

export async function updateWebhookAction(id: string, input: unknown) {
  return runAction(ZAny, input, async ({ actor, input }) => {
    const webhook = await updateWebhook({ actor, id, input });
    revalidatePath(`/webhooks/${id}`);
    return { id: webhook.id };
  });
}

export async function setWebhookEnabledAction(input: unknown) {
  return runAction(ZId.extend({ enabled: z.boolean() }), input, async ({ actor, input }) => {
    const webhook = await setWebhookEnabled({ actor, id: input.id, enabled: input.enabled });
    revalidatePath(`/webhooks/${input.id}`);
    return { enabled: webhook.enabled };
  });
}

export async function deleteWebhookAction(input: unknown) {
  return runAction(ZId, input, async ({ actor, input }) => {
    await deleteWebhook({ actor, id: input.id });
    revalidatePath("/webhooks");
    return { deleted: true };
  });
}

export async function testWebhookAction(input: unknown) {
  return runAction(ZId.extend(ZTestWebhook.shape), input, ({ actor, input }) => testWebhook({ actor, id: input.id, mode: input.mode }));
}

export async function retryMessageAction(input: unknown) {
  return runAction(z.object({ messageId: z.string().min(1, "Unknown message") }), input, ({ actor, input }) => retryMessage({ actor, id: input.messageId }));
}

export async function recoverFailedAction(input: unknown) {
  return runAction(ZId.extend(ZRecover.shape), input, ({ actor, input }) => recoverFailedMessages({ actor, id: input.id, since: input.since }));
}

export async function rotateSigningSecretAction(input: unknown) {
  return runAction(ZId, input, ({ actor, input }) => rotateSigningSecret({ actor, id: input.id }));
}

export async function revealSigningSecretAction(input: unknown) {
  return runAction(ZId, input, ({ actor, input }) => revealSigningSecret({ actor, id: input.id }));
}

export async function checkOverlapAction(input: unknown) {
  return runAction(
    z.object({ eventTypes: z.array(z.string()), targetUrl: z.string(), allResources: z.boolean(), resources: z.array(z.string()), excludeId: z.string().optional() }),
    input,
    ({ actor, input }) => findOverlappingWebhooks({ actor, ...input }),
  );
}

/**
 * The target URL against this installation's address policy (private and
 * loopback targets, cloud metadata…), so the wizard can refuse it with the
 * reason before the last step. The save checks it again.
 */
export async function checkTargetUrlAction(input: unknown) {
  return runAction(z.object({ url: z.string().max(4096) }), input, async ({ input }) => {
    const check = checkTargetUrl(input.url.trim(), { allowPrivate: deliveryAllowPrivate() });
    return check.ok ? { allowed: true as const, reason: null } : { allowed: false as const, reason: check.reason };
  });
}
