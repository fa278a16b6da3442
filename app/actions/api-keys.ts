"use server";
import { runAction } from "@/lib/http/action";
import { ZCreateApiKey, ZRevokeApiKey } from "@/lib/validation/api-key";
import { createApiKey, revokeApiKey } from "@/lib/domain/api-keys";

export async function createApiKeyAction(input: unknown) {
  return runAction(ZCreateApiKey, input, async ({ actor, input }) => {
    const { key, apiKey } = await createApiKey({ actor, input });
    return { key, prefix: apiKey.prefix, name: apiKey.name };
  });
}

export async function revokeApiKeyAction(input: unknown) {
  return runAction(ZRevokeApiKey, input, ({ actor, input }) => revokeApiKey({ actor, id: input.id }));
}
