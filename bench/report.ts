/** The benchmark's printed table and its targets. */

export type TRow = { metric: string; postgres: string; pglite: string; target: string; ok: boolean | null };

const dash = "–";

export function fmt(value: number | null | undefined, unit = "", digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return `${value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit ? ` ${unit}` : ""}`;
}

export function renderTable(rows: TRow[]): string {
  const head = ["Measure", "PostgreSQL", "PGlite", "Target", ""];
  const body = rows.map((r) => [r.metric, r.postgres, r.pglite, r.target, r.ok === null ? "" : r.ok ? "ok" : "MISS"]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(head), widths.map((w) => "─".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
