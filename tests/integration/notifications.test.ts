import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import { signInAs } from "./helpers/session";
import { createTestDb, type TTestDb } from "./helpers/db";
import { createTwoOrgs } from "./helpers/fixtures";
import { callRoute } from "./helpers/http";
import { markNotificationsReadAction } from "@/app/actions/notifications";
import { listNotifications } from "@/lib/domain/notifications";
import * as route from "@/app/api/v1/notifications/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;

beforeAll(async () => {
  t = await createTestDb();
  orgs = await createTwoOrgs();
  const base = { kind: "message.failed", title: "Delivery failed: X", body: "…", link: "/webhooks/x" };
  await t.db.notification.createMany({ data: [
    { ...base, organizationId: orgs.a.org.id, userId: orgs.a.admin.user.id },
    { ...base, organizationId: orgs.a.org.id, userId: orgs.a.admin.user.id },
    { ...base, organizationId: orgs.b.org.id, userId: orgs.b.admin.user.id },
  ] });
});
afterAll(() => t.close());

describe("notifications (the bell)", () => {
  it("are the member's own, with an unread count, and can be marked read", async () => {
    expect((await listNotifications({ actor: orgs.a.admin.actor })).unread).toBe(2);
    expect((await listNotifications({ actor: orgs.a.support.actor })).unread).toBe(0);
    signInAs(orgs.b.admin.actor);
    expect(await markNotificationsReadAction({})).toEqual({ ok: true, data: { updated: 1 } });
    expect((await listNotifications({ actor: orgs.a.admin.actor })).unread).toBe(2);
    signInAs(orgs.a.admin.actor);
    const [first] = (await listNotifications({ actor: orgs.a.admin.actor })).items;
    expect(await markNotificationsReadAction({ ids: [first!.id] })).toEqual({ ok: true, data: { updated: 1 } });
    expect((await listNotifications({ actor: orgs.a.admin.actor })).unread).toBe(1);
  });

  it("are refused to API keys with a clear message", async () => {
    const res = await callRoute(route.GET, { key: orgs.a.apiKey.key });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/signed-in members/);
  });
});
