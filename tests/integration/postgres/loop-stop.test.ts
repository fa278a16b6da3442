/**
 * A worker stops on SIGTERM at any moment of its start, including while its
 * LISTEN connection is still being opened (it used to wait forever for that
 * connection's "end", so `npm run worker` ignored SIGTERM right after start).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDb, type TTestDb } from "../helpers/db";
import { startDeliveryLoop } from "@/lib/delivery/loop";

let t: TTestDb;

beforeAll(async () => {
  t = await createTestDb();
});

afterAll(async () => {
  await t?.close();
});

it("stops within a second however early stop() comes, the LISTEN connection included", async () => {
  if (t.target.kind !== "postgres") throw new Error("postgres only");
  const outcomes: string[] = [];
  for (let i = 0; i < 30; i += 1) {
    const loop = startDeliveryLoop({ listenUrl: t.target.url, pollMs: 60_000, purgeEveryMs: 3_600_000 });
    await new Promise((r) => setTimeout(r, i % 10)); // from "at once" to "mid-connect"
    outcomes.push(await Promise.race([loop.stop().then(() => "stopped"), new Promise<string>((r) => setTimeout(() => r("hung"), 5_000))]));
  }
  expect(outcomes.filter((o) => o === "hung")).toEqual([]);
}, 180_000);
