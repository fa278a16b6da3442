/**
 * Keeps one worker thread running a script: restarts it with a growing delay
 * when it exits unasked (reset after a minute of running), and stops it by
 * asking — "stop" — then terminating it after a grace period. The server's
 * delivery thread and its embedded database thread (drivers.ts) are two.
 */
import { Worker } from "node:worker_threads";

export type TSupervisedThread = {
  /** Asks the thread to stop; resolves once it has exited (terminated after the grace period). */
  stop: () => Promise<void>;
  /** Posts to the running thread (queued until it listens); false when none is running. */
  post: (message: unknown) => boolean;
};

export function superviseThread(opts: {
  entry: string;
  /** Given to every start of the thread as its workerData. */
  workerData?: unknown;
  /** The thread's messages. */
  onMessage?: (message: unknown) => void;
  /** Called with true once a thread is online, false when it exited. */
  onState?: (running: boolean) => void;
  onExit?: (info: { code: number; restartInMs: number | null }) => void;
  onError?: (error: unknown) => void;
  firstRestartMs?: number;
  maxRestartMs?: number;
  stopGraceMs?: number;
}): TSupervisedThread {
  const firstRestartMs = opts.firstRestartMs ?? 1_000;
  const maxRestartMs = opts.maxRestartMs ?? 30_000;
  let restartDelay = firstRestartMs;
  let stopping = false;
  let worker: Worker | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = () => {
    restartTimer = null;
    const started = Date.now();
    const w = new Worker(opts.entry, { workerData: opts.workerData });
    worker = w;
    exited = new Promise((resolve) => w.once("exit", () => resolve()));
    w.on("online", () => opts.onState?.(true));
    w.on("error", (error) => opts.onError?.(error));
    if (opts.onMessage) w.on("message", opts.onMessage);
    w.on("exit", (code) => {
      worker = null;
      opts.onState?.(false);
      if (stopping) return opts.onExit?.({ code, restartInMs: null });
      if (Date.now() - started > 60_000) restartDelay = firstRestartMs;
      opts.onExit?.({ code, restartInMs: restartDelay });
      restartTimer = setTimeout(start, restartDelay);
      restartTimer.unref();
      restartDelay = Math.min(restartDelay * 2, maxRestartMs);
    });
  };
  start();

  return {
    post(message) {
      if (!worker) return false;
      worker.postMessage(message);
      return true;
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const w = worker;
      if (!w) return;
      w.postMessage("stop");
      const grace = setTimeout(() => void w.terminate(), opts.stopGraceMs ?? 20_000);
      grace.unref();
      await exited;
      clearTimeout(grace);
    },
  };
}
