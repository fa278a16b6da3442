import { z } from "zod";
import { apiRoute, parseOrThrow, readJson } from "@/lib/http/api";
import { rotateSigningSecret } from "@/lib/domain/webhooks";

const ZRotate = z.strictObject({ graceHours: z.number().min(0, "graceHours must be 0 to 720").max(720, "graceHours must be 0 to 720").default(24) });

export const POST = apiRoute<{ id: string }>(async ({ req, actor, params }) => {
  const { graceHours } = parseOrThrow(ZRotate, await readJson(req), "Body");
  return rotateSigningSecret({ actor, id: params.id, graceMs: graceHours * 3_600_000 });
});
