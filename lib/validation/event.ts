import { z } from "zod";
import { ZEventTypeKey } from "@/lib/catalog";

export const MAX_EVENT_BYTES = 256 * 1024;
export const MAX_WORKSPACES = 1000;

/** Body of POST /api/v1/events. Variable values are checked per type by the catalog's values schema. */
export const ZEventIngest = z.strictObject({
  id: z.string().trim().min(1, "id must not be empty").max(200, "id must be at most 200 characters").optional(),
  type: ZEventTypeKey,
  resource: z.string().min(1, "resource must not be empty").max(200, "resource must be at most 200 characters").optional(),
  occurredAt: z.iso.datetime({ offset: true, error: "occurredAt must be an ISO 8601 date-time, e.g. 2026-03-14T09:20:00Z" }).optional(),
  data: z.record(z.string(), z.unknown(), { error: "data must be an object of variable values" }).default({}),
  workspaces: z.array(z.record(z.string(), z.unknown()), { error: "workspaces must be an array of objects" }).max(MAX_WORKSPACES, `At most ${MAX_WORKSPACES} workspaces`).optional(),
  causationDepth: z.number().int().min(0).max(1000).optional(),
});
export type TEventIngest = z.output<typeof ZEventIngest>;
