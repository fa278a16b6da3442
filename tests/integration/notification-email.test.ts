import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
// The SMTP server listens before any module reads the environment (once): on a port the system
// gives it, not a guessed one (a fixed port from the pid collided with another process's in CI).
const smtp = await vi.hoisted(async () => {
  const { SMTPServer } = await import("smtp-server");
  const state = { refuse: false, mails: [] as { to: string; data: string }[] };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString()));
      stream.on("end", () => {
        if (state.refuse) return callback(new Error("mailbox unavailable"));
        state.mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), data });
        callback();
      });
    },
  });
  const listening = server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => listening.once("listening", resolve).once("error", reject));
  const { port } = listening.address() as import("node:net").AddressInfo;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.SMTP_FROM = "Hookyard Tests <hooks@acme.test>";
  return { server, state };
});

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
const mails = smtp.state.mails;

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver(respond(410));
});
afterAll(async () => {
  resetEmailTransport();
  await new Promise<void>((r) => smtp.server.close(() => r()));
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

    smtp.state.refuse = true;
    expect(await sendPendingNotificationEmails()).toEqual({ sent: 0, failed: 1 });
    expect((await t.db.notification.findFirstOrThrow({ where: { emailPending: true } })).emailError).toMatch(/mailbox unavailable/);

    smtp.state.refuse = false;
    expect(await sendPendingNotificationEmails()).toEqual({ sent: 1, failed: 0 });
    expect(await sendPendingNotificationEmails()).toEqual({ sent: 0, failed: 0 });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe(orgs.a.admin.user.email);
    expect(mails[0]!.data).toMatch(/Subject: \[Hookyard \| Org A\] Delivery failed: ITSM bridge/);
    expect(mails[0]!.data).toContain("hooks@acme.test");
    expect(await t.db.notification.count({ where: { emailPending: false, emailedAt: { not: null } } })).toBe(1);
  });
});
