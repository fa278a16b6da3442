"use server";
import { runAction } from "@/lib/http/action";
import { ZChangeRole, ZInviteMember, ZRemoveMember } from "@/lib/validation/member";
import { changeMemberRole, inviteMember, removeMember, revokeInvitation } from "@/lib/domain/members";
import { getEnv } from "@/lib/env";
import { z } from "zod";

export async function inviteMemberAction(input: unknown) {
  return runAction(ZInviteMember, input, async ({ actor, input }) => {
    const { token, invitation } = await inviteMember({ actor, input });
    return { link: `${getEnv().appUrl}/invite/${token}`, email: invitation.email, role: invitation.role };
  });
}

export async function changeMemberRoleAction(input: unknown) {
  return runAction(ZChangeRole, input, ({ actor, input }) => changeMemberRole({ actor, ...input }));
}

export async function removeMemberAction(input: unknown) {
  return runAction(ZRemoveMember, input, ({ actor, input }) => removeMember({ actor, ...input }));
}

export async function revokeInvitationAction(input: unknown) {
  return runAction(z.object({ id: z.string().uuid("Unknown invitation") }), input, ({ actor, input }) => revokeInvitation({ actor, id: input.id }));
}
