import { z } from "zod";
import { requiredString } from "./common";

export const RESOURCE_KINDS = ["alert", "microservice", "entity_type", "operation", "board"] as const;
export const ZResourceKind = z.enum(RESOURCE_KINDS, {
  message: `kind must be one of: ${RESOURCE_KINDS.join(", ")}`,
});
export type TResourceKind = z.infer<typeof ZResourceKind>;

export const ZResourceExternalId = z
  .string()
  .min(1, "externalId must not be empty")
  .max(200, "externalId must be at most 200 characters");

export const ZUpsertResourceBody = z.strictObject({
  name: requiredString("name", { max: 200 }),
});

export const ZResourceQuery = z.strictObject({
  kind: ZResourceKind.optional(),
  q: z.string().max(200).optional(),
});
