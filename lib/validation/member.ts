import { z } from "zod";

export const ZRole = z.enum(["ADMIN", "AUTHOR", "SUPPORT"], { message: "Choose a role: Admin, Template author or Support" });

export const ZInviteMember = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(254),
  role: ZRole,
});
export type TInviteMember = z.infer<typeof ZInviteMember>;

export const ZChangeRole = z.object({ membershipId: z.string().uuid("Unknown member"), role: ZRole });
export const ZRemoveMember = z.object({ membershipId: z.string().uuid("Unknown member") });
