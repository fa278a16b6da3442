/**
 * What each role may do. Pure: used by the server guard and by the UI to hide
 * what a role cannot do (the server refuses it anyway).
 */
export type TRole = "ADMIN" | "AUTHOR" | "SUPPORT";
export const ROLES: readonly TRole[] = ["ADMIN", "AUTHOR", "SUPPORT"] as const;

const ALL: readonly TRole[] = ROLES;

export const PERMISSIONS = {
  "webhook:read": ALL,
  "webhook:create": ["ADMIN"],
  /** URL, auth, secrets, delivery settings, resources. */
  "webhook:configure": ["ADMIN"],
  /** The message template (and preview). */
  "webhook:template": ["ADMIN", "AUTHOR"],
  "webhook:toggle": ["ADMIN"],
  "webhook:delete": ["ADMIN"],
  "webhook:test": ["ADMIN", "AUTHOR"],
  "secret:reveal": ["ADMIN"],
  "message:read": ALL,
  "message:retry": ["ADMIN", "SUPPORT"],
  "event:ingest": ["ADMIN"],
  "resource:read": ALL,
  "resource:write": ["ADMIN"],
  "member:read": ALL,
  "member:manage": ["ADMIN"],
  "apikey:manage": ["ADMIN"],
  "audit:read": ["ADMIN"],
} as const satisfies Record<string, readonly TRole[]>;

export type TPermission = keyof typeof PERMISSIONS;

export function can(role: TRole, permission: TPermission): boolean {
  return (PERMISSIONS[permission] as readonly TRole[]).includes(role);
}

export const ROLE_LABELS: Record<TRole, string> = {
  ADMIN: "Admin",
  AUTHOR: "Template author",
  SUPPORT: "Support",
};
