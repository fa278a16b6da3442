/**
 * The frame most integration suites share: a fresh database (PGlite or
 * PostgreSQL by TEST_DB), two organizations with a member of every role, a
 * local receiver, and private addresses allowed (the receiver is on loopback).
 */
import { createTestDb, type TTestDb } from "./db";
import { createTwoOrgs } from "./fixtures";
import { respond, startReceiver, type TReceiver } from "../../helpers/receiver";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { closeHttpAgents } from "@/lib/delivery/http";

export type TDeliveryFixture = { t: TTestDb; orgs: Awaited<ReturnType<typeof createTwoOrgs>>; rx: TReceiver };

export async function openDeliveryFixture(): Promise<TDeliveryFixture> {
  setDeliveryAllowPrivate(true);
  const t = await createTestDb();
  const orgs = await createTwoOrgs();
  const rx = await startReceiver();
  return { t, orgs, rx };
}

export async function closeDeliveryFixture(f: Pick<TDeliveryFixture, "t" | "rx">): Promise<void> {
  await f.rx.close();
  await closeHttpAgents();
  await f.t.close();
  setDeliveryAllowPrivate(undefined);
}

/**
 * Between cases: the receiver answers 200 again with nothing received, and
 * every webhook is disabled so later cases' events reach only their own.
 * `forgetDisabled` also clears disabledAt, so earlier webhooks do not even
 * get SKIPPED messages.
 */
export async function resetDeliveryFixture(f: Pick<TDeliveryFixture, "t" | "rx">, opts: { forgetDisabled?: boolean } = {}): Promise<void> {
  f.rx.setHandler(respond(200));
  f.rx.received.length = 0;
  await f.t.db.webhook.updateMany({ data: { enabled: false, ...(opts.forgetDisabled ? { disabledAt: null } : {}) } });
}
