/**
 * Prometheus text exposition format (version 0.0.4), written by hand: a few
 * gauges, counters and one histogram do not need a client library. Pure.
 *
 *   # HELP <name> <text>          (backslash and line feed escaped)
 *   # TYPE <name> counter|gauge|histogram
 *   <name>{<label>="<value>",…} <number>
 *
 * Histograms are written as cumulative `_bucket{le="…"}` series ending with
 * `le="+Inf"`, then `_sum` and `_count`.
 */

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type TLabels = Record<string, string>;
export type TSample = { labels?: TLabels; value: number };
export type THistogramSample = { labels?: TLabels; buckets: readonly number[]; counts: readonly number[]; sum: number; count: number };

export type TMetricFamily =
  | { name: string; help: string; type: "gauge" | "counter"; samples: TSample[] }
  | { name: string; help: string; type: "histogram"; samples: THistogramSample[] };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatLabels(labels: TLabels | undefined, extra?: [string, string]): string {
  const entries = Object.entries(labels ?? {});
  if (extra) entries.push(extra);
  if (entries.length === 0) return "";
  for (const [name] of entries) if (!LABEL_NAME.test(name) || name.startsWith("__")) throw new Error(`Invalid label name "${name}"`);
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

/** Serializes metric families; the text ends with a line feed. */
export function renderExposition(families: readonly TMetricFamily[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`Invalid metric name "${family.name}"`);
    if (seen.has(family.name)) throw new Error(`Metric "${family.name}" is written twice`);
    seen.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    if (family.type === "histogram") {
      for (const h of family.samples) {
        if (h.buckets.length !== h.counts.length) throw new Error(`Histogram "${family.name}": buckets and counts differ in length`);
        // counts[i] is already cumulative: observations ≤ buckets[i].
        h.buckets.forEach((upper, i) => {
          lines.push(`${family.name}_bucket${formatLabels(h.labels, ["le", formatValue(upper)])} ${formatValue(h.counts[i]!)}`);
        });
        lines.push(`${family.name}_bucket${formatLabels(h.labels, ["le", "+Inf"])} ${formatValue(h.count)}`);
        lines.push(`${family.name}_sum${formatLabels(h.labels)} ${formatValue(h.sum)}`);
        lines.push(`${family.name}_count${formatLabels(h.labels)} ${formatValue(h.count)}`);
      }
    } else {
      for (const s of family.samples) lines.push(`${family.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    }
  }
  return lines.join("\n") + "\n";
}
