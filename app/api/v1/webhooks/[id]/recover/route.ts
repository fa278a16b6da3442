import { apiRoute, parseOrThrow, readJson } from "@/lib/http/api";
import { recoverFailedMessages } from "@/lib/domain/deliveries";
import { ZRecover } from "@/lib/validation/webhook";

export const POST = apiRoute<{ id: string }>(async ({ req, actor, params }) => {
  const { since } = parseOrThrow(ZRecover, await readJson(req), "Body");
  return recoverFailedMessages({ actor, id: params.id, since });
});
