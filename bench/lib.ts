/**
 * Small helpers of the benchmark: child processes, /proc sampling (RSS, CPU),
 * statistics and timing. No project imports here: child processes use it too.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** Starts `node --import tsx <script>` with an IPC channel. */
export function spawnTsx(script: string, opts: { args?: string[]; env?: Record<string, string | undefined>; ipc?: boolean; quiet?: boolean; execArgv?: string[] } = {}): ChildProcess {
  return spawn(process.execPath, [...(opts.execArgv ?? []), "--import", "tsx", script, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", opts.quiet ? "pipe" : "inherit", opts.quiet ? "pipe" : "inherit", ...(opts.ipc ? (["ipc"] as const) : [])],
  });
}

/** Sends one IPC request and waits for the reply of the same `cmd`. */
export function ask<T>(child: ChildProcess, message: { cmd: string } & Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not answer ${message.cmd} in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (reply: { cmd?: string; error?: string } & Record<string, unknown>) => {
      if (reply?.cmd !== message.cmd) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (reply.error) reject(new Error(reply.error));
      else resolve(reply as T);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before answering ${message.cmd}`));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send(message);
  });
}

/** Waits for a child's first IPC message of a kind (e.g. "ready"). */
export function waitMessage<T>(child: ChildProcess, cmd: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not send ${cmd} in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { cmd?: string }) => {
      if (m?.cmd !== cmd) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(m as T);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before ${cmd}`));
    });
  });
}

export async function stopChild(child: ChildProcess | null | undefined, signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------
// /proc sampling

let clkTck: number | undefined;
function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** RSS now and peak (VmHWM) of a process, in MiB; null when gone. */
export function readMemory(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

function readStat(pid: number): { ppid: number; own: number; children: number } | null {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    // fields[0] is state (field 3); utime is field 14 → index 11.
    const n = (i: number) => Number(fields[i]);
    return { ppid: n(1), own: n(11) + n(12), children: n(13) + n(14) };
  } catch {
    return null;
  }
}

/** CPU seconds used so far by one process (and its reaped children). */
export function cpuSeconds(pid: number): number {
  const s = readStat(pid);
  return s ? (s.own + s.children) / ticksPerSecond() : 0;
}

/** The process and all its live descendants. */
export function processTree(rootPid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (!s) continue;
    byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), Number(entry)]);
  }
  const out = [rootPid];
  for (let i = 0; i < out.length; i++) out.push(...(byParent.get(out[i]!) ?? []));
  return out;
}

/** CPU cores used per process between two readings of CPU seconds (same keys) over `wallSeconds`. */
export function coresUsed<K extends string>(before: Record<K, number>, after: Record<K, number>, wallSeconds: number): Record<K, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, round((after[k as K] - (before[k as K] ?? 0)) / wallSeconds, 2)])) as Record<K, number>;
}

/** Reads CPU seconds now; the returned function gives the cores used per process since then (coresUsed). */
export function startCoresReading<K extends string>(read: () => Record<K, number>): () => Record<K, number> {
  const before = read();
  const at = Date.now();
  return () => coresUsed(before, read(), (Date.now() - at) / 1000);
}

/** CPU seconds of a process tree (e.g. scripts/start.ts and the next-server it runs). */
export function treeCpuSeconds(rootPid: number): number {
  return processTree(rootPid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

/** CPU seconds of a PostgreSQL server: the postmaster, its reaped backends and its live ones. */
export function pgCpuSeconds(postmasterPid: number): number {
  let ticks = 0;
  const root = readStat(postmasterPid);
  if (!root) return 0;
  ticks += root.own + root.children;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (s && s.ppid === postmasterPid) ticks += s.own;
  }
  return ticks / ticksPerSecond();
}

export function postmasterPid(pgDir: string): number {
  return Number(fs.readFileSync(path.join(pgDir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
}

/** Samples a process's memory every `everyMs` until stopped; returns the peak seen and the kernel's VmHWM. */
export function sampleMemory(pid: number, everyMs = 100): { stop: () => { peakRssMb: number; vmHwmMb: number; samples: number } } {
  let peak = 0;
  let hwm = 0;
  let samples = 0;
  const tick = () => {
    const m = readMemory(pid);
    if (!m) return;
    samples += 1;
    peak = Math.max(peak, m.rssMb);
    hwm = Math.max(hwm, m.peakMb);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop: () => {
      tick();
      clearInterval(timer);
      return { peakRssMb: round(peak, 1), vmHwmMb: round(hwm, 1), samples };
    },
  };
}

// ---------------------------------------------------------------------------
// Statistics

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    max: round(values.length ? Math.max(...values) : NaN),
    mean: round(mean),
  };
}

/** Runs `fn` once to warm up, then `runs` times; returns the timings in ms. */
export async function timeRuns(fn: () => Promise<unknown>, runs = 5, warmups = 1): Promise<{ median: number; min: number; max: number; runs: number[] }> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { median: round(percentile(times, 50)), min: round(Math.min(...times)), max: round(Math.max(...times)), runs: times.map((t) => round(t)) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function log(message: string): void {
  const t = new Date().toISOString().slice(11, 19);
  console.log(`[bench ${t}] ${message}`);
}
