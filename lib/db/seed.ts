/**
 * Demo data, idempotent: organization "Acme MSP" with an admin, a template
 * author and a support user, realistic resources of every kind, and an API
 * key. Passwords and the key come from the environment or are generated on
 * first run and returned once for printing; nothing fixed lives in the code.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TEnv } from "@/lib/env";
import { hashPassword } from "@/lib/crypto/password";
import { apiKeyParts, generateApiKey, generatePassword } from "@/lib/crypto/tokens";
import type { TRole } from "@/lib/auth/permissions";
import type { TResourceKind } from "@/lib/validation/resource";

export const DEMO_RESOURCES: Record<TResourceKind, [externalId: string, name: string][]> = {
  alert: [
    ["alert-cpu-90", "CPU above 90%"],
    ["alert-disk-low", "Free disk space below 10%"],
    ["alert-mem-95", "Memory usage above 95%"],
    ["alert-av-off", "Antivirus disabled"],
    ["alert-offline-24h", "Device offline for 24 hours"],
    ["alert-backup-failed", "Backup job failed"],
  ],
  microservice: [
    ["ms-clear-temp", "Clear temp files"],
    ["ms-restart-spooler", "Restart print spooler"],
    ["ms-update-chrome", "Update Google Chrome"],
    ["ms-collect-logs", "Collect event logs"],
    ["ms-flush-dns", "Flush DNS cache"],
  ],
  entity_type: [
    ["Workspace", "Workspace"],
    ["Reporting group", "Reporting group"],
    ["Webhook", "Webhook"],
    ["Custom field", "Custom field"],
    ["Monitor", "Monitor"],
    ["User", "User"],
  ],
  operation: [
    ["op-restart", "Restart"],
    ["op-power-off", "Power off"],
    ["op-lock", "Lock session"],
    ["op-wol", "Wake on LAN"],
    ["op-run-script", "Run script"],
  ],
  board: [
    ["board-service-desk", "Service Desk"],
    ["board-projects", "Projects"],
    ["board-onboarding", "Onboarding"],
  ],
};

export type TSeedCredentials = { email: string; role: TRole; password: string }[];
export type TSeedResult = { organizationId: string; created: TSeedCredentials; apiKey: string | null };

export async function seedDemoData(opts: { db: PrismaClient; env: TEnv }): Promise<TSeedResult> {
  const { db, env } = opts;
  const slug = env.SEED_ORG_NAME.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  const org = await db.organization.upsert({ where: { slug }, create: { name: env.SEED_ORG_NAME, slug }, update: {} });

  const people: { email: string; name: string; role: TRole; password?: string }[] = [
    { email: env.SEED_ADMIN_EMAIL, name: "Ada Admin", role: "ADMIN", password: env.SEED_ADMIN_PASSWORD },
    { email: env.SEED_AUTHOR_EMAIL, name: "Tom Template", role: "AUTHOR", password: env.SEED_AUTHOR_PASSWORD },
    { email: env.SEED_SUPPORT_EMAIL, name: "Sam Support", role: "SUPPORT", password: env.SEED_SUPPORT_PASSWORD },
  ];
  const created: TSeedCredentials = [];
  for (const person of people) {
    const email = person.email.toLowerCase();
    let user = await db.user.findUnique({ where: { email } });
    if (!user) {
      const password = person.password ?? generatePassword();
      user = await db.user.create({ data: { email, name: person.name, passwordHash: await hashPassword(password) } });
      created.push({ email, role: person.role, password });
    }
    await db.membership.upsert({
      where: { organizationId_userId: { organizationId: org.id, userId: user.id } },
      create: { organizationId: org.id, userId: user.id, role: person.role },
      update: {},
    });
  }

  for (const [kind, list] of Object.entries(DEMO_RESOURCES) as [TResourceKind, [string, string][]][]) {
    for (const [externalId, name] of list) {
      await db.resource.upsert({
        where: { organizationId_kind_externalId: { organizationId: org.id, kind, externalId } },
        create: { organizationId: org.id, kind, externalId, name },
        update: {},
      });
    }
  }

  let apiKey: string | null = null;
  const wanted = env.SEED_API_KEY ? { key: env.SEED_API_KEY, ...apiKeyParts(env.SEED_API_KEY) } : null;
  const anyKey = await db.apiKey.findFirst({ where: { organizationId: org.id, name: "Demo platform" } });
  if (wanted && !(await db.apiKey.findUnique({ where: { hash: wanted.hash } }))) {
    await db.apiKey.create({ data: { organizationId: org.id, name: "Demo platform (from SEED_API_KEY)", prefix: wanted.prefix, hash: wanted.hash } });
    apiKey = wanted.key;
  } else if (!wanted && !anyKey) {
    const generated = generateApiKey();
    await db.apiKey.create({ data: { organizationId: org.id, name: "Demo platform", prefix: generated.prefix, hash: generated.hash } });
    apiKey = generated.key;
  }
  return { organizationId: org.id, created, apiKey };
}
