import { apiRoute, parseOrThrow, readJson } from "@/lib/http/api";
import { testWebhook } from "@/lib/domain/deliveries";
import { ZTestWebhook } from "@/lib/validation/webhook";

export const POST = apiRoute<{ id: string }>(async ({ req, actor, params }) => {
  const { mode } = parseOrThrow(ZTestWebhook, await readJson(req), "Body");
  return { result: await testWebhook({ actor, id: params.id, mode }) };
});
