/**
 * A throwaway PostgreSQL server for tests and benchmarks: initdb into a temp
 * directory, listen on a free loopback port, stop and delete on close.
 * Installs Debian's postgresql package when no server binaries are found
 * (as root, e.g. on a fresh CI machine).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type TPgServer = { url: string; port: number; dir: string; binDir: string; stop: () => void; start: () => void };

function findBinDir(): string | null {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

export function ensurePostgresInstalled(): string {
  let bin = findBinDir();
  if (bin) return bin;
  if (!isRoot()) throw new Error("PostgreSQL server binaries not found: install Debian's postgresql package");
  console.log("Installing PostgreSQL (apt-get install postgresql)…");
  spawnSync("apt-get", ["update"], { stdio: "inherit" });
  const r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.status !== 0) throw new Error("apt-get install postgresql failed");
  bin = findBinDir();
  if (!bin) throw new Error("PostgreSQL installed but initdb not found under /usr/lib/postgresql");
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a server binary as the postgres user when we are root (initdb refuses root). */
function runAs(bin: string, args: string[]): void {
  if (isRoot()) execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: "pipe" });
  else execFileSync(bin, args, { stdio: "pipe" });
}

export async function startPgServer(opts: { maxConnections?: number; /** More `-c name=value` settings. */ settings?: Record<string, string> } = {}): Promise<TPgServer> {
  const binDir = ensurePostgresInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookyard-pg-"));
  const dataDir = path.join(dir, "data");
  if (isRoot()) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  runAs(path.join(binDir, "initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${opts.maxConnections ?? 200} -c fsync=off -c synchronous_commit=off -c full_page_writes=off${Object.entries(opts.settings ?? {}).map(([k, v]) => ` -c ${k}=${v}`).join("")}`;
  fs.writeFileSync(path.join(dir, "control.json"), JSON.stringify({ binDir, dataDir, options }));
  if (isRoot()) execFileSync("chown", ["postgres:postgres", path.join(dir, "control.json")]);
  const start = () => startExisting(dir);
  const stop = () => stopExisting(dir);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    binDir,
    start,
    stop: () => {
      stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

type TControl = { binDir: string; dataDir: string; options: string };
const control = (dir: string): TControl => JSON.parse(fs.readFileSync(path.join(dir, "control.json"), "utf8")) as TControl;

/** Starts a server made by startPgServer again (same port and settings), e.g. after a test stopped it. */
export function startExisting(dir: string): void {
  const c = control(dir);
  runAs(path.join(c.binDir, "pg_ctl"), ["-D", c.dataDir, "-o", c.options, "-l", path.join(dir, "server.log"), "-w", "start"]);
}

/** Stops it (fast shutdown: open connections are cut). */
export function stopExisting(dir: string): void {
  const c = control(dir);
  try {
    runAs(path.join(c.binDir, "pg_ctl"), ["-D", c.dataDir, "-m", "fast", "-w", "stop"]);
  } catch {
    /* already stopped */
  }
}
