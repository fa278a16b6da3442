import { z } from "zod";
import { ZRole } from "./member";

export const ZCreateApiKey = z.object({
  name: z.string().trim().min(1, "Name the key (what will use it?)").max(100, "Name must be at most 100 characters"),
  role: ZRole.default("ADMIN"),
});
export type TCreateApiKey = z.input<typeof ZCreateApiKey>;

export const ZRevokeApiKey = z.object({ id: z.string().uuid("Unknown API key") });
