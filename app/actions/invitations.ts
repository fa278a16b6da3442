"use server";
import { acceptInvitation } from "@/lib/domain/members";
import { assertTrustedOrigin } from "@/lib/auth/session";
import { ZAcceptInvitation } from "@/lib/validation/auth";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { TActionResult } from "@/lib/http/action";

/** Public (no session): the token itself is the credential. */
export async function acceptInvitationAction(input: unknown): Promise<TActionResult<{ email: string }>> {
  const raw = (input ?? {}) as Record<string, unknown>;
  try {
    await assertTrustedOrigin();
    const parsed = raw.password === undefined ? { token: String(raw.token ?? "") } : ZAcceptInvitation.parse(raw);
    const result = await acceptInvitation({ input: parsed });
    return { ok: true, data: { email: result.email } };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } };
    if (error instanceof Error && error.name === "ZodError") return { ok: false, error: { code: "invalid", message: "Please correct the highlighted fields." } };
    logger.error({ err: error }, "accept invitation failed");
    return { ok: false, error: { code: "internal", message: "Something went wrong on our side." } };
  }
}
