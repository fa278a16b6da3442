import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ZEnv } from "@/lib/env";
import { END_MARKER, START_MARKER, TABLE_DOCS, envDocComments, renderEnvTable, withCurrentTable } from "./env-table";

describe("environment table (docs/deployment.md, README.md)", () => {
  it("has one row per variable of lib/env.ts, each described", () => {
    const table = renderEnvTable();
    const names = Object.keys(ZEnv.shape);
    for (const name of names) expect(table).toContain(`| \`${name}\` |`);
    expect(table.split("\n")).toHaveLength(names.length + 2);
    for (const line of table.split("\n").slice(2)) expect(line.trim().endsWith("|  |"), line).toBe(false);
    expect(envDocComments().get("METRICS_TOKEN")).toMatch(/GET \/api\/metrics/);
    expect(table).toContain("| `DELIVERY_LOOP` | `true` | flag: 1/0, true/false, on/off, yes/no |");
  });

  it.each(TABLE_DOCS)("%s holds the current table (run node --import tsx scripts/env-table.ts --write)", (file) => {
    const doc = fs.readFileSync(file, "utf8");
    expect(doc).toContain(START_MARKER);
    expect(doc).toContain(END_MARKER);
    expect(withCurrentTable(doc)).toBe(doc);
  });
});
