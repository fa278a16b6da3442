/**
 * Strict ISO 8601 parsing for datetime variables and conditions. `Date.parse` accepts many non-ISO shapes and
 * reads offset-less times in the server's local zone; this does neither.
 *
 * Accepted: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `…:SS`, `…:SS.fff` (any number of fraction digits, truncated to
 * milliseconds), each optionally followed by `Z` or `±HH:MM` / `±HHMM`. A value without an offset is read as UTC.
 */

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseOffsetMinutes(offset: string | undefined): number | null {
  if (offset === undefined || offset === "Z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

/** Parses an ISO 8601 date or date-time; returns null when the text is not one. */
export function parseIsoDatetime(text: string): Date | null {
  const match = ISO_DATETIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = parseOffsetMinutes(offset);
  if (offsetMinutes === null) return null;
  const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, millis);
  return date;
}

/** A Date or an ISO 8601 string as a valid Date; null otherwise (including invalid Date objects). */
export function toDatetime(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "string") return parseIsoDatetime(value);
  return null;
}

/** ISO 8601 in UTC with milliseconds, e.g. `2025-03-14T09:26:53.000Z`. */
export function formatIsoUtc(date: Date): string {
  return date.toISOString();
}
