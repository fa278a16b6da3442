/**
 * The thread adapter (lib/db/thread-adapter.ts): a Prisma client whose
 * database is served at the other end of a message channel, as the server
 * reaches the embedded database in its database thread. Here both ends are
 * one MessageChannel, so every call and answer goes through the same
 * structured clone as between threads, against the real database of the
 * pass (PGlite, and PostgreSQL through pg).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { PrismaClient, Prisma } from "@/lib/generated/prisma/client";
import { createThreadAdapter, serveThreadAdapter, type TMessageChannel } from "@/lib/db/thread-adapter";
import { createTestDb, type TTestDb } from "./helpers/db";

let t: TTestDb;
let remote: ReturnType<typeof createThreadAdapter>;
let client: PrismaClient;
const channels: MessageChannel[] = [];

const channelOf = (port: MessagePort): TMessageChannel => ({ post: (m) => port.postMessage(m), onMessage: (listener) => port.on("message", listener) });

/** A served pair: the database side on port1, the caller's adapter on port2. */
async function servedPair() {
  const channel = new MessageChannel();
  channels.push(channel);
  serveThreadAdapter({
    channel: channelOf(channel.port1),
    adapter: await t.handle.factory.connect(),
    sql: t.handle.embeddedSql ?? { query: () => Promise.reject(new Error("PostgreSQL has no embedded SQL")), exec: () => Promise.reject(new Error("no")) },
  });
  return createThreadAdapter(channelOf(channel.port2));
}

beforeAll(async () => {
  t = await createTestDb();
  remote = await servedPair();
  client = new PrismaClient({ adapter: remote.factory });
});
afterAll(async () => {
  await client?.$disconnect();
  for (const c of channels) {
    c.port1.close();
    c.port2.close();
  }
  await t?.close();
});

describe("a Prisma client through the thread adapter", () => {
  it("writes and reads the same database as a client in process, with the same types", async () => {
    const created = await client.organization.create({ data: { name: "Thread Org", slug: "thread-org" } });
    const direct = await t.db.organization.findUniqueOrThrow({ where: { slug: "thread-org" } });
    expect(direct).toEqual(created);
    expect(created.createdAt).toBeInstanceOf(Date);
    const rows = await client.$queryRaw<{ n: bigint; now: Date; slug: string }[]>`SELECT count(*) AS n, now() AS now, ${"x"}::text AS slug FROM "Organization"`;
    expect(rows).toEqual([{ n: 1n, now: expect.any(Date), slug: "x" }]);
    expect(await client.$executeRaw`UPDATE "Organization" SET "name" = 'Renamed' WHERE "slug" = 'thread-org'`).toBe(1);
    expect((await t.db.organization.findUniqueOrThrow({ where: { slug: "thread-org" } })).name).toBe("Renamed");
  });

  it("reports a unique violation as Prisma does in process (P2002 naming the field)", async () => {
    await client.organization.create({ data: { name: "One", slug: "taken" } });
    const error = await client.organization.create({ data: { name: "Two", slug: "taken" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
    expect(JSON.stringify((error as Prisma.PrismaClientKnownRequestError).meta)).toContain("slug");
    expect(await t.db.organization.count({ where: { slug: "taken" } })).toBe(1);
  });

  it("commits an interactive transaction whole, and a failing one leaves nothing", async () => {
    await client.$transaction(async (tx) => {
      await tx.organization.create({ data: { name: "A", slug: "tx-a" } });
      await tx.organization.create({ data: { name: "B", slug: "tx-b" } });
    });
    expect(await t.db.organization.count({ where: { slug: { in: ["tx-a", "tx-b"] } } })).toBe(2);

    const failed = await client
      .$transaction(async (tx) => {
        await tx.organization.create({ data: { name: "C", slug: "tx-c" } });
        // Inside the transaction its own write is visible…
        expect(await tx.organization.count({ where: { slug: "tx-c" } })).toBe(1);
        await tx.organization.create({ data: { name: "D", slug: "tx-a" } });
      })
      .catch((e: unknown) => e);
    expect((failed as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
    // …and after the rollback it is gone.
    expect(await t.db.organization.count({ where: { slug: "tx-c" } })).toBe(0);
    expect(await client.organization.count({ where: { slug: { in: ["tx-a", "tx-b", "tx-c"] } } })).toBe(2);
  });

  it("runs plain SQL on the embedded database (vacuum and analyze)", async () => {
    if (t.target.kind !== "pglite") return;
    await remote.sql.exec(`ANALYZE "Organization"`);
    const { rows } = await remote.sql.query<{ slug: string }>(`SELECT "slug" FROM "Organization" WHERE "slug" = 'tx-a'`);
    expect(rows).toEqual([{ slug: "tx-a" }]);
  });

  it("fails the calls still waiting when the thread stops, with the reason, and later calls when it cannot be reached", async () => {
    // A channel nobody serves: the call waits until failPending.
    const silent = new MessageChannel();
    channels.push(silent);
    const orphan = createThreadAdapter(channelOf(silent.port2));
    const connecting = orphan.factory.connect();
    orphan.failPending("The embedded database's thread stopped.");
    await expect(connecting).rejects.toThrow("The embedded database's thread stopped.");

    const unreachable = createThreadAdapter({ post: () => { throw new Error("The embedded database's thread is not running."); }, onMessage: () => {} });
    await expect(unreachable.factory.connect()).rejects.toThrow("not running");
  });
});
