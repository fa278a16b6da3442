/**
 * Who is acting: a signed-in member or an organization API key. Every domain
 * function takes one and scopes its queries by `actor.organizationId`.
 */
import { Forbidden } from "@/lib/errors";
import { can, type TPermission, type TRole } from "./permissions";

export type TActor = {
  organizationId: string;
  role: TRole;
  /** Shown in audit entries: the user's email or "API key hy_abc…". */
  label: string;
  userId?: string;
  apiKeyId?: string;
};

export function requirePermission(actor: TActor, permission: TPermission): void {
  if (!can(actor.role, permission)) throw new Forbidden(`Your role (${actor.role.toLowerCase()}) does not allow ${permission}.`);
}
