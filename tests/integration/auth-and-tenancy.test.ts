import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import { signInAs } from "./helpers/session";
import { createTestDb, type TTestDb } from "./helpers/db";
import { createKey, createTwoOrgs } from "./helpers/fixtures";
import { authenticateApiKey } from "@/lib/domain/api-keys";
import { callRoute } from "./helpers/http";
import { verifyCredentials } from "@/lib/domain/users";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/actions/api-keys";
import { changeMemberRoleAction, inviteMemberAction, removeMemberAction } from "@/app/actions/members";
import * as resourceRoute from "@/app/api/v1/resources/[kind]/[externalId]/route";
import * as resourcesRoute from "@/app/api/v1/resources/route";
import * as apiKeysRoute from "@/app/api/v1/api-keys/route";
import * as membersRoute from "@/app/api/v1/members/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;

beforeAll(async () => {
  t = await createTestDb();
  orgs = await createTwoOrgs();
});
afterAll(() => t.close());
beforeEach(() => signInAs(null));

describe("sign-in credentials", () => {
  it("accept the right password and refuse a wrong one or an unknown user", async () => {
    const email = orgs.a.admin.user.email;
    expect(await verifyCredentials({ email, password: "test-password-123" })).toMatchObject({ email });
    expect(await verifyCredentials({ email, password: "test-password-124" })).toBeNull();
    expect(await verifyCredentials({ email: "nobody@example.test", password: "test-password-123" })).toBeNull();
  });
});

describe("role guard", () => {
  it("refuses a SUPPORT member an admin-only server action (403) and stores nothing", async () => {
    signInAs(orgs.a.support.actor);
    const before = await t.db.apiKey.count();
    const result = await createApiKeyAction({ name: "sneaky" });
    expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await t.db.apiKey.count()).toBe(before);
    expect(await inviteMemberAction({ email: "x@example.test", role: "ADMIN" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("refuses a SUPPORT-role API key an admin-only route (403)", async () => {
    const { createKey } = await import("./helpers/fixtures");
    const support = await createKey(orgs.a.org.id, "SUPPORT");
    const res = await callRoute(resourceRoute.PUT, { method: "PUT", key: support.key, params: { kind: "alert", externalId: "x" }, body: { name: "X" } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    const read = await callRoute(resourcesRoute.GET, { key: support.key, url: "/api/v1/resources" });
    expect(read.status).toBe(200);
  });

  it("refuses anonymous calls (401) and server actions without a session", async () => {
    expect((await callRoute(resourcesRoute.GET, {})).status).toBe(401);
    expect((await callRoute(resourcesRoute.GET, { key: "hy_not-a-real-key-at-all-000000" })).status).toBe(401);
    expect(await createApiKeyAction({ name: "x" })).toMatchObject({ ok: false, error: { code: "unauthorized" } });
  });

  it("lets an admin act and validates input naming the field", async () => {
    signInAs(orgs.a.admin.actor);
    const bad = await createApiKeyAction({ name: "" });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid", fieldErrors: { name: expect.any(String) } } });
    const good = await createApiKeyAction({ name: "CI" });
    expect(good.ok).toBe(true);
  });
});

describe("tenant isolation", () => {
  it("gives organization B's admin 404 for organization A's resources over the API", async () => {
    const put = await callRoute(resourceRoute.PUT, { method: "PUT", key: orgs.a.apiKey.key, params: { kind: "alert", externalId: "only-in-a" }, body: { name: "A's alert" } });
    expect(put.status).toBe(201);
    const asB = { key: orgs.b.apiKey.key, params: { kind: "alert", externalId: "only-in-a" } };
    expect((await callRoute(resourceRoute.GET, asB)).status).toBe(404);
    expect((await callRoute(resourceRoute.DELETE, { ...asB, method: "DELETE" })).status).toBe(404);
    const listB = await callRoute(resourcesRoute.GET, { key: orgs.b.apiKey.key, url: "/api/v1/resources?kind=alert" });
    expect(listB.body.resources).toEqual([]);
    // A's resource is untouched.
    expect((await callRoute(resourceRoute.GET, { ...asB, key: orgs.a.apiKey.key })).body.resource.name).toBe("A's alert");
    // B's PUT on the same external id creates B's own resource, not a change to A's.
    expect((await callRoute(resourceRoute.PUT, { ...asB, method: "PUT", body: { name: "B's" } })).status).toBe(201);
    expect((await callRoute(resourceRoute.GET, { ...asB, key: orgs.a.apiKey.key })).body.resource.name).toBe("A's alert");
  });

  it("gives organization B's admin not_found for organization A's ids in server actions, changing nothing", async () => {
    signInAs(orgs.b.admin.actor);
    expect(await revokeApiKeyAction({ id: orgs.a.apiKey.row.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await changeMemberRoleAction({ membershipId: orgs.a.support.membership.id, role: "ADMIN" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await removeMemberAction({ membershipId: orgs.a.author.membership.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect((await t.db.apiKey.findUnique({ where: { id: orgs.a.apiKey.row.id } }))?.revokedAt).toBeNull();
    expect((await t.db.membership.findUnique({ where: { id: orgs.a.support.membership.id } }))?.role).toBe("SUPPORT");
    expect(await t.db.membership.findUnique({ where: { id: orgs.a.author.membership.id } })).not.toBeNull();
  });

  it("lists only the caller's organization's members and keys", async () => {
    const members = await callRoute(membersRoute.GET, { key: orgs.b.apiKey.key });
    const emails = members.body.members.map((m: { email: string }) => m.email);
    expect(emails).toContain(orgs.b.admin.user.email);
    expect(emails).not.toContain(orgs.a.admin.user.email);
    const keys = await callRoute(apiKeysRoute.GET, { key: orgs.b.apiKey.key });
    expect(keys.body.apiKeys.map((k: { id: string }) => k.id)).not.toContain(orgs.a.apiKey.row.id);
  });
});

describe("API keys", () => {
  it("work once shown, stop working when revoked, and are never stored in plaintext", async () => {
    signInAs(orgs.a.admin.actor);
    const created = await createApiKeyAction({ name: "Platform" });
    if (!created.ok) throw new Error(created.error.message);
    const key = created.data.key;
    expect((await callRoute(resourcesRoute.GET, { key })).status).toBe(200);

    const row = await t.db.apiKey.findFirstOrThrow({ where: { organizationId: orgs.a.org.id, prefix: created.data.prefix } });
    expect(Object.values(row).map(String).some((v) => v.includes(key) || v.includes(key.slice(12)))).toBe(false);
    const raw = await t.db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "ApiKey"`);
    expect(JSON.stringify(raw)).not.toContain(key.slice(12));

    const keys = await callRoute(apiKeysRoute.GET, { key });
    expect(JSON.stringify(keys.body)).not.toContain(key.slice(12));

    expect(await revokeApiKeyAction({ id: row.id })).toEqual({ ok: true, data: undefined });
    const after = await callRoute(resourcesRoute.GET, { key });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthorized");
  });
});

describe("API key lookups", () => {
  it("are remembered for API_KEY_CACHE_SECONDS: a revocation made by another process takes effect within that time", async () => {
    const { key, row } = await createKey(orgs.b.org.id);
    const t0 = Date.now();
    expect(await authenticateApiKey({ key, now: new Date(t0) })).toMatchObject({ apiKeyId: row.id, organizationId: orgs.b.org.id });
    // Another app process revokes it: this one does not look the key up again for 5 s (the default)…
    await t.db.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    expect(await authenticateApiKey({ key, now: new Date(t0 + 4_000) })).toMatchObject({ apiKeyId: row.id });
    // …and refuses it after that.
    expect(await authenticateApiKey({ key, now: new Date(t0 + 5_001) })).toBeNull();
    expect(await authenticateApiKey({ key, now: new Date(t0 + 5_002) })).toBeNull();
  });

  it("write lastUsedAt at most once a minute, also while remembered", async () => {
    const { key, row } = await createKey(orgs.b.org.id);
    const t0 = Date.now();
    const lastUsed = async () => (await t.db.apiKey.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt?.getTime();
    await authenticateApiKey({ key, now: new Date(t0) });
    expect(await lastUsed()).toBe(t0);
    await authenticateApiKey({ key, now: new Date(t0 + 3_000) });
    expect(await lastUsed()).toBe(t0);
    await authenticateApiKey({ key, now: new Date(t0 + 61_000) });
    expect(await lastUsed()).toBe(t0 + 61_000);
  });
});

describe("members", () => {
  it("keep at least one admin", async () => {
    signInAs(orgs.b.admin.actor);
    const result = await changeMemberRoleAction({ membershipId: orgs.b.admin.membership.id, role: "SUPPORT" });
    expect(result).toMatchObject({ ok: false, error: { code: "conflict" } });
  });

  it("invite with a one-time link that creates the account once", async () => {
    signInAs(orgs.a.admin.actor);
    const invited = await inviteMemberAction({ email: "New.Person@Example.test", role: "AUTHOR" });
    if (!invited.ok) throw new Error(invited.error.message);
    const token = invited.data.link.split("/invite/")[1]!;
    const { acceptInvitation } = await import("@/lib/domain/members");
    await acceptInvitation({ input: { token, name: "New Person", password: "a-long-password" } });
    const m = await t.db.membership.findFirst({ where: { organizationId: orgs.a.org.id, user: { email: "new.person@example.test" } } });
    expect(m?.role).toBe("AUTHOR");
    await expect(acceptInvitation({ input: { token, name: "Again", password: "a-long-password" } })).rejects.toThrow(/invalid, used or expired/);
    expect(await verifyCredentials({ email: "new.person@example.test", password: "a-long-password" })).not.toBeNull();
  });
});
