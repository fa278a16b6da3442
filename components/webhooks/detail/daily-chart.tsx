"use client";
import { useId } from "react";
import type { TDaily } from "../queries";

const W = 760;
const H = 220;
const PAD = { top: 14, right: 48, bottom: 28, left: 40 };

function niceMax(n: number): number {
  if (n <= 4) return 4;
  const pow = 10 ** Math.floor(Math.log10(n));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => n / s <= 4) ?? 10 * pow;
  return Math.ceil(n / step) * step;
}

function shortDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
}

/** 28 days of attempts: stacked bars (succeeded / failed) and p50 / p95 duration lines, in inline SVG. */
export function DailyChart({ days }: { days: TDaily[] }) {
  const titleId = useId();
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const maxCount = niceMax(Math.max(0, ...days.map((d) => d.succeeded + d.failed)));
  const maxMs = niceMax(Math.max(0, ...days.map((d) => d.p95Ms ?? 0)));
  const slot = innerW / Math.max(1, days.length);
  const bar = Math.max(3, slot * 0.62);
  const y = (n: number) => PAD.top + innerH - (n / maxCount) * innerH;
  const yMs = (ms: number) => PAD.top + innerH - (ms / maxMs) * innerH;
  const x = (i: number) => PAD.left + i * slot + slot / 2;
  const line = (pick: (d: TDaily) => number | null) => {
    const pts = days.map((d, i) => [i, pick(d)] as const).filter(([, v]) => v !== null) as [number, number][];
    return pts.map(([i, v], k) => `${k === 0 ? "M" : "L"}${x(i).toFixed(1)},${yMs(v).toFixed(1)}`).join(" ");
  };
  const totals = days.reduce((a, d) => ({ s: a.s + d.succeeded, f: a.f + d.failed }), { s: 0, f: 0 });
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <figure>
      <div className="mb-2 flex flex-wrap items-center gap-4 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1.5"><span className="h-2.5 w-2.5 rounded-sm bg-emerald-500" aria-hidden="true" />Succeeded</span>
        <span className="inline-flex items-center gap-1.5"><span className="h-2.5 w-2.5 rounded-sm bg-red-500" aria-hidden="true" />Failed</span>
        <span className="inline-flex items-center gap-1.5"><span className="h-0.5 w-4 bg-brand-600" aria-hidden="true" />p50 duration</span>
        <span className="inline-flex items-center gap-1.5"><span className="h-0.5 w-4 border-t-2 border-dashed border-amber-500" aria-hidden="true" />p95 duration</span>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-labelledby={titleId}>
        <title id={titleId}>{`Attempts per day over ${days.length} days: ${totals.s} succeeded, ${totals.f} failed`}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(maxCount * t)} y2={y(maxCount * t)} stroke="#e2e8f0" strokeWidth="1" />
            <text x={PAD.left - 6} y={y(maxCount * t) + 3} textAnchor="end" fontSize="10" fill="#64748b">{Math.round(maxCount * t)}</text>
            <text x={W - PAD.right + 6} y={yMs(maxMs * t) + 3} fontSize="10" fill="#b45309">{Math.round(maxMs * t)} ms</text>
          </g>
        ))}
        {days.map((d, i) => {
          const ok = (d.succeeded / maxCount) * innerH;
          const bad = (d.failed / maxCount) * innerH;
          const left = x(i) - bar / 2;
          return (
            <g key={d.day}>
              <title>{`${shortDay(d.day)}: ${d.succeeded} succeeded, ${d.failed} failed${d.p50Ms !== null ? `, p50 ${d.p50Ms} ms, p95 ${d.p95Ms} ms` : ""}`}</title>
              <rect x={x(i) - slot / 2} y={PAD.top} width={slot} height={innerH} fill="transparent" />
              {d.succeeded > 0 && <rect x={left} y={PAD.top + innerH - ok} width={bar} height={ok} rx="1.5" fill="#10b981" />}
              {d.failed > 0 && <rect x={left} y={PAD.top + innerH - ok - bad} width={bar} height={bad} rx="1.5" fill="#ef4444" />}
              {(i % 7 === 0 || i === days.length - 1) && (
                <text x={x(i)} y={H - 8} textAnchor="middle" fontSize="10" fill="#64748b">{shortDay(d.day)}</text>
              )}
            </g>
          );
        })}
        <path d={line((d) => d.p50Ms)} fill="none" stroke="#1f58d6" strokeWidth="1.8" />
        <path d={line((d) => d.p95Ms)} fill="none" stroke="#f59e0b" strokeWidth="1.8" strokeDasharray="4 3" />
        {days.map((d, i) =>
          d.p50Ms === null ? null : (
            <g key={`p-${d.day}`}>
              <circle cx={x(i)} cy={yMs(d.p95Ms ?? d.p50Ms)} r="3" fill="#fff" stroke="#f59e0b" strokeWidth="1.6" />
              <circle cx={x(i)} cy={yMs(d.p50Ms)} r="3" fill="#1f58d6" />
            </g>
          ),
        )}
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + innerH} y2={PAD.top + innerH} stroke="#94a3b8" strokeWidth="1" />
        {totals.s + totals.f === 0 && (
          <text x={PAD.left + innerW / 2} y={PAD.top + innerH / 2} textAnchor="middle" fontSize="13" fill="#64748b">No delivery attempts in the last {days.length} days</text>
        )}
      </svg>
      <details className="mt-2 text-xs text-slate-600">
        <summary className="cursor-pointer">Show the data as a table</summary>
        <table aria-label="Attempts per day" className="mt-2 w-full text-left">
          <thead>
            <tr><th className="py-1">Day</th><th>Succeeded</th><th>Failed</th><th>p50 (ms)</th><th>p95 (ms)</th></tr>
          </thead>
          <tbody>
            {days.filter((d) => d.succeeded + d.failed > 0).map((d) => (
              <tr key={d.day}><td className="py-0.5">{d.day}</td><td>{d.succeeded}</td><td>{d.failed}</td><td>{d.p50Ms ?? "—"}</td><td>{d.p95Ms ?? "—"}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
