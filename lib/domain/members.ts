import { getDb } from "@/lib/db/client";
import { requirePermission, type TActor } from "@/lib/auth/actor";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { generateToken, hashToken } from "@/lib/crypto/tokens";
import { hashPassword } from "@/lib/crypto/password";
import type { TRole } from "@/lib/auth/permissions";
import { ZAcceptInvitation, type TAcceptInvitation } from "@/lib/validation/auth";
import { ZInviteMember, type TInviteMember } from "@/lib/validation/member";
import { recordAudit } from "./audit";

const INVITATION_DAYS = 7;

export type TMemberView = { membershipId: string; userId: string; email: string; name: string; role: TRole; createdAt: Date };
export type TInvitationView = { id: string; email: string; role: TRole; expiresAt: Date; createdAt: Date };

export async function listMembers(opts: { actor: TActor }): Promise<{ members: TMemberView[]; invitations: TInvitationView[] }> {
  requirePermission(opts.actor, "member:read");
  const orgId = opts.actor.organizationId;
  const [rows, invitations] = await Promise.all([
    getDb().membership.findMany({ where: { organizationId: orgId }, include: { user: true }, orderBy: { createdAt: "asc" } }),
    opts.actor.role === "ADMIN"
      ? getDb().invitation.findMany({
          where: { organizationId: orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
          select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
          orderBy: { createdAt: "desc" },
        })
      : Promise.resolve([]),
  ]);
  return {
    members: rows.map((m) => ({ membershipId: m.id, userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, createdAt: m.createdAt })),
    invitations,
  };
}

/** Creates a one-time invitation; the token is returned once (the link), only its hash is kept. */
export async function inviteMember(opts: { actor: TActor; input: TInviteMember }): Promise<{ token: string; invitation: TInvitationView }> {
  requirePermission(opts.actor, "member:manage");
  const input = ZInviteMember.parse(opts.input);
  const orgId = opts.actor.organizationId;
  const already = await getDb().membership.findFirst({ where: { organizationId: orgId, user: { email: input.email } } });
  if (already) throw new Conflict(`${input.email} is already a member of this organization.`);
  const token = generateToken(32);
  const invitation = await getDb().$transaction(async (tx) => {
    const row = await tx.invitation.create({
      data: {
        organizationId: orgId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        createdById: opts.actor.userId ?? null,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    });
    await recordAudit({ tx, actor: opts.actor, action: "member.invited", targetType: "Invitation", targetId: row.id, changes: { email: input.email, role: input.role } });
    return row;
  });
  return { token, invitation };
}

export async function revokeInvitation(opts: { actor: TActor; id: string }): Promise<void> {
  requirePermission(opts.actor, "member:manage");
  const { count } = await getDb().invitation.updateMany({
    where: { id: opts.id, organizationId: opts.actor.organizationId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new NotFound("Invitation");
}

/** What the invitation page shows before accepting (no secrets). */
export async function findInvitation(opts: { token: string }) {
  const row = await getDb().invitation.findUnique({
    where: { tokenHash: hashToken(opts.token) },
    include: { organization: { select: { name: true } } },
  });
  if (!row || row.acceptedAt || row.revokedAt || row.expiresAt < new Date()) return null;
  const existingUser = await getDb().user.findUnique({ where: { email: row.email }, select: { id: true } });
  return { email: row.email, role: row.role, organizationName: row.organization.name, existingUser: Boolean(existingUser) };
}

/**
 * Accepts an invitation: a new user sets name and password; an existing user
 * (same e-mail) simply gains the membership and signs in as before.
 */
export async function acceptInvitation(opts: { input: TAcceptInvitation | { token: string } }): Promise<{ email: string; organizationId: string }> {
  const token = opts.input.token;
  return getDb().$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt < new Date()) {
      throw new Invalid("This invitation link is invalid, used or expired. Ask an admin for a new one.", [{ path: "token", message: "Invalid or expired invitation" }]);
    }
    let user = await tx.user.findUnique({ where: { email: inv.email } });
    if (!user) {
      const input = ZAcceptInvitation.parse(opts.input);
      user = await tx.user.create({ data: { email: inv.email, name: input.name, passwordHash: await hashPassword(input.password) } });
    }
    const claimed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count === 0) throw new Conflict("This invitation was just used.");
    await tx.membership.upsert({
      where: { organizationId_userId: { organizationId: inv.organizationId, userId: user.id } },
      create: { organizationId: inv.organizationId, userId: user.id, role: inv.role },
      update: {},
    });
    await recordAudit({
      tx,
      actor: { organizationId: inv.organizationId, role: inv.role, label: user.email, userId: user.id },
      action: "member.joined",
      targetType: "User",
      targetId: user.id,
      changes: { role: inv.role },
    });
    return { email: user.email, organizationId: inv.organizationId };
  });
}

async function assertNotLastAdmin(orgId: string, membershipId: string): Promise<void> {
  const admins = await getDb().membership.findMany({ where: { organizationId: orgId, role: "ADMIN" }, select: { id: true } });
  if (admins.length === 1 && admins[0]?.id === membershipId) {
    throw new Conflict("An organization needs at least one admin: make someone else admin first.");
  }
}

export async function changeMemberRole(opts: { actor: TActor; membershipId: string; role: TRole }): Promise<void> {
  requirePermission(opts.actor, "member:manage");
  const orgId = opts.actor.organizationId;
  const m = await getDb().membership.findFirst({ where: { id: opts.membershipId, organizationId: orgId } });
  if (!m) throw new NotFound("Member");
  if (m.role === "ADMIN" && opts.role !== "ADMIN") await assertNotLastAdmin(orgId, m.id);
  await getDb().$transaction(async (tx) => {
    await tx.membership.update({ where: { id: m.id }, data: { role: opts.role } });
    await recordAudit({ tx, actor: opts.actor, action: "member.role_changed", targetType: "User", targetId: m.userId, changes: { role: { before: m.role, after: opts.role } } });
  });
}

export async function removeMember(opts: { actor: TActor; membershipId: string }): Promise<void> {
  requirePermission(opts.actor, "member:manage");
  const orgId = opts.actor.organizationId;
  const m = await getDb().membership.findFirst({ where: { id: opts.membershipId, organizationId: orgId } });
  if (!m) throw new NotFound("Member");
  if (m.role === "ADMIN") await assertNotLastAdmin(orgId, m.id);
  await getDb().$transaction(async (tx) => {
    await tx.membership.delete({ where: { id: m.id } });
    await recordAudit({ tx, actor: opts.actor, action: "member.removed", targetType: "User", targetId: m.userId });
  });
}
