/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests:
 * it refuses what Prometheus would refuse (bad names, bad escapes, a TYPE
 * after its samples, a family split in two, duplicate series, histograms
 * whose buckets are not cumulative or do not end with le="+Inf" = _count).
 * Hand-written (≈100 lines) rather than a dependency: the lenient npm
 * parsers accept most of these mistakes.
 */
export type TPromType = "counter" | "gauge" | "histogram" | "summary" | "untyped";
export type TPromSample = { name: string; labels: Record<string, string>; value: number; timestamp?: number };
export type TPromFamily = { name: string; type: TPromType; help?: string; samples: TPromSample[] };

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export class PromParseError extends Error {}

function parseFloatStrict(text: string, line: number): number {
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new PromParseError(`line ${line}: "${text}" is not a number`);
  return Number(text);
}

function unescape(text: string, allowed: string, line: number): string {
  return text.replace(/\\(.)/g, (_m, c: string) => {
    if (!allowed.includes(c)) throw new PromParseError(`line ${line}: invalid escape \\${c}`);
    return c === "n" ? "\n" : c;
  });
}

function familyOf(sample: string, families: Map<string, TPromFamily>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      const f = families.get(base);
      if (f && (f.type === "histogram" || (f.type === "summary" && suffix !== "_bucket"))) return base;
    }
  }
  return sample;
}

export function parsePrometheusText(text: string): Map<string, TPromFamily> {
  if (text.length && !text.endsWith("\n")) throw new PromParseError("the last line must end with a line feed");
  const families = new Map<string, TPromFamily>();
  const seenSeries = new Set<string>();
  let current: string | null = null;
  const closed = new Set<string>();
  const lines = text.split("\n");
  lines.pop();
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.replace(/^[ \t]+/, "");
    if (line === "") return;
    if (line.startsWith("#")) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!m) return; // a comment
      const [, kind, name, rest = ""] = m;
      if (!NAME.test(name!) || NAME.exec(name!)![0] !== name) throw new PromParseError(`line ${n}: invalid metric name "${name}"`);
      const f = families.get(name!) ?? { name: name!, type: "untyped" as TPromType, samples: [] };
      if (f.samples.length) throw new PromParseError(`line ${n}: ${kind} for ${name} after its samples`);
      if (kind === "HELP") {
        if (f.help !== undefined) throw new PromParseError(`line ${n}: second HELP for ${name}`);
        f.help = unescape(rest, "\\n", n);
      } else {
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest.trim())) throw new PromParseError(`line ${n}: unknown type "${rest}"`);
        if (families.has(name!) && families.get(name!)!.type !== "untyped") throw new PromParseError(`line ${n}: second TYPE for ${name}`);
        f.type = rest.trim() as TPromType;
      }
      families.set(name!, f);
      return;
    }
    const nameMatch = NAME.exec(line);
    if (!nameMatch) throw new PromParseError(`line ${n}: expected a metric name`);
    const name = nameMatch[0];
    let rest = line.slice(name.length);
    const labels: Record<string, string> = {};
    if (rest.startsWith("{")) {
      rest = rest.slice(1);
      for (;;) {
        rest = rest.replace(/^[ \t]+/, "");
        if (rest.startsWith("}")) { rest = rest.slice(1); break; }
        const l = LABEL.exec(rest);
        if (!l) throw new PromParseError(`line ${n}: expected a label name`);
        rest = rest.slice(l[0].length);
        const v = /^[ \t]*=[ \t]*"((?:[^"\\\n]|\\.)*)"/.exec(rest);
        if (!v) throw new PromParseError(`line ${n}: expected ="value" after ${l[0]}`);
        if (l[0] in labels) throw new PromParseError(`line ${n}: label ${l[0]} twice`);
        labels[l[0]] = unescape(v[1]!, '\\"n', n);
        rest = rest.slice(v[0].length).replace(/^[ \t]+/, "");
        if (rest.startsWith(",")) rest = rest.slice(1);
        else if (!rest.startsWith("}")) throw new PromParseError(`line ${n}: expected , or } in labels`);
      }
    }
    const parts = rest.trim().split(/[ \t]+/);
    if (!rest.match(/^[ \t]/) || parts.length < 1 || parts.length > 2 || parts[0] === "") throw new PromParseError(`line ${n}: expected " value [timestamp]"`);
    const value = parseFloatStrict(parts[0]!, n);
    const timestamp = parts[1] !== undefined ? Number(parts[1]) : undefined;
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new PromParseError(`line ${n}: invalid timestamp`);
    const fam = familyOf(name, families);
    if (current !== fam) {
      if (closed.has(fam)) throw new PromParseError(`line ${n}: samples of ${fam} are not together`);
      if (current) closed.add(current);
      current = fam;
    }
    const series = `${name}{${Object.entries(labels).sort().map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;
    if (seenSeries.has(series)) throw new PromParseError(`line ${n}: duplicate series ${series}`);
    seenSeries.add(series);
    const f = families.get(fam) ?? { name: fam, type: "untyped" as TPromType, samples: [] };
    f.samples.push({ name, labels, value, ...(timestamp !== undefined ? { timestamp } : {}) });
    families.set(fam, f);
  });
  for (const f of families.values()) if (f.type === "histogram") checkHistogram(f);
  return families;
}

function checkHistogram(f: TPromFamily): void {
  const groups = new Map<string, TPromSample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const samples of groups.values()) {
    const buckets = samples.filter((s) => s.name === `${f.name}_bucket`);
    if (buckets.some((b) => b.labels.le === undefined)) throw new PromParseError(`${f.name}: a bucket without le`);
    const les = buckets.map((b) => parseFloatStrict(b.labels.le!, 0));
    for (let i = 1; i < buckets.length; i++) {
      if (!(les[i]! > les[i - 1]!)) throw new PromParseError(`${f.name}: buckets not in increasing le order`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new PromParseError(`${f.name}: bucket counts are not cumulative`);
    }
    if (les[les.length - 1] !== Infinity) throw new PromParseError(`${f.name}: the last bucket must be le="+Inf"`);
    const count = samples.find((s) => s.name === `${f.name}_count`);
    const sum = samples.find((s) => s.name === `${f.name}_sum`);
    if (!count || !sum) throw new PromParseError(`${f.name}: _sum and _count are required`);
    if (count.value !== buckets[buckets.length - 1]!.value) throw new PromParseError(`${f.name}: le="+Inf" differs from _count`);
  }
}

/** The value of one series of a parsed exposition (undefined when absent). */
export function valueOf(families: Map<string, TPromFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families.values()) {
    const s = f.samples.find((x) => x.name === name && Object.keys(labels).every((k) => x.labels[k] === labels[k]) && Object.keys(x.labels).length === Object.keys(labels).length);
    if (s) return s.value;
  }
  return undefined;
}
