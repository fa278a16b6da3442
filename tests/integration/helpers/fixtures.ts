/** Organizations, members and API keys for integration tests. */
import crypto from "node:crypto";
import { getDb } from "@/lib/db/client";
import { hashPassword } from "@/lib/crypto/password";
import { generateApiKey } from "@/lib/crypto/tokens";
import type { TActor } from "@/lib/auth/actor";
import type { TRole } from "@/lib/auth/permissions";

let passwordHash: Promise<string> | undefined;

export async function createOrg(name: string) {
  const slug = `${name.toLowerCase().replace(/\W+/g, "-")}-${crypto.randomBytes(3).toString("hex")}`;
  return getDb().organization.create({ data: { name, slug } });
}

export async function createMember(orgId: string, role: TRole, email = `${role.toLowerCase()}-${crypto.randomBytes(4).toString("hex")}@example.test`) {
  passwordHash ??= hashPassword("test-password-123");
  const user = await getDb().user.create({ data: { email, name: `${role} user`, passwordHash: await passwordHash } });
  const membership = await getDb().membership.create({ data: { organizationId: orgId, userId: user.id, role } });
  const actor: TActor & { userId: string } = { organizationId: orgId, role, label: email, userId: user.id };
  return { user, membership, actor };
}

export async function createKey(orgId: string, role: TRole = "ADMIN") {
  const { key, prefix, hash } = generateApiKey();
  const row = await getDb().apiKey.create({ data: { organizationId: orgId, name: "test", prefix, hash, role } });
  return { key, row };
}

/** Two organizations, each with one member of every role and an admin API key. */
export async function createTwoOrgs() {
  const make = async (name: string) => {
    const org = await createOrg(name);
    const admin = await createMember(org.id, "ADMIN");
    const author = await createMember(org.id, "AUTHOR");
    const support = await createMember(org.id, "SUPPORT");
    const apiKey = await createKey(org.id, "ADMIN");
    return { org, admin, author, support, apiKey };
  };
  return { a: await make("Org A"), b: await make("Org B") };
}
