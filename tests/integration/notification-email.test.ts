import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
const SMTP_PORT = vi.hoisted(() => {
  const port = 30_000 + (process.pid % 20_000);
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.SMTP_FROM = "Hookyard Tests <hooks@acme.test>";
  return port;
});

import { SMTPServer } from "smtp-server";
import { createTestDb, type TTestDb } from "./helpers/db";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { respond, startReceiver, type TReceiver } from "../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { closeHttpAgents } from "@/lib/delivery/http";
import { resetEmailTransport, sendPendingNotificationEmails } from "@/lib/notify/email";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;
let smtp: SMTPServer;
const mails: { to: string; data: string }[] = [];
let refuse = false;

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver(respond(410));
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString()));
      stream.on("end", () => {
        if (refuse) return callback(new Error("mailbox unavailable"));
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), data });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(SMTP_PORT, "127.0.0.1", r));
});
afterAll(async () => {
  resetEmailTransport();
  await new Promise<void>((r) => smtp.close(() => r()));
  await rx.close();
  await closeHttpAgents();
  await t.close();
});

describe("notification e-mail (SMTP_URL set)", () => {
  it("e-mails each admin once when a message fails for good, retrying a refused send", async () => {
    await makeWebhook(orgs.a.admin.actor, rx.url, { name: "ITSM bridge" });
    await ingestEvent({ actor: orgs.a.admin.actor, input: { type: "alert.active", data: { alert_name: "CPU" } } });
    await runDeliveryPass();
    expect(await t.db.notification.count({ where: { emailPending: true } })).toBe(1);

    refuse = true;
    expect(await sendPendingNotificationEmails()).toEqual({ sent: 0, failed: 1 });
    expect((await t.db.notification.findFirstOrThrow({ where: { emailPending: true } })).emailError).toMatch(/mailbox unavailable/);

    refuse = false;
    expect(await sendPendingNotificationEmails()).toEqual({ sent: 1, failed: 0 });
    expect(await sendPendingNotificationEmails()).toEqual({ sent: 0, failed: 0 });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe(orgs.a.admin.user.email);
    expect(mails[0]!.data).toMatch(/Subject: \[Hookyard \| Org A\] Delivery failed: ITSM bridge/);
    expect(mails[0]!.data).toContain("hooks@acme.test");
    expect(await t.db.notification.count({ where: { emailPending: false, emailedAt: { not: null } } })).toBe(1);
  });
});
