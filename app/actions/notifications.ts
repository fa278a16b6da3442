"use server";
import { z } from "zod";
import { runAction } from "@/lib/http/action";
import { markNotificationsRead } from "@/lib/domain/notifications";

export async function markNotificationsReadAction(input: unknown) {
  return runAction(z.object({ ids: z.array(z.string().uuid()).max(100).optional() }), input, ({ actor, input }) => markNotificationsRead({ actor, ids: input.ids }));
}
