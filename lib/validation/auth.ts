import { z } from "zod";

export const ZSignIn = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password").max(200, "Password is too long"),
});
export type TSignIn = z.infer<typeof ZSignIn>;

export const ZPassword = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(200, "Password must be at most 200 characters");

export const ZAcceptInvitation = z.object({
  token: z.string().min(20, "Invitation link is incomplete").max(200),
  name: z.string().trim().min(1, "Enter your name").max(100, "Name must be at most 100 characters"),
  password: ZPassword,
});
export type TAcceptInvitation = z.infer<typeof ZAcceptInvitation>;

export const ZSwitchOrganization = z.object({ organizationId: z.string().uuid("Unknown organization") });
