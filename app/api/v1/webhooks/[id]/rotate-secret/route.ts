import { apiRoute, parseOrThrow, readJson } from "@/lib/http/api";
import { rotateSigningSecret } from "@/lib/domain/webhooks";
import { ZRotateSecret } from "@/lib/validation/webhook";

export const POST = apiRoute<{ id: string }>(async ({ req, actor, params }) => {
  const { graceHours } = parseOrThrow(ZRotateSecret, await readJson(req), "Body");
  return rotateSigningSecret({ actor, id: params.id, graceMs: graceHours * 3_600_000 });
});
