import { describe, expect, it } from "vitest";
import { parseIsoDatetime, toDatetime } from "@/lib/catalog";

describe("parseIsoDatetime", () => {
  it.each([
    ["2025-03-14T09:26:53.000Z", "2025-03-14T09:26:53.000Z"],
    ["2025-03-14T09:26:53Z", "2025-03-14T09:26:53.000Z"],
    ["2025-03-14T11:26:53+02:00", "2025-03-14T09:26:53.000Z"],
    ["2025-03-14T04:26:53-0500", "2025-03-14T09:26:53.000Z"],
    ["2025-03-14T09:26:53.123456Z", "2025-03-14T09:26:53.123Z"],
    ["2025-03-14T09:26", "2025-03-14T09:26:00.000Z"], // no offset: UTC, whatever the server's zone
    ["2025-03-14", "2025-03-14T00:00:00.000Z"],
    ["2025-03-01T00:30:00+01:00", "2025-02-28T23:30:00.000Z"],
    ["0099-01-01T00:00:00Z", "0099-01-01T00:00:00.000Z"],
  ])("%s → %s", (input, expected) => {
    expect(parseIsoDatetime(input)?.toISOString()).toBe(expected);
  });

  it.each(["", "yesterday", "2025-02-30", "2025-13-01", "2025-03-14T24:00:00Z", "2025-03-14 09:26:53", "March 14, 2025", "1710408413000", "2025-03-14T09:26:53+25:00"])(
    "rejects %j",
    (input) => {
      expect(parseIsoDatetime(input)).toBeNull();
    },
  );

  it("toDatetime accepts valid Dates and ISO strings only", () => {
    expect(toDatetime(new Date(0))?.getTime()).toBe(0);
    expect(toDatetime(new Date(Number.NaN))).toBeNull();
    expect(toDatetime(0)).toBeNull();
  });
});
