/**
 * The app as a child process, for tests that start it as a user would
 * (`npm start`, `next start`): spawned with its output collected, and ready
 * once `GET /api/health` answers 200 on its port.
 */
import { spawn, type ChildProcess } from "node:child_process";

export type TServing = { proc: ChildProcess; url: string; output: () => string };

/**
 * Runs `node <args>` with `env` and waits (up to 120 s) until the app on
 * `port` is healthy; fails with its output if it exits first or never
 * answers. `onSpawn` gets the process at once, so a test can clean it up
 * even when the wait fails.
 */
export async function spawnServing(opts: { args: string[]; env: NodeJS.ProcessEnv; port: number; onSpawn?: (proc: ChildProcess) => void }): Promise<TServing> {
  let output = "";
  const proc = spawn(process.execPath, opts.args, { env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  opts.onSpawn?.(proc);
  proc.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  proc.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${opts.port}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
    if (i > 600) throw new Error(`npm start did not answer:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, url, output: () => output };
}

/** The exit code of a child process, once it has exited. */
export const exitOf = (proc: ChildProcess) => new Promise<number | null>((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once("exit", (code) => resolve(code))));
