import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
vi.hoisted(() => {
  process.env.CRON_SECRET = "cron-secret-for-tests-0123456789";
});
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import { NextRequest } from "next/server";
import type { TTestDb } from "./helpers/db";
import { closeDeliveryFixture, openDeliveryFixture } from "./helpers/delivery-fixture";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import type { TReceiver } from "../helpers/receiver";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { setKeyring } from "@/lib/crypto/keyring";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/secrets";
import { GET as cronGET } from "@/app/api/cron/deliver/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;

beforeAll(async () => {
  ({ t, orgs, rx } = await openDeliveryFixture());
});
afterAll(() => closeDeliveryFixture({ t, rx }));

const cron = (auth?: string) => cronGET(new NextRequest("http://localhost/api/cron/deliver", { headers: auth ? { authorization: auth } : {} }));

describe("cron delivery route", () => {
  it("refuses a missing or wrong secret and sends nothing", async () => {
    await makeWebhook(orgs.a.admin.actor, rx.url);
    await ingestEvent({ actor: orgs.a.admin.actor, input: { type: "alert.active", data: { alert_name: "x" } } });
    for (const auth of [undefined, "Bearer wrong", "Bearer cron-secret-for-tests-012345678", "cron-secret-for-tests-0123456789"]) {
      const res = await cron(auth);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
    expect(rx.received).toHaveLength(0);
  });

  it("runs one bounded pass with the right secret", async () => {
    const res = await cron("Bearer cron-secret-for-tests-0123456789");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      claimed: 1,
      succeeded: 1,
      purged: { attempts: 0, messages: 0 },
      // The embedded database is vacuumed here too when no loop runs; a PostgreSQL server vacuums itself.
      embeddedVacuum: t.target.kind === "pglite" ? { vacuumed: expect.any(Array), analyzed: expect.any(Array) } : null,
    });
    expect(rx.received).toHaveLength(1);
  });
});

describe("secrets that cannot be decrypted", () => {
  it("give a failed attempt with a clear error on the normal schedule, never a stuck message", async () => {
    const { webhook } = await makeWebhook(orgs.b.admin.actor, rx.url);
    await ingestEvent({ actor: orgs.b.admin.actor, input: { type: "alert.active", data: { alert_name: "x" } } });
    setKeyring(parseKeyring(generateKeySpec("other")));
    const s = await runDeliveryPass();
    expect(s).toMatchObject({ claimed: 1, retrying: 1, errors: 0 });
    const m = await t.db.message.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(m).toMatchObject({ status: "PENDING", attemptCount: 1 });
    expect(m.lastError).toMatch(/cannot be decrypted/);
  });
});
