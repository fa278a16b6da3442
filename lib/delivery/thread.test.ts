import { afterAll, describe, expect, it, vi } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { superviseThread } from "./thread";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookyard-thread-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A thread script that appends what happens to it to a log file, one line per event. */
function entry(name: string, body: string): { file: string; log: () => string[] } {
  const file = path.join(dir, `${name}.mjs`);
  const logFile = path.join(dir, `${name}.log`);
  fs.writeFileSync(
    file,
    `import fs from "node:fs";
     import { parentPort, workerData } from "node:worker_threads";
     const log = (line) => fs.appendFileSync(${JSON.stringify(logFile)}, line + "\\n");
     log("started");
     ${body}`,
  );
  return { file, log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n") : []) };
}

describe("superviseThread", () => {
  it("on stop asks the thread to end and waits for it; nothing restarts", async () => {
    const e = entry("polite", `parentPort.on("message", (m) => { log("got " + m); if (m === "stop") process.exit(0); });`);
    const states: boolean[] = [];
    const exits: unknown[] = [];
    const thread = superviseThread({ entry: e.file, onState: (s) => states.push(s), onExit: (x) => exits.push(x), firstRestartMs: 10 });
    await vi.waitFor(() => expect(states).toEqual([true]));
    await thread.stop();
    expect(e.log()).toEqual(["started", "got stop"]);
    expect(states).toEqual([true, false]);
    expect(exits).toEqual([{ code: 0, restartInMs: null }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(e.log().filter((l) => l === "started")).toHaveLength(1);
  });

  it("gives each start its workerData, posts to the running thread and hands its messages on; nothing to post to once it stopped", async () => {
    const e = entry("talking", `parentPort.on("message", (m) => { if (m === "stop") process.exit(0); parentPort.postMessage({ echo: m, data: workerData }); });`);
    const received: unknown[] = [];
    const thread = superviseThread({ entry: e.file, workerData: { role: "probe", n: 1 }, onMessage: (m) => received.push(m) });
    // Posted before the thread is online: queued until it listens.
    expect(thread.post({ q: 1 })).toBe(true);
    await vi.waitFor(() => expect(received).toEqual([{ echo: { q: 1 }, data: { role: "probe", n: 1 } }]));
    await thread.stop();
    expect(thread.post({ q: 2 })).toBe(false);
  });

  it("restarts a thread that dies, each time after a longer wait", async () => {
    const e = entry("crashing", `setTimeout(() => { throw new Error("boom"); }, 5);`);
    const exits: { code: number; restartInMs: number | null }[] = [];
    const errors: unknown[] = [];
    const thread = superviseThread({ entry: e.file, onExit: (x) => exits.push(x), onError: (err) => errors.push(err), firstRestartMs: 10, maxRestartMs: 40 });
    await vi.waitFor(() => expect(exits.length).toBeGreaterThanOrEqual(4), { timeout: 5_000 });
    await thread.stop();
    expect(exits.slice(0, 4).map((x) => x.restartInMs)).toEqual([10, 20, 40, 40]);
    expect(exits[0]!.code).toBe(1);
    expect(String(errors[0])).toContain("boom");
    const starts = e.log().filter((l) => l === "started").length;
    expect(starts).toBeGreaterThanOrEqual(4);
    // Stopped while waiting to restart: no further start.
    await new Promise((r) => setTimeout(r, 100));
    expect(e.log().filter((l) => l === "started").length).toBe(starts);
  });

  it("terminates a thread that does not stop within the grace period", async () => {
    const e = entry("deaf", `setInterval(() => {}, 1000);`);
    const states: boolean[] = [];
    const thread = superviseThread({ entry: e.file, onState: (s) => states.push(s), stopGraceMs: 100 });
    await vi.waitFor(() => expect(states).toEqual([true]));
    const before = Date.now();
    await thread.stop();
    expect(Date.now() - before).toBeGreaterThanOrEqual(90);
    expect(states).toEqual([true, false]);
  });
});
