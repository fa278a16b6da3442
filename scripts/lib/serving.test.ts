import { describe, expect, it } from "vitest";
import { planServing } from "./serving";

describe("npm start's processes", () => {
  it("on PostgreSQL: the server without its loop, and a worker process beside it", () => {
    expect(planServing({ DATABASE_URL: "postgres://h/db", DELIVERY_LOOP: true })).toMatchObject({ serverEnv: { DELIVERY_LOOP: "0" }, worker: true });
  });

  it("on the embedded database: the server alone, delivering from its database thread", () => {
    expect(planServing({ DELIVERY_LOOP: true })).toMatchObject({ serverEnv: {}, worker: false });
  });

  it("with DELIVERY_LOOP=0: the server alone, delivering nothing", () => {
    expect(planServing({ DATABASE_URL: "postgres://h/db", DELIVERY_LOOP: false })).toMatchObject({ serverEnv: {}, worker: false });
    expect(planServing({ DELIVERY_LOOP: false }).delivery).toMatch(/DELIVERY_LOOP=0/);
  });
});
